"""Link every HTML page to the PDF edition.

The PDF is built by the PDF builder (handbook.pdf_builder) and copied to the root of the HTML
site by the Makefile, under the file name ``handbook_pdf_file`` of conf.py.
This module adds a labelled "Download PDF" button to sphinx-book-theme's article header and
exposes ``pdf_edition_url`` (relative to the page) to templates.
"""

from sphinx.application import Sphinx
from sphinx.config import Config


def pdf_file_name(config: Config) -> str:
    """Return the PDF's file name, ``handbook_pdf_file`` in conf.py."""
    return config.handbook_pdf_file


def add_pdf_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Append the Download PDF button to the header buttons of the page being written."""
    if app.builder.format != "html":
        return
    url = context["pathto"](pdf_file_name(app.config), 1)
    context["pdf_edition_url"] = url
    buttons = context.get("header_buttons")
    if buttons is not None:
        buttons.insert(
            0,
            {
                "type": "link",
                "url": url,
                "text": "Download PDF",
                "tooltip": "Download the whole handbook as a PDF",
                "icon": "fas fa-file-pdf",
                "label": "download-pdf-button",
            },
        )


def setup(app: Sphinx) -> dict:
    # After sphinx-book-theme (priority 501) has prepared and filled the header buttons.
    app.connect("html-page-context", add_pdf_button, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
