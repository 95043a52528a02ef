"""Unit tests of the local Sphinx extension in _ext/handbook."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from pybtex.database import Entry, Person

from handbook.bibstyle import AuthorYearLabelStyle
from handbook.edition import edition_name, source_date
from handbook.pdf_edition import pdf_file_name


def entry(*authors: str, year: str) -> Entry:
    return Entry("misc", fields={"year": year}, persons={"author": [Person(a) for a in authors]})


def test_labels_are_corporate_author_and_year_without_braces() -> None:
    labels = list(AuthorYearLabelStyle().format_labels([entry("{Region Skåne}", year="2012")]))
    assert labels == ["Region Skåne, 2012"]


def test_two_corporate_authors_are_joined_with_and() -> None:
    labels = list(AuthorYearLabelStyle().format_labels([entry("{Region Skåne}", "{Lif}", year="2024")]))
    assert labels == ["Region Skåne and Lif, 2024"]


def test_clashing_labels_get_letter_suffixes() -> None:
    entries = [entry("{Region Skåne}", year="2024"), entry("{Region Skåne}", year="2024"),
               entry("{Region Uppsala}", year="2024")]
    assert list(AuthorYearLabelStyle().format_labels(entries)) == [
        "Region Skåne, 2024a", "Region Skåne, 2024b", "Region Uppsala, 2024"]


def test_pdf_name_is_the_configured_file_name() -> None:
    config = SimpleNamespace(handbook_pdf_file="my-book.pdf")
    assert pdf_file_name(config) == "my-book.pdf"


def test_edition_date_comes_from_source_date_epoch(tmp_path) -> None:
    date = source_date(tmp_path, environ={"SOURCE_DATE_EPOCH": "1781136000"})
    assert date.isoformat() == "2026-06-11T00:00:00+00:00"


def test_no_edition_date_outside_git_without_source_date_epoch(tmp_path) -> None:
    assert source_date(tmp_path, environ={}) is None


def test_edition_name_is_sortable_and_traceable() -> None:
    date = source_date(Path("."), environ={"SOURCE_DATE_EPOCH": "1781136000"})
    assert edition_name(date, "a3234b9") == "2026.06.11 (a3234b9)"
    assert edition_name(date, None) == "2026.06.11"
