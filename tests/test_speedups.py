"""handbook.speedups: faster builds that give the same pages.

The bibliography index is checked against sphinxcontrib-bibtex itself: a small book with
citations spread over documents in a toctree order that is not alphabetical, per-page and
book-wide bibliographies, a key prefix and explicit keys, is built once with the upstream
domain and once with the indexed one, and every citation and page must come out the same.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from handbook import speedups
from handbook.speedups import CitationIndex, IndexedBibtexDomain

BIB = "\n".join(
    f"@misc{{{key}, author = {{{author}}}, title = {{{title}}}, year = {{{year}}}}}"
    for key, author, title, year in [
        ("zeta2020", "Zeta, Anna", "Last in the file, cited first", "2020"),
        ("alpha2019", "Alpha, Bo", "Cited in two documents", "2019"),
        ("beta2021", "Beta, Cy", "Never cited", "2021"),
        ("gamma2018", "Gamma, Di", "Cited last", "2018"),
        ("delta2022", "Delta, Ed", "Listed by key only", "2022"),
    ]
)

#: A chapter's "Sources" list, as in the handbook (a bullet list, so it may repeat the book's entries).
SOURCES = ".. bibliography::\n   :list: bullet\n   :filter: docname in docnames\n"

#: Documents in toctree order (b before a), each citing keys in its own order.
PAGES = {
    "index": ".. toctree::\n\n   b\n   a\n   c\n   refs\n",
    "b": ":cite:p:`zeta2020` and :cite:p:`alpha2019`.\n\n" + SOURCES,
    "a": ":cite:p:`gamma2018,alpha2019` and :cite:t:`zeta2020`.\n\n" + SOURCES,
    "c": "Nothing cited here.\n\n" + SOURCES,
    "refs": ".. bibliography::\n\n"
            ".. bibliography::\n   :all:\n   :keyprefix: all-\n   :labelprefix: A\n\n"
            ".. bibliography::\n   :filter: False\n   :keyprefix: key-\n   :labelprefix: K\n\n   delta2022\n",
}


def build(tmp_path: Path, *extensions: str) -> Sphinx:
    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / "refs.bib").write_text(BIB, encoding="utf-8")
    (src / "conf.py").write_text(
        f"extensions = {['sphinxcontrib.bibtex', *extensions]!r}\n"
        "bibtex_bibfiles = ['refs.bib']\nbibtex_reference_style = 'author_year'\n"
        "bibtex_default_style = 'unsrt'\n",  # entries in citation order, which the index gives
        encoding="utf-8")
    for name, body in PAGES.items():
        (src / f"{name}.rst").write_text(f"{name.title()}\n{'=' * len(name)}\n\n{body}", encoding="utf-8")
    warnings = io.StringIO()
    # As sphinx-build does: each build registers its roles and nodes in a namespace of its own.
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    assert not warnings.getvalue(), warnings.getvalue()
    return app


def citations(app: Sphinx) -> list[tuple]:
    return [(c.key, c.bibliography_key.docname, c.bibliography_key.id_, c.citation_id,
             c.formatted_entry.label) for c in app.env.get_domain("cite").citations]


def pages(app: Sphinx) -> dict[str, str]:
    out = Path(app.outdir)
    return {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in PAGES}


@pytest.fixture(scope="module")
def upstream_and_indexed(tmp_path_factory) -> tuple[Sphinx, Sphinx]:
    upstream = build(tmp_path_factory.mktemp("upstream"))
    indexed = build(tmp_path_factory.mktemp("indexed"), "handbook.speedups")
    return upstream, indexed


def test_the_handbook_uses_the_indexed_domain(upstream_and_indexed) -> None:
    upstream, indexed = upstream_and_indexed
    assert type(upstream.env.get_domain("cite")) is not IndexedBibtexDomain
    assert type(indexed.env.get_domain("cite")) is IndexedBibtexDomain


def test_indexed_domain_lists_the_same_citations_in_the_same_order(upstream_and_indexed) -> None:
    upstream, indexed = upstream_and_indexed
    expected = citations(upstream)
    # The fixture is not trivial: per-page lists, an uncited entry in the :all: list, and the
    # order of first citation in the book (b before a), not the file's or the page's order.
    assert [key for key, doc, *_ in expected if doc == "b"] == ["zeta2020", "alpha2019"]
    assert [key for key, doc, *_ in expected if doc == "a"] == ["zeta2020", "alpha2019", "gamma2018"]
    assert "all-beta2021" in [key for key, *_ in expected] and "key-delta2022" in [key for key, *_ in expected]
    assert citations(indexed) == expected


def test_indexed_domain_writes_the_same_pages(upstream_and_indexed) -> None:
    upstream, indexed = upstream_and_indexed
    assert pages(indexed) == pages(upstream)


def test_citation_index_follows_document_order_not_reading_order() -> None:
    ref = lambda doc, *keys: SimpleNamespace(docname=doc, targets=[SimpleNamespace(key=k) for k in keys])  # noqa: E731
    index = CitationIndex.of([ref("a", "x", "y"), ref("b", "y", "z"), ref("a", "w")], ["b", "a"])
    assert index.first_cited == {"y": 0, "z": 1, "x": 2, "w": 3}
    assert index.cited_docnames == {"x": {"a"}, "y": {"a", "b"}, "z": {"b"}, "w": {"a"}}


def test_entry_point_lookups_are_answered_once_per_query() -> None:
    calls = []

    def lookup(*, group: str, name: str) -> list[str]:
        calls.append((group, name))
        return [f"{group}:{name}"]

    cached = speedups.cached_entry_points(lookup)
    assert cached(group="g", name="n") == cached(group="g", name="n") == ("g:n",)
    assert cached(group="g", name="m") == ("g:m",)
    assert calls == [("g", "n"), ("g", "m")]


def test_templates_that_are_never_empty_are_not_test_rendered() -> None:
    seen = {}

    def update_and_remove(app, context, templates, section, templates_skip_empty_check=None):
        seen["skip"] = templates_skip_empty_check

    speedups.skip_empty_checks(update_and_remove)(None, {}, [], "sidebar", ["navbar-nav.html"])
    assert seen["skip"] == ["navbar-nav.html", *speedups.NEVER_EMPTY]
