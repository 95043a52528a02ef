"""Every page of the built site is valid HTML, as the W3C Nu HTML Checker reads it.

The checker is npm's ``vnu-jar`` (pinned in package.json, installed by `make test`), run on
Debian's Java, which `make test` installs for EPUBCheck too. It runs once over every page of the
session's build; a page with an error fails the test with its file, line and message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import LANGUAGES, REPO, Build

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(pages: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors on *pages* (warnings and notes left out), as it reports them."""
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs Debian's default-jre-headless (tools/debian-packages-java.txt)"
    if not VNU_JAR.is_file():
        pytest.skip("node_modules is not installed (`make test` installs it)")
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    assert result.stdout.strip(), f"the checker reported nothing (exit {result.returncode}): {result.stderr}"
    return [m for m in json.loads(result.stdout)["messages"] if m.get("type") in ("error", "non-document-error")]


def describe(message: dict, root: Path) -> str:
    url = message.get("url", "")
    where = Path(url.removeprefix("file:")).relative_to(root) if url.startswith("file:") else url
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}"


def site_pages(build: Build) -> list[Path]:
    """Every HTML page of the built site, in every language (sv/…): the chapters, and the search,
    index and other pages."""
    return sorted(p for p in build.html.rglob("*.html") if "_static" not in p.relative_to(build.html).parts)


def test_every_page_is_valid_html(build: Build) -> None:
    pages = site_pages(build)
    assert len(pages) >= 30, pages
    for language in LANGUAGES:  # the translations' pages are checked too, in the same run
        site = build.edition(language)
        assert {site.html / name for name in ("index.html", "search.html", "genindex.html")} | set(
            site.html_pages()) <= set(pages), f"the {language!r} pages are not all checked"
    errors = vnu_errors(pages)
    assert not errors, f"{len(errors)} errors from the Nu HTML Checker:\n" + "\n".join(
        describe(m, build.html.resolve()) for m in errors)


def test_the_checker_reports_an_invalid_page(tmp_path: Path) -> None:
    page = tmp_path / "invalid.html"
    page.write_text('<!DOCTYPE html>\n<html lang="en"><head><title>T</title></head><body>\n'
                    '<button><svg title="Light" viewBox="0 0 1 1"></svg></button>\n</body></html>\n',
                    encoding="utf-8")
    errors = vnu_errors([page])
    assert [describe(m, tmp_path.resolve()) for m in errors] == [
        "invalid.html:3: Attribute “title” not allowed on element “svg” at this point."]


def test_every_icon_is_drawn_inline_and_none_is_left_to_font_awesome(build: Build) -> None:
    """handbook.icons: the theme's icons are inline SVG with a path; no page loads Font Awesome."""
    drawn = 0
    for page in site_pages(build):
        soup = build.soup(page)
        left = [str(e) for e in soup.select("i[class*=fa-], span[class*=fa-]") if not e.get_text(strip=True)]
        assert not left, f"{page.name}: icons left to Font Awesome's script: {left}"
        for svg in soup.select("svg.svg-inline--fa"):
            assert svg.get("aria-hidden") == "true" and svg.select_one("path[d]"), f"{page.name}: {svg}"
            assert svg.get("title") is None, f"{page.name}: a title attribute on an svg"
            drawn += 1
        assert "fontawesome" not in page.read_text(encoding="utf-8"), page.name
    assert drawn >= 10 * len(site_pages(build))
    for language in LANGUAGES:
        switch = build.soup(build.edition(language).html / "index.html").select(
            "button.theme-switch-button > svg.theme-switch")
        assert [s["data-mode"] for s in switch] == ["light", "dark", "auto"], language
    assert not (build.html / "_static/scripts/fontawesome.js").exists()
