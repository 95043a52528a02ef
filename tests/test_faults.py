"""Fault injection: every kind of bad input fails the build (or the link check) with a clear error.

Each case copies the small handbook in roots/faults (the handbook's layout: a regions part with
two chapters, a glossary, a bibliography and references.bib, with the extension modules that
report faults), plants one fault, builds the HTML in-process with ``sphinx.testing`` and, if
Sphinx lets it through, runs the internal link check on the result. The first line of output must
name the offending file (and the line, where Sphinx gives one) and say what is wrong; with the
Makefile's ``-W`` any such line fails the build, which test_glosses.py and the front-matter case
below show. CONTRIBUTING.md's fault table lists these lines.

The front-matter check needs a catalogue (the known region and theme ids are the book's own
chapters'), so that case builds the small book in roots/catalogue with the Makefile's options.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from check_internal_links import check_site
from conftest import REPO
from handbook_copy import build_in_process, sphinx_build

ROOT = REPO / "tests" / "roots" / "faults"
CHAPTER = "chapters/regions/skane.md"
OTHER_CHAPTER = "chapters/regions/stockholm.md"
OVERVIEW = "chapters/regions/index.md"
BIB = "references.bib"


# -- Injecting faults ---------------------------------------------------------------------------
# Each helper changes the copy and returns the line the error message must name (None when Sphinx
# gives no line). They insert new text next to stable structure (a chapter's title, a toctree, a
# bib entry's first field) rather than edit prose.

def add_paragraph(src: Path, rel: str, text: str) -> int:
    """Insert *text* as a new paragraph right after the chapter's title; return its line."""
    path = src / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[title + 1:title + 1] = ["", text]
    path.write_text("\n".join(lines), encoding="utf-8")
    return title + 3


def append(src: Path, rel: str, text: str, *, line_of: str) -> int:
    """Append *text* to the file; return the line of *line_of* within it."""
    path = src / rel
    before = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + text[:text.index(line_of)].count("\n") + 1


def first_bib_entry(src: Path) -> tuple[str, str, int]:
    """The first entry of references.bib: its key, its text and the line of its "@"."""
    text = (src / BIB).read_text(encoding="utf-8")
    match = re.search(r"^@\w+\{([^,\s]+),\n(?:.*\n)*?\}\n", text, re.MULTILINE)
    assert match, "references.bib has no entry to break"
    return match.group(1), match.group(0), text.count("\n", 0, match.start()) + 1


def break_bib_entry(src: Path) -> int:
    """Drop the closing brace of the first entry's first braced field: "{…}," becomes "{…,"."""
    key, entry, line = first_bib_entry(src)
    broken = re.sub(r"(= *\{[^{}\n]*)\},\n", r"\1,\n", entry, count=1)
    assert broken != entry, f"no field to break in {key}"
    path = src / BIB
    path.write_text(path.read_text(encoding="utf-8").replace(entry, broken, 1), encoding="utf-8")
    return line


def duplicate_bib_key(src: Path) -> None:
    key, _, _ = first_bib_entry(src)
    append(src, BIB, f"@misc{{{key},\n  author = {{{{Region Gotland}}}},\n  title  = {{Copy}},\n"
                     f"  year   = {{2025}},\n}}\n", line_of="@misc")


def add_to_toctree(src: Path, rel: str, entry: str) -> int:
    """Add *entry* to the file's toctree; return the line of the toctree directive."""
    path = src / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(("```{toctree}", "```{catalogue-toctree}")))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    lines.insert(end, entry)
    path.write_text("\n".join(lines), encoding="utf-8")
    return start + 1


def raw_html_link(src: Path) -> None:
    """Sphinx passes raw HTML through unchecked. The link check names the built page and its
    line, and the source file, but cannot know the line in the source."""
    add_paragraph(src, CHAPTER, '<a href="gotland.html">Region Gotland</a>')


def new_document(src: Path, rel: str) -> None:
    (src / rel).write_text("# Region Gotland\n\nA draft chapter.\n", encoding="utf-8")


@dataclass(frozen=True)
class Fault:
    id: str
    description: str  # as in the fault table of the contributor guide
    file: str  # the file the message must name
    message: str  # regex the first line of output must contain, after "file:line: "
    inject: Callable[[Path], int | None]  # plants the fault; returns the line to name, if any

    def __str__(self) -> str:
        return self.id


