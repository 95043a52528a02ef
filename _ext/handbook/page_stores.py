"""Per-page data that the handbook's modules keep in the build environment.

A store is a dict ``env.<name>``: docname -> what a module noted while reading that page. Every
store needs the same three handlers: create it before reading, forget a page that is read again
or removed, and bring pages back from parallel readers. :func:`keep_per_page` connects them.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def keep_per_page(app: Sphinx, *stores: str) -> None:
    """Keep each of *stores* (``env`` attributes, dicts by docname) in step with the pages."""

    def create(app: Sphinx, env, docnames) -> None:
        for store in stores:
            if not hasattr(env, store):
                setattr(env, store, {})

    def purge(app: Sphinx, env, docname: str) -> None:
        for store in stores:
            getattr(env, store, {}).pop(docname, None)

    def merge(app: Sphinx, env, docnames, other) -> None:
        for store in stores:
            theirs = getattr(other, store, {})
            getattr(env, store).update({doc: theirs[doc] for doc in docnames if doc in theirs})

    app.connect("env-before-read-docs", create)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
