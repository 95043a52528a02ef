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

pytestmark = pytest.mark.slow  # runs `make html` on a copy of the handbook, twice

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
    assert (copy.html / Path(EXTRA).with_suffix(".html")).is_file(), "the extra page was built"
    return copy


def add_to_toctree(index: Path, entry: str) -> None:
    text = index.read_text(encoding="utf-8")
    text, n = re.subn(r"(```\{toctree\}\n(?::[^\n]*\n)*\n)", rf"\g<1>{entry}\n", text, count=1)
    assert n == 1, f"no toctree in {index}"
    index.write_text(text, encoding="utf-8")


TITLE = "Themes Retitled For A Test"


@pytest.fixture(scope="module")
def changed(copy: bench.Copy) -> tuple[bench.Copy, bench.Run]:
    """The copy after one `make html` that follows two changes at once: the extra page deleted
    (and taken out of its toctree), and a part retitled. One build serves both tests, as each
    change on its own would also be built clean."""
    (copy.src / EXTRA).unlink()
    reference = copy.src / "chapters/reference/index.md"
    reference.write_text(reference.read_text(encoding="utf-8").replace("extra-test-page\n", ""), encoding="utf-8")
    bench.set_title(copy.src / "chapters/themes/index.md", TITLE)
    return copy, copy.make_html()


def test_make_with_nothing_changed_does_not_rebuild(copy: bench.Copy) -> None:
    index = copy.html / "index.html"
    before = index.stat().st_mtime_ns
    run = copy.make_html()
    assert not bench.ran_sphinx(run), run.output
    assert index.stat().st_mtime_ns == before


def test_a_deleted_page_is_gone_after_make(changed: tuple[bench.Copy, bench.Run]) -> None:
    copy, run = changed
    assert bench.ran_sphinx(run), run.output
    assert not (copy.html / Path(EXTRA).with_suffix(".html")).exists()
    assert (copy.html / "chapters/reference/index.html").is_file()


def test_a_changed_part_title_shows_in_every_pages_navigation(changed: tuple[bench.Copy, bench.Run]) -> None:
    copy, run = changed
    assert bench.ran_sphinx(run), run.output
    pages = [p for p in copy.pages() if p.name not in {"search.html", "genindex.html", "404.html"}]
    assert len(pages) > 20
    stale = [str(p.relative_to(copy.html)) for p in pages if TITLE not in bench.navigation(p)]
    assert not stale, f"the navigation of {len(stale)} page(s) lacks the new title: {stale[:5]}"