FAULTS = [
    Fault("broken-internal-link", "a link to a chapter that does not exist", CHAPTER,
          r"WARNING: 'myst' cross-reference target not found: 'gotland\.md'",
          lambda src: add_paragraph(src, CHAPTER, "See [Region Gotland](gotland.md).")),
    Fault("missing-anchor", "a link to a missing anchor in another chapter", CHAPTER,
          r"WARNING: local id not found in doc 'chapters/regions/stockholm': 'stockholm-budget'",
          lambda src: add_paragraph(src, CHAPTER, "See [its budget](stockholm.md#stockholm-budget).")),
    Fault("unknown-citation", "an unknown citation key", CHAPTER,
          r'WARNING: could not find bibtex key "gotland2025"',
          lambda src: add_paragraph(src, CHAPTER, "Gotland joined in 2025 {cite:p}`gotland2025`.")),
    Fault("malformed-bib-entry", "a malformed references.bib entry (a missing closing brace)", BIB,
          r"WARNING: BibTeX syntax error in entry '[^']+': '\}' expected \(the parser gave up at line \d+\)",
          break_bib_entry),
    Fault("missing-label", "a reference to a label that does not exist", CHAPTER,
          r"WARNING: undefined label: 'region-gotland'",
          lambda src: add_paragraph(src, CHAPTER, "See {ref}`region-gotland`.")),
    Fault("duplicate-label", "a label defined twice", OTHER_CHAPTER,
          rf"WARNING: duplicate label region-skane, other instance in {re.escape(CHAPTER)}",
          # Sphinx names the line of the labelled heading, not of the label.
          lambda src: append(src, OTHER_CHAPTER, "(region-skane)=\n## Skåne\n\nText.\n",
                             line_of="## Skåne")),
    Fault("document-not-in-toctree", "a document that is in no toctree", "chapters/regions/gotland.md",
          r"WARNING: document isn't included in any toctree",
          lambda src: new_document(src, "chapters/regions/gotland.md")),
    Fault("missing-image", "a missing image", CHAPTER,
          r"WARNING: image file not readable: _static/gotland-map\.png",
          lambda src: add_paragraph(src, CHAPTER, "![Map of Gotland](../../_static/gotland-map.png)")),
    Fault("unknown-glossary-term", "a glossary term that does not exist", CHAPTER,
          r"WARNING: term not in glossary: 'Region Gotland'",
          lambda src: add_paragraph(src, CHAPTER, "{term}`Region Gotland` is not a partner.")),
    # Found while writing these tests:
    Fault("toctree-missing-document", "a toctree entry for a document that does not exist", OVERVIEW,
          r"WARNING: toctree contains reference to nonexisting document 'chapters/regions/gotland'",
          lambda src: add_to_toctree(src, OVERVIEW, "gotland")),
    Fault("duplicate-bib-key", "two references.bib entries with the same key", BIB,
          r"WARNING: bibliography data error in references\.bib: repeated bibliography entry: \S+",
          duplicate_bib_key),
    Fault("inconsistent-gloss", "a term glossed differently from the glossary", CHAPTER,
          r"WARNING: 'regionstyrelse' is glossed '[^']*regional board' here but '[^']+' at "
          r"chapters/reference/glossary\.md:\d+; use one gloss everywhere",
          lambda src: add_paragraph(src, CHAPTER, "Region Skåne has a regional board (*{term}`regionstyrelse`*).")),
    Fault("raw-html-link", "a raw HTML link to a page that does not exist (Sphinx cannot see it)",
          CHAPTER,
          r"broken link 'gotland\.html': chapters/regions/gotland\.html does not exist",
          raw_html_link),
]


@dataclass
class FaultRun:
    lines: list[str]  # the build's warnings, then the link check's problems
    line: int | None  # the line the message must name


def build_root(src: Path) -> list[str]:
    """Build *src* in-process as `make` would (nitpicky); its warnings, paths relative to it."""
    lines, outdir = build_in_process(src, nitpicky=True)
    problems = check_site(outdir, src).problems
    return lines + [str(p) for p in problems]


def run_fault(fault: Fault | None, tmp_path: Path) -> FaultRun:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    line = fault.inject(src) if fault else None
    return FaultRun(build_root(src), line)


def test_the_unchanged_fixture_builds_and_link_checks_clean(tmp_path: Path) -> None:
    run = run_fault(None, tmp_path)
    assert run.lines == [], "the unchanged fixture fails, so the fault tests prove nothing:\n" + \
        "\n".join(run.lines)


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_fault_fails_the_build_with_a_message_naming_file_and_line(fault: Fault, tmp_path: Path) -> None:
    run = run_fault(fault, tmp_path)
    output = "\n".join(run.lines) or "(no output)"
    assert run.lines, f"{fault.description}: the build and the link check both passed"
    first = run.lines[0]
    location = f"{fault.file}:{run.line}:" if run.line else fault.file
    assert location in first, f"{fault.description}: the first line does not name {location}\n{output}"
    assert re.search(fault.message, first), \
        f"{fault.description}: unexpected first line (wanted /{fault.message}/)\n{output}"


# -- The fault that needs the catalogue -----------------------------------------------------------

CATALOGUE_ROOT = REPO / "tests" / "roots" / "catalogue"


@pytest.mark.slow  # runs sphinx-build
def test_an_unknown_front_matter_id_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    """The ids a chapter may use are the book's own chapters' (roots/catalogue: regions north and
    south); with the Makefile's options an unknown one is fatal."""
    src = tmp_path / "src"
    shutil.copytree(CATALOGUE_ROOT, src, ignore=shutil.ignore_patterns("_build"))
    chapter = "chapters/themes/health.md"
    path = src / chapter
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("regions: [south]", "regions: [gotland]", 1), encoding="utf-8")
    line = text.splitlines().index("regions: [south]") + 1
    conf = src / "conf.py"  # sphinx-build, unlike pytest, needs to be told where the extension is
    conf.write_text(f"import sys\nsys.path.insert(0, {str(REPO / '_ext')!r})\n" + conf.read_text(encoding="utf-8"),
                    encoding="utf-8")
    run = sphinx_build(src, "html", tmp_path)
    output = "\n".join(run.lines())
    assert run.returncode == 1, output  # 1: warnings as errors; 2 would be a crash
    assert run.lines()[0].startswith(f"{chapter}:{line}: WARNING: unknown region 'gotland' in 'regions'; "
                                      "known ids are north, south"), output
