"""Source notes: ``{source-note} key`` shows one references.bib entry and where the book cites it.

The note lists the entry's metadata and links back to every section that cites the source; the
abstract is the prose written below the directive on the source's page. The sections that cite
each source are collected as the pages are read (``env.handbook_cites``; the matrix uses them
too).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .. import bibfile
from ..dates import parse_date
from .names import split_ids
from .nodes import enclosing_section, paragraph, view_directive, view_node

logger = logging.getLogger(__name__)

VIEW_KINDS = {"view", "source-note"}  # pages made of views; they do not count as citing pages


class SourceNoteDirective(view_directive("source-note", takes_key=True)):
    """``{source-note} key``; notes which sources have a note (``env.handbook_notes``)."""

    def run(self) -> list[nodes.Node]:
        self.env.handbook_notes.setdefault(self.env.docname, set()).add(self.arguments[0])
        return super().run()


def collect_citations(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note each (key, section id, section title) the page cites, in reading
    order, in ``env.handbook_cites``."""
    env, docname = app.env, app.env.docname
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "cite":
            section_id, section_title = enclosing_section(xref)
            cites = env.handbook_cites.setdefault(docname, [])
            for key in split_ids(xref["reftarget"]):
                if (key, section_id, section_title) not in cites:
                    cites.append((key, section_id, section_title))


def bib_entries(env: BuildEnvironment) -> dict:
    """The entries of the project's .bib file (read once per version of the file)."""
    config = env.config
    return bibfile.read(Path(env.srcdir) / config.bibtex_bibfiles[0], config.bibtex_encoding).entries


def build_source_note(fill, docname: str, node: view_node) -> list[nodes.Node]:
    """The entry's fields, then a link to every section that cites it. *fill* is the FillViews
    transform."""
    key = node["key"]
    entry = bib_entries(fill.env).get(key)
    if entry is None:
        logger.warning(f"source-note: no entry '{key}' in references.bib", location=node,
                       type="handbook", subtype="views")
        return []
    fields = entry.fields
    publisher = " and ".join(str(p).strip("{}") for p in entry.persons.get("author", []))
    try:
        when = str(parse_date(fields.get("date", "")))
    except ValueError:
        when = fields.get("date", "")
    rows = [("Publisher", publisher), ("Original title", fields.get("title", "")),
            ("English title", fields.get("titleaddon", "")), ("Date", when),
            ("Language", fields.get("language", "")), ("Kind", fields.get("type", ""))]
    field_list = nodes.field_list(classes=["source-note"])
    for name, value in rows:
        field_list += nodes.field("", nodes.field_name(text=name),
                                  nodes.field_body("", paragraph(value.strip("{}"))))
    url = fields.get("url")
    body = paragraph(nodes.reference("", url, refuri=url)) if url else paragraph("not known")
    field_list += nodes.field("", nodes.field_name(text="Web address"), nodes.field_body("", body))
    citing = citing_sections(fill.env, key)
    backlinks = nodes.bullet_list()
    for doc, section_id, section_title in citing:
        chapter = fill.title(doc)
        text = chapter if section_title in {"", chapter} else f"{chapter}: {section_title}"
        backlinks += nodes.list_item("", paragraph(fill.link(docname, doc, section_id, text)))
    heading = paragraph(nodes.strong(text=f"Cited in {len(citing)} sections of the handbook:"))
    return [field_list, heading, backlinks]


def citing_sections(env: BuildEnvironment, key: str) -> list[tuple[str, str, str]]:
    """Every section outside the view pages that cites *key*, in reading order."""
    found = []
    for doc in reading_order(env):
        if env.handbook_front_matter.get(doc, {}).get("kind") in VIEW_KINDS:
            continue
        for k, sid, title in env.handbook_cites.get(doc, []):
            if k == key and (doc, sid, title) not in found:
                found.append((doc, sid, title))
    return found


def reading_order(env: BuildEnvironment) -> list[str]:
    """Docnames in the order of the book (depth-first through the toctrees)."""
    seen: list[str] = []

    def walk(doc: str) -> None:
        if doc in seen:
            return
        seen.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)
    walk(env.config.root_doc)
    return seen
