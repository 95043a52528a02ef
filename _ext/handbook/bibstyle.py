"""An author–year bibliography style for the handbook's source releases.

The entries are public releases by regional bodies, so the style prints the corporate author,
the original title with its English translation, the kind of release, its language, the date
to the precision known (day, month or year) and the web address where one is known:

    Region Skåne. *Region Skåne tecknar …* [Region Skåne signs …]. Press release, in Swedish.
    November 2012. URL: …

Labels are "Author Year" (with a, b … for clashes) so that the bibliography reads like the
author–year citations in the text.
"""

from collections import Counter
from dataclasses import dataclass, field as dataclass_field

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, join, optional, sentence, tag, words
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

#: Name of the bibliography (pybtex) style and of the in-text (referencing) style.
STYLE_NAME = "handbook"

#: "14 June 2024", "November 2012" or "2012", whichever the entry supports.
release_date = words[optional[field("day")], optional[field("month")], field("year")]


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
            author_text = f"{names[0]} et al."
        else:
            author_text = " and ".join(names)
        return f"{author_text}, {entry.fields.get('year', 'n.d.')}"


class HandbookStyle(UnsrtStyle):
    """pybtex style: unsrt, with a release-oriented template for ``@misc`` entries."""

    default_label_style = AuthorYearLabelStyle
    default_sorting_style = "author_year_title"

    def get_misc_template(self, e):
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


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """In-text citations as (Region Skåne, 2012; Lif, 2024) and Region Skåne (2012)."""

    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_textual: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_author: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_label: BracketStyle = dataclass_field(default_factory=_round_brackets)
    bracket_year: BracketStyle = dataclass_field(default_factory=_round_brackets)


def setup(app: Sphinx) -> dict:
    register_plugin("pybtex.style.formatting", STYLE_NAME, HandbookStyle)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE_NAME, RoundAuthorYearReferenceStyle
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
