"""Source notes: ``{source-note} key`` shows one references.bib entry and where the book cites it.

The note lists the entry's metadata and links back to every section that cites the source; the
abstract is the prose written below the directive on the source's page. The sections that cite
each source are collected as the pages are read (``env.handbook_cites``; the matrix uses them
too).

The entry's prose fields (:data:`PROSE_FIELDS`, English in references.bib) are paragraphs inside
the directive's placeholder, so that they are messages of the note page's catalogue: the gettext
builder extracts them, and a translated edition keeps them translated
(``env.handbook_source_texts``) for the bibliography (:mod:`handbook.bibstyle`).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .. import bibfile
from ..bibstyle import entry_kind, language_name, translated_title
from ..catalogue import joined
from ..dates import parse_date, written
from ..languages import _, is_translation
from .names import split_ids
from .nodes import enclosing_section, paragraph, view_directive, view_node

logger = logging.getLogger(__name__)

VIEW_KINDS = {"view", "source-note"}  # pages made of views; they do not count as citing pages
#: Fields of a references.bib entry that are English prose the bibliography shows: the title's
#: translation and the note.
PROSE_FIELDS = ("titleaddon", "note")


class SourceNoteDirective(view_directive("source-note", takes_key=True)):
    """``{source-note} key``; notes which sources have a note (``env.handbook_notes``), and
    carries the entry's prose fields as messages of the page (see the module)."""

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        self.env.handbook_notes.setdefault(self.env.docname, set()).add(key)
        placeholder = super().run()
        entry = bib_entries(self.env).get(key)
        for name in PROSE_FIELDS if entry is not None else ():
            text = " ".join(entry.fields.get(name, "").split())
            if text:
                para = nodes.paragraph(text, text, handbook_field=name)
                self.set_source_info(para)
                placeholder[0] += para
        return placeholder


def collect_source_texts(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the prose fields of each source noted on the page, as the edition's
    language has them, in ``env.handbook_source_texts`` (page -> key -> field -> text)."""
    for placeholder in doctree.findall(view_node):
        if placeholder["view"] != "source-note":
            continue
        for para in placeholder.findall(nodes.paragraph):
            texts = app.env.handbook_source_texts.setdefault(app.env.docname, {})
            texts.setdefault(placeholder["key"], {})[para["handbook_field"]] = " ".join(para.astext().split())


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
    language = fill.env.config.language
    publisher = joined([str(p).strip("{}") for p in entry.persons.get("author", [])])
    try:
        when = written(parse_date(fields.get("date", "")), language)
    except ValueError:
        when = fields.get("date", "")
    if is_translation(fill.env.config):  # the title in the edition's language, if it is not the original's
        translation = translated_title(entry, language)
        title_rows = [(_("Title in translation"), translation)] if translation else []
    else:
        title_rows = [(_("English title"), fields.get("titleaddon", ""))]
    rows = [(_("Publisher"), publisher), (_("Original title"), fields.get("title", "")), *title_rows,
            (_("Date"), when), (_("Language"), language_name(fields.get("language", ""), language)),
            (_("Kind"), entry_kind(fields.get("type", "")))]
    field_list = nodes.field_list(classes=["source-note"])
    for name, value in rows:
        field_list += nodes.field("", nodes.field_name(text=str(name)),
                                  nodes.field_body("", paragraph(value.strip("{}"))))
    url = fields.get("url")
    body = paragraph(nodes.reference("", url, refuri=url)) if url else paragraph(_("not known"))
    field_list += nodes.field("", nodes.field_name(text=str(_("Web address"))), nodes.field_body("", body))
    citing = citing_sections(fill.env, key)
    backlinks = nodes.bullet_list()
    for doc, section_id, section_title in citing:
        chapter = fill.title(doc)
        text = (chapter if section_title in {"", chapter}
                else _("{chapter}: {section}").format(chapter=chapter, section=section_title))
        backlinks += nodes.list_item("", paragraph(fill.link(docname, doc, section_id, text)))
    heading = (_("Cited in one section of the handbook:") if len(citing) == 1
               else _("Cited in {count} sections of the handbook:").format(count=len(citing)))
    return [field_list, paragraph(nodes.strong(text=heading)), backlinks]


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
