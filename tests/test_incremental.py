"""`make` after a change gives what a clean build gives; with nothing changed it does nothing.

The Makefile builds the HTML clean whenever any source changed (README, "Building"). These tests
run `make html` on a copy of the sources (tools/bench.py's helpers), with stand-ins for the PDF
and the EPUB, and check the changes that an incremental build gets wrong: a deleted page that
stays in the output, and a part's new title missing from other pages' navigation.
No timings are asserted here: times on shared machines are noisy. `make bench` measures them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bench

#: A page of the contributor guide's kind, added to the reference part for the deletion test.
EXTRA = "chapters/reference/extra-test-page.md"
EXTRA_TEXT = """---
kind: guide
summary: A page that the test of make deletes again.
---

# A page to delete
"""


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> bench.Copy:
    """A copy of the sources with one extra page, built once with `make html`."""
    copy = bench.copy_for_make(tmp_path_factory.mktemp("make"))
    (copy.src / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    add_to_toctree(copy.src / "chapters/reference/index.md", "extra-test-page")
    copy.make_html()
    return copy


def add_to_toctree(index: Path, entry: str) -> None:
    text = index.read_text(encoding="utf-8")
    text, n = re.subn(r"(```\{toctree\}\n(?::[^\n]*\n)*\n)", rf"\g<1>{entry}\n", text, count=1)
    assert n == 1, f"no toctree in {index}"
    index.write_text(text, encoding="utf-8")


def test_make_with_nothing_changed_does_not_rebuild(copy: bench.Copy) -> None:
    copy.make_html()  # whatever the tests before changed is built now
    index = copy.html / "index.html"
    before = index.stat().st_mtime_ns
    run = copy.make_html()
    assert not bench.ran_sphinx(run), run.output
    assert index.stat().st_mtime_ns == before


def test_a_deleted_page_is_gone_after_make(copy: bench.Copy) -> None:
    page = copy.html / Path(EXTRA).with_suffix(".html")
    assert page.is_file(), "the extra page was built"
    (copy.src / EXTRA).unlink()
    reference = copy.src / "chapters/reference/index.md"
    reference.write_text(reference.read_text(encoding="utf-8").replace("extra-test-page\n", ""), encoding="utf-8")
    run = copy.make_html()
    assert bench.ran_sphinx(run), run.output
    assert not page.exists()
    assert (copy.html / "chapters/reference/index.html").is_file()


def test_a_changed_part_title_shows_in_every_pages_navigation(copy: bench.Copy) -> None:
    title = "Themes Retitled For A Test"
    bench.set_title(copy.src / "chapters/themes/index.md", title)
    run = copy.make_html()
    assert bench.ran_sphinx(run), run.output
    pages = [p for p in copy.pages() if p.name not in {"search.html", "genindex.html", "404.html"}]
    assert len(pages) > 20
    stale = [str(p.relative_to(copy.html)) for p in pages if title not in bench.navigation(p)]
    assert not stale, f"the navigation of {len(stale)} page(s) lacks the new title: {stale[:5]}"
