"""No page repeats a source release word for word: checked against the committed fingerprint.

The releases themselves are not in the repository (they carry personal contact data), so
tools/fingerprint_sources.py turns them into keyed hashes of their runs of seven words,
tests/data/source-fingerprints.json. These checks need only that file: they run, and never skip,
in every clone. Only the check that the file is up to date needs the releases (../shared).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import LANGUAGES, REPO, Build
from handbook import bibfile
from fingerprint_sources import DEFAULT_OUT, DEFAULT_SOURCES, Fingerprints, main

FINGERPRINTS = DEFAULT_OUT
#: Markdown that becomes the site: every page, and the contributor guide that a page includes.
MARKDOWN = [REPO / "index.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "chapters").rglob("*.md"))]


def bib_titles(bib: Path = REPO / "references.bib") -> tuple[str, ...]:
    """The releases' original titles: quoting one is citing, not copying."""
    return tuple(entry.fields["title"] for entry in bibfile.read(bib).entries.values())


def copied(texts: dict[str, str], fingerprints: Fingerprints, titles: tuple[str, ...]) -> dict[str, list[str]]:
    """Per text, each run of seven words a release shares, as '"phrase" (release key)'."""
    found = {}
    for name, text in texts.items():
        shared = fingerprints.shared(text, titles)
        if shared:
            found[name] = sorted(f'"{phrase}" ({key})' for key, phrases in shared.items() for phrase in phrases)
    return found


@pytest.fixture(scope="module")
def fingerprints() -> Fingerprints:
    return Fingerprints.load(FINGERPRINTS)


def test_the_fingerprint_covers_every_release_in_references_bib(fingerprints: Fingerprints) -> None:
    keys = set(bibfile.read(REPO / "references.bib").entries)
    missing = sorted(keys - set(fingerprints.releases))
    assert not missing, (f"releases in references.bib without a fingerprint: {missing}; run "
                         "`make fingerprints` with the release beside the clone (CONTRIBUTING.md)")
    empty = sorted(key for key, digests in fingerprints.releases.items() if len(digests) < 50)
    assert not empty, f"fingerprints with almost no runs (is the release's text complete?): {empty}"


def page_texts(name: str, article) -> dict[str, str]:
    """The article's running text, and each table cell on its own: a run of words that crosses
    from one cell into the next is no sentence of the handbook's (a name, then a role, then an
    organisation, in a table of people), and a source that lists them the same way is not copied."""
    cells = {}
    for number, cell in enumerate(article.select("td, th")):
        cells[f"{name} (table cell {number + 1})"] = cell.get_text(" ")
        cell.decompose()
    return {name: article.get_text(" "), **cells}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_built_page_repeats_a_source_word_for_word(build: Build, fingerprints: Fingerprints,
                                                      language: str) -> None:
    """In every language: translating the handbook back into Swedish can easily give a source's
    own sentences again."""
    site = build.edition(language)
    texts = {}
    for page in site.html_pages():
        article = site.soup(page).select_one("article.bd-article")  # the page without navigation
        if article is not None:
            texts.update(page_texts(str(page.relative_to(build.html)), article))
    assert len(texts) >= len(MARKDOWN) - 1, "fewer built pages than Markdown pages: is the article selector right?"
    found = copied(texts, fingerprints, bib_titles())
    assert not found, f"pages that repeat a source word for word (7+ words in a row; write it in your own words): {found}"


def test_a_run_across_table_cells_is_not_copying_but_one_inside_a_cell_is() -> None:
    from bs4 import BeautifulSoup

    article = BeautifulSoup("<article><p>Intro.</p><table><tr><td>one two three</td><td>four five six seven</td>"
                            "<td>a b c d e f g</td></tr></table></article>", "html.parser").article
    texts = page_texts("p.html", article)
    assert texts == {"p.html": "Intro.", "p.html (table cell 1)": "one two three",
                     "p.html (table cell 2)": "four five six seven", "p.html (table cell 3)": "a b c d e f g"}


def test_no_markdown_source_repeats_a_source_word_for_word(fingerprints: Fingerprints) -> None:
    texts = {str(md.relative_to(REPO)): md.read_text(encoding="utf-8") for md in MARKDOWN}
    found = copied(texts, fingerprints, bib_titles())
    assert not found, f"Markdown files that repeat a source word for word (7+ words in a row): {found}"


