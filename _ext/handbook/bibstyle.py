"""An author–year bibliography style for the handbook's source releases.

The entries are public releases by regional bodies, so the style prints the corporate author,
the original title with its English translation, the kind of release, its language, the date
to the precision known (day, month or year) and the web address where one is known:

    Region Skåne. *Region Skåne tecknar …* [Region Skåne signs …]. Press release, in Swedish.
    November 2012. URL: …

Labels are "Author Year" (with a, b … for clashes) so that the bibliography reads like the
author–year citations in the text.

A translated edition writes the same in its language (the words through ``handbook.po``, the
language names and dates through Babel):

    Region Skåne. *Region Skåne tecknar …*. Pressmeddelande, på svenska. November 2012.
    Odaterat: … Webbadress: …
    Region Midtjylland. *Kinesiske myndigheder …* [Kinesiska myndigheter …]. Nyhetsartikel, på
    danska. 2 december 2016.

The ``[…]`` translates the title into the edition's language, so a release in that language has
none. That translation and the ``note`` (both English in references.bib) are translated in the
catalogue of the source's note page, where the ``{source-note}`` directive makes them messages
(:mod:`handbook.views.source_notes`).
pybtex formats entries without the build at hand, so the edition's language and those notes
are handed to the style when all pages have been read (:func:`set_edition`), as Sphinx hands the
extension's messages to ``_`` for the whole process.
"""

from collections import Counter
from dataclasses import dataclass, field as dataclass_field

from pybtex.plugin import register_plugin
from pybtex.richtext import Tag, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import FieldIsMissing, field, href, join, names, node, optional, sentence, tag, words
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from .dates import is_english, parse_date, written
from .languages import _

#: Name of the bibliography (pybtex) style and of the in-text (referencing) style.
STYLE_NAME = "handbook"

#: "14 June 2024", "November 2012" or "2012", whichever the entry supports.
release_date = words[optional[field("day")], optional[field("month")], field("year")]

#: The kinds of release (the ``type`` field of references.bib), as readers see them: a new kind
#: needs its line here, so that it is a message to translate (tests/test_views.py checks).
KINDS = {
    "Press release": _("Press release"),
    "News article": _("News article"),
    "Event invitation": _("Event invitation"),
}


@dataclass
class Edition:
    """What the style writes in: the edition's language and, by entry key, the translated text
    of its fields (``{"note": …}``), from the source notes' catalogues."""

    language: str = "en"
    fields: dict[str, dict[str, str]] = dataclass_field(default_factory=dict)


#: The edition being built (one per process, like Sphinx's message catalogues).
EDITION = Edition()


def entry_kind(kind: str) -> str:
    """A release's kind ("Press release") in the edition's language ("Pressmeddelande")."""
    return str(KINDS.get(kind, kind))


def language_code(name: str) -> str:
    """The code of a language given by its English name, as references.bib gives it:
    "Swedish" -> "sv" ("" if Babel does not know the name)."""
    from babel import Locale

    return next((code for code, english in Locale("en").languages.items()
                 if english.casefold() == name.casefold()), "")


def language_name(name: str, language: str | None) -> str:
    """A language's English name, as references.bib gives it ("Swedish"), in *language*
    ("svenska"), from Babel's names of languages; in English, *name* itself."""
    if is_english(language) or not name:
        return name
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language).languages.get(language_code(name), name)
    except (ValueError, UnknownLocaleError):
        return name


def translated_title(entry, language: str | None) -> str | None:
    """The entry's title in *language*, for a release in another language: ``titleaddon`` as
    the source note's catalogue translates it (as it is if not yet translated); None for a
    release in *language* itself, or without a ``titleaddon``."""
    fields = entry.fields
    if not fields.get("titleaddon") or language_code(fields.get("language", "")) == (language or "").split("_")[0]:
        return None
    return EDITION.fields.get(entry.key, {}).get("titleaddon") or str(fields["titleaddon"])


def list_separator() -> str | None:
    """What joins the last two items of a list in the edition's language (" och "); None in
    English, whose separators pybtex and sphinxcontrib-bibtex already use."""
    template = str(_("{items} and {last}"))
    if template == "{items} and {last}":
        return None
    return template.partition("{items}")[2].partition("{last}")[0]


@node
def kind_and_language(children, context):
    """"Pressmeddelande, på svenska": the entry's kind and language in the edition's language."""
    fields = context["entry"].fields
    kind, language = entry_kind(fields.get("type", "")), language_name(fields.get("language", ""), EDITION.language)
    if kind and language:
        return Text(_("{kind}, in {language}").format(kind=kind, language=language))
    return Text(kind or language)


@node
def edition_date(children, context):
    """The entry's ``date`` as the edition's language writes dates ("2 december 2016")."""
    fields = context["entry"].fields
    try:
        return Text(written(parse_date(fields.get("date", "")), EDITION.language))
    except ValueError:
        return release_date.format_data(context)


