"""Every message a translator translates, extracted by ``sphinx-build -b gettext``.

Sphinx's gettext builder writes a catalogue template (``.pot``) per page and ``sphinx.pot``, the
``{{ _("…") }}`` of the handbook's own templates. When it has finished (``build-finished``), this
module adds what Sphinx cannot see, so that ``make translations`` (tools/update_catalogues.py)
brings every language's catalogues up to date in one step:

- ``handbook.pot``: every ``_("…")`` in the extension's code (extracted with Babel) and the
  English values of the configuration a translated edition shows in its own language
  (``handbook.languages.TRANSLATED_CONFIG``), located at their lines in ``conf.py``;
- in each page's own ``.pot``: the page's translatable front matter (``summary``, ``short`` and
  each ``matrix`` cell), located at the field's line, which ``handbook.languages.page_gettext``
  looks up, so that a chapter's translation stays one file;
- in ``sphinx.pot``: the messages of the theme's own templates ("Skip to main content", "Back to
  top", "Last updated on …"), which are on every page and which pydata-sphinx-theme ships in no
  Swedish;
- ``booktheme.pot``: the words of sphinx-book-theme's buttons, search field and labels, which it
  translates from its own ``booktheme`` catalogue. The theme's Swedish lacks some that the site
  shows ("Repository", "Suggest edit", "Open issue" on the repository buttons), so a translated
  edition reads ``locales/<language>/LC_MESSAGES/booktheme.po`` too, after the theme's own;
- no ``.pot`` for the pages in ``handbook_source_only_pages``, which every edition shows in
  English, so no catalogue asks to translate them.

Apart from registering that booktheme.po in a translated edition, only the gettext builder is
affected.
"""

from __future__ import annotations

import ast
import os
import re
from collections import defaultdict
from datetime import datetime, timezone
from importlib.util import find_spec
from pathlib import Path

import jinja2
import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from .catalogue import FRONT_MATTER
from .languages import CATALOGUE, TRANSLATED_CONFIG, compile_catalogue, is_translation

logger = logging.getLogger(__name__)

#: The extension's code, whose ``_("…")`` calls go into handbook.pot.
PACKAGE = Path(__file__).resolve().parent
#: The front-matter fields a reader sees in some edition, with what their translator should know
#: (the limits handbook.front_matter checks).
FRONT_MATTER_FIELDS = {
    "summary": "summary: the page's meta description, at most 160 characters",
    "short": "short: the chapter's label in the matrix, at most 24 characters",
}
MATRIX_NOTE = "matrix: region {}'s cell in the matrix, at most 90 characters"
#: The packages of the site's theme and the theme it extends, whose templates' ``_("…")`` calls are
#: translated by the site's sphinx.po (Sphinx's rule for every template, not only the project's).
THEME_PACKAGES = ("sphinx_book_theme", "pydata_sphinx_theme")
#: sphinx-book-theme's own catalogue, its package, and the function its code and templates
#: translate with (``translation("Repository")``, ``translate('By')``).
THEME_CATALOGUE = "booktheme"
THEME_CATALOGUE_PACKAGE = "sphinx_book_theme"
THEME_GETTEXT = ("translation", "translate")
#: A file name, not words for readers (``epub_pre_files`` pairs one with its title).
FILE_NAME = re.compile(r"[\w.-]+\.[A-Za-z0-9]+")
#: What a template's messages are extracted with: Jinja's own i18n extension, as Sphinx does.
_JINJA = jinja2.Environment(extensions=["jinja2.ext.i18n"])


