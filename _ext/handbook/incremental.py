"""Incremental HTML builds that always equal a clean build.

Sphinx re-reads and rewrites only the documents whose sources changed. That is fast, but a page
also shows things that come from *other* documents: the navigation sidebar, previous/next links
and cross-reference texts show other pages' titles and headings, and the "Sources" lists and the
bibliography depend on which document cites what. Left alone, an incremental build keeps stale
sidebars after a title change and stale bibliographies after a new citation.

This module records, in the build environment, a summary of everything that crosses page
boundaries (:func:`site_summary`). After each read it compares the new summary with the one
stored by the previous build and asks Sphinx to rewrite (not re-read) every page the difference
can show on (:func:`pages_to_rewrite`):

- navigation (titles, headings, toctrees, section and figure numbers), labels and glossary
  terms, front matter, or what the handbook's own modules collect across pages (any
  ``env.handbook_*`` attribute, such as handbook.views' events and citing sections) changed:
  every page, since every page's sidebar shows the navigation and any page may show the rest;
- citations changed (which entries a bibliography lists, their labels and anchors): the pages
  that hold an affected bibliography and the pages that cite an affected key.

An ordinary edit of a chapter's text changes none of these, so only that page is rewritten:
not even the pages whose toctrees list it, which Sphinx rewrites in case the page's title
changed (:func:`skip_unchanged_toctree_parents`); a title change rewrites every page anyway.
Pages of documents that were deleted are removed from the output, as a clean build has none.
And the search index keeps the index entries (glossary terms) of the pages not written this
time, which Sphinx's own incremental build drops (:func:`restore_index_entries`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.search import js_index
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Attribute of the (pickled) build environment that holds the previous build's summary.
ATTRIBUTE = "handbook_site_summary"

#: Metadata that changes with any edit and is shown on no other page.
VOLATILE_METADATA = {"wordcount"}


def canonical(value: Any) -> Any:
    """*value* with every dict and set in sorted order, so equal contents give equal reprs."""
    if isinstance(value, dict):
        return sorted(((repr(canonical(k)), canonical(v)) for k, v in value.items()), key=lambda kv: kv[0])
    if isinstance(value, (set, frozenset)):
        return sorted(repr(canonical(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def digest(value: Any) -> str:
    """A short stable fingerprint of *value*: the same contents, in any order, give the same."""
    return hashlib.sha256(repr(canonical(value)).encode("utf-8")).hexdigest()[:16]


def shown_metadata(meta: dict) -> dict:
    """A page's metadata without what no other page shows: the word count, and the line
    numbers of MyST's heading slugs (their ids and titles, which links use, are kept)."""
    shown = {k: v for k, v in meta.items() if k not in VOLATILE_METADATA}
    slugs = shown.get("myst_slugs")
    if isinstance(slugs, dict):
        shown["myst_slugs"] = {slug: tuple(value)[1:] if isinstance(value, (tuple, list)) else value
                               for slug, value in slugs.items()}
    return shown


def navigation_summary(env: BuildEnvironment) -> dict[str, str]:
    """Everything that appears on pages other than its own document's: a fingerprint per kind."""
    std = env.domaindata.get("std", {})
    parts = {
        "docs": sorted(env.all_docs),
        "titles": {doc: node.astext() for doc, node in env.titles.items()},
        "longtitles": {doc: node.astext() for doc, node in env.longtitles.items()},
        "tocs": {doc: node.pformat() for doc, node in env.tocs.items()},
        "toctrees": {doc: list(children) for doc, children in env.toctree_includes.items()},
        "secnumbers": dict(env.toc_secnumbers),
        "fignumbers": dict(env.toc_fignumbers),
        "labels": dict(std.get("labels", {})),
        "anonlabels": dict(std.get("anonlabels", {})),
        "objects": dict(std.get("objects", {})),
        # Front matter (summaries, regions, themes) may be shown on overview pages; MyST's word
        # count changes with every edit and is shown nowhere.
        "metadata": {doc: shown_metadata(meta) for doc, meta in env.metadata.items()},
        # What this extension's modules collect across pages (handbook.views: events, citing
        # sections, links, source notes) is kept in env.handbook_* by convention.
        "extension": {name: value for name, value in vars(env).items()
                      if name.startswith("handbook_") and name != ATTRIBUTE},
    }
    return {name: digest(value) for name, value in parts.items()}