@node
def title_in_edition(children, context):
    """"[Kinesiska myndigheter …]": the title in the edition's language, for a release in
    another language (:func:`translated_title`); missing, so left out, otherwise."""
    title = translated_title(context["entry"], EDITION.language)
    if title is None:
        raise FieldIsMissing("titleaddon", context["entry"])
    return Text("[", title, "]")


@node
def translated_field(children, context, name):
    """A prose field (``note``) as the source note's catalogue translates it, else as it is."""
    entry = context["entry"]
    text = EDITION.fields.get(entry.key, {}).get(name)
    return Text(text) if text else field(name).format_data(context)


class AuthorYearLabelStyle(BaseLabelStyle):
    """Label entries "Author Year", adding a, b … when two entries would share a label."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [self._base_label(entry) for entry in entries]
        counts = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                yield f"{label}{chr(ord('a') + seen[label] - 1)}"
            else:
                yield label

    @staticmethod
    def _base_label(entry) -> str:
        authors = entry.persons.get("author", [])
        # rich_last_names drops BibTeX braces: {Region Skåne} -> Region Skåne.
        names = [
            " ".join(part.render_as("text") for part in person.rich_last_names)
            for person in authors
        ]
        if len(names) > 2:
            author_text = _("{author} et al.").format(author=names[0])
        elif len(names) == 2:
            author_text = _("{items} and {last}").format(items=names[0], last=names[1])
        else:
            author_text = "".join(names)
        return _("{author}, {year}").format(author=author_text, year=entry.fields.get("year", _("n.d.")))


class HandbookStyle(UnsrtStyle):
    """pybtex style: unsrt, with a release-oriented template for ``@misc`` entries."""

    default_label_style = AuthorYearLabelStyle
    default_sorting_style = "author_year_title"

    def get_misc_template(self, e):
        if not is_english(EDITION.language):
            return self.translated_misc_template(e)
        return toplevel[
            sentence[self.format_names("author", as_sentence=False)],
            sentence[
                words[tag("em")[field("title")], optional[join["[", field("titleaddon"), "]"]]]
            ],
            sentence[field("type"), optional[join["in ", field("language")]]],
            sentence[release_date],
            optional[sentence[field("note")]],
            self.format_web_refs(e),
        ]

    def translated_misc_template(self, e):
        """The ``@misc`` template of a translated edition: the same parts, in its language."""
        return toplevel[
            sentence[self.format_names("author", as_sentence=False)],
            sentence[words[tag("em")[field("title")], optional[title_in_edition]]],
            sentence[kind_and_language],
            sentence(capfirst=True)[edition_date],  # "November 2012." (a month starts a sentence)
            optional[sentence[translated_field("note")]],
            self.format_web_refs(e),
        ]

    def format_names(self, role, as_sentence=True):
        separator = list_separator()
        if separator is None:
            return super().format_names(role, as_sentence)
        formatted = names(role, sep=", ", sep2=separator, last_sep=separator)
        return sentence[formatted] if as_sentence else formatted

    def format_url(self, e):
        if is_english(EDITION.language):
            return super().format_url(e)
        url = field("url", raw=True)
        return words[str(_("URL:")), href(url)[url]]


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


def _edition_persons() -> PersonStyle:
    """Authors joined as the edition's language joins a list: "Region Skåne och Lif"."""
    separator = list_separator()
    if separator is None:
        return PersonStyle()
    return PersonStyle(sep2=separator, last_sep=separator, other=Text(" ", Tag("em", str(_("et al.")))))


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """In-text citations as (Region Skåne, 2012; Lif, 2024) and Region Skåne (2012).

    Made when the builder starts (sphinxcontrib-bibtex's ``builder-inited``), once the edition's
    messages are registered, so that its authors are joined in the edition's language.
    """

    person: PersonStyle = dataclass_field(default_factory=_edition_persons)

    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_textual: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_author: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_label: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_year: BracketStyle = dataclass_field(default_factory=_round_brackets)


def set_edition(app: Sphinx, env) -> None:
    """``env-updated``, before sphinxcontrib-bibtex formats the entries: the edition's language,
    and the notes as the source notes' catalogues translate them."""
    EDITION.language = app.config.language or "en"
    stored = getattr(env, "handbook_source_texts", {})
    EDITION.fields = {key: texts for page in stored.values() for key, texts in page.items()}


def setup(app: Sphinx) -> dict:
    app.connect("env-updated", set_edition, priority=400)  # sphinxcontrib-bibtex's runs at 500
    register_plugin("pybtex.style.formatting", STYLE_NAME, HandbookStyle)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE_NAME, RoundAuthorYearReferenceStyle
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
