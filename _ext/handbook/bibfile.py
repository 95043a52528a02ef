"""references.bib, read once: its entries, the line each starts on, and its errors.

The one reader of the handbook's BibTeX files, for the extension (:mod:`handbook.bibcheck`,
:mod:`handbook.views`) and the tools (``tools/check_references.py``,
``tools/fingerprint_sources.py``). sphinxcontrib-bibtex still parses the files for itself, as it
must to render citations.

The file is parsed leniently: a syntax error or a repeated key does not raise but is kept in
:attr:`BibFile.syntax_errors` or :attr:`BibFile.data_errors`, and what pybtex could read of the
rest is kept too, so that every caller can report all problems at once. A syntax error is located
at the line of the broken entry's ``@``, where a writer looks, rather than where the parser gave
up (often the end of the file).

Only pybtex is needed (not Sphinx): the pre-commit hook runs ``tools/check_references.py`` with
pybtex alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pybtex.errors
from pybtex.database import Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

#: "@misc{skane2012tianjin," -> skane2012tianjin
ENTRY_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")


@dataclass(frozen=True)
class BibFile:
    """What one .bib file holds, as pybtex reads it."""

    path: Path
    entries: dict[str, Entry]  # key -> entry, in the file's order
    lines: dict[str, int]  # key -> the line of its "@" (the first, for a repeated key)
    syntax_errors: list[tuple[int, str]]  # (line of the broken entry, message)
    data_errors: list[str]  # such as a repeated key; sphinxcontrib-bibtex reports these in a build


def read(path: Path | str, encoding: str = "utf-8") -> BibFile:
    """The entries and errors of the file at *path*, parsed once per version of its text.

    The result is shared between callers: read it, do not change it."""
    path = Path(path)
    return _parse(path, path.read_text(encoding=encoding), encoding)


@lru_cache(maxsize=8)
def _parse(path: Path, text: str, encoding: str) -> BibFile:
    saved = pybtex.errors.captured_errors
    try:
        with pybtex.errors.capture() as captured:
            data = Parser(encoding=encoding).parse_string(text)
    finally:
        # capture() leaves pybtex raising again; restore what a caller (handbook.bibcheck) set.
        pybtex.errors.captured_errors = saved
    syntax_errors, data_errors = [], []
    for error in captured:
        if isinstance(error, PybtexSyntaxError):
            syntax_errors.append(located(text, error))
        else:
            data_errors.append(str(error))
    lines: dict[str, int] = {}
    for match in ENTRY_KEY.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return BibFile(path, dict(data.entries), lines, syntax_errors, data_errors)


def located(text: str, error: PybtexSyntaxError) -> tuple[int, str]:
    """The line of the entry *error* arose in, and a message naming the entry."""
    start = error.error_context_info[0] or 0  # where the entry's "@" is, when the error arose
    key = ENTRY_KEY.match(text, start)
    entry = f"entry {key.group(1)!r}" if key else "the entry"
    message = str(error).split(": ", 1)[-1]  # "syntax error in line 46: '}' expected"
    return (text.count("\n", 0, start) + 1,
            f"BibTeX syntax error in {entry}: {message} (the parser gave up at line {error.lineno})")
