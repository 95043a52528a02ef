"""Checks across the chapters, when every page has been read (``env-check-consistency``).

Reported as warnings (so ``-W`` fails the build): a theme listed in a chapter's front matter without a link both ways; a matrix cell promised by
front matter whose section is missing; a source without a note; an event citing an unknown
source. The links of each page are collected as it is read (``env.handbook_links``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .names import ids, theme_chapters
from .source_notes import bib_entries

logger = logging.getLogger(__name__)


def collect_links(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note the page's links to labels and documents in ``env.handbook_links``."""
    env, docname = app.env, app.env.docname
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") != "cite" and xref.get("reftype") in {"ref", "doc", "myst"}:
            env.handbook_links.setdefault(docname, set()).add((xref["reftype"], xref["reftarget"]))


def check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Report theme links that go one way, sources without a note,
    and matrix cells promised by front matter but missing their section."""
    warn = lambda message, location=None: logger.warning(  # noqa: E731
        message, location=location, type="handbook", subtype="views")
    meta = env.handbook_front_matter
    if not any(m.get("kind") == "theme" for m in meta.values()):
        return  # not the handbook (a test project, say): nothing to check against
    labels = env.domains.standard_domain.labels
    theme_docs = theme_chapters(meta)

    def links(doc: str) -> set[str]:
        found = set()
        for reftype, target in env.handbook_links.get(doc, set()):
            if reftype == "ref" and target in labels:
                found.add(labels[target][0])
            elif reftype in {"doc", "myst"}:
                found.add(target.removesuffix(".md").lstrip("/"))
        return found
    for doc, m in meta.items():
        if m.get("kind") not in {"region", "partner"}:
            continue
        for theme in ids(m, "themes"):
            theme_doc = theme_docs.get(theme)
            if theme_doc is None:
                continue
            if theme_doc not in links(doc):
                warn(f"the front matter lists theme '{theme}' but the page does not link "
                     f"{theme_doc}", location=(doc, 1))
            if doc not in links(theme_doc):
                warn(f"{doc} lists theme '{theme}' in its front matter, but the theme chapter "
                     "does not link it", location=(theme_doc, 1))
            region = (ids(m, "regions") or [None])[0]
            if m.get("kind") == "region" and f"{theme}-{region}" not in labels:
                warn(f"no section labelled '({theme}-{region})=' in {theme_doc} for the region "
                     "× theme matrix", location=(theme_doc, 1))
    sources = bib_entries(env)
    noted = set().union(*env.handbook_notes.values()) if env.handbook_notes else set()
    for key in sorted(set(sources) - noted):
        warn(f"source '{key}' has no source-notes page; add chapters/reference/sources/{key}.md")
    for doc, events in env.handbook_events.items():
        for event in events:
            for key in event.cite:
                if key not in sources:
                    warn(f"event cites unknown source '{key}'", location=(doc, 1))
