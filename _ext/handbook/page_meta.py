"""Page metadata for browser tabs, search engines and link previews.

Every chapter's MyST front matter has a one-sentence ``summary:``. This module puts it where
readers and their tools meet it before they open the page:

- ``<meta name="description">``, shown under the title in search results;
- OpenGraph tags (``og:title``, ``og:description``, ``og:type``, ``og:site_name`` and, when the
  site's public address is configured in ``html_baseurl``, ``og:url``), used for link previews.

Pages that Sphinx generates (search, index, 404) have no front matter and are described by the
landing page's summary. That every chapter has a summary of at most 160 characters is checked
when it is read, by :mod:`handbook.front_matter`. In a translated edition the summary is the
page's own catalogue's translation of it (:func:`handbook.languages.page_gettext`).
"""

from __future__ import annotations

from html import escape

from collections.abc import Callable

from markupsafe import Markup
from sphinx.application import Sphinx

from .languages import page_gettext

#: The front-matter field that holds a page's summary.
SUMMARY_FIELD = "summary"


def page_summary(metadata: dict, pagename: str, root_doc: str, is_source: bool = True,
                 translate: Callable[[str, str], str] = lambda docname, text: text) -> str | None:
    """The summary describing *pagename*: its own, or the landing page's for generated pages.

    *metadata* is ``env.metadata``: front matter per document. *is_source* tells whether the
    page is written from a source document. *translate* (docname, text) gives the summary in
    the edition's language. Returns ``None`` for a source document without a summary.
    """
    described = pagename
    summary = metadata.get(pagename, {}).get(SUMMARY_FIELD)
    if summary is None and not is_source:  # search, genindex, 404: no front matter of their own
        described, summary = root_doc, metadata.get(root_doc, {}).get(SUMMARY_FIELD)
    return " ".join(translate(described, str(summary)).split()) if summary else None


def meta_tags(*, title: str, description: str | None, site_name: str, og_type: str,
              url: str | None = None) -> str:
    """The ``<meta>`` tags for one page, one per line, attribute values escaped."""
    tags = []
    if description:
        tags.append(("name", "description", description))
    tags += [("property", "og:title", title), ("property", "og:type", og_type),
             ("property", "og:site_name", site_name)]
    if description:
        tags.append(("property", "og:description", description))
    if url:
        tags.append(("property", "og:url", url))
    return "".join(f'\n    <meta {attr}="{key}" content="{escape(value)}" />'
                   for attr, key, value in tags)


def add_page_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Add the description and OpenGraph tags to the page being written."""
    if app.builder.format != "html":
        return
    config = app.config
    is_source = pagename in app.env.found_docs
    summary = page_summary(app.env.metadata, pagename, config.root_doc, is_source,
                           lambda docname, text: page_gettext(app, docname, text))
    site_name = config.html_title or config.project
    is_root = pagename == config.root_doc
    title = Markup(context.get("title") or site_name).striptags()
    context["metatags"] = context.get("metatags", "") + meta_tags(
        title=title,
        description=summary,
        site_name=site_name,
        og_type="website" if is_root else "article",
        url=context.get("pageurl") or None,  # set by Sphinx only when html_baseurl is
    )


def setup(app: Sphinx) -> dict:
    app.setup_extension("handbook.languages")  # the summaries in the edition's language
    app.connect("html-page-context", add_page_meta)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
