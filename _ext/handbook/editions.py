"""Offer the handbook's downloadable editions on every page: **Download PDF**, **Download EPUB**.

``handbook_editions`` in ``conf.py`` names each edition's file. The Makefile builds the PDF and the
EPUB first and copies them to the root of the site *before* Sphinx writes the pages, so that
every page can link them and say how large they are. This module

- measures the files in the site's output folder when the build starts (``config-inited``) and
  keeps their sizes, as readers see them ("1.2 MB"), in the config value
  ``handbook_edition_sizes``; it belongs to Sphinx's "html" rebuild category, so a build whose
  sizes differ from the last one rewrites every page (and one whose sizes read the same, as after
  most edits, does not);
- adds a labelled button per edition to sphinx-book-theme's article header, "Download PDF
  (1.2 MB)", and gives templates the list as ``handbook_downloads`` (file, label, size and the
  URL relative to the page).

In a translated edition (handbook.languages), the files are the edition's own,
``nordic-life-science-handbook-sv.pdf``: the buttons offer them, and a link in the text to an
English edition's file, such as the landing page's "Download" buttons, is pointed at the
translated edition's file (:class:`OwnEditionLinks`).

Only the site's builders (``html``, ``dirhtml``) get the buttons: the EPUB is itself an edition.
A file that is not there when the site is built (an HTML-only ``sphinx-build`` outside the
Makefile) gets a button without a size; the internal link check (``make test``) reports the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform

from .languages import _, is_translation, unsuffixed

#: Builders that write the website, whose pages offer the editions.
SITE_BUILDERS = ("html", "dirhtml")


@dataclass(frozen=True)
class Edition:
    """How the site presents one kind of edition."""

    label: str  # "PDF": the button reads "Download PDF"
    description: str  # the button's tooltip, and the 404 page's link text (a message, translated)
    icon: str  # a Font Awesome icon, drawn inline by handbook.icons


#: The kinds of edition the site knows how to offer, in the order the buttons appear.
EDITIONS = {
    "pdf": Edition("PDF", _("The whole handbook as a PDF"), "fas fa-file-pdf"),
    "epub": Edition("EPUB", _("The whole handbook as an EPUB e-book"), "fas fa-book"),
}


def readable_size(size: int) -> str:
    """A file size as download lists show it, in decimal units: '950 B', '118 kB', '1.2 MB'."""
    if size < 1000:
        return f"{size} B"
    kilobytes = round(size / 1000)
    if kilobytes < 1000:
        return f"{kilobytes} kB"
    return f"{size / 1_000_000:.1f} MB"


def edition_files(config: Config) -> dict[str, str]:
    """``{kind: file name}`` of every edition in ``handbook_editions``, in the order of EDITIONS."""
    unknown = set(config.handbook_editions) - set(EDITIONS)
    if unknown:
        raise ValueError(f"handbook_editions: unknown kinds {sorted(unknown)}; known: {sorted(EDITIONS)}")
    return {kind: config.handbook_editions[kind] for kind in EDITIONS if kind in config.handbook_editions}


def measure_editions(app: Sphinx, config: Config) -> None:
    """Record the size of each edition file at the site's root, as built by the Makefile."""
    sizes = {}
    for kind, name in edition_files(config).items():
        path = Path(app.outdir) / name
        if path.is_file():
            sizes[kind] = readable_size(path.stat().st_size)
    config.handbook_edition_sizes = sizes


def downloads(app: Sphinx, pathto) -> list[dict]:
    """The editions as templates see them: kind, file, label, description, size, url."""
    sizes = app.config.handbook_edition_sizes
    return [{"kind": kind, "file": name, "label": EDITIONS[kind].label,
             "description": str(EDITIONS[kind].description), "icon": EDITIONS[kind].icon,
             "size": sizes.get(kind), "url": pathto(name, 1)}
            for kind, name in edition_files(app.config).items()]


def button(download: dict) -> dict:
    """A sphinx-book-theme header button for one edition: 'Download PDF (1.2 MB)'.

    The size is in a span of its own, so that narrow screens can put it on a line of its own.
    """
    size = f" ({download['size']})" if download["size"] else ""
    text = Markup(_("Download {edition}")).format(edition=download["label"])
    if download["size"]:
        text += Markup(' <span class="handbook-download-size">({})</span>').format(download["size"])
    return {
        "type": "link",
        "url": download["url"],
        "text": text,
        "tooltip": f"{download['description']}{size}",
        "icon": download["icon"],
        "label": f"download-{download['kind']}-button",
    }


def add_download_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put a Download button per edition first among the header buttons of the page being written."""
    if app.builder.name not in SITE_BUILDERS:
        return
    context["handbook_downloads"] = offered = downloads(app, context["pathto"])
    buttons = context.get("header_buttons")
    if buttons is not None:
        buttons[0:0] = [button(download) for download in offered]


class OwnEditionLinks(SphinxTransform):
    """In a translated edition, a link to an edition's file in the source language leads to the
    translated edition's file: "nordic-life-science-handbook.pdf" -> "…-sv.pdf".

    The pages' links to the files (``{button-link}`` on the landing page) are written in English,
    and a directive's target is not a message that a translator can change.
    """

    default_priority = 500

    def apply(self, **kwargs) -> None:
        if not is_translation(self.config):
            return
        own = {unsuffixed(name, self.config.language): name for name in edition_files(self.config).values()}
        for reference in self.document.findall(nodes.reference):
            folder, slash, name = reference.get("refuri", "").rpartition("/")
            if name in own and (not folder or set(folder.split("/")) == {".."}):  # at the site's root
                reference["refuri"] = f"{folder}{slash}{own[name]}"


def setup(app: Sphinx) -> dict:
    app.add_config_value("handbook_editions", {}, "html", types=[dict])
    # Set when the build starts, not in conf.py: the sizes of the files handbook_editions names.
    app.add_config_value("handbook_edition_sizes", {}, "html", types=[dict])
    app.connect("config-inited", measure_editions)
    app.add_transform(OwnEditionLinks)
    # After sphinx-book-theme (priority 501) has prepared and filled the header buttons.
    app.connect("html-page-context", add_download_buttons, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
