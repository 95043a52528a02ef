"""The handbook's own words in each edition's language, for the tests of the PDFs and EPUBs.

The extension writes its fixed words (the PDF's title page, "Contents", "Part I") through the
``handbook`` catalogue (:mod:`handbook.languages`), the templates theirs (the EPUB's title page)
through ``sphinx``; a test that expects them in an edition reads them from the same catalogue,
locales/<language>/LC_MESSAGES/<domain>.po, as Sphinx does: an untranslated or fuzzy message
stays English. The titles of the pages come from the edition's own
site instead (its <h1>s), as the tests of the English editions read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from babel.messages.pofile import read_po

from conftest import LANGUAGES, REPO, Build

#: The book's title and the PDF's subject, as conf.py gives them in English.
TITLE = "Nordic Life Science Regions Handbook"
SUBJECT = "Regional life-science strategies in Sweden and Denmark"
AUTHOR = "Nordic Life Science Regions Handbook contributors"


@cache
def gettext(language: str, domain: str = "handbook") -> Callable[[str], str]:
    """The translation function of *language*'s catalogue *domain* (English: the message itself):
    ``handbook`` for the extension's words, ``sphinx`` for the templates' (the EPUB's title page)."""
    po = REPO / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
    if language == LANGUAGES[0] or not po.is_file():
        return lambda message: message
    with po.open("rb") as file:
        catalogue = read_po(file)

    def translate(message: str) -> str:
        found = catalogue.get(message)
        return found.string if found is not None and found.string and not found.fuzzy else message

    return translate


def part_label(language: str, number: str) -> str:
    """'Part II' in *language*."""
    return gettext(language)("Part {number}").format(number=number)


#: A number in front of a title in the PDF: "Part II ", "Del II ", "2 ", "2.1 ", in any edition.
NUMBER = re.compile("^(?:{}|\\d+(?:\\.\\d+)*)\\s+".format(
    "|".join(sorted({re.escape(part_label(language, "@")).replace("@", "[IVX]+") for language in LANGUAGES}))))


def page_title(edition: Build, page: str) -> str:
    """The <h1> of *page* ("chapters/reference/glossary.html") in the edition's site."""
    h1 = edition.soup(edition.html / page).select_one("main h1")
    assert h1 is not None, f"{edition.language}: {page} has no <h1>"
    return h1.get_text(" ", strip=True).rstrip("#¶").strip()
