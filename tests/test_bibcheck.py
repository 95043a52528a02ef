"""Unit tests of handbook.bibcheck: BibTeX syntax errors, located at the broken entry."""

from __future__ import annotations

from pathlib import Path

import pybtex.errors

from handbook.bibcheck import syntax_errors

ENTRY = """@misc{{{key},
  author = {{{{Region Skåne}}}},
  title  = {{Titles}},
  year   = {{2012}},
  type   = {{Press release}},
}}
"""


def bib(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "references.bib"
    path.write_text("% comment line\n\n" + "\n".join(entries), encoding="utf-8")
    return path


def test_a_valid_file_has_no_syntax_errors(tmp_path: Path) -> None:
    assert syntax_errors(bib(tmp_path, ENTRY.format(key="a2012x"), ENTRY.format(key="b2012x"))) == []


def test_a_missing_closing_brace_is_reported_at_the_entry(tmp_path: Path) -> None:
    broken = ENTRY.format(key="b2012x").replace("{2012},", "{2012,")
    [(line, message)] = syntax_errors(bib(tmp_path, ENTRY.format(key="a2012x"), broken))
    assert line == 10  # 2 header lines + 7 lines of the first entry + 1
    # The value swallows the rest of the file, so the parser only notices at its end.
    assert message.startswith("BibTeX syntax error in entry 'b2012x': premature end of file")


def test_a_missing_comma_is_reported_at_the_entry(tmp_path: Path) -> None:
    broken = ENTRY.format(key="a2012x").replace("{Titles},", "{Titles}")
    [(line, message)] = syntax_errors(bib(tmp_path, broken))
    assert line == 3
    assert "entry 'a2012x'" in message and "the parser gave up at line 6" in message


def test_every_broken_entry_is_reported(tmp_path: Path) -> None:
    broken = [ENTRY.format(key=k).replace("{Titles},", "{Titles}") for k in ("a2012x", "b2012x")]
    assert [line for line, _ in syntax_errors(bib(tmp_path, *broken))] == [3, 10]


def test_a_repeated_key_is_left_to_sphinxcontrib_bibtex(tmp_path: Path) -> None:
    assert syntax_errors(bib(tmp_path, ENTRY.format(key="a2012x"), ENTRY.format(key="a2012x"))) == []


def test_pybtex_raises_again_after_the_check(tmp_path: Path) -> None:
    broken = ENTRY.format(key="a2012x").replace("{Titles},", "{Titles}")
    syntax_errors(bib(tmp_path, broken))
    assert pybtex.errors.captured_errors is None and pybtex.errors.strict
