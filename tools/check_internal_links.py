#!/usr/bin/env python3
"""Check the internal links of the built HTML handbook: every href and src.

    python3 tools/check_internal_links.py _build/html [--sources .]

HTML: every ``href`` and ``src`` in every page that points inside the site must name a file that
exists, and its ``#fragment`` must be an ``id`` in the target page. Links with a scheme or a host
(``https:``, ``mailto:``, ``//cdn…``) are external and left to ``make linkcheck``. Pages in
``_static`` are theme template fragments, not pages, and are not scanned (their targets are).

Exit status 1, with one ``file:line: message`` per problem, when anything is broken. Only the
standard library is used, so the script runs with any Python 3.9+.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import unquote, urlsplit

#: Attributes that hold a single address.
LINK_ATTRIBUTES = frozenset({"href", "src"})
#: Folders whose .html files are not pages (sphinx-book-theme ships Jinja macros in _static).
NOT_PAGES = frozenset({"_static", "_sources"})
HTML_SUFFIXES = frozenset({".html", ".htm"})

@dataclass(frozen=True)
class Problem:
    """One broken link: where it is (page and line in the built HTML) and what is wrong."""

    page: str  # path of the page in the site, with / separators
    line: int
    url: str
    reason: str
    source: str | None = None  # the source file the page was built from, when known

    def __str__(self) -> str:
        where = f" (source: {self.source})" if self.source else ""
        return f"{self.page}:{self.line}: broken link {self.url!r}: {self.reason}{where}"


@dataclass
class Report:
    """The result of checking one site."""

    pages: int = 0
    checked: list[tuple[str, str]] = field(default_factory=list)  # (page, url) of internal links
    problems: list[Problem] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Collect the ids (and <a name> anchors) of a page and its href/src/srcset values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append((line, value))
            elif name == "srcset":
                # "a.png 1x, b.png 2x": each candidate is an address and an optional descriptor.
                self.links.extend((line, c.split()[0]) for c in value.split(",") if c.strip())

    handle_startendtag = handle_starttag


def _parse(page: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def is_internal(url: str) -> bool:
    """True for a relative address inside the site; False for anything with a scheme or host."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc


def check_site(site: Path, sources: Path | None = None, base_url: str = "") -> Report:
    """Check every internal link of every page in *site*.

    With *sources* (the source directory), each problem also names the source file the page was
    built from (``chapters/x.html`` -> ``chapters/x.md``), which is the file to edit.

    Site-absolute paths (``/x.html``) break when the site is not served from the domain root, so
    they are problems, unless *base_url* (the site's public address, ``html_baseurl``) is given:
    then paths under its path are resolved in the site (a 404 page needs them).
    """
    base_path = urlsplit(base_url).path.rstrip("/") + "/" if base_url else None
    site = site.resolve()
    report = Report()
    parsed: dict[Path, _PageParser] = {}

    def parse(page: Path) -> _PageParser:
        if page not in parsed:
            parsed[page] = _parse(page)
        return parsed[page]

    pages = sorted(
        p for p in site.rglob("*")
        if p.suffix in HTML_SUFFIXES and p.is_file()
        and not NOT_PAGES & set(p.relative_to(site).parts[:-1])
    )
    for page in pages:
        report.pages += 1
        rel = PurePosixPath(page.relative_to(site).as_posix())
        for line, url in parse(page).links:
            if not url.strip() or not is_internal(url):
                continue
            report.checked.append((str(rel), url))
            reason = _check_link(site, page, url.strip(), lambda target: parse(target).ids,
                                 base_path)
            if reason:
                report.problems.append(Problem(str(rel), line, url, reason, _source_of(rel, sources)))
    return report


def _check_link(site: Path, page: Path, url: str, page_ids: Callable[[Path], set[str]],
                base_path: str | None = None) -> str | None:
    """Return why *url* on *page* is broken, or None when it resolves."""
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    base = page.parent
    if path.startswith("/"):
        if base_path is None:
            return "site-absolute path; it breaks when the site is not served from the domain root"
        if not path.startswith(base_path):
            return f"site-absolute path outside the site's base path {base_path}"
        base, path = site, path[len(base_path):] or "./"
    if path:
        target = Path(os.path.normpath(base / path))
        if target != site and site not in target.parents:
            return "points outside the site"
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
    else:
        target = page  # "#fragment" or "?query" on the same page
    shown = target.relative_to(site).as_posix()
    if not target.is_file():
        return f"{shown} does not exist"
    if fragment and target.suffix in HTML_SUFFIXES and fragment not in page_ids(target):
        return f"no id {fragment!r} in {shown}"
    return None


def _source_of(page: PurePosixPath, sources: Path | None) -> str | None:
    if sources is None:
        return None
    for suffix in (".md", ".rst"):
        candidate = page.with_suffix(suffix)
        if (sources / candidate).is_file():
            return str(candidate)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built HTML site, e.g. _build/html")
    parser.add_argument("--sources", type=Path, help="source directory, to name the file to edit")
    parser.add_argument("--base-url", default="", help="the site's public address (html_baseurl)")
    args = parser.parse_args(argv)

    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site (no index.html)")
    report = check_site(args.site, args.sources, args.base_url)
    messages = [str(p) for p in report.problems]
    for message in messages:
        print(message)
    summary = f"{len(report.checked)} internal links on {report.pages} pages"
    if messages:
        print(f"{len(messages)} problems; checked {summary}", file=sys.stderr)
        return 1
    print(f"ok: checked {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
