"""handbook.speedups: pybtex's plugins looked up once, through pybtex's public plugin API.

The registered plugins must be exactly the classes the installed entry points give, later
look-ups must not read the installed packages' metadata again, and a small book with citations
must come out byte for byte the same with and without the speed-up.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pybtex.plugin
import pytest
from pybtex.plugin import find_plugin

from conftest import REPO, clean_env
from handbook import speedups


@pytest.fixture(scope="module")
def registered() -> dict[tuple[str, str], type]:
    return speedups.register_installed_plugins()


def test_every_plugin_citations_use_is_registered(registered) -> None:
    # The back end sphinxcontrib-bibtex renders citations with, the alias pybtex renders plain
    # text with (hundreds of times per build), and the styles' defaults.
    for needed in [("pybtex.backends", "docutils"), ("pybtex.backends", "text"), ("pybtex.backends", "plaintext"),
                   ("pybtex.style.labels", "number"), ("pybtex.style.names", "plain"),
                   ("pybtex.style.sorting", "none"), ("pybtex.style.formatting", "unsrt")]:
        assert needed in registered


def test_registered_plugins_are_the_installed_entry_points(registered) -> None:
    for (group, name), klass in registered.items():
        # A name, or else an alias, as pybtex looks them up.
        (entry_point,) = entry_points(group=group, name=name) or entry_points(group=f"{group}.aliases", name=name)
        assert klass is entry_point.load(), (group, name)
    assert registered["pybtex.backends", "text"] is registered["pybtex.backends", "plaintext"]


def test_lookups_no_longer_read_the_installed_metadata(registered, monkeypatch) -> None:
    calls = []
    lookup = pybtex.plugin.entry_points  # fails loudly here if pybtex stops looking up this way

    def counting(**query):
        calls.append(query)
        return lookup(**query)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counting)
    for (group, name), klass in registered.items():
        assert find_plugin(group, name) is klass
    assert find_plugin("pybtex.style.names") is registered["pybtex.style.names", "plain"]  # the default
    assert not calls, calls
    with pytest.raises(pybtex.plugin.PluginNotFound):  # an unknown name is still an error
        find_plugin("pybtex.backends", "no-such-backend")
    assert calls, "the check above would pass without counting"


BIB = """@misc{zeta2020, author = {Zeta, Anna}, title = {Cited first}, year = {2020}}
@misc{alpha2019, author = {Alpha, Bo}, title = {Cited twice}, year = {2019}}
"""
PAGES = {
    "index": "Index\n=====\n\n.. toctree::\n\n   a\n   b\n",
    "a": "A\n=\n\n:cite:p:`zeta2020` and :cite:t:`alpha2019`.\n\n.. bibliography::\n",
    "b": "B\n=\n\n:cite:p:`alpha2019`.\n\n.. bibliography::\n   :list: bullet\n   :filter: docname in docnames\n",
}


def small_book(tmp_path: Path, *extensions: str) -> dict[str, bytes]:
    """Build a small book with citations in a fresh process; its pages."""
    src = tmp_path / "src"
    src.mkdir(parents=True)
    (src / "refs.bib").write_text(BIB, encoding="utf-8")
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / '_ext')!r})\n"
        f"extensions = {['sphinxcontrib.bibtex', *extensions]!r}\n"
        "bibtex_bibfiles = ['refs.bib']\nbibtex_reference_style = 'author_year'\n", encoding="utf-8")
    for name, body in PAGES.items():
        (src / f"{name}.rst").write_text(body, encoding="utf-8")
    out = tmp_path / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "-n", "-q", "-d",
                             str(tmp_path / "doctrees"), str(src), str(out)],
                            env=clean_env(), capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr, result.stderr
    return {name: (out / f"{name}.html").read_bytes() for name in PAGES}


def test_a_book_comes_out_the_same_with_the_speedup(tmp_path: Path) -> None:
    upstream = small_book(tmp_path / "upstream")
    faster = small_book(tmp_path / "faster", "handbook.speedups")
    assert b"Zeta" in upstream["a"] and b"Cited twice" in upstream["b"]
    assert faster == upstream
