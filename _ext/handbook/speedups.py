"""Remember pybtex's plugin look-ups for the length of a build.

pybtex finds its styles and back ends through package entry points, and asks
``importlib.metadata.entry_points`` afresh on every look-up: it reads the metadata of every
installed distribution each time. sphinxcontrib-bibtex renders every citation through such a
look-up, several hundred times per build, which made them a third of the HTML build time.
Installed packages do not change while Sphinx runs, so the answer is cached per (group, name).
Plugins registered at run time (such as this handbook's bibliography style) are still found
first: pybtex checks them before it asks the entry points.

The theme also renders the navigation sidebar twice per page: once only to check that it is
not empty, before rendering it for real. The handbook's sidebar always holds the table of
contents, so that check is skipped for it (:data:`NEVER_EMPTY`), as pydata-sphinx-theme already
does for its own navigation templates. The pages are the same; the build is faster.
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


#: Sidebar templates that always render something in this handbook.
NEVER_EMPTY = ["sbt-sidebar-nav.html"]


def skip_empty_checks(update_and_remove):
    """Wrap pydata-sphinx-theme's template filter so it never test-renders NEVER_EMPTY."""

    @functools.wraps(update_and_remove)
    def wrapper(app, context, templates, section, templates_skip_empty_check=None):
        skip = [*(templates_skip_empty_check or []), *NEVER_EMPTY]
        return update_and_remove(app, context, templates, section, templates_skip_empty_check=skip)

    wrapper.unwrapped = update_and_remove
    return wrapper


def setup(app: Sphinx) -> dict:
    if not hasattr(pybtex.plugin.entry_points, "uncached"):
        pybtex.plugin.entry_points = cached_entry_points(pybtex.plugin.entry_points)
    try:
        from pydata_sphinx_theme import utils as theme_utils
    except ImportError:  # another theme: nothing to speed up
        pass
    else:
        if not hasattr(theme_utils._update_and_remove_templates, "unwrapped"):
            theme_utils._update_and_remove_templates = skip_empty_checks(
                theme_utils._update_and_remove_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
