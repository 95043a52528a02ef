"""The handbook's catalogue: its regions, themes and sources, read from the files themselves.

A region is a chapter ``chapters/regions/<id>.md`` whose front matter says ``kind: region``; a
theme, the same under ``chapters/themes/``; a source, an entry of ``references.bib``. The file
name is the id, the chapter's first heading its name, and the front matter gives what cannot be
derived: ``short`` (its label in the region × theme matrix), ``order`` (its place in toctrees,
lists and the matrix) and, for a region, ``country``. So a new region or theme is one new
chapter, and a new source one new ``.bib`` entry (and its note); nothing else lists them.

The catalogue is read when the build starts, before any page, by a cheap scan of the front-matter
blocks, and kept in ``env.handbook_catalogue``. Pages whose content is generated from it (the
landing page's cards, the introduction's lists, the overview toctrees, counts in prose) are read
again when it changes, through the public ``env-get-outdated`` event.

What the pages use:

- ``{catalogue-toctree} regions`` (or ``themes``, ``sources``): a real toctree of the chapters
  in catalogue order; lines in its body are added after them (e.g. ``partner-regions``).
- ``{catalogue}`regions``` : the regions' names, linked, as a list in prose ("A, B and C");
  ``themes``, ``regions:short``, ``themes:short``; ``regions-by-country`` (unlinked) gives
  "four Swedish (A, B, C and D) and one Danish (E)".
- ``{count}`sources``` : how many there are, in words ("five"); ``{count}`Sources``` capitalises.

All of it is in the edition's language: the words through ``handbook.po`` (``fem``, ``och``,
"fyra svenska (…)"), the chapters' names from each chapter's own catalogue, where its heading and
``short`` are translated (:func:`in_edition`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.other import TocTree
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from . import bibfile
from .languages import _, page_gettext
from .page_stores import keep_per_page

logger = logging.getLogger(__name__)

#: A page's front matter block, also read by handbook.front_matter (which checks it).
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
HEADING = re.compile(r"^(?:\((?P<label>[^)\s]+)\)=[ \t]*\n)?# +(?P<title>.+?)[ \t]*$", re.M)
#: Where each kind of chapter lives, relative to the source directory.
FOLDERS = {"region": "chapters/regions", "theme": "chapters/themes"}
SOURCE_NOTES = "chapters/reference/sources"
#: The countries a region may be in, with how the prose counts their regions: for one region
#: and for several ({count} in words, {regions} the list of names); whole phrases, because an
#: adjective agrees with the count in other languages ("en dansk", "fyra svenska").
COUNTRIES = {
    "Sweden": (_("one Swedish ({regions})"), _("{count} Swedish ({regions})")),
    "Denmark": (_("one Danish ({regions})"), _("{count} Danish ({regions})")),
    "Norway": (_("one Norwegian ({regions})"), _("{count} Norwegian ({regions})")),
    "Finland": (_("one Finnish ({regions})"), _("{count} Finnish ({regions})")),
    "Iceland": (_("one Icelandic ({regions})"), _("{count} Icelandic ({regions})")),
}
#: Small numbers in words, each a message of its own (a language has its own forms).
WORDS = (_("zero"), _("one"), _("two"), _("three"), _("four"), _("five"), _("six"), _("seven"),
         _("eight"), _("nine"), _("ten"), _("eleven"), _("twelve"), _("thirteen"), _("fourteen"),
         _("fifteen"), _("sixteen"), _("seventeen"), _("eighteen"), _("nineteen"))
TENS = ("", "", _("twenty"), _("thirty"), _("forty"), _("fifty"), _("sixty"), _("seventy"),
        _("eighty"), _("ninety"))


@dataclass(frozen=True)
class Chapter:
    """A region or theme chapter, as its file and front matter describe it."""

    id: str
    kind: str
    docname: str
    name: str  # the chapter's first heading
    label: str  # the (label)= above that heading, for links; "" when there is none
    short: str
    order: float
    country: str = ""


@dataclass(frozen=True)
class Source:
    """An entry of references.bib, and where its source note is."""

    key: str
    date: str

    @property
    def docname(self) -> str:
        return f"{SOURCE_NOTES}/{self.key}"


@dataclass(frozen=True)
class Catalogue:
    """Everything the handbook covers, each kind in the order readers meet it."""

    regions: tuple[Chapter, ...] = ()
    themes: tuple[Chapter, ...] = ()
    sources: tuple[Source, ...] = ()

    def ids(self, kind: str) -> set[str]:
        """The ids of ``regions``, ``themes`` or ``sources``."""
        return {getattr(item, "id", getattr(item, "key", "")) for item in getattr(self, kind)}

    def get(self, kind: str, id: str) -> Chapter | None:
        return next((c for c in getattr(self, kind) if c.id == id), None)


def number_words(n: int) -> str:
    """*n* in words in the edition's language, as the prose writes small numbers ("five",
    "twenty-one"; in Swedish "fem", "tjugoett")."""
    if 0 <= n < 20:
        return str(WORDS[n])
    if 20 <= n < 100:
        if not n % 10:
            return str(TENS[n // 10])
        return _("{tens}-{units}").format(tens=TENS[n // 10], units=WORDS[n % 10])
    return str(n)


def read_chapter(path: Path, kind: str, srcdir: Path) -> Chapter | None:
    """The catalogue entry of the chapter at *path*, or None if it is not a chapter of *kind*."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    try:
        data = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        data = None  # handbook.front_matter reports it, at its line
    if not isinstance(data, dict) or data.get("kind") != kind:
        return None
    heading = HEADING.search(text, match.end())
    order = data.get("order")
    return Chapter(
        id=path.stem, kind=kind, docname=path.relative_to(srcdir).with_suffix("").as_posix(),
        name=heading.group("title") if heading else path.stem,
        label=(heading.group("label") or "") if heading else "",
        short=str(data.get("short") or (heading.group("title") if heading else path.stem)),
        # A missing or wrong order is reported by handbook.front_matter; it sorts last meanwhile.
        order=order if isinstance(order, (int, float)) and not isinstance(order, bool) else float("inf"),
        country=str(data.get("country") or ""))


