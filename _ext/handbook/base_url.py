"""What the site can offer once it has a public address: a 404 page that helps the reader.

The handbook has no public address yet, so ``conf.py`` reads it from the ``HANDBOOK_BASE_URL``
environment variable into ``html_baseurl`` and, only when it is set, loads sphinx-sitemap
(``sitemap.xml``) and sphinx-notfound-page (``404.html``). Both need the address: a sitemap lists
absolute URLs, and a 404 page is served at any missing path, so its links, styles and scripts
must be absolute paths under the site's root.

This module configures them for the handbook:

- ``html_baseurl`` always ends with ``/``, so page URLs join onto it;
- the 404 page's links use the path of ``html_baseurl`` as their prefix (sphinx-notfound-page's
  default assumes a Read the Docs layout, ``/en/latest/``);
- the 404 page says what happened and offers the ways on: the landing page, the overviews of
  regions and of themes, a search box and the downloadable editions (PDF, EPUB).

Every edition has its own 404 page in its own language: a translated edition's is in its folder
(``sv/404.html``), with links into that edition. A host that looks for the nearest ``404.html``
(Cloudflare Pages; nginx or Apache with a rule per folder) serves it for a missing Swedish
address; a host with one 404 page for the whole site (GitHub Pages) serves the English one, whose
language switch leads to each other edition's start page (handbook.language_links).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config

from .editions import EDITIONS, edition_files
from .languages import _

#: The extension that writes 404.html, as listed in ``extensions``.
NOTFOUND_EXTENSION = "notfound.extension"
#: Labels of the pages a lost reader is offered, with the text of each link.
WAYS_ON = {
    "regions": _("The regions, one chapter each"),
    "themes": _("The themes, comparing the regions on one subject"),
}


def normalise_base_url(url: str) -> str:
    """*url* with surrounding spaces removed and exactly one trailing slash ("" stays "")."""
    url = url.strip()
    return url.rstrip("/") + "/" if url else ""


def urls_prefix(base_url: str) -> str:
    """The absolute path under which the site is served: ``/`` or ``/handbook/``."""
    return normalise_base_url(urlsplit(base_url).path or "/")


def not_found_body(prefix: str, project: str, downloads: dict[str, str], ways_on: dict[str, str]) -> str:
    """The HTML body of the 404 page.

    *ways_on* and *downloads* map site-relative paths (of pages, of the editions' files) to link
    texts.
    """
    links = [f'<li><a href="{escape(prefix)}index.html">{escape(_("The start page of the handbook"))}</a></li>']
    links += [f'<li><a href="{escape(prefix + path)}">{escape(text)}</a></li>'
              for path, text in [*ways_on.items(), *downloads.items()]]
    return f"""<section id="page-not-found">
<h1>{escape(_("Page not found"))}</h1>
<p>{escape(_("There is no page at this address in the %(project)s. The link may be mistyped, or the "
             "page may have moved.") % {"project": project})}</p>
<form class="handbook-404-search" action="{escape(prefix)}search.html" method="get" role="search">
<label for="handbook-404-q">{escape(_("Search the handbook"))}</label>
<input id="handbook-404-q" type="search" name="q">
<button type="submit" class="btn btn-primary">{escape(_("Search"))}</button>
</form>
<p>{escape(_("Or go on from here:"))}</p>
<ul>
{chr(10).join(links)}
</ul>
</section>"""


def configure(app: Sphinx, config: Config) -> None:
    """Normalise ``html_baseurl`` and point the 404 page's links at the site's root."""
    config.html_baseurl = normalise_base_url(config.html_baseurl or "")
    if NOTFOUND_EXTENSION in config.extensions and config.html_baseurl:
        config.notfound_urls_prefix = urls_prefix(config.html_baseurl)


def write_not_found_context(app: Sphinx) -> list:
    """Fill in the 404 page's body, now that the pages it links to are known."""
    config = app.config
    if NOTFOUND_EXTENSION not in config.extensions or app.builder.format != "html":
        return []
    labels = app.env.domains.standard_domain.labels
    ways_on = {app.builder.get_target_uri(labels[label][0]): text
               for label, text in WAYS_ON.items() if label in labels}
    downloads = {name: EDITIONS[kind].description for kind, name in edition_files(config).items()}
    config.notfound_context = {
        "title": str(_("Page not found")),
        "body": not_found_body(config.notfound_urls_prefix, config.project, downloads, ways_on),
    }
    return []


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", configure, priority=400)
    # Before sphinx-notfound-page (priority 500) reads notfound_context to add its page.
    app.connect("html-collect-pages", write_not_found_context, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
