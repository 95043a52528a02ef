"""Moving between the handbook's languages: every page links to the same page in the others.

The editions are one site: English at its root, each translation in a folder of its own
(``sv/``, :func:`handbook.languages.language_root`), every edition built from the same sources,
so a page has the same name in each. For every page of the website this module

- gives templates ``handbook_language_links``: per other edition, the language's code, its name
  in itself ("Svenska"), that language's name in the page's language ("Swedish", "engelska") and
  the address of the same page there, relative to this page. ``_templates/language-switch.html``
  makes it the link in the article header;
- adds ``<link rel="alternate" hreflang="…">`` for every edition, the page's own included, and
  ``hreflang="x-default"`` for the source language: absolute when the site's public address is
  known (``html_baseurl``; a translated edition's is the site's plus ``sv/``, so the site's root
  is taken from it), relative otherwise;
- writes one ``sitemap.xml`` at the site's root, in the source language's build: every page of
  every edition, each with its alternates (sphinx-sitemap lists the build's own pages only, and
  would give the alternates addresses of its own scheme, ``/en/…``). A translated edition writes
  none: search engines read the sitemap at the root;
- on the 404 page, which is served at any missing address, links to the other editions' start
  pages, with absolute paths, and declares no alternates.

An edition is offered once it is built: the source language, and each language of
``handbook_languages`` with catalogues in ``locale_dirs`` (the Makefile builds every folder of
``locales/``).

**Pages only in English.** ``handbook_source_only_pages`` lists the pages that no translation
translates (the contributor guide, whose subject is the English source). A translated edition
shows them in English, so there

- the page's ``<article>`` is ``lang="en"`` and a note above it says, in the edition's language,
  that the page is only in English (``handbook_source_only`` in the templates,
  ``_templates/layout.html``), so that screen readers read each part in its own voice;
- the page's title is marked ``lang="en"`` wherever other pages show it (the navigation, the
  previous/next links, tables of contents, references whose text is the title);
- its address declares the source page as canonical, and the alternates and the sitemap name only
  the source page: there is no translation to offer search engines.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from xml.etree import ElementTree

from babel import Locale, UnknownLocaleError
from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.nodes import clean_astext

from .base_url import normalise_base_url, urls_prefix
from .languages import is_translation, language_root, source_language


#: The builders that write the website (not the PDF's one-page book, not the EPUB).
SITE_BUILDERS = ("html", "dirhtml")
#: The pages every edition shows in the source language, if conf.py does not say.
SOURCE_ONLY_DEFAULT = ["chapters/reference/contributing"]
#: sphinx-sitemap, as listed in ``extensions``, and the namespaces of the file it writes.
SITEMAP_EXTENSION = "sphinx_sitemap"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: The page sphinx-notfound-page writes (its ``notfound_pagename``), if it is loaded.
NOTFOUND_EXTENSION = "notfound.extension"


def editions(app: Sphinx) -> list[str]:
    """The languages whose editions are built: the source, and those with catalogues."""
    config = app.config
    source = source_language(config)
    built = [source]
    for code in config.handbook_languages:
        if code != source and (code == config.language or any(
                (Path(app.srcdir) / folder / code / "LC_MESSAGES").is_dir() for folder in config.locale_dirs)):
            built.append(code)
    return built


def language_name(code: str, in_language: str) -> str:
    """The name of language *code* in language *in_language*: ('sv', 'en') -> 'Swedish'."""
    try:
        return Locale.parse(code).get_display_name(in_language) or code
    except (ValueError, UnknownLocaleError):
        return code


def site_root(config: Config) -> str:
    """The public address of the site's root (the source edition's), or '' if it has none.

    A translated edition's ``html_baseurl`` is the root plus its folder (handbook.languages).
    """
    base = normalise_base_url(config.html_baseurl or "")
    own = language_root(config, config.language)
    return base[:-len(own)] if own and base.endswith(own) else base


def source_only(config: Config, pagename: str) -> bool:
    """Whether *pagename* is shown in the source language by every edition."""
    return pagename in config.handbook_source_only_pages


def relative_url(from_path: str, to_path: str) -> str:
    """The relative address of *to_path* from a page at *from_path* (both from the site's root)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def page_files(app: Sphinx, pagename: str, languages: list[str]) -> dict[str, str]:
    """The file of *pagename* in each of *languages*, from the site's root: 'sv/chapters/x.html'."""
    config = app.config
    file = app.builder.get_target_uri(pagename) or "index.html"  # dirhtml's root page is ''
    return {code: language_root(config, code) + file for code in languages}


def alternate_links(addresses: dict[str, str], source: str) -> str:
    """The ``<link rel="alternate">`` tags for *addresses* (language -> address), and x-default."""
    links = [*addresses.items(), ("x-default", addresses[source])]
    return "".join(f'\n    <link rel="alternate" hreflang="{escape(code)}" href="{escape(url)}" />'
                   for code, url in links)


def add_language_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the links to the other editions, and the page's alternates."""
    if app.builder.name not in SITE_BUILDERS:
        return
    config = app.config
    own, source = config.language, source_language(config)
    languages = editions(app)
    only_source = source_only(config, pagename)
    context["handbook_source_only"] = only_source and own != source
    context["handbook_source_language"] = source
    context["handbook_source_language_name"] = language_name(source, own)
    not_found = NOTFOUND_EXTENSION in config.extensions and pagename == config.notfound_pagename
    if not_found:
        # Served at any missing address: absolute paths, to the other editions' start pages.
        prefix = urls_prefix(site_root(config))
        links = {code: prefix + language_root(config, code) + "index.html" for code in languages}
    else:
        files = page_files(app, pagename, languages)
        here, root = files[own], site_root(config)
        links = {code: relative_url(here, file) for code, file in files.items()}
        declared = [source] if only_source else languages
        addresses = {code: root + files[code] if root else links[code] for code in declared}
        context["metatags"] = context.get("metatags", "") + alternate_links(addresses, source)
        if context["handbook_source_only"] and root:
            context["pageurl"] = addresses[source]  # the source page is the one to index
    context["handbook_language_links"] = [
        {"code": code, "name": config.handbook_languages[code], "url": links[code],
         "name_in_page_language": language_name(code, own),
         "start_page": not_found}
        for code in languages if code != own]


def mark_source_only_titles(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, in a translated edition: a source-only page's title is English wherever
    other pages show it. Its title and its entries in tables of contents get ``lang`` (docutils
    writes a ``language-en`` class as ``lang="en"``)."""
    env = app.env
    config = app.config
    if not is_translation(config) or not source_only(config, env.docname):
        return
    marker = f"language-{source_language(config)}"
    for titles in (env.titles, env.longtitles):
        title = titles.get(env.docname)
        if title is not None and not any(marker in child.get("classes", []) for child in title.children
                                         if isinstance(child, nodes.Element)):
            title.children = [nodes.inline("", "", *title.children, classes=[marker])]
    toc = env.tocs.get(env.docname)
    if toc is not None:
        for reference in toc.findall(nodes.reference):
            reference["classes"].append(marker)


class SourceOnlyPageLanguage(SphinxTransform):
    """In a translated edition, a source-only page's sections carry the source language's class
    (``language-en``) before Sphinx sets its quotation marks, so that the English text gets
    English quotes (“…”) rather than the edition's (”…”); docutils writes the class as ``lang``."""

    default_priority = 700  # before SphinxSmartQuotes (750), which reads the nearest language class

    def apply(self, **kwargs) -> None:
        config = self.config
        if not is_translation(config) or not source_only(config, self.env.docname):
            return
        marker = f"language-{source_language(config)}"
        for section in self.document.children:
            if isinstance(section, nodes.Element) and marker not in section["classes"]:
                section["classes"].append(marker)


def mark_references_to_source_only_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, in a translated edition: a reference whose text is a source-only
    page's (English) title, as ``{ref}`` and ``{doc}`` write it, is marked ``lang``."""
    config = app.config
    if not is_translation(config) or app.builder.name not in SITE_BUILDERS:
        return
    titles = {clean_astext(app.env.titles[page]) for page in config.handbook_source_only_pages
              if page in app.env.titles}
    marker = f"language-{source_language(config)}"
    for reference in doctree.findall(nodes.reference):
        if reference.get("internal") and reference.astext() in titles and marker not in reference["classes"]:
            reference["classes"].append(marker)


def configure_sitemap(app: Sphinx, config: Config) -> None:
    """``config-inited``: sphinx-sitemap lists no alternates of its own (they would be
    ``/en/…`` addresses); a translated edition writes no sitemap (the source's lists it)."""
    if SITEMAP_EXTENSION not in config.extensions:
        return
    config.sitemap_locales = [None]  # sphinx-sitemap's value for "the build's language only"
    if is_translation(config):
        config.sitemap_excludes = ["*"]


def sitemap_with_editions(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, in the source edition: rewrite sphinx-sitemap's ``sitemap.xml`` to list
    every page in every edition, each with ``xhtml:link`` alternates for all of them."""
    config = app.config
    if (exception is not None or app.builder.name not in SITE_BUILDERS
            or SITEMAP_EXTENSION not in config.extensions or is_translation(config)):
        return
    path = Path(app.outdir) / config.sitemap_filename
    root = site_root(config)
    if not path.is_file() or not root:
        return
    source, languages = source_language(config), editions(app)
    only_source_files = {app.builder.get_target_uri(page) for page in config.handbook_source_only_pages}
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    original = ElementTree.parse(path).getroot()
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    pages = sorted((url.findtext(f"{{{SITEMAP_NS}}}loc", ""), url.findtext(f"{{{SITEMAP_NS}}}lastmod"))
                   for url in original.findall(f"{{{SITEMAP_NS}}}url"))  # not in the order they were written
    for loc, lastmod in pages:
        if not loc.startswith(root):
            continue
        file = loc[len(root):]
        declared = [source] if file in only_source_files else languages
        addresses = {code: root + language_root(config, code) + file for code in declared}
        for code in declared:
            entry = ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = addresses[code]
            if lastmod:  # the English source's last change, which is the translation's too
                ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
            for hreflang, href in [*addresses.items(), ("x-default", addresses[source])]:
                ElementTree.SubElement(entry, f"{{{XHTML_NS}}}link", rel="alternate",
                                       hreflang=hreflang, href=href)
    ElementTree.ElementTree(urlset).write(path, xml_declaration=True, encoding="utf-8", method="xml")


def setup(app: Sphinx) -> dict:
    # Pages every edition shows in the source language, unless another module has registered it.
    try:
        app.add_config_value("handbook_source_only_pages", SOURCE_ONLY_DEFAULT, "env", types=[list, tuple])
    except ExtensionError:  # "Config value … already present"
        pass
    app.connect("config-inited", configure_sitemap, priority=600)
    # Before handbook.page_meta (500), which writes og:url from the page's canonical address.
    app.connect("html-page-context", add_language_links, priority=400)
    # After Sphinx's collectors (500) have recorded the page's title and table of contents.
    app.connect("doctree-read", mark_source_only_titles, priority=600)
    app.add_transform(SourceOnlyPageLanguage)
    app.connect("doctree-resolved", mark_references_to_source_only_pages)
    # After sphinx-sitemap (500) has written the sitemap.
    app.connect("build-finished", sitemap_with_editions, priority=550)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
