"""Hyphenation of Swedish and Danish names in the PDF's text, whatever the edition's language.

The PDF is hyphenated with the patterns of its language (``hyphens: auto`` and the document's
``lang``): English patterns break Nordic compounds at the wrong places, "Göta-land-sre-g-ion-en",
and Swedish ones Danish words. The words below carry their right break points instead, as soft
hyphens, and are set apart in a ``<span class="nordic">`` of their own, because WeasyPrint
ignores the patterns for a whole run of text once it holds a soft hyphen. A word that is not
listed and has a letter foreign to the edition's language (any Nordic letter in English, æ or
ø in Swedish) is not broken at all; the edition's own words are left to its patterns.
"""

from __future__ import annotations

import re

from docutils import nodes

SOFT_HYPHEN = "\u00ad"

#: Nordic names and terms, with their break points. Add a word here when the PDF breaks it badly.
HYPHENATION = """
Gö-ta-lands-re-gio-nen Göta-land Väst-ra Mid-tjyl-land Sahl-grens-ka Ka-ro-lins-ka
Haga-sta-den Hadži-a-lić Küh-nau Bor-re-baeck Che-rou-vrier Alm-eda-len Alm-edals-vec-kan
av-sikts-för-kla-ring re-gion-sty-rel-se re-gion-full-mäk-ti-ge re-gions-råd re-gion-råd
finans-re-gion-råd lands-höv-dinge-äm-be-te næst-for-mand kon-cern-di-rek-tør
kom-pe-tens-för-sörj-ning lä-ke-me-dels-chef för-valt-nings-chef Nä-rings-de-par-te-men-tet
sjuk-hus-di-rek-tör re-gion-ut-veck-lings-di-rek-tör re-gion-di-rek-tör stor-stads-re-gion
uni-ver-si-tets-sjuk-vår-den tvær-sek-to-ri-el ko-or-di-ne-ring Ven-skabs-for-en-ing
pro-jekt-le-der vi-ce-rek-tor sam-ar-bets-av-tal folk-häl-sa Tian-jin Shang-hai
""".split()

BREAKS = {word.replace("-", ""): word.replace("-", SOFT_HYPHEN) for word in HYPHENATION}
NORDIC_LETTERS = "åäöæøÅÄÖÆØ"
#: The Nordic letters of each edition's own alphabet, whose words its hyphenation patterns know.
OWN_LETTERS = {"sv": "åäöÅÄÖ", "da": "æøåÆØÅ", "nb": "æøåÆØÅ", "nn": "æøåÆØÅ"}
WORD = re.compile(r"[^\W\d_]+")
SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.title)


def foreign_letters(language: str = "en") -> str:
    """The Nordic letters that the patterns of *language* do not know: words with one are foreign."""
    own = OWN_LETTERS.get(language.split("_")[0].split("-")[0], "")
    return "".join(letter for letter in NORDIC_LETTERS if letter not in own)


def nordic(word: str, foreign: str = NORDIC_LETTERS) -> str | None:
    """*word* with its break points, if it needs its own hyphenation; else None.

    *foreign*: the letters that make an unlisted word foreign, not to be broken (see
    :func:`foreign_letters`).
    """
    if word in BREAKS:
        return BREAKS[word]
    if any(letter in foreign for letter in word):
        return word  # no break point known: not to be broken
    return None


def add_hyphenation_points(document: nodes.document, language: str = "en") -> None:
    """Wrap the Nordic words of every text node in ``<span class="nordic">``.

    Inside a link, which must hold text only (see :func:`handbook.pdf_book.flatten_links`), the
    listed words get their soft hyphens without a span; links are not hyphenated otherwise.
    *language* is the edition's: its own words are left to its hyphenation patterns.
    """
    foreign = foreign_letters(language)
    for text in list(document.findall(nodes.Text)):
        if any(isinstance(a, SKIP) for a in ancestors(text)):
            continue
        source = str(text)
        if isinstance(text.parent, nodes.reference):
            marked = WORD.sub(lambda m: BREAKS.get(m.group(), m.group()), source)
            if marked != source:
                text.parent.replace(text, nodes.Text(marked))
            continue
        parts: list[nodes.Node] = []
        last = 0
        for match in WORD.finditer(source):
            word = nordic(match.group(), foreign)
            if word is None:
                continue
            if match.start() > last:
                parts.append(nodes.Text(source[last:match.start()]))
            parts.append(nodes.inline("", word, classes=["nordic"]))
            last = match.end()
        if parts:
            if last < len(source):
                parts.append(nodes.Text(source[last:]))
            text.parent.replace(text, parts)


def ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent
