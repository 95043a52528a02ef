"""One gloss per original-language term: a term glossed differently in two places fails the build.

The glossary gives each Swedish or Danish term THE gloss: its definition starts with the language,
then the gloss, ended by ``:``, ``;``, ``.`` or the end of the line::

    *avsiktsförklaring*
      (sv) Letter of intent: a signed statement of shared intentions.

A chapter glosses a term in one of two forms, and the gloss must be the glossary's (case,
spacing and a leading "the", "a" or "an" aside)::

    the letter of intent (*{term}`avsiktsförklaring`*)    the words before the bracket end with it
    *{term}`avsiktsförklaring`* (letter of intent)        the bracket holds it, and nothing else

Any other use of a term (no bracket, or a bracket around more than the term) is not a gloss and
is not checked. Each disagreement is a warning at the chapter's line that also names the
glossary's file and line, e.g.::

    chapters/themes/china.md:27: WARNING: 'vicerektor' is glossed 'vice-rector' here but
    'Deputy vice-chancellor' at chapters/reference/glossary.md:135; use one gloss everywhere
    [handbook.gloss]

The glossary is read from its Markdown source (``source-read``), where the rule is written and
lines are exact; the uses from each doctree (``doctree-read``), so that examples in code are not
uses; both are compared once all pages are read (``env-check-consistency``).

In a translated edition the terms of the edition's own language are simply words, with no
gloss: only the others are checked (in Swedish, the Danish terms). Their gloss is the one the
translated glossary gives, in the same form, ``(da) Vice ordförande.``; it is read from the
glossary page's translated doctree, and each term's language from the English source. A warning
then names the glossary's line as the catalogue's ``#:`` comment gives the definition's message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .languages import is_translation
from .page_stores import keep_per_page

logger = logging.getLogger(__name__)

#: A MyST glossary block, fenced with backticks or colons.
GLOSSARY = re.compile(r"^(?P<fence>`{3,}|:{3,})\{glossary\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
#: The first line of a definition that glosses: "(sv) Gloss: more." -> sv, "Gloss: more."
LANGUAGE = re.compile(r"^\s+\((?P<lang>[a-z]{2})\)\s+(?P<rest>.*)$")
#: The same, in a definition's text as a doctree gives it (the glossary of a translated edition).
LANGUAGE_TEXT = re.compile(r"^\s*\((?P<lang>[a-z]{2})\)\s+(?P<rest>.*)$", re.S)
ROLE = re.compile(r"\{[\w:-]+\}`")  # a role such as {cite:p}` ends the gloss, like the line's end
TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})  # Sphinx's smart quotes, undone
ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def normalise(text: str) -> str:
    """Case, spacing and typographic quotes aside."""
    return " ".join(text.translate(QUOTES).split()).casefold()


def term_key(target: str) -> str:
    """The glossary entry a ``{term}`` points to: ``text <target>`` -> target, case aside."""
    match = re.search(r"<([^<>]+)>\s*$", target)
    return normalise(match.group(1) if match else target)


@dataclass(frozen=True)
class Entry:
    """A glossary entry: its term as written, its gloss (None: no language tag), its line, and
    the term's language ("sv", "da"; "" without a tag)."""

    term: str
    gloss: str | None
    line: int
    language: str = ""


@dataclass(frozen=True)
class Use:
    """A glossed use of a term in a page. *form* is "before" or "bracket" (see the module)."""

    key: str
    form: str
    text: str  # the words before the bracket, or the bracket's content
    line: int
    source: str | None = None  # the file, if not the page's own (an included file)


def glossary_entries(source: str) -> dict[str, Entry]:
    """The entries of every glossary block in a page's Markdown *source*, by term key."""
    entries: dict[str, Entry] = {}
    for block in GLOSSARY.finditer(source):
        first = source.count("\n", 0, block.start("body")) + 1
        terms: list[tuple[str, int]] = []
        for number, line in enumerate(block.group("body").splitlines(), start=first):
            if not line.strip() or (not terms and line.startswith(":")):
                continue  # blank lines and the directive's options
            if not line[0].isspace():
                terms.append((line.strip().strip("*_").strip(), number))
                continue
            if not terms:
                continue  # the definition's later lines
            match = LANGUAGE.match(line)
            gloss = None
            if match:
                rest = ROLE.split(match.group("rest"))[0].replace("*", "")
                gloss = re.match(r"[^:;.]*", rest).group().strip() or None
            language = match.group("lang") if match else ""
            for term, term_line in terms:
                entries.setdefault(normalise(term), Entry(term, gloss, number if gloss else term_line, language))
            terms = []
    return entries


def text_before_role(paragraph: nodes.Element) -> str:
    """The text of *paragraph* up to its first cross-reference (a role), as :data:`ROLE` ends a
    gloss in the source."""
    out = []
    for text in paragraph.findall(nodes.Text):
        parent = text.parent
        while parent is not None and parent is not paragraph:
            if isinstance(parent, (addnodes.pending_xref, nodes.reference)):
                return "".join(out)
            parent = parent.parent
        out.append(str(text))
    return "".join(out)


def doctree_glossary_entries(doctree: nodes.document) -> dict[str, Entry]:
    """The entries of every glossary in *doctree* (a translated glossary page), by term key:
    a definition that starts ``(da) Gloss:`` glosses its terms, as in the source."""
    entries: dict[str, Entry] = {}
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            definition = item.next_node(nodes.definition)
            first = definition.next_node(nodes.paragraph) if definition is not None else None
            match = LANGUAGE_TEXT.match(text_before_role(first)) if first is not None else None
            gloss = (re.match(r"[^:;.]*", match.group("rest")).group().strip() or None) if match else None
            for term in item.findall(nodes.term):
                entries.setdefault(normalise(term.astext()), Entry(
                    term.astext(), gloss, (first.line if first is not None else None) or term.line or 1,
                    match.group("lang") if match else ""))
    return entries


def glossed_uses(doctree: nodes.document, own_file: Path) -> list[Use]:
    """Every use of a term in one of the two gloss forms in *doctree*, read from *own_file*."""
    uses = []
    lines_of: dict[Path, list[str]] = {}
    for emphasis in doctree.findall(nodes.emphasis):
        xrefs = [n for n in emphasis.children if isinstance(n, addnodes.pending_xref) and n.get("reftype") == "term"]
        if len(xrefs) != 1:
            continue
        parent = emphasis.parent
        at = parent.index(emphasis)
        before = "".join(n.astext() for n in parent.children[:at])
        after = "".join(n.astext() for n in parent.children[at + 1:])
        bracket = re.match(r"\s*\(([^()]*)\)", after)
        if before.rstrip().endswith("(") and after.startswith(")"):
            form, text = "before", before.rstrip()[:-1]
        elif bracket:
            form, text = "bracket", bracket.group(1)
        else:
            continue
        key = term_key(xrefs[0]["reftarget"])
        source, line = get_source_line(parent)
        path = Path(source).resolve() if source else own_file.resolve()
        line = (line or 1) + before.count("\n")  # one sentence per line: the term's own line
        if path.is_file():
            # Table cells carry the table's line, not the row's: find the role in the source.
            lines = lines_of.setdefault(path, path.read_text(encoding="utf-8").splitlines())
            line = next((n for n in range(line, len(lines) + 1)
                         if any(term_key(t) == key for t in TERM_ROLE.findall(lines[n - 1]))), line)
        uses.append(Use(key, form, text, line, None if path == own_file.resolve() else str(path)))
    return uses


def agrees(use: Use, gloss: str) -> bool:
    """Whether *use* glosses its term as *gloss* (the glossary's), in the sense of the module."""
    wanted, given = normalise(gloss), normalise(use.text)
    if use.form == "bracket":
        return ARTICLE.sub("", given) == ARTICLE.sub("", wanted)
    ends = given.endswith(wanted)
    return ends and (len(given) == len(wanted) or not given[-len(wanted) - 1].isalnum())


def shown_gloss(use: Use, gloss: str) -> str:
    """The chapter's gloss as a reader would quote it: the bracket; or the end of the clause
    before the bracket, as many words as the glossary's gloss has."""
    if use.form == "bracket":
        return " ".join(use.text.split())
    words = re.split(r"[,;:.()\n]", use.text)[-1].split()
    count = len(gloss.split())
    return ("… " if len(words) > count else "") + " ".join(words[-count:])


# -- Sphinx events --------------------------------------------------------------------------------

def read_glossary(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: note the entries of a page that holds a glossary."""
    entries = glossary_entries(source[0])
    if entries:
        app.env.handbook_glossary[docname] = entries


def collect_uses(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note the page's glossed uses of terms; in a translated edition, and on
    the glossary's page, its entries as translated."""
    uses = glossed_uses(doctree, Path(app.env.doc2path(app.env.docname)))
    if uses:
        app.env.handbook_gloss_uses[app.env.docname] = uses
    if is_translation(app.config) and app.env.docname in app.env.handbook_glossary:
        app.env.handbook_translated_glossary[app.env.docname] = doctree_glossary_entries(doctree)


def edition_glossary(app: Sphinx, env) -> dict[str, tuple[Entry, str]]:
    """The glossary the edition's uses are checked against: term key -> (entry, its file).

    In English, the source's entries. In a translated edition, the entries of the terms in
    another language than the edition's, each with the gloss the translated glossary gives it
    (None if it gives none), at the line of the English source's entry.
    """
    glossary: dict[str, tuple[Entry, str]] = {}
    translation = is_translation(app.config)
    for docname in sorted(env.handbook_glossary):
        path = Path(env.doc2path(docname)).relative_to(app.srcdir).as_posix()
        translated = env.handbook_translated_glossary.get(docname, {})
        for key, entry in env.handbook_glossary[docname].items():
            if translation:
                if entry.language == app.config.language:
                    continue  # a term of the edition's own language: simply a word
                found = translated.get(key)
                entry = Entry(entry.term, found.gloss if found else None, found.line if found else entry.line,
                              entry.language)
            glossary.setdefault(key, (entry, path))
    return glossary


def check(app: Sphinx, env) -> None:
    """``env-check-consistency``: warn at each use whose gloss is not the glossary's."""
    glossary = edition_glossary(app, env)
    for docname in sorted(env.handbook_gloss_uses):
        for use in env.handbook_gloss_uses[docname]:
            if use.key not in glossary:
                continue  # Sphinx itself reports a term that is not in the glossary (ref.term), or
                # the term is of the edition's own language
            entry, path = glossary[use.key]
            where = f"{path}:{entry.line}"
            location = (docname, use.line) if use.source is None else f"{use.source}:{use.line}"
            if entry.gloss is None:
                tags = f"'({entry.language}) <gloss>:'" if is_translation(app.config) and entry.language \
                    else "'(sv) <gloss>:' or '(da) <gloss>:'"
                logger.warning(f"'{entry.term}' is glossed here, but its glossary entry at {where} gives "
                               f"no gloss; start the definition with {tags}",
                               location=location, type="handbook", subtype="gloss")
            elif not agrees(use, entry.gloss):
                logger.warning(f"'{entry.term}' is glossed '{shown_gloss(use, entry.gloss)}' here but "
                               f"'{entry.gloss}' at {where}; use one gloss everywhere",
                               location=location, type="handbook", subtype="gloss")


#: The letters a language's alphabet puts after z, in its order (they are not a or o with marks).
ALPHABET_END = {"sv": "åäö", "da": "æøå", "nb": "æøå", "nn": "æøå", "fi": "åäö"}
#: Letters of the neighbouring alphabets, sorted as their counterparts: ø as ö in Swedish…
COUNTERPARTS = {"sv": {"æ": "ä", "ø": "ö"}, "fi": {"æ": "ä", "ø": "ö"},
                "da": {"ä": "æ", "ö": "ø"}, "nb": {"ä": "æ", "ö": "ø"}, "nn": {"ä": "æ", "ö": "ø"}}


def alphabetical_key(text: str, language: str) -> str:
    """*text* as a dictionary in *language* orders it: Swedish å, ä, ö after z, Danish æ, ø, å;
    every other letter as Sphinx sorts glossaries (lower case, decomposed: é beside e). In a
    language whose alphabet ends at z, exactly Sphinx's order."""
    end = ALPHABET_END.get(language.split("_")[0], "")
    counterparts = COUNTERPARTS.get(language.split("_")[0], {})
    key = []
    for char in text.lower():
        char = counterparts.get(char, char)
        key.append(chr(ord("z") + 1 + end.index(char)) if char in end else unicodedata.normalize("NFD", char))
    return "".join(key)


class GlossaryOrder(SphinxTransform):
    """A sorted glossary in the alphabetical order of the edition's language (Swedish: läkemedelschef
    after life science), once Sphinx has sorted it (``GlossarySorter``, which ignores the language);
    languages whose alphabet ends at z keep Sphinx's order."""

    default_priority = 501  # right after GlossarySorter (500), which runs after the translation

    def apply(self, **kwargs) -> None:
        language = self.config.language or "en"
        if language.split("_")[0] not in ALPHABET_END:
            return
        for glossary in self.document.findall(addnodes.glossary):
            if glossary["sorted"]:
                entries = glossary[0]
                entries[:] = sorted(entries, key=lambda item: alphabetical_key(item[0][0].astext(), language))


def setup(app: Sphinx) -> dict:
    app.add_transform(GlossaryOrder)
    app.setup_extension("handbook.languages")  # which terms are of the edition's own language
    keep_per_page(app, "handbook_glossary", "handbook_gloss_uses", "handbook_translated_glossary")
    app.connect("source-read", read_glossary)
    app.connect("doctree-read", collect_uses)
    app.connect("env-check-consistency", check)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}  # 2: Entry.language
