"""BibTeX syntax errors, located at the broken entry (handbook.bibfile, reported by handbook.bibcheck)."""

from __future__ import annotations

from pathlib import Path

import pybtex.errors

from handbook import bibfile

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


def syntax_errors(path: Path) -> list[tuple[int, str]]:
    return bibfile.read(path).syntax_errors


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


def test_a_repeated_key_is_kept_as_a_data_error(tmp_path: Path) -> None:
    read = bibfile.read(bib(tmp_path, ENTRY.format(key="a2012x"), ENTRY.format(key="a2012x")))
    assert read.data_errors == ["repeated bibliography entry: a2012x"] and list(read.entries) == ["a2012x"]


def test_each_entry_is_read_with_the_line_of_its_at_sign(tmp_path: Path) -> None:
    read = bibfile.read(bib(tmp_path, ENTRY.format(key="a2012x"), ENTRY.format(key="b2012x")))
    assert list(read.entries) == ["a2012x", "b2012x"] and read.lines == {"a2012x": 3, "b2012x": 10}
    assert read.entries["b2012x"].fields["title"] == "Titles"


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = bib(tmp_path, ENTRY.format(key="a2012x"))
    assert list(bibfile.read(path).entries) == ["a2012x"]
    path.write_text(path.read_text(encoding="utf-8") + ENTRY.format(key="b2012x"), encoding="utf-8")
    assert list(bibfile.read(path).entries) == ["a2012x", "b2012x"]
