"""The builder of a build, for the handbook's transforms (not an extension itself).

Sphinx 9 deprecates ``SphinxTransform.app`` (to be removed in Sphinx 11) and offers transforms no
public way to their builder; Sphinx's own transforms read a private attribute of the environment.
Modules whose transforms need the builder (its link addresses, file suffix or images) call
:func:`track` in their ``setup()``; it remembers each environment's builder on the public
``builder-inited`` event, and :func:`builder_for` hands it out.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

_BUILDERS: WeakKeyDictionary[BuildEnvironment, Builder] = WeakKeyDictionary()


def remember(app: Sphinx) -> None:
    _BUILDERS[app.env] = app.builder


def track(app: Sphinx) -> None:
    """Remember the builder of every build *app* runs (once per application)."""
    if not getattr(app, "handbook_tracks_builder", False):
        app.connect("builder-inited", remember)
        app.handbook_tracks_builder = True


def builder_for(env: BuildEnvironment) -> Builder:
    """The builder working with *env*."""
    return _BUILDERS[env]