def citation_summary(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """Per cited key: where each bibliography lists it, with its label and anchor."""
    domain = env.domaindata.get("cite")
    if not domain:
        return {}
    entries: dict[str, list] = defaultdict(list)
    for citation in domain.get("citations", []):
        key = citation.bibliography_key
        entries[citation.key].append(
            (key.docname, key.id_, citation.citation_id, citation.formatted_entry.label)
        )
    return {key: digest(sorted(value)) for key, value in entries.items()}


def citing_documents(env: BuildEnvironment) -> dict[str, set[str]]:
    """Per cited key, the documents that cite it."""
    domain = env.domaindata.get("cite")
    docs: dict[str, set[str]] = defaultdict(set)
    for ref in (domain or {}).get("citation_refs", []):
        for target in ref.targets:
            docs[target.key].add(ref.docname)
    return docs


def bibliography_documents(env: BuildEnvironment) -> dict[str, set[str]]:
    """Per cited key, the documents whose bibliographies list it."""
    domain = env.domaindata.get("cite")
    docs: dict[str, set[str]] = defaultdict(set)
    for citation in (domain or {}).get("citations", []):
        docs[citation.key].add(citation.bibliography_key.docname)
    return docs


def site_summary(env: BuildEnvironment) -> dict[str, Any]:
    """The summary stored in the environment and compared between builds."""
    return {
        "navigation": navigation_summary(env),
        "citations": citation_summary(env),
        "bibliographies": {k: sorted(v) for k, v in bibliography_documents(env).items()},
    }


def navigation_changed(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether anything shown across pages (titles, headings, toctrees, labels…) changed."""
    return old is None or old.get("navigation") != new["navigation"]


def pages_to_rewrite(old: dict[str, Any] | None, new: dict[str, Any], env: BuildEnvironment) -> set[str]:
    """Documents to write again because something they show from other documents changed."""
    if old is None:  # a fresh environment: Sphinx writes every page anyway
        return set()
    if navigation_changed(old, new):
        old_navigation = old.get("navigation", {})
        logger.info("handbook.incremental: changed since the last build: %s",
                    ", ".join(sorted(name for name, value in new["navigation"].items()
                                     if old_navigation.get(name) != value)))
        return set(env.all_docs)
    old_citations, new_citations = old.get("citations", {}), new["citations"]
    changed = {key for key in old_citations.keys() | new_citations.keys()
               if old_citations.get(key) != new_citations.get(key)}
    if not changed:
        return set()
    citing = citing_documents(env)
    old_bibs, new_bibs = old.get("bibliographies", {}), new["bibliographies"]
    pages: set[str] = set()
    for key in changed:
        pages |= citing.get(key, set()) | set(old_bibs.get(key, ())) | set(new_bibs.get(key, ()))
    return pages & set(env.all_docs)


def env_get_updated(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """Compare this build's summary with the previous one; return the pages to rewrite."""
    new = site_summary(env)
    old = getattr(env, ATTRIBUTE, None)
    pages = pages_to_rewrite(old, new, env)
    setattr(env, ATTRIBUTE, new)
    if app.builder is not None:  # read by skip_unchanged_toctree_parents, in this build only
        app.builder.handbook_navigation_changed = navigation_changed(old, new)
    if pages:
        logger.info("handbook.incremental: %d page(s) show changed titles, navigation or "
                    "citations and are rewritten", len(pages))
    return sorted(pages)


def env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                     removed: set[str]) -> list[str]:
    """Delete the output pages of deleted documents, as a clean build would not have them."""
    builder = app.builder
    if removed and builder is not None and builder.format == "html":
        for docname in removed:
            target = Path(builder.get_outfilename(docname))
            if target.is_file():
                target.unlink()
    return []


def skip_unchanged_toctree_parents(app: Sphinx, builder) -> None:
    """Do not rewrite the pages whose toctrees list a changed page, when no navigation changed.

    Sphinx adds them to every incremental write (``env.files_to_rebuild``) because their
    toctrees show the changed page's title and headings. Those are part of the navigation
    summary, and when it changed every page is rewritten anyway; when it did not, the parents'
    pages would come out byte for byte the same. The mapping is set aside for the write only
    (the environment was saved before) and put back when the build finishes.
    """
    if builder.format != "html" or getattr(builder, "handbook_navigation_changed", True):
        return
    builder.handbook_files_to_rebuild = builder.env.files_to_rebuild
    builder.env.files_to_rebuild = {}


def restore_files_to_rebuild(app: Sphinx, exception: Exception | None) -> None:
    builder = app.builder
    saved = getattr(builder, "handbook_files_to_rebuild", None)
    if saved is not None:
        builder.env.files_to_rebuild = saved
        builder.handbook_files_to_rebuild = None


def index_entries_from(search_index: Path) -> dict[str, list[tuple[str, str, str]]]:
    """The index entries per document in a built ``searchindex.js`` (empty if unreadable)."""
    try:
        frozen = js_index.loads(search_index.read_text(encoding="utf-8"))
        docnames = frozen["docnames"]
        per_doc: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for entry, places in frozen.get("indexentries", {}).items():
            for doc, entry_id, main in places:
                per_doc[docnames[doc]].append((entry, entry_id, "main" if main else ""))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return {}
    return {doc: sorted(entries) for doc, entries in per_doc.items()}


def restore_index_entries(app: Sphinx, builder) -> None:
    """Keep the search index's index entries (glossary terms) of pages not written this time.

    Sphinx keeps them only in memory while writing, so an incremental build's search index
    loses those of every page it does not write. They are taken back from the previous
    ``searchindex.js``; pages written now replace theirs as they are indexed.
    """
    env = builder.env
    entries = getattr(env, "_search_index_index_entries", None)
    if builder.format != "html" or not getattr(builder, "search", False) or entries is None:
        return
    old = index_entries_from(Path(builder.outdir) / builder.searchindex_filename)
    merged = {doc: old.get(doc, entries.get(doc)) for doc in sorted(env.all_docs)
              if doc in old or doc in entries}
    entries.clear()
    entries.update({doc: value for doc, value in merged.items() if value is not None})


def tidy_search_index(app: Sphinx) -> list:
    """Make the search index what a clean build writes, just before it is written.

    Index entries are ordered by document, as a clean build indexes the pages; and words that
    no page contains any more (left behind, with no pages, when an edited page lost them) are
    dropped.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return []
    entries = getattr(indexer, "_index_entries", None)
    if entries:
        ordered = sorted(entries.items())
        entries.clear()
        entries.update(ordered)
    for name in ("_mapping", "_title_mapping"):
        mapping = getattr(indexer, name, None)
        if mapping:
            for word in [word for word, docs in mapping.items() if not docs]:
                del mapping[word]
    return []


def setup(app: Sphinx) -> dict:
    app.connect("write-started", restore_index_entries)
    app.connect("write-started", skip_unchanged_toctree_parents)
    app.connect("build-finished", restore_files_to_rebuild)
    app.connect("html-collect-pages", tidy_search_index)
    app.connect("env-get-outdated", env_get_outdated)
    # Late, after sphinxcontrib-bibtex has worked out its citations in env-updated.
    app.connect("env-get-updated", env_get_updated, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
