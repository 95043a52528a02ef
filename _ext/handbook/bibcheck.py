"""Report BibTeX syntax errors in the bibliography files as ordinary warnings, with file and line.

Left alone, a syntax error in ``references.bib`` (a missing brace or comma) makes
sphinxcontrib-bibtex stop the build with "Extension error (sphinxcontrib.bibtex)!", a traceback
and a request to report a bug in Sphinx; the message names neither the file nor the entry.

This module reads each file in ``bibtex_bibfiles`` first (with :mod:`handbook.bibfile`) and logs
every syntax error as a warning located at the start of the broken entry::

    references.bib:32: WARNING: BibTeX syntax error in entry 'vgr2021lifescience': '}' expected
    (the parser gave up at line 46) [bibtex.syntax_error]

It then lets sphinxcontrib-bibtex parse the file leniently (it keeps what it could read of the
broken entry instead of crashing), so that the build carries on and ``-W`` fails it with every
problem listed.
"""

from __future__ import annotations

from pathlib import Path

import pybtex.errors
from sphinx.application import Sphinx
from sphinx.util import logging

from . import bibfile

logger = logging.getLogger(__name__)

#: sphinxcontrib-bibtex parses the bib files in a builder-inited handler at the default priority.
BIBTEX_PRIORITY = 500

_capturing = False  # whether check_bibfiles switched pybtex to capturing errors


def check_bibfiles(app: Sphinx) -> None:
    """Log each syntax error; if there are any, make pybtex collect errors instead of raising."""
    global _capturing
    found = False
    for name in app.config.bibtex_bibfiles:
        path = Path(app.srcdir, name)
        if not path.is_file():
            continue  # sphinxcontrib-bibtex reports a missing file itself
        for line, message in bibfile.read(path, app.config.bibtex_encoding).syntax_errors:
            found = True
            logger.warning(message, location=f"{path}:{line}", type="bibtex", subtype="syntax_error")
    if found:
        # While pybtex captures errors it neither raises nor prints them, so sphinxcontrib-bibtex's
        # parse (the next handler) keeps what it can read; the errors were reported above.
        pybtex.errors.captured_errors, _capturing = [], True


def stop_capturing(app: Sphinx) -> None:
    global _capturing
    if _capturing:
        pybtex.errors.captured_errors, _capturing = None, False


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", check_bibfiles, priority=BIBTEX_PRIORITY - 1)
    app.connect("builder-inited", stop_capturing, priority=BIBTEX_PRIORITY + 1)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
