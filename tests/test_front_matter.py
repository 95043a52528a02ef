"""The front-matter validator rejects each bad case with a clear message (unit tests)."""

from __future__ import annotations

import pytest

from handbook.front_matter import check_front_matter

REGIONS = {"skane", "uppsala"}
THEMES = {"china", "clusters"}

GOOD_REGION = """---
kind: region
regions: [skane]
themes: [china, clusters]
short: Skåne
order: 10
country: Sweden
summary: Region Skåne in the sources.
---

# Region Skåne
"""


def problems(source: str, docname: str = "chapters/regions/skane") -> list[str]:
    return [f"{p.line}: {p.message}" for p in check_front_matter(source, docname, REGIONS, THEMES)]


def test_a_good_region_chapter_passes() -> None:
    assert problems(GOOD_REGION) == []


def test_a_good_theme_chapter_passes() -> None:
    source = ("---\nkind: theme\nregions: [skane, uppsala]\nthemes: [china]\nshort: China\norder: 10\n"
              "summary: China.\n---\n")
    assert problems(source, "chapters/themes/china") == []


@pytest.mark.parametrize(("source", "expected"), [
    ("# No front matter\n", "1: the page has no front matter"),
    (GOOD_REGION.replace("regions: [skane]", "regions: [scania]"), "3: unknown region 'scania' in 'regions'"),
    (GOOD_REGION.replace("themes: [china, clusters]", "themes: [china, trade]"), "4: unknown theme 'trade' in 'themes'"),
    (GOOD_REGION.replace("kind: region", "kind: county"), "2: unknown kind 'county'"),
    (GOOD_REGION.replace("summary: Region Skåne in the sources.\n", ""), "1: front matter is missing 'summary'"),
    (GOOD_REGION.replace("themes: [china, clusters]\n", ""), "1: front matter is missing 'themes'"),
    (GOOD_REGION.replace("Region Skåne in the sources.", "x" * 161), "8: the summary has 161 characters"),
    (GOOD_REGION.replace("summary:", "sumary:"), "8: unknown front-matter key 'sumary'"),  # codespell:ignore sumary
    (GOOD_REGION.replace("regions: [skane]", "regions: skane"), "3: 'regions' must be a non-empty list"),
    (GOOD_REGION.replace("regions: [skane]", "regions: [uppsala]"), "3: a region chapter covers exactly its own region"),
    (GOOD_REGION.replace("sources.", "sources: 2012."), "8: the front matter is not valid YAML"),
    (GOOD_REGION.replace("short: Skåne\n", ""), "1: front matter is missing 'short'"),
    (GOOD_REGION.replace("order: 10\n", ""), "1: front matter is missing 'order'"),
    (GOOD_REGION.replace("country: Sweden\n", ""), "1: front matter is missing 'country'"),
    (GOOD_REGION.replace("short: Skåne", "short: " + "x" * 25), "5: 'short' is the chapter's label"),
    (GOOD_REGION.replace("order: 10", "order: first"), "6: 'order' is a number"),
    (GOOD_REGION.replace("country: Sweden", "country: Scania"), "7: unknown country 'Scania'"),
    (GOOD_REGION.replace("kind: region", "kind: partner"), "5: 'short' belongs only in a region or theme chapter"),
])
def test_each_bad_case_is_rejected_with_its_line(source: str, expected: str) -> None:
    found = problems(source)
    assert any(p.startswith(expected) for p in found), found