@pytest.mark.skipif(not DEFAULT_SOURCES.is_dir(), reason="the releases (../shared/sources) are not beside "
                    "this clone; the copy checks above use the committed fingerprint and ran anyway")
def test_the_committed_fingerprint_is_up_to_date(tmp_path: Path) -> None:
    key = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))["key"]
    main(["--out", str(tmp_path / "now.json"), "--key", key])
    assert (tmp_path / "now.json").read_bytes() == FINGERPRINTS.read_bytes(), \
        "the releases changed since the fingerprint was made: run `make fingerprints` and commit it"


# -- The tool, on a release made up for the test ------------------------------------------------

TITLE = "Regionen tecknar ett avtal om forskning med en partner"
RELEASE = f"""{TITLE}

Regionen har idag tecknat ett avtal om samarbete inom forskning och vård med en partner i norr.
Kontakt: anna.svensson@region.example, telefon 070-123 45 67.
"""
BIB = """@misc{{fixture2020avtal,
  author = {{{{Regionen}}}},
  title  = {{{title}}},
  year   = {{2020}},
}}
"""
KEY = "00112233445566778899aabbccddeeff"


def fixture_sources(tmp_path: Path, release: str = RELEASE, title: str = TITLE) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "000_fixture.txt").write_text(release, encoding="utf-8")
    (sources / "sources.yaml").write_text(f'- file: 000_fixture.txt\n  title: "{title}"\n', encoding="utf-8")
    bib = tmp_path / "references.bib"
    bib.write_text(BIB.format(title=title), encoding="utf-8")
    return sources, bib


def run_tool(tmp_path: Path, out: str, *extra: str) -> Path:
    sources, bib = (tmp_path / "sources", tmp_path / "references.bib")
    if not sources.exists():
        fixture_sources(tmp_path)
    main(["--sources", str(sources), "--bib", str(bib), "--out", str(tmp_path / out), *extra])
    return tmp_path / out


def test_the_tool_is_deterministic(tmp_path: Path) -> None:
    first = run_tool(tmp_path, "a.json", "--key", KEY).read_bytes()
    assert run_tool(tmp_path, "b.json", "--key", KEY).read_bytes() == first
    assert run_tool(tmp_path, "a.json").read_bytes() == first  # no --key: keeps the file's own key
    data = json.loads(first)
    assert [(r["file"], r["key"]) for r in data["releases"]] == [("000_fixture.txt", "fixture2020avtal")]


def test_a_planted_run_of_seven_words_is_caught_and_six_are_not(tmp_path: Path) -> None:
    fingerprints = Fingerprints.load(run_tool(tmp_path, "f.json", "--key", KEY))
    seven = "In the handbook's words: Regionen har idag tecknat ett avtal om, which we paraphrase."
    six = "In the handbook's words: Regionen har idag tecknat ett avtal, which we paraphrase."
    assert copied({"seven.md": seven, "six.md": six}, fingerprints, (TITLE,)) == {
        "seven.md": ['"regionen har idag tecknat ett avtal om" (fixture2020avtal)']}


def test_a_quoted_title_is_not_copying(tmp_path: Path) -> None:
    fingerprints = Fingerprints.load(run_tool(tmp_path, "f.json", "--key", KEY))
    # The title, then the words that follow it in the release too, as a list of sources can.
    cited = f"Regionen. {TITLE} Regionen har idag [The region signs an agreement]."
    assert copied({"bibliography.html": cited}, fingerprints, (TITLE,)) == {}


def test_the_fingerprint_holds_no_words_of_the_release(tmp_path: Path) -> None:
    text = run_tool(tmp_path, "f.json", "--key", KEY).read_text(encoding="utf-8").lower()
    for word in ["tecknat", "samarbete", "forskning", "anna", "svensson", "070"]:
        assert word not in text


def test_a_release_without_a_references_bib_entry_is_refused(tmp_path: Path) -> None:
    sources, bib = fixture_sources(tmp_path)
    bib.write_text(BIB.format(title="Another title"), encoding="utf-8")
    with pytest.raises(SystemExit, match="no entry in references.bib has its title"):
        main(["--sources", str(sources), "--bib", str(bib), "--out", str(tmp_path / "f.json")])
