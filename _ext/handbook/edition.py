"""Name the edition after the sources it was built from.

The PDF's title page prints an edition and a date. Both come from the sources, never from the
clock, so that building the same commit twice gives the same book: the date is
``SOURCE_DATE_EPOCH`` when set (the Makefile sets it to the last commit's time), otherwise the
last commit's date; the edition is that date plus the short commit hash. A ``release`` set in
conf.py wins, and outside a git checkout with no ``SOURCE_DATE_EPOCH`` the edition is left blank.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .dates import Day, written


def git(srcdir: Path, *args: str) -> str | None:
    """Output of a git command in *srcdir*, or None outside a checkout or without git."""
    try:
        result = subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip() or None


def source_date(srcdir: Path, environ=os.environ) -> datetime | None:
    """The date the sources stand at: SOURCE_DATE_EPOCH, else the last commit's time."""
    epoch = environ.get("SOURCE_DATE_EPOCH") or git(srcdir, "log", "-1", "--format=%ct")
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch else None


def edition_name(date: datetime, commit: str | None) -> str:
    """'2026.11.22 (a3234b9)': sortable, and traceable to the commit."""
    name = date.strftime("%Y.%m.%d")
    return f"{name} ({commit})" if commit else name


def set_edition(app: Sphinx, config: Config) -> None:
    if config.release:
        return
    date = source_date(Path(app.srcdir))
    if date is None:
        return
    config.release = config.version = edition_name(date, git(Path(app.srcdir), "rev-parse", "--short", "HEAD"))
    # As every date in the book is written: "1 December 2026", in Swedish "1 december 2026".
    config.today = written(Day(date.year, date.month, date.day), config.language)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", set_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