def new_catalogue(config) -> Catalog:
    """An empty template with the header Sphinx gives its own (dated by SOURCE_DATE_EPOCH)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    created = datetime.fromtimestamp(float(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    catalogue = Catalog(
        header_comment=("# SOME DESCRIPTIVE TITLE.\n"
                        f"# Copyright (C) {config.copyright}\n"
                        f"# This file is distributed under the same license as the {config.project} package.\n"
                        "# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n#"),
        project=config.project, version=config.version, creation_date=created,
        last_translator=config.gettext_last_translator, language_team=config.gettext_language_team,
        fuzzy=True,
    )
    catalogue.msgid_bugs_address = ""  # Babel's placeholder otherwise, which Sphinx leaves empty
    return catalogue


def location(path: Path | str, outdir: Path) -> str:
    """*path* as Sphinx locates a message in a template: relative to the output folder."""
    return Path(os.path.relpath(path, outdir)).as_posix()


# -- What is extracted --------------------------------------------------------------------------

def code_messages(package: Path | None = None):
    """``(path, line, message, comments)`` of each ``_("…")`` call in *package*'s Python files
    (the extension's own, PACKAGE, by default)."""
    for path in sorted((package or PACKAGE).rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        found = set()
        for line, message, comments, _context in extract_from_file(
                "python", str(path), keywords={"_": None}, comment_tags=("Translators:",),
                strip_comment_tags=True):
            found.add((line, message))
            yield path, line, message, comments
        for line, message in f_string_calls(path):
            if (line, message) not in found:
                yield path, line, message, []


def f_string_calls(path: Path):
    """``(line, message)`` of each ``_("…")`` inside an f-string of *path*.

    Babel's Python extractor reads an f-string as one string token (before Python 3.12, at
    least), and so misses the calls in its replacement fields (``f"<h1>{_('Page not found')}</h1>"``);
    Python's own parser sees them.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for string in (node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)):
        for node in ast.walk(string):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                yield node.lineno, node.args[0].value


def assignment_lines(conf_py: Path) -> dict[str, int]:
    """The line of ``conf.py`` where each name is last assigned."""
    try:
        tree = ast.parse(conf_py.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    lines = {}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = max(lines.get(target.id, 0), node.lineno)
    return lines


def config_texts(value):
    """The words for readers in a configuration value, as handbook.languages.translated walks it.

    File names are not words (``epub_pre_files``' ``titlepage.xhtml``), and a dict's lists are
    vocabularies that must stay as they are (schema.org's ``accessMode: textual`` in
    ``handbook_epub_accessibility``): neither becomes a message, so both stay untranslated.
    """
    if isinstance(value, str):
        if value.strip() and not FILE_NAME.fullmatch(value):
            yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from config_texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, str):
                yield from config_texts(item)


def config_messages(app: Sphinx):
    """``(name, message)`` for each English string of TRANSLATED_CONFIG in the build's config."""
    for name in TRANSLATED_CONFIG:
        if name in app.config:
            for text in config_texts(app.config[name]):
                yield name, text


def front_matter_messages(source: str):
    """``(line, message, note)`` for each translatable front-matter field of a page's *source*."""
    match = FRONT_MATTER.match(source)
    if not match:
        return
    try:
        root = yaml.compose(match.group(1))
    except yaml.YAMLError:
        return  # handbook.front_matter has already reported it, with its line
    if not isinstance(root, yaml.MappingNode):
        return
    first = 2  # the block's first line is the file's second, after '---'
    for key, value in root.value:
        if key.value in FRONT_MATTER_FIELDS and isinstance(value, yaml.ScalarNode) and value.value.strip():
            yield first + value.start_mark.line, value.value, FRONT_MATTER_FIELDS[key.value]
        elif key.value == "matrix" and isinstance(value, yaml.MappingNode):
            for region, cell in value.value:
                if isinstance(cell, yaml.ScalarNode) and cell.value.strip():
                    yield first + cell.start_mark.line, cell.value, MATRIX_NOTE.format(region.value)


def package_root(package: str) -> Path | None:
    """The folder of an installed *package*, or None."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def theme_messages(packages=THEME_PACKAGES):
    """``(location, line, message)`` of each ``_("…")`` in the themes' templates."""
    for package in packages:
        root = package_root(package)
        if root is None:
            continue
        for path in sorted(root.rglob("*.html")):
            for line, _function, message in _JINJA.extract_translations(path.read_text(encoding="utf-8")):
                if message:
                    yield path.relative_to(root.parent).as_posix(), line, message


def theme_catalogue_messages(package: str = THEME_CATALOGUE_PACKAGE, functions=THEME_GETTEXT):
    """``(location, line, message)`` of each word sphinx-book-theme translates with its own catalogue."""
    root = package_root(package)
    if root is None:
        return
    for path in sorted(root.rglob("*.py")):
        for line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=dict.fromkeys(functions)):
            yield path.relative_to(root.parent).as_posix(), line, message
    for path in sorted(root.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for line, _function, message in _JINJA.extract_translations(source, gettext_functions=functions):
            if message:
                yield path.relative_to(root.parent).as_posix(), line, message


# -- Writing them -------------------------------------------------------------------------------

def add_to(pot: Path, config, messages) -> None:
    """Add *messages* (``message, location, line, comments``) to the template *pot*, or create it.

    A message the template already has keeps it once, with both locations.
    """
    if pot.exists():
        with pot.open("rb") as file:
            catalogue = read_po(file)
    else:
        catalogue = new_catalogue(config)
    for message, where, line, comments in messages:
        known = catalogue.get(message)
        if known is None:
            catalogue.add(message, locations=[(where, line)], auto_comments=list(comments))
        else:
            if (where, line) not in known.locations:
                known.locations.append((where, line))
            known.auto_comments.extend(c for c in comments if c not in known.auto_comments)
    pot.parent.mkdir(parents=True, exist_ok=True)
    with pot.open("wb") as file:
        # Unwrapped, as Sphinx writes its templates and update_catalogues the catalogues.
        write_po(file, catalogue, width=0)


def source_only(app: Sphinx) -> list[str]:
    return list(app.config.handbook_source_only_pages)


def complete_catalogues(app: Sphinx, exception: Exception | None) -> None:
    """After ``-b gettext``: handbook.pot, the pages' front matter, the theme's words; no source-only pages."""
    if exception is not None or app.builder.name != "gettext":
        return
    config, env, outdir = app.config, app.env, Path(app.outdir)
    skipped = set(source_only(app))

    # The extension's strings and the translated configuration.
    messages = [(text, location(path, outdir), line, comments)
                for path, line, text, comments in code_messages()]
    conf_py = Path(app.confdir) / "conf.py"
    lines = assignment_lines(conf_py)
    messages += [(text, location(conf_py, outdir), lines.get(name, 0), [f"conf.py: {name}"])
                 for name, text in config_messages(app)]
    add_to(outdir / f"{CATALOGUE}.pot", config, messages)

    # Each page's front matter, into the page's own catalogue.
    by_domain = defaultdict(list)
    for docname in sorted(env.found_docs - skipped):
        path = env.doc2path(docname)
        try:
            source = Path(path).read_text(encoding=config.source_encoding)
        except OSError:
            continue
        for line, text, note in front_matter_messages(source):
            by_domain[docname_to_domain(docname, config.gettext_compact)].append(
                (text, location(path, outdir), line, [note]))
    for domain, page_messages in by_domain.items():
        add_to(outdir / f"{domain}.pot", config, page_messages)

    # The theme's words, beside the handbook's templates' (Sphinx's "sphinx" catalogue).
    add_to(outdir / "sphinx.pot", config,
           [(text, where, line, []) for where, line, text in theme_messages()])

    # sphinx-book-theme's words, for the catalogue that completes the theme's own.
    add_to(outdir / f"{THEME_CATALOGUE}.pot", config,
           [(text, where, line, []) for where, line, text in theme_catalogue_messages()])

    # Pages read in English in every edition: no catalogue to translate.
    for docname in sorted(skipped):
        domain = docname_to_domain(docname, config.gettext_compact)
        if docname not in env.found_docs:  # a typo would ask translators for the whole page
            logger.warning("handbook_source_only_pages (conf.py) names %r, which is not a page; "
                           "give its path without .md, e.g. 'chapters/reference/contributing'",
                           docname, type="handbook", subtype="source_only")
            continue
        if domain != docname:
            logger.warning("handbook_source_only_pages needs gettext_compact = False: %s shares the "
                           "catalogue %s with other pages", docname, domain,
                           type="handbook", subtype="source_only")
            continue
        (outdir / f"{domain}.pot").unlink(missing_ok=True)


def complete_theme_catalogue(app: Sphinx) -> None:
    """In a translated edition, add locales/<language>/LC_MESSAGES/booktheme.po (compiled if it
    changed) to sphinx-book-theme's catalogue, for the words the theme's own leaves in English."""
    if is_translation(app.config):
        # After the theme's own (registered when the builder loaded the theme): a fallback.
        compile_catalogue(app, app.config, THEME_CATALOGUE)


def setup(app: Sphinx) -> dict:
    app.setup_extension("handbook.languages")  # the editions' languages and handbook.po
    # Pages whose every edition is the English source, e.g. the guide for contributors: no
    # catalogue is extracted for them, and translated editions show them in English.
    app.add_config_value("handbook_source_only_pages", [], "env", types=[list, tuple])
    app.connect("builder-inited", complete_theme_catalogue)
    app.connect("build-finished", complete_catalogues)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
