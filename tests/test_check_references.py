"""tools/check_references.py: the fields every source needs, checked before commit (pre-commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

GOOD = """@misc{skane2012tianjin,
  author = {{Region Skåne}}, title = {Originaltitel}, titleaddon = {Original title},
  year = {2012}, month = nov, date = {2012-11}, type = {Press release}, language = {Swedish},
}
"""


def check(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    bib = tmp_path / "references.bib"
    bib.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, str(REPO / "tools" / "check_references.py"), str(bib)],
                          capture_output=True, text=True)


def test_the_handbooks_references_pass() -> None:
    result = subprocess.run([sys.executable, "tools/check_references.py", "references.bib"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_good_entry_passes(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD).returncode == 0


@pytest.mark.parametrize(("change", "message"), [
    (("titleaddon = {Original title},", ""), "missing field 'titleaddon'"),
    (("language = {Swedish}", "language = {sv}"), "language 'sv' should be one of"),
    (("date = {2012-11}", "date = {2012-13}"), "date '2012-13' is not a calendar date"),
    (("date = {2012-11}", "date = {November 2012}"), "date 'November 2012' must be YYYY, YYYY-MM or YYYY-MM-DD"),
    (("month = nov", "month = dec"), "month 'December' disagrees with date '2012-11'"),
    (("date = {2012-11}", "date = {2012-11-23}"), "day '' disagrees with date '2012-11-23'"),
    (("type = {Press release},", "type = {Press release}, url = {www.example.org},"), "url must start with"),
    (("author = {{Region Skåne}},", ""), "missing 'author'"),
])
def test_each_missing_or_wrong_field_is_reported_with_file_and_line(tmp_path: Path, change, message) -> None:
    result = check(tmp_path, GOOD.replace(*change))
    assert result.returncode == 1
    assert f"references.bib:1: skane2012tianjin: {message}" in result.stderr, result.stderr


def test_syntax_errors_and_repeated_keys_are_reported_not_raised(tmp_path: Path) -> None:
    broken = GOOD.replace("skane2012tianjin", "skane2013tianjin").replace("{Originaltitel},", "{Originaltitel}")
    result = check(tmp_path, GOOD + broken + GOOD)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "references.bib:5: BibTeX syntax error in entry 'skane2013tianjin'" in result.stderr, result.stderr
    assert "references.bib: repeated bibliography entry: skane2012tianjin" in result.stderr, result.stderr


def test_the_check_needs_pybtex_only(tmp_path: Path) -> None:
    """The pre-commit hook installs pybtex alone: importing Sphinx or docutils would break it."""
    blocker = ("import runpy, sys\n"
               "class Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name.split('.')[0] in {'sphinx', 'docutils', 'yaml'}:\n"
               "            raise ImportError(name)\n"
               "sys.meta_path.insert(0, Block())\n"
               "sys.argv = sys.argv[1:]\n"
               "runpy.run_path(sys.argv[0], run_name='__main__')\n")
    (tmp_path / "references.bib").write_text(GOOD, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", blocker, str(REPO / "tools" / "check_references.py"),
                             str(tmp_path / "references.bib")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