def read_sources(path: Path, encoding: str = "utf-8") -> tuple[Source, ...]:
    """The entries of the .bib file at *path*, oldest first (by their ``date`` field, then key).
    Its syntax errors are handbook.bibcheck's to report, with their lines."""
    if not path.is_file():
        return ()
    entries = bibfile.read(path, encoding).entries
    found = [Source(key, entry.fields.get("date", entry.fields.get("year", ""))) for key, entry in entries.items()]
    return tuple(sorted(found, key=lambda s: (s.date, s.key)))


def read_catalogue(srcdir: Path | str, bibfiles: list[str] | tuple[str, ...] = (),
                   encoding: str = "utf-8") -> Catalogue:
    """Scan the chapters' front matter under *srcdir* and the .bib files; no page is parsed."""
    srcdir = Path(srcdir)
    kinds = {}
    for kind, folder in FOLDERS.items():
        chapters = [c for p in sorted((srcdir / folder).glob("*.md"))
                    if (c := read_chapter(p, kind, srcdir)) is not None]
        kinds[kind] = tuple(sorted(chapters, key=lambda c: (c.order, c.id)))
    sources = tuple(s for bib in bibfiles for s in read_sources(srcdir / bib, encoding))
    return Catalogue(regions=kinds["region"], themes=kinds["theme"], sources=sources)


def in_edition(env, chapter: Chapter) -> Chapter:
    """*chapter* with its name and short name in the edition's language: its heading and
    ``short`` as the chapter's own catalogue translates them (in English, *chapter* itself)."""
    name = page_gettext(env, chapter.docname, chapter.name)
    short = page_gettext(env, chapter.docname, chapter.short)
    return chapter if (name, short) == (chapter.name, chapter.short) else replace(chapter, name=name, short=short)


def chapters(env, kind: str) -> tuple[Chapter, ...]:
    """The ``regions`` or ``themes`` of the catalogue, named in the edition's language."""
    return tuple(in_edition(env, chapter) for chapter in getattr(catalogue(env), kind))


def catalogue(env) -> Catalogue:
    """The catalogue of the build that *env* belongs to (read now if the build has not yet)."""
    found = getattr(env, "handbook_catalogue", None)
    if found is None:
        found = read_catalogue(env.srcdir, env.config.bibtex_bibfiles, env.config.bibtex_encoding)
        env.handbook_catalogue = found
    return found


def uses_catalogue(env) -> None:
    """Note that the page being read shows something generated from the catalogue."""
    env.handbook_catalogue_users[env.current_document.docname] = True


