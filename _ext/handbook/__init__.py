"""The handbook's own Sphinx extension.

Everything project-specific that is not configuration lives here, one concern per module:

- :mod:`handbook.pdf_edition`: the "Download PDF" link on every HTML page.
- :mod:`handbook.bibstyle`: the author–year pybtex style used for the bibliography.
"""

from sphinx.application import Sphinx

from . import bibstyle, pdf_edition


def setup(app: Sphinx) -> dict:
    bibstyle.setup(app)
    pdf_edition.setup(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
