"""Faster builds that give the same pages: pybtex's plugins looked up once, not per citation.

pybtex finds its styles and back ends through package entry points, and asks
``importlib.metadata.entry_points`` afresh on every look-up that is not a plugin registered at
run time: it reads the metadata of every installed distribution each time. sphinxcontrib-bibtex
looks up a back end for every citation it renders, several hundred times per build, which made
those look-ups about a third of the clean HTML build (measured with and without, see the README's
"Performance").

Installed packages do not change while Sphinx runs. So, once per build, every installed plugin
of the groups that citations use is registered at run time with pybtex's public
``register_plugin``, as the very class pybtex's public ``find_plugin`` returns for it today;
pybtex checks run-time plugins before entry points, so later look-ups never read the metadata
again and find the same classes. Plugins that were already registered at run time (such as this
handbook's bibliography style, :mod:`handbook.bibstyle`) are found first by ``find_plugin`` and so
are registered again unchanged.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from pybtex.exceptions import PybtexError
from pybtex.plugin import find_plugin, register_plugin
from sphinx.application import Sphinx

#: The pybtex plugin groups that rendering citations and bibliographies looks up.
PLUGIN_GROUPS = (
    "pybtex.backends",
    "pybtex.style.formatting",
    "pybtex.style.labels",
    "pybtex.style.names",
    "pybtex.style.sorting",
)


def register_installed_plugins(groups: tuple[str, ...] = PLUGIN_GROUPS) -> dict[tuple[str, str], type]:
    """Register every installed pybtex plugin of *groups* at run time, under its names and aliases.

    Each name is registered as the class ``find_plugin`` gives for it now, so every later
    look-up gives the same class without reading the installed packages' metadata. Aliases
    (such as "text" for the "plaintext" back end, which pybtex itself asks for whenever it
    renders text) are registered in the group itself: pybtex reads a group's entry points
    before it looks at the aliases, so an alias registered as an alias would still cost a read.
    Returns what was registered, per (group, name).
    """
    registered = {}
    for group in groups:
        names = {entry_point.name for search_group in (group, f"{group}.aliases")
                 for entry_point in entry_points(group=search_group)}
        for name in sorted(names):
            try:
                klass = find_plugin(group, name)
            except (ImportError, PybtexError):  # a broken plugin: let pybtex report it when used
                continue
            register_plugin(group, name, klass, force=True)
            registered[group, name] = klass
    return registered


def setup(app: Sphinx) -> dict:
    register_installed_plugins()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