def refresh(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: read the catalogue afresh; if it changed, re-read the pages that
    show it, or every page when ids came or went (front matter and events are checked against
    them)."""
    old = getattr(env, "handbook_catalogue", None)
    env.handbook_catalogue = new = read_catalogue(app.srcdir, app.config.bibtex_bibfiles,
                                                  app.config.bibtex_encoding)
    if old is None or old == new:
        return []
    if any(old.ids(kind) != new.ids(kind) for kind in ("regions", "themes", "sources")):
        return sorted(env.found_docs)
    return sorted(set(getattr(env, "handbook_catalogue_users", {})) & env.found_docs)


# -- Lists in prose -----------------------------------------------------------------------------

def filled(template: str, **parts: list[nodes.Node]) -> list[nodes.Node]:
    """*template*'s text with each ``{name}`` replaced by the nodes *parts* gives for it."""
    out: list[nodes.Node] = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", str(template))):
        if i % 2:
            out.extend(parts[piece])
        elif piece:
            out.append(nodes.Text(piece))
    return out


def prose_list(items: list[list[nodes.Node]], separator: str = ", ") -> list[nodes.Node]:
    """Items joined as the edition's language writes them: "A, B and C" ("A, B och C"); with
    "; " (names that contain commas): "A; B; C"."""
    if len(items) < 2:
        return list(items[0]) if items else []
    head: list[nodes.Node] = []
    for i, item in enumerate(items[:-1]):
        head += [nodes.Text(separator)] if i else []
        head.extend(item)
    if separator != ", ":
        return head + [nodes.Text(separator), *items[-1]]
    return filled(_("{items} and {last}"), items=head, last=items[-1])


def joined(texts: list[str]) -> str:
    """Plain *texts* as a list in prose: "A, B and C", "A and B" ("A och B")."""
    return "".join(node.astext() for node in prose_list([[nodes.Text(t)] for t in texts]))


def chapter_link(chapter: Chapter, text: str) -> nodes.Node:
    """A link to *chapter*, as ``{ref}`text <label>``` writes it."""
    if chapter.label:
        target, reftype = chapter.label, "ref"
    else:
        target, reftype = "/" + chapter.docname, "doc"
    xref = addnodes.pending_xref("", refdomain="std", reftype=reftype, reftarget=target,
                                 refexplicit=True, refwarn=True)
    xref += nodes.inline(text, text, classes=["xref", "std", f"std-{reftype}"])
    return xref


class CatalogueRole(SphinxRole):
    """``{catalogue}`regions```: the regions (or themes) as an English list of links."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        uses_catalogue(self.env)
        cat = catalogue(self.env)
        target = self.text.strip()
        if target == "regions-by-country":
            return self.by_country(cat), []
        kind, _, variant = target.partition(":")
        if kind not in {"regions", "themes"} or variant not in {"", "short"}:
            logger.warning(f"unknown catalogue list '{target}'; use regions, themes, regions:short, "
                           "themes:short or regions-by-country", location=self.get_location(),
                           type="handbook", subtype="catalogue")
            return [nodes.Text(target)], []
        found = chapters(self.env, kind)
        texts = [c.short if variant else c.name for c in found]
        separator = "; " if any("," in t for t in texts) else ", "
        return prose_list([[chapter_link(c, t)] for c, t in zip(found, texts)], separator), []

    def by_country(self, cat: Catalogue) -> list[nodes.Node]:
        countries: dict[str, list[str]] = {}
        for region in chapters(self.env, "regions"):
            countries.setdefault(region.country, []).append(region.name)
        groups = []
        for country, names in countries.items():
            unknown = (f"one {country} ({{regions}})", f"{{count}} {country} ({{regions}})")  # front_matter reports it
            one, several = COUNTRIES.get(country, unknown)
            phrase = str(one if len(names) == 1 else several)
            groups.append([nodes.Text(phrase.format(count=number_words(len(names)), regions=joined(names)))])
        return prose_list(groups)


class CountRole(SphinxRole):
    """``{count}`sources```: how many sources (regions, themes) the handbook has, in words."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        uses_catalogue(self.env)
        target = self.text.strip()
        kind = target.lower()
        if kind not in {"regions", "themes", "sources"}:
            logger.warning(f"unknown count '{target}'; use regions, themes or sources",
                           location=self.get_location(), type="handbook", subtype="catalogue")
            return [nodes.Text(target)], []
        words = number_words(len(getattr(catalogue(self.env), kind)))  # in the edition's language
        return [nodes.Text(words.capitalize() if target[0].isupper() else words)], []


class CatalogueToctree(TocTree):
    """``{catalogue-toctree} regions``: a toctree of the region (theme, source-note) pages in
    catalogue order, then any entries written in the body."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        uses_catalogue(self.env)
        kind = self.arguments[0]
        if kind not in {"regions", "themes", "sources"}:
            logger.warning(f"unknown catalogue toctree '{kind}'; use regions, themes or sources",
                           location=self.get_location(), type="handbook", subtype="catalogue")
            return []
        docnames = [item.docname for item in getattr(catalogue(self.env), kind)]
        if kind == "sources":  # a source without a note is reported by handbook.views
            docnames = [d for d in docnames if d in self.env.found_docs]
        self.content = StringList([f"/{d}" for d in docnames] + list(self.content),
                                  source=self.get_source_info()[0])
        return super().run()


def setup(app: Sphinx) -> dict:
    app.setup_extension("handbook.languages")  # the names and words in the edition's language
    app.add_role("catalogue", CatalogueRole())
    app.add_role("count", CountRole())
    app.add_directive("catalogue-toctree", CatalogueToctree)
    keep_per_page(app, "handbook_catalogue_users")
    app.connect("env-get-outdated", refresh)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
