"""The handbook's editions in other languages: one English text, gettext catalogues for the rest.

English is the source; ``handbook_languages`` in ``conf.py`` lists every edition, the source first
(``{"en": "English", "sv": "Svenska"}``). Each other language is built by the Makefile with
``sphinx-build -D language=<code>`` from the same sources, its text taken from
``locales/<code>/LC_MESSAGES/``:

- the pages' catalogues (``chapters/regions/skane.po``…), which Sphinx applies itself;
- ``sphinx.po``: the words of the theme's and the handbook's templates, which Sphinx adds to its
  own translations (its ``locale_dirs`` rule);
- ``handbook.po``: the words this extension writes (``from handbook.languages import _``), the
  translated configuration (title, subtitle, the EPUB's description…, see TRANSLATED_CONFIG)
  and the pages' front matter (summaries, short names, matrix cells; :func:`page_gettext`).

When a translated edition starts (``config-inited``), this module compiles ``handbook.po``,
registers it, translates the configuration, and gives the edition's files their own names and
identity: ``nordic-life-science-handbook-sv.pdf``, an EPUB identifier of its own, and the site's
public address plus ``sv/``. A new language is its catalogues and one entry in
``handbook_languages``; the Makefile builds every folder of ``locales/``.
"""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import CatalogRepository, docname_to_domain

logger = logging.getLogger(__name__)

#: The extension's own message catalogue (locales/<language>/LC_MESSAGES/handbook.po).
CATALOGUE = "handbook"
#: Translate an English string of this extension into the edition's language (lazily, so that
#: module-level constants work too). tools/update_catalogues.py extracts the calls.
_ = get_translation(CATALOGUE)

#: Configuration values in English in conf.py that a translated edition shows in its language.
#: Strings are translated whole; lists item by item; dicts value by value.
TRANSLATED_CONFIG = (
    "project", "html_title", "author", "copyright", "epub_title", "epub_author", "epub_publisher",
    "epub_contributor", "epub_copyright", "epub_description", "epub_pre_files",
    "handbook_pdf_subtitle", "handbook_pdf_subject", "handbook_pdf_keywords",
    "handbook_epub_accessibility",
)


def source_language(config: Config) -> str:
    """The language the handbook is written in: the first of ``handbook_languages``."""
    return next(iter(config.handbook_languages))


def is_translation(config: Config) -> bool:
    return config.language != source_language(config)


def suffixed(name: str, language: str) -> str:
    """An edition's file name in a translated edition: 'handbook.pdf' -> 'handbook-sv.pdf'."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-{language}.{extension}" if dot else f"{name}-{language}"


def unsuffixed(name: str, language: str) -> str:
    """The source language's file name of a translated edition's: 'handbook-sv.pdf' -> 'handbook.pdf'."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return name.removesuffix(f"-{language}")
    return f"{stem.removesuffix(f'-{language}')}.{extension}"


def translated(value, gettext):
    """*value* (a string, or a list, tuple or dict of them) with each string translated."""
    if isinstance(value, str):
        return gettext(value) if value else value
    if isinstance(value, (list, tuple)):
        return type(value)(translated(item, gettext) for item in value)
    if isinstance(value, dict):
        return {key: translated(item, gettext) for key, item in value.items()}
    return value


def compile_catalogue(app: Sphinx, config: Config, domain: str = CATALOGUE) -> None:
    """Compile the edition's ``<domain>.po`` (if newer than its ``.mo``) and register it with
    Sphinx: after any catalogue of that name already registered, as a fallback."""
    repository = CatalogRepository(app.srcdir, config.locale_dirs, config.language, config.source_encoding)
    for catalogue in repository.catalogs:
        if catalogue.domain == domain and catalogue.is_outdated():
            catalogue.write_mo(config.language, config.gettext_allow_fuzzy_translations)
    for directory in repository.locale_dirs:
        app.add_message_catalog(domain, directory)


