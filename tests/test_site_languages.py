"""Each translated site is the English site in its language: the same pages, its language declared,
and no English left in the words the templates and the extension write around the text.

The text of the pages is the translators' (their catalogues are checked by test_translations.py);
the site's own words are the templates' (sphinx.po) and the extension's (handbook.po). Those are
checked here, on the built pages, by comparing each translated page with its English page: a label
that reads the same in both is a label nobody translated. The language switch and the hreflang
alternates have tests of their own.
"""

from __future__ import annotations

import ast
import difflib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from conftest import LANGUAGES, REPO, TRANSLATIONS, Build
from test_site_html import SOURCE_LANGUAGE

#: conf.py's handbook_languages: code -> the language's name in itself ("Svenska"), as the
#: language switch shows it.
HANDBOOK_LANGUAGES = ast.literal_eval(
    re.search(r"^handbook_languages = (\{.*?\})", (REPO / "conf.py").read_text(encoding="utf-8"), re.M)[1])
#: Words that are the same in every language: names of file formats, units, keys, products and
#: the languages' own names. A label made of these (and numbers) alone is no leftover.
NAMES = frozenset({"PDF", "EPUB", "B", "kB", "MB", "Ctrl", "K", "⌘", "Pagefind", "Sphinx",
                   *HANDBOOK_LANGUAGES.values()})
#: The attributes whose words a reader meets: read aloud (aria-*, alt), shown (placeholder,
#: title as a tooltip) or shown by search engines and link previews (the meta tags below).
ATTRIBUTES = ("aria-label", "aria-description", "aria-roledescription", "title", "alt", "placeholder")
META = {"description", "og:title", "og:description", "og:site_name"}
#: Pages with no source document: every word on them is the templates' and the extension's.
TEMPLATE_PAGES = {"search.html", "genindex.html"}
#: A label shorter than this (in words) that shares two words in a row with its English
#: counterpart has English left in it ("Pages in Regioner").
SHORT_LABEL = 8


def site_files(site: Build) -> list[str]:
    """Every HTML file of a language's site (``build.edition(language)``), relative to its folder
    (not the translations' in the English site's)."""
    others = set(TRANSLATIONS) - {site.language}
    return sorted(str(p.relative_to(site.html)) for p in site.html.rglob("*.html")
                  if "_static" not in p.parts and p.relative_to(site.html).parts[0] not in others)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translated_site_has_every_page_of_the_english_site(build: Build, language: str) -> None:
    """The same documents, and the same search and index pages, under the same names: a page's
    address in one language is its address in the other with the language's folder added."""
    english, translated = set(site_files(build.edition(SOURCE_LANGUAGE))), set(site_files(build.edition(language)))
    assert len(english) >= 30, sorted(english)
    assert english - translated == set(), f"pages missing from the {language!r} site"
    assert translated - english == set(), f"pages only the {language!r} site has"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_declares_the_language_of_its_site(build: Build, language: str) -> None:
    """<html lang="sv"> on every Swedish page, as lang="en" on every English one: screen readers
    choose their voice, browsers their hyphenation and search engines the audience by it."""
    site = build.edition(language)
    wrong = {page: lang for page in site_files(site)
             if (lang := site.soup(site.html / page).html.get("lang")) != language}
    assert not wrong, f"pages whose <html lang> is not {language!r}: {wrong}"


# -- No English left in the site's own words -----------------------------------------------------

def normalised(text: str) -> str:
    return " ".join(text.split())


