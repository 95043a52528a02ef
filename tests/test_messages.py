"""handbook.messages: what `make translations` extracts beyond Sphinx's own gettext builder.

One in-process ``-b gettext`` build of roots/catalogue (two regions, two themes), with a stand-in
for the extension's code, serves the tests of the catalogue templates it writes; the last tests
check that the committed catalogues hold what the templates and the code ask to translate.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po
from sphinx.locale import get_translation
from sphinx.testing.util import SphinxTestApp

import handbook.messages as messages
from conftest import REPO

ROOT = REPO / "tests" / "roots" / "catalogue"
EXTENSION_STRING = "A button the extension draws"
HEADING_STRING = "A heading the extension writes in an f-string"
CONFIG_STRING = "A tiny handbook"


@pytest.fixture(scope="module")
def gettext(tmp_path_factory) -> tuple[Path, list[str]]:
    """roots/catalogue built with ``-b gettext``: the output folder and the warnings."""
    src = tmp_path_factory.mktemp("messages") / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns("_build"))
    code = src.parent / "code"
    code.mkdir()
    (code / "module.py").write_text(f'from handbook.languages import _\n\nLABEL = _("{EXTENSION_STRING}")\n'
                                    f'HTML = f"<h1>{{_(\'{HEADING_STRING}\')}}</h1>"\n', encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nextensions.append("handbook.messages")\n'
                   f'project = "{CONFIG_STRING}"\n'
                   "gettext_compact = False\n"
                   'handbook_source_only_pages = ["chapters/reference/bibliography", "chapters/nowhere"]\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "PACKAGE", code)  # the extension's code, as far as extraction sees
        app = SphinxTestApp("gettext", srcdir=src, status=StringIO(), warning=StringIO(), freshenv=True)
        try:
            app.build()
        finally:
            app.cleanup()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()).splitlines()
    return Path(app.outdir), [w for w in warnings if w.strip()]


def catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def test_handbook_pot_has_the_extension_strings_and_the_translated_config(gettext) -> None:
    outdir, _warnings = gettext
    pot = catalogue(outdir / "handbook.pot")
    assert pot[EXTENSION_STRING].locations == [("../../../code/module.py", 3)]
    assert pot[HEADING_STRING].locations == [("../../../code/module.py", 4)]
    assert pot[CONFIG_STRING].locations[0][0] == "../../conf.py"
    assert "conf.py: project" in pot[CONFIG_STRING].auto_comments


def test_front_matter_is_in_the_pages_own_catalogue_with_file_and_line(gettext) -> None:
    outdir, _warnings = gettext
    trade = catalogue(outdir / "chapters/themes/trade.pot")
    assert trade["Trade"].locations == [("../../chapters/themes/trade.md", 5)]  # short
    assert trade["A treaty"].locations == [("../../chapters/themes/trade.md", 8)]  # matrix: north
    assert trade["Trade."].locations == [("../../chapters/themes/trade.md", 9)]  # summary
    assert trade["Trade and treaties"] is not None  # the page's own text is still there
    north = catalogue(outdir / "chapters/regions/north.pot")
    assert "A treaty" not in north  # each page's fields in its own catalogue only


def test_no_catalogue_for_source_only_pages(gettext) -> None:
    outdir, warnings = gettext
    assert not (outdir / "chapters/reference/bibliography.pot").exists()
    assert (outdir / "chapters/reference/matrix.pot").exists()
    assert any("handbook_source_only_pages" in w and "'chapters/nowhere'" in w for w in warnings), warnings


def test_the_themes_messages_are_in_sphinx_pot(gettext) -> None:
    outdir, _warnings = gettext
    pot = catalogue(outdir / "sphinx.pot")
    for text in ("Skip to main content", "Back to top", "On this page", "Last updated on %(last_updated)s."):
        assert pot[text].locations[0][0].startswith("pydata_sphinx_theme/theme/"), text
    booktheme = catalogue(outdir / "booktheme.pot")
    assert booktheme["Suggest edit"].locations[0][0].startswith("sphinx_book_theme/")


def test_config_texts_leave_out_file_names_and_vocabularies() -> None:
    value = [("titlepage.xhtml", "Title page"), {"accessMode": ["textual"], "accessibilitySummary": "A book."}]
    assert list(messages.config_texts(value)) == ["Title page", "A book."]


TRANSLATED_CONF = """
extensions = ["handbook.messages"]
html_theme = "sphinx_book_theme"
language = "sv"
handbook_languages = {"en": "English", "sv": "Svenska"}
locale_dirs = ["locales/"]
epub_identifier = "urn:uuid:53e7f82d-1e7d-4a13-a49a-0fd65c68a94e"


def setup(app):  # what handbook.languages renames in a translated edition
    app.add_config_value("handbook_pdf_file", "book.pdf", "env")
    app.add_config_value("handbook_editions", {}, "env")
"""


def test_a_translated_edition_completes_the_book_themes_catalogue(tmp_path) -> None:
    """sphinx-book-theme's Swedish has no "Suggest edit"; locales/sv/LC_MESSAGES/booktheme.po has."""
    (tmp_path / "conf.py").write_text(TRANSLATED_CONF, encoding="utf-8")
    (tmp_path / "index.md").write_text("# Index\n", encoding="utf-8")
    catalogues = tmp_path / "locales/sv/LC_MESSAGES"
    catalogues.mkdir(parents=True)
    shutil.copy(REPO / "locales/sv/LC_MESSAGES/booktheme.po", catalogues)
    app = SphinxTestApp("html", srcdir=tmp_path, status=StringIO(), warning=StringIO())
    try:
        translate = get_translation(messages.THEME_CATALOGUE)
        assert translate("Suggest edit") == "Föreslå ändring"  # ours
        assert translate("Download source file") == "Ladda ner källfil"  # the theme's own
    finally:
        app.cleanup()


# -- The committed catalogues: `make translations` has been run after the last change ----------

def msgids(po: Path) -> set:
    return {m.id for m in catalogue(po) if m.id}


def test_every_template_message_is_in_each_languages_sphinx_po() -> None:
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    wanted = {message for template in (REPO / "_templates").rglob("*.html")
              for _line, _function, message in environment.extract_translations(template.read_text(encoding="utf-8"))
              if message}
    wanted |= {message for _where, _line, message in messages.theme_messages()}
    for po in sorted((REPO / "locales").glob("*/LC_MESSAGES/sphinx.po")):
        missing = wanted - msgids(po)
        assert not missing, f"{po.relative_to(REPO)} lacks {sorted(missing)}: run `make translations`"


def test_every_extension_message_is_in_each_languages_handbook_po() -> None:
    wanted = {message for _path, _line, message, _comments in messages.code_messages()}
    for language in sorted(p.name for p in (REPO / "locales").iterdir() if p.is_dir()):
        po = REPO / "locales" / language / "LC_MESSAGES" / "handbook.po"
        missing = wanted - (msgids(po) if po.exists() else set())
        assert not missing, f"{po.relative_to(REPO)} lacks {sorted(missing)}: run `make translations`"
