"""Remember pybtex's plugin look-ups for the length of a build.

pybtex finds its styles and back ends through package entry points, and asks
``importlib.metadata.entry_points`` afresh on every look-up: it reads the metadata of every
installed distribution each time. sphinxcontrib-bibtex renders every citation through such a
look-up, several hundred times per build, which made them a third of the HTML build time.
Installed packages do not change while Sphinx runs, so the answer is cached per (group, name).
Plugins registered at run time (such as this handbook's bibliography style) are still found
first: pybtex checks them before it asks the entry points.
"""

from __future__ import annotations

import functools

import pybtex.plugin
from sphinx.application import Sphinx


def cached_entry_points(lookup):
    """Wrap *lookup* (``entry_points``) so that each (group, name) query is answered once."""

    @functools.cache
    def entry_points(*, group: str, name: str) -> tuple:
        return tuple(lookup(group=group, name=name))

    entry_points.uncached = lookup
    return entry_points


def setup(app: Sphinx) -> dict:
    if not hasattr(pybtex.plugin.entry_points, "uncached"):
        pybtex.plugin.entry_points = cached_entry_points(pybtex.plugin.entry_points)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
