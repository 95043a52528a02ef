"""Keep the HTML site lean and quick: pages load only what they use, and render sooner.

- The search engine and its index (about 20 KB compressed) are loaded by the search page only:
  ``_templates/layout.html`` overrides the theme's ``extrahead`` block, which loads them on every
  page for a search-as-you-type dialog that is switched off. The search box on every page sends
  the reader to ``search.html``.
- ``_templates/layout.html`` also overrides pydata-sphinx-theme's ``css`` block, re-creating it
  without the theme's ``head_js_preload()`` macro: that loads Font Awesome's 1.5 MB script (the
  handbook draws its icons inline, :mod:`handbook.icons`) and preloads the theme's two deferred
  scripts, which otherwise compete with the stylesheets for a slow connection. The block calls
  the theme's other macros from ``static/webpack-macros.html`` by name: a registered shim.
- The template filter ``deferred_scripts`` lets the page render before its scripts run: every
  script in the head gets ``defer`` except ``documentation_options.js``, which the inline
  scripts after it use at once (the layout leaves the search page alone: its search scripts
  run at once and need ``doctools.js``). Sphinx adds its own scripts (``doctools.js``,
  ``sphinx_highlight.js``) without a way to ask for ``defer``, so the filter rewrites the
  ``<script>`` tags of Sphinx's ``scripts`` block: a registered shim.
- When an HTML build has finished, :func:`flatten_css_imports` replaces each ``@import`` in the
  site's stylesheets by the imported file (the theme's ``theme.css`` only imports ``basic.css``),
  so no stylesheet waits for another, and :func:`remove_dead_weight` deletes what no reader can
  use: source maps (and the comments pointing to them), the theme's translation catalogues and
  template macros, and theme images that no page shows.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path, PurePosixPath

from markupsafe import Markup
from sphinx.application import Sphinx

from handbook import shims

#: Scripts that must run as soon as they load, because inline scripts after them use them.
BLOCKING_SCRIPTS = ("documentation_options.js",)

#: Files and folders in the built site that no page uses, each with the reason it is dead.
DEAD_WEIGHT = {
    "_static/locales": "sphinx-book-theme's translation catalogues, read at build time only",
    "_static/webpack-macros.html": "pydata-sphinx-theme's template macros, not a page",
    "_static/sbt-webpack-macros.html": "sphinx-book-theme's template macros, not a page",
    "_static/base-stemmer.js": "the stemmer is inlined into language_data.js",
    "_static/english-stemmer.js": "the stemmer is inlined into language_data.js",
}
#: Theme images (launch-button logos) are removed unless a page, stylesheet or script refers
#: to them.
UNUSED_IF_UNREFERENCED = ("_static/images/*", "_static/*.png", "_static/*.gif")

_EXTERNAL_SCRIPT = re.compile(r"<script\b([^>]*\bsrc=\"([^\"]*)\"[^>]*)>")
_CSS_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?([^"\')\s;]+)["\']?\)?\s*;')
_CSS_URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
_SOURCE_MAP_COMMENT = re.compile(r"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ ?\*/)\s*$")


def _defer(match: re.Match) -> str:
    attributes, src = match.groups()
    if re.search(r"\b(?:defer|async)\b", attributes) or any(n in src for n in BLOCKING_SCRIPTS):
        return match.group(0)
    return f"<script defer{attributes}>"


def deferred_scripts(html: str) -> Markup:
    """Template filter: ``defer`` on every external script in *html* but :data:`BLOCKING_SCRIPTS`."""
    return Markup(_EXTERNAL_SCRIPT.sub(_defer, str(html)))


def _rebase_urls(css: str, source_dir: PurePosixPath, target_dir: PurePosixPath) -> str:
    """Rewrite relative ``url()``s in *css* from *source_dir* to *target_dir* (site paths)."""
    def rebase(match: re.Match) -> str:
        quote, url = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE):  # data:, http:, absolute
            return match.group(0)
        target = posixpath.normpath(posixpath.join(str(source_dir), url))
        return f"url({quote}{posixpath.relpath(target, str(target_dir))}{quote})"
    return _CSS_URL.sub(rebase, css)


def flatten_css_imports(outdir: Path, stylesheet: Path, seen: frozenset = frozenset(),
                        inlined: set | None = None) -> str:
    """The text of *stylesheet* with each relative ``@import`` replaced by the imported file.

    The paths of the imported files are added to *inlined* when it is given.
    """
    css = stylesheet.read_text(encoding="utf-8")
    here = PurePosixPath(stylesheet.parent.relative_to(outdir).as_posix())

    def inline(match: re.Match) -> str:
        imported = (stylesheet.parent / match.group(1)).resolve()
        if "://" in match.group(1) or not imported.is_file() or imported in seen:
            return match.group(0)
        if inlined is not None:
            inlined.add(imported)
        there = PurePosixPath(imported.parent.relative_to(outdir.resolve()).as_posix())
        flattened = flatten_css_imports(outdir.resolve(), imported, seen | {imported}, inlined)
        return _rebase_urls(flattened, there, here)
    return _CSS_IMPORT.sub(inline, css)


def strip_source_map_comment(text: str) -> str:
    """*text* (a script or stylesheet) without its trailing ``sourceMappingURL`` comment."""
    return _SOURCE_MAP_COMMENT.sub("", text)


def _referenced(outdir: Path, name: str, besides: Path | None = None) -> bool:
    """Whether a page, stylesheet or script of the site (but *besides*) mentions the file *name*."""
    pages = [p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts]
    assets = [a for pattern in ("*.css", "*.js") for a in (outdir / "_static").rglob(pattern)]
    return any(name in f.read_text(encoding="utf-8", errors="replace")
               for f in pages + assets if f != besides)


def remove_dead_weight(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: flatten CSS imports; delete source maps and :data:`DEAD_WEIGHT`."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir).resolve()
    inlined: set[Path] = set()
    for stylesheet in (outdir / "_static").rglob("*.css"):
        flattened = flatten_css_imports(outdir, stylesheet, inlined=inlined)
        if flattened != stylesheet.read_text(encoding="utf-8"):
            stylesheet.write_text(flattened, encoding="utf-8")
    for stylesheet in inlined:  # basic.css, now part of theme.css
        if not _referenced(outdir, stylesheet.name, besides=stylesheet):
            stylesheet.unlink()
    for source_map in outdir.rglob("*.map"):
        compiled = source_map.with_suffix("")  # pydata-sphinx-theme.css.map -> …css
        if compiled.is_file():
            text = compiled.read_text(encoding="utf-8")
            stripped = strip_source_map_comment(text)
            if stripped != text:
                compiled.write_text(stripped, encoding="utf-8")
        source_map.unlink()
    for relpath in DEAD_WEIGHT:
        path = outdir / relpath
        if path.is_dir():
            shutil.rmtree(path)
        elif path.is_file():
            path.unlink()
    for pattern in UNUSED_IF_UNREFERENCED:
        for image in outdir.glob(pattern):
            if not _referenced(outdir, image.name):
                image.unlink()
    images = outdir / "_static" / "images"
    if images.is_dir() and not any(images.iterdir()):
        images.rmdir()
    sources = outdir / "_sources"
    if sources.is_dir() and not any(sources.iterdir()):  # html_copy_source = False leaves it empty
        sources.rmdir()


def register_filters(app: Sphinx) -> None:
    """Make the filter available to the HTML templates."""
    if app.builder.format == "html":
        app.builder.templates.environment.filters["deferred_scripts"] = deferred_scripts


def setup(app: Sphinx) -> dict:
    shims.register("handbook.lean_site", "pydata-sphinx-theme", "==0.20.0",
                   "its css block and the macros head_pre_assets() and head_js_preload() of its "
                   "static/webpack-macros.html, which _templates/layout.html re-creates without the latter")
    shims.register("handbook.lean_site", "sphinx", "==9.0.4",
                   "the <script src=…> tags its basic layout writes in the scripts block (deferred_scripts)")
    app.connect("builder-inited", register_filters)
    app.connect("build-finished", remove_dead_weight, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
