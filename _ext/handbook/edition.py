"""Name the edition after the sources it was built from.

The PDF's title page prints an edition and a date. Both come from the sources, never from the
clock, so that building the same commit twice gives the same book: the date is
``SOURCE_DATE_EPOCH`` when set (the Makefile sets it to the last commit's time), otherwise the
last commit's date; the edition is that date plus the short commit hash. A ``release`` set in
conf.py wins, and outside a git checkout with no ``SOURCE_DATE_EPOCH`` the edition is left blank.
The date is written as the edition's language writes dates: "1 December 2026", "1 december 2026".

The words of the title pages that the PDF and the EPUB share, in the edition's language (the
licence, how to cite the book), are here too: :func:`imprint`.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config

from .dates import Day
from .languages import _, is_translation

#: The licence of the text, named on both title pages.
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def git(srcdir: Path, *args: str) -> str | None:
    """Output of a git command in *srcdir*, or None outside a checkout or without git."""
    try:
        result = subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip() or None


def source_date(srcdir: Path, environ=os.environ) -> datetime | None:
    """The date the sources stand at: SOURCE_DATE_EPOCH, else the last commit's time."""
    epoch = environ.get("SOURCE_DATE_EPOCH") or git(srcdir, "log", "-1", "--format=%ct")
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch else None


def edition_name(date: datetime, commit: str | None) -> str:
    """'2026.11.22 (a3234b9)': sortable, and traceable to the commit."""
    name = date.strftime("%Y.%m.%d")
    return f"{name} ({commit})" if commit else name


def written_date(date: datetime, config: Config) -> str:
    """*date* as readers of the edition read it: '1 December 2026', '1 december 2026'.

    English as :mod:`handbook.dates` writes every date of the book, whatever the locale; another
    language in its own long form (CLDR's, through Babel, as Sphinx writes its dates).
    """
    if not is_translation(config):
        return str(Day(date.year, date.month, date.day))
    return format_date(date.date(), format="long", locale=config.language)


def edition_label(config: Config) -> str:
    """'Edition 2026.11.22 (a3234b9)' in the edition's language; '' without an edition."""
    return str(_("Edition {edition}")).format(edition=config.release) if config.release else ""


def imprint(config: Config) -> dict[str, Markup]:
    """The title page's words, as HTML, in the edition's language: licence, how to cite.

    ``licence`` and ``cite`` are whole paragraphs' contents, their label ("Licence.") in
    ``<strong>``; the PDF's and the EPUB's templates put them on their title pages.
    """
    link = Markup('<a href="{0}">{0}</a>').format(LICENCE_URL)
    licence = Markup("<strong>{}</strong> ").format(str(_("Licence."))) + Markup.escape(str(_(
        "The text of this handbook is licensed under the Creative Commons Attribution 4.0 "
        "International licence (CC BY 4.0), {url}. You may share and adapt it with attribution."
    ))).format(url=link)
    cite = Markup("<strong>{}</strong> {}. <em>{}</em>.").format(str(_("How to cite.")), config.author,
                                                                  config.project)
    if config.release:
        dated = f"{edition_label(config)}, {config.today}" if config.today else edition_label(config)
        cite += Markup(" {}.").format(dated)
    return {"licence": licence, "cite": cite,
            "sources_label": Markup("<strong>{}</strong>").format(str(_("Sources.")))}


def set_edition(app: Sphinx, config: Config) -> None:
    if config.release:
        return
    date = source_date(Path(app.srcdir))
    if date is None:
        return
    config.release = config.version = edition_name(date, git(Path(app.srcdir), "rev-parse", "--short", "HEAD"))
    # As every date in the book is written ("11 June 2026"), in the edition's language.
    config.today = written_date(date, config)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", set_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