def shorten(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def words(text: str) -> list[str]:
    """The words of *text* that are not names: letters, with the punctuation around them cut off."""
    tokens = (token.strip(".,:;!?()[]{}\"'“”‘’«»…–—/|+*") for token in text.split())
    return [token for token in tokens if re.search(r"[^\W\d_]", token) and token not in NAMES]


def element_key(element: Tag) -> str:
    """Where *element* is in its page's structure: its tag, id and classes, and its parents'."""
    parts = []
    for node in [element, *element.parents]:
        if node.name in (None, "[document]"):
            continue
        label = node.name + (f"#{node['id']}" if node.get("id") else "")
        label += "".join(f".{c}" for c in sorted(node.get("class") or []))
        parts.append(label)
    return " > ".join(reversed(parts))


def declared_language(element: Tag) -> str | None:
    """The language of *element*, from the nearest lang attribute (a page shown in English in a
    translated edition marks its English: that English is declared, not left over)."""
    for node in [element, *element.parents]:
        if isinstance(node, Tag) and node.get("lang"):
            return node["lang"]
    return None


def site_words(soup: BeautifulSoup, whole_page: bool) -> list[tuple[str, str]]:
    """The words a page's templates and extension wrote, in document order, as (where, text): every
    visible text and label outside the article (header, sidebars, buttons, footer), the labels in
    the article (the article's text is the translators'), and the head's title and meta tags.
    With *whole_page* (the search and index pages), the article's text too. Words marked as
    another language than the page's are left out."""
    found = []
    language = soup.html.get("lang")
    if soup.title:
        found.append(("<title>", normalised(soup.title.get_text())))
    article = soup.select_one("article.bd-article")
    # A page the edition shows in the source language (its article marked so) is described in it.
    if article is None or declared_language(article) in (None, language):
        for meta in soup.select("meta[content]"):
            name = meta.get("name") or meta.get("property")
            if name in META:
                found.append((f"<meta {name}>", normalised(meta["content"])))
    for node in soup.body.descendants:
        if isinstance(node, Tag):
            for attribute in ATTRIBUTES:
                if node.get(attribute) and declared_language(node) in (None, language):
                    found.append((f"{element_key(node)} [{attribute}]", normalised(node[attribute])))
            # A link's words are one string, as the heading or page title it often shows is.
            if node.name == "a" and (whole_page or not node.find_parent("article", class_="bd-article")) \
                    and declared_language(node) in (None, language) and node.get_text(strip=True):
                found.append((element_key(node), normalised(node.get_text(" "))))
        elif isinstance(node, NavigableString) and not isinstance(node, Comment) and node.strip():
            parent = node.parent
            if parent.name in ("script", "style", "template", "noscript") or node.find_parent("a"):
                continue
            if not whole_page and parent.find_parent("article", class_="bd-article"):
                continue
            if declared_language(parent) in (None, language):
                found.append((element_key(parent), normalised(node)))
    return found


def headings(site: Build) -> frozenset[str]:
    """The headings of a site's articles and its glossary's terms: the translators' words, which
    the navigation, the tables of contents, the previous/next links, the pages' titles and the
    index show again."""
    found = set()
    for page in site_files(site):
        soup = site.soup(site.html / page)
        for heading in soup.select("article.bd-article :is(h1, h2, h3, h4, h5, h6, dl.glossary > dt)"):
            for link in heading.select("a.headerlink"):
                link.decompose()
            found.add(normalised(heading.get_text(" ")))
    return frozenset(found)


def without(text: str, phrases: frozenset[str]) -> str:
    """*text* with each of *phrases* (headings, names) cut out where it stands as whole words."""
    for phrase in sorted(phrases, key=len, reverse=True):
        if len(phrase) > 1 and phrase.lower() in text.lower():
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return normalised(text)


def skeleton(text: str, phrases: frozenset[str]) -> tuple[str, ...]:
    """The words of *text* that a translation must change: not the names, numbers and *phrases*."""
    return tuple(word.lower() for word in words(without(text, phrases)))


def shared_run(ours: tuple[str, ...], theirs: tuple[str, ...]) -> str | None:
    """Two or more words in a row that two skeletons share."""
    match = difflib.SequenceMatcher(None, ours, theirs, autojunk=False).find_longest_match(
        0, len(ours), 0, len(theirs))
    return " ".join(ours[match.a:match.a + match.size]) if match.size >= 2 else None


def leftovers(english_page: Path, translated_page: Path, names: frozenset[str],
              translated_headings: frozenset[str]) -> list[tuple[str, str, str]]:
    """The site's words on *translated_page* still in English, as (what, where, the whole text):
    those that read as on *english_page* but for names and numbers ("Download PDF (870 kB)"), and
    short labels that keep two words in a row of the English one at the same place ("Pages in
    Regioner", "Inledning — Nordic Life Science Regions Handbook"; what: those words)."""
    whole = translated_page.name in TEMPLATE_PAGES
    english = site_words(BeautifulSoup(english_page.read_text(encoding="utf-8"), "html.parser"), whole)
    translated = site_words(BeautifulSoup(translated_page.read_text(encoding="utf-8"), "html.parser"), whole)
    english_texts = {text for _, text in english}
    english_skeletons = {skeleton(text, names) for _, text in english}
    # Each of the translation's strings beside the English one at the same place in the template.
    matcher = difflib.SequenceMatcher(None, [where for where, _ in translated], [where for where, _ in english],
                                      autojunk=False)
    counterpart = {block.a + offset: english[block.b + offset][1]
                   for block in matcher.get_matching_blocks() for offset in range(block.size)}
    found = []
    for index, (where, text) in enumerate(translated):
        ours = skeleton(text, names)
        if text in translated_headings or not ours:
            continue  # the translators' words, or names and numbers only
        if text in english_texts or ours in english_skeletons:
            found.append((text, where, text))
            continue
        theirs = counterpart.get(index)
        if theirs and len(theirs.split()) <= SHORT_LABEL:
            # Less the translators' words in it, a label may keep no English words of its own.
            run = shared_run(skeleton(text, names | translated_headings), skeleton(theirs, names))
            if run:
                found.append((run, where, f"{text} (English: {theirs})"))
    return found


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translated_pages_keep_no_english_in_the_sites_own_words(build: Build, language: str) -> None:
    """Every label, button, heading and line of the header, the sidebars and the footer, every
    aria-label, tooltip, placeholder and alt text, the title and the meta tags: on no page of the
    translated site does one read as on the English page, other than names (file formats, the
    languages' names, keys, and the headings both sites share, such as "Region Skåne"). English
    that the page marks with lang="en" is declared, not left over. These strings come from the
    templates (sphinx.po) and the extension (handbook.po, the pages' front matter); each one still
    in English is named once, with where it is and on how many pages."""
    english_site, translated_site = build.edition(SOURCE_LANGUAGE), build.edition(language)
    translated_headings = headings(translated_site)
    names = headings(english_site) & translated_headings  # headings no translation changes are names
    pages = site_files(translated_site)
    assert len(pages) >= 30, pages
    found: dict[str, list] = {}
    for page in pages:
        for what, where, text in leftovers(english_site.html / page, translated_site.html / page, names,
                                           translated_headings):
            found.setdefault(what, [f"{language}/{page}", where, text, 0])[3] += 1
    report = "\n".join(f"  {shorten(what)!r}: on {count} pages; first {page}, {' > '.join(where.split(' > ')[-2:])}: {shorten(text)!r}"
                       for what, (page, where, text, count) in sorted(found.items(), key=lambda kv: -kv[1][3]))
    assert not found, f"{len(found)} strings still in English on the {language!r} pages:\n{report}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glossary_is_in_the_alphabetical_order_of_its_language(language: str, build: Build) -> None:
    from handbook.glosses import alphabetical_key

    site = build.edition(language)
    soup = site.soup(site.html / "chapters" / "reference" / "glossary.html")
    terms = [dt.get_text(" ", strip=True).rstrip("#¶ ").strip() for dt in soup.select("dl.glossary > dt")]
    assert len(terms) > 20
    assert terms == sorted(terms, key=lambda term: alphabetical_key(term, language))
