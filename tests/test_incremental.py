"""Incremental HTML builds give what a clean build gives (handbook.incremental, tools/bench.py).

No timings are asserted here: times on shared machines are noisy. `make bench` measures them.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import bench
from handbook.incremental import (digest, index_entries_from, navigation_changed, pages_to_rewrite,
                                  restore_files_to_rebuild, site_summary, skip_unchanged_toctree_parents)


def fake_env(docs: set[str], citations=(), refs=()) -> SimpleNamespace:
    """Just enough of a BuildEnvironment for the summary functions."""
    return SimpleNamespace(
        all_docs={d: 0 for d in docs},
        titles={}, longtitles={}, tocs={}, toctree_includes={}, toc_secnumbers={},
        toc_fignumbers={}, metadata={d: {"kind": "theme", "wordcount": {"words": 1}} for d in docs},
        domaindata={"std": {}, "cite": {"citations": list(citations), "citation_refs": list(refs)}},
    )


def citation(key: str, bib_doc: str, label: str) -> SimpleNamespace:
    return SimpleNamespace(key=key, citation_id=f"id-{key}",
                           bibliography_key=SimpleNamespace(docname=bib_doc, id_="bib"),
                           formatted_entry=SimpleNamespace(label=label))


def cite_ref(doc: str, *keys: str) -> SimpleNamespace:
    return SimpleNamespace(docname=doc, targets=[SimpleNamespace(key=k) for k in keys])


def test_digest_ignores_order_of_dicts_and_sets() -> None:
    assert digest({"a": {1, 2}, "b": [1]}) == digest({"b": [1], "a": {2, 1}})
    assert digest({"a": 1}) != digest({"a": 2})


def test_a_fresh_environment_needs_no_extra_pages() -> None:
    env = fake_env({"a", "b"})
    assert pages_to_rewrite(None, site_summary(env), env) == set()


def test_a_word_count_change_rewrites_nothing_else() -> None:
    env = fake_env({"a", "b"})
    old = site_summary(env)
    env.metadata["a"]["wordcount"] = {"words": 99}
    assert pages_to_rewrite(old, site_summary(env), env) == set()


def test_a_title_change_rewrites_every_page() -> None:
    env = fake_env({"a", "b", "c"})
    env.titles = {"a": SimpleNamespace(astext=lambda: "Old")}
    old = site_summary(env)
    env.titles = {"a": SimpleNamespace(astext=lambda: "New")}
    assert pages_to_rewrite(old, site_summary(env), env) == {"a", "b", "c"}


def test_a_new_citation_rewrites_its_bibliographies_and_citing_pages() -> None:
    before = fake_env({"a", "b", "bib", "other"}, [citation("k1", "bib", "X, 2020")], [cite_ref("a", "k1")])
    old = site_summary(before)
    after = fake_env({"a", "b", "bib", "other"},
                     [citation("k1", "bib", "X, 2020"), citation("k2", "b", "Y, 2021")],
                     [cite_ref("a", "k1"), cite_ref("b", "k2")])
    assert pages_to_rewrite(old, site_summary(after), after) == {"b"}


def test_toctree_parents_are_rewritten_only_when_the_navigation_changed() -> None:
    env = fake_env({"index", "a"})
    old = site_summary(env)
    assert navigation_changed(None, old), "a fresh environment writes everything"
    assert not navigation_changed(old, site_summary(env))
    env.titles = {"a": SimpleNamespace(astext=lambda: "A new title")}
    assert navigation_changed(old, site_summary(env))

    parents = {"a": {"index"}}
    builder = SimpleNamespace(format="html", env=SimpleNamespace(files_to_rebuild=parents),
                              handbook_navigation_changed=False)
    skip_unchanged_toctree_parents(None, builder)
    assert builder.env.files_to_rebuild == {}, "Sphinx would add index to the pages to write"
    restore_files_to_rebuild(SimpleNamespace(builder=builder), None)
    assert builder.env.files_to_rebuild is parents, "the mapping is back for the next build"

    builder.handbook_navigation_changed = True
    skip_unchanged_toctree_parents(None, builder)
    assert builder.env.files_to_rebuild is parents


def test_index_entries_are_read_back_from_a_search_index(tmp_path: Path) -> None:
    index = {"docnames": ["a", "glossary"],
             "indexentries": {"term": [[1, "term-Term", True]], "other": [[0, "x", False]]}}
    path = tmp_path / "searchindex.js"
    path.write_text("Search.setIndex(" + json.dumps(index) + ")", encoding="utf-8")
    assert index_entries_from(path) == {"glossary": [("term", "term-Term", "main")], "a": [("other", "x", "")]}
    assert index_entries_from(tmp_path / "missing.js") == {}


def test_incremental_builds_equal_clean_builds(tmp_path: Path) -> None:
    """One edit re-reads 1 document and writes at most 3; a title change and a new citation give
    exactly the output of a clean build (tools/bench.py's checks, run once each, untimed)."""
    try:
        results = bench.incremental_checks(tmp_path, runs=0)
    except bench.CheckFailed as failure:
        pytest.fail(str(failure), pytrace=False)
    assert len(results["one_edit_read"]) == 1
    # Only the edited page: not its toctree parent, whose page comes out the same.
    assert results["one_edit_written"] == results["one_edit_read"]
    assert results["title_change_identical"] and results["new_citation_identical"]
