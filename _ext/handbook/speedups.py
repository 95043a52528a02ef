"""Faster builds that give the same pages.

pybtex finds its styles and back ends through package entry points, and asks
``importlib.metadata.entry_points`` afresh on every look-up: it reads the metadata of every
installed distribution each time. sphinxcontrib-bibtex renders every citation through such a
look-up, several hundred times per build, which made them a third of the HTML build time.
Installed packages do not change while Sphinx runs, so the answer is cached per (group, name).
Plugins registered at run time (such as this handbook's bibliography style) are still found
first: pybtex checks them before it asks the entry points.

The theme also renders its header and sidebar templates twice per page: once only to check
that they are not empty, before rendering them for real. The templates in :data:`NEVER_EMPTY`
always render something in this handbook, so that check is skipped for them, as
pydata-sphinx-theme already does for its own navigation templates. The pages are the same;
the build is faster.

And sphinxcontrib-bibtex scans every citation in the book for each bibliography directive:
once per entry of references.bib to evaluate ``:filter:``, and again to order the entries by
first citation. Every chapter has its own "Sources" list, so that work grew with pages × pages.
:class:`IndexedBibtexDomain` answers both from an index built once per build
(:class:`CitationIndex`); the bibliographies it gives are the same.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import pybtex.plugin
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor, get_docnames

logger = logging.getLogger(__name__)


def cached_entry_points(lookup):
    """Wrap *lookup* (``entry_points``) so that each (group, name) query is answered once."""

    @functools.cache
    def entry_points(*, group: str, name: str) -> tuple:
        return tuple(lookup(group=group, name=name))

    entry_points.uncached = lookup
    return entry_points


#: Theme templates that always render something in this handbook.
NEVER_EMPTY = [
    "sbt-sidebar-nav.html",  # the table of contents
    "article-header-buttons.html",  # the Download buttons, on every page (handbook.editions)
    "navbar-logo.html",  # the handbook's title
    "search-button-field.html",  # the search box
]


def skip_empty_checks(update_and_remove):
    """Wrap pydata-sphinx-theme's template filter so it never test-renders NEVER_EMPTY."""

    @functools.wraps(update_and_remove)
    def wrapper(app, context, templates, section, templates_skip_empty_check=None):
        skip = [*(templates_skip_empty_check or []), *NEVER_EMPTY]
        return update_and_remove(app, context, templates, section, templates_skip_empty_check=skip)

    wrapper.unwrapped = update_and_remove
    return wrapper


@dataclass(frozen=True)
class CitationIndex:
    """Who cites what, looked up once per build instead of once per bibliography and entry."""

    #: Per cited key, the documents that cite it.
    cited_docnames: dict[str, frozenset[str]]
    #: Per cited key, its position in citation order (documents in *docnames* order).
    first_cited: dict[str, int]

    @classmethod
    def of(cls, citation_refs: Iterable, docnames: list[str]) -> "CitationIndex":
        position = {docname: n for n, docname in enumerate(docnames)}
        cited: dict[str, set[str]] = defaultdict(set)
        first: dict[str, int] = {}
        # A stable sort by document, as sphinxcontrib-bibtex's get_all_cited_keys does.
        for ref in sorted(citation_refs, key=lambda ref: position[ref.docname]):
            for target in ref.targets:
                cited[target.key].add(ref.docname)
                first.setdefault(target.key, len(first))
        return cls({key: frozenset(docs) for key, docs in cited.items()}, first)


class IndexedBibtexDomain(BibtexDomain):
    """sphinxcontrib-bibtex's ``cite`` domain, with its bibliographies worked out from an index.

    Only the two look-ups that scan every citation per bibliography are replaced, and only
    while ``env_updated`` runs (the index is built there and dropped after); everything else,
    and every result, is upstream's. ``tests/test_speedups.py`` compares the two.
    """

    _index: CitationIndex | None = None

    def env_updated(self) -> Iterable[str]:
        self._index = CitationIndex.of(self.citation_refs, list(get_docnames(self.env)))
        try:
            return super().env_updated()
        finally:
            self._index = None

    def get_filtered_entries(self, bibliography_key):
        """Upstream's filter, with each key's citing documents taken from the index."""
        if self._index is None:
            yield from super().get_filtered_entries(bibliography_key)
            return
        bibliography = self.bibliographies[bibliography_key]
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = self._index.cited_docnames.get(key, frozenset())
            visitor = _FilterVisitor(entry=entry, docname=bibliography_key.docname,
                                     cited_docnames=cited_docnames)
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:
                logger.warning("syntax error in :filter: expression; %s" % err,
                               location=(bibliography_key.docname, bibliography.line),
                               type="bibtex", subtype="filter_syntax_error")
                success = bool(cited_docnames)  # upstream's fallback
            if success or entry.key in bibliography.keys:
                yield key, entry

    def get_sorted_entries(self, bibliography_key, docnames):
        """Upstream's order: cited entries by first citation, then the rest in file order."""
        if self._index is None:
            yield from super().get_sorted_entries(bibliography_key, docnames)
            return
        first, uncited = self._index.first_cited, len(self._index.first_cited)
        entries = dict(self.get_filtered_entries(bibliography_key))
        yield from sorted(entries.items(), key=lambda item: first.get(item[0], uncited))


def setup(app: Sphinx) -> dict:
    if not hasattr(pybtex.plugin.entry_points, "uncached"):
        pybtex.plugin.entry_points = cached_entry_points(pybtex.plugin.entry_points)
    app.add_domain(IndexedBibtexDomain, override=True)
    try:
        from pydata_sphinx_theme import utils as theme_utils
    except ImportError:  # another theme: nothing to speed up
        pass
    else:
        if not hasattr(theme_utils._update_and_remove_templates, "unwrapped"):
            theme_utils._update_and_remove_templates = skip_empty_checks(
                theme_utils._update_and_remove_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