def set_up_edition(app: Sphinx, config: Config) -> None:
    """Check the language; in a translated edition, translate the configuration and name its files."""
    languages = config.handbook_languages
    if config.language not in languages:
        raise ConfigError(f"language {config.language!r} is not in handbook_languages {sorted(languages)} "
                          "(conf.py): add it there, with its catalogues in locales/")
    if not is_translation(config):
        return
    compile_catalogue(app, config)
    gettext = get_translation(CATALOGUE)
    for name in TRANSLATED_CONFIG:
        if name in config:
            setattr(config, name, translated(config[name], lambda text: str(gettext(text))))
    language = config.language
    if "handbook_pdf_file" in config:  # not in a project without handbook.pdf_builder (a test's)
        config.handbook_pdf_file = suffixed(config.handbook_pdf_file, language)
    config.epub_basename = f"{config.epub_basename}-{language}"
    if "handbook_editions" in config:  # nor without handbook.editions
        config.handbook_editions = {kind: suffixed(name, language) for kind, name in config.handbook_editions.items()}
    # One book in two languages is two publications: the translation has an identifier of its
    # own, derived from the English one, so that it never changes either.
    config.epub_identifier = f"urn:uuid:{uuid.uuid5(uuid.UUID(config.epub_identifier.rpartition(':')[2]), language)}"
    if config.html_baseurl.strip():
        config.html_baseurl = f"{config.html_baseurl.rstrip('/')}/{language}/"


@cache
def _page_translator(locale_dirs: tuple[str, ...], language: str, domain: str):
    from sphinx.locale import init

    translator, _found = init(list(locale_dirs), language, domain)
    return translator


def page_gettext(app: Sphinx | BuildEnvironment, docname: str, text: str) -> str:
    """*text* from page *docname*'s front matter, in the edition's language.

    *app* may be the build environment too (roles and transforms have no application): only its
    ``config`` and ``srcdir`` are read.

    The front matter's translatable fields (tools/update_catalogues.py lists them) are messages
    of the page's own catalogue, beside its text, so that a chapter's translation is one file.
    In the English edition, *text* itself.
    """
    config = app.config
    if not text or not is_translation(config):
        return text
    repository = CatalogRepository(app.srcdir, config.locale_dirs, config.language, config.source_encoding)
    domain = docname_to_domain(docname, config.gettext_compact)
    translator = _page_translator(tuple(repository.locale_dirs), config.language, domain)
    return translator.gettext(text) or text


def language_root(config: Config, language: str) -> str:
    """The folder of *language*'s edition, relative to the site's root: '' or 'sv/'."""
    return "" if language == source_language(config) else f"{language}/"


class UniqueIdsAfterTranslation(SphinxTransform):
    """Give a fresh id to each element whose id another element of the page already has.

    Sphinx's ``Locale`` transform copies the attributes of an original cross-reference, its
    ``ids`` among them, onto every translated one with the same target: a message that cites the
    same source twice gets two citations with one id (invalid HTML, and in the PDF an anchor
    defined twice, which WeasyPrint warns of). The first keeps the id.
    """

    default_priority = 21  # just after Locale (20), before anything reads the ids

    def apply(self, **kwargs) -> None:
        if not is_translation(self.config):
            return
        seen: set[str] = set()
        for node in self.document.findall(nodes.Element):
            ids = node.get("ids")
            if not ids:
                continue
            repeated = [node_id for node_id in ids if node_id in seen]
            seen.update(ids)
            if repeated:
                node["ids"] = [node_id for node_id in ids if node_id not in repeated]
                if not node["ids"]:
                    seen.add(self.document.set_id(node))


def setup(app: Sphinx) -> dict:
    # code -> the language's name in itself, the source language first (conf.py).
    app.add_config_value("handbook_languages", {"en": "English"}, "env", types=[dict])
    # Before every other handler: they read the translated configuration and the files' names.
    app.connect("config-inited", set_up_edition, priority=100)
    app.add_transform(UniqueIdsAfterTranslation)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
