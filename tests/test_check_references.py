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
