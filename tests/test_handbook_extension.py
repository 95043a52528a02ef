"""Unit tests of the local Sphinx extension in _ext/handbook."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from pybtex.database import Entry, Person

from handbook.bibstyle import AuthorYearLabelStyle
from handbook.edition import edition_name, source_date
from handbook.editions import button, edition_files, readable_size


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


@pytest.mark.parametrize(("size", "expected"), [
    (0, "0 B"), (999, "999 B"), (1000, "1 kB"), (116_025, "116 kB"), (999_499, "999 kB"),
    (999_500, "1.0 MB"), (1_249_999, "1.2 MB"), (12_300_000, "12.3 MB"),
])
def test_edition_sizes_read_as_download_lists_show_them(size: int, expected: str) -> None:
    assert readable_size(size) == expected


def test_editions_are_offered_pdf_first_and_unknown_kinds_are_refused() -> None:
    config = SimpleNamespace(handbook_editions={"epub": "b.epub", "pdf": "b.pdf"})
    assert list(edition_files(config).items()) == [("pdf", "b.pdf"), ("epub", "b.epub")]
    with pytest.raises(ValueError, match="mobi"):
        edition_files(SimpleNamespace(handbook_editions={"mobi": "b.mobi"}))


def test_download_button_names_the_edition_and_its_size() -> None:
    download = {"kind": "epub", "label": "EPUB", "description": "As an EPUB", "icon": "fas fa-book",
                "size": "116 kB", "url": "../b.epub"}
    made = button(download)
    assert made["label"] == "download-epub-button" and made["url"] == "../b.epub"
    assert made["text"] == 'Download EPUB <span class="handbook-download-size">(116 kB)</span>'
    assert made["tooltip"] == "As an EPUB (116 kB)"
    assert button({**download, "size": None})["text"] == "Download EPUB"


def test_edition_date_comes_from_source_date_epoch(tmp_path) -> None:
    date = source_date(tmp_path, environ={"SOURCE_DATE_EPOCH": "1781136000"})
    assert date.isoformat() == "2026-06-11T00:00:00+00:00"


def test_no_edition_date_outside_git_without_source_date_epoch(tmp_path) -> None:
    assert source_date(tmp_path, environ={}) is None


def test_edition_name_is_sortable_and_traceable() -> None:
    date = source_date(Path("."), environ={"SOURCE_DATE_EPOCH": "1781136000"})
    assert edition_name(date, "a3234b9") == "2026.06.11 (a3234b9)"
    assert edition_name(date, None) == "2026.06.11"
