"""Check every chapter's front matter when it is read.

Each page starts with a YAML block that says what kind of page it is, which regions and themes
it covers, and a one-sentence summary (used as the page's meta description). A typo there would
silently drop a page from the generated views, so the build stops instead, naming the file, the
line and what to change:

.. code-block:: yaml

   ---
   kind: region
   regions: [skane]
   themes: [china, clusters]
   short: Skåne
   order: 10
   country: Sweden
   summary: One plain sentence of at most 160 characters.
   ---

The known region and theme ids are those of the chapters themselves (:mod:`handbook.catalogue`).
A region or theme chapter also gives its short label (``short``), its place (``order``) and, for
a region, its ``country``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml
from sphinx.application import Sphinx
from sphinx.util import logging

from .catalogue import COUNTRIES, FRONT_MATTER, catalogue
from .page_stores import keep_per_page

logger = logging.getLogger(__name__)

KINDS = {"landing", "introduction", "overview", "region", "partner", "theme", "reference", "guide",
         "view", "source-note"}  # generated views (handbook.views) and one page per source
SUMMARY_MAX = 160
#: Keys every page needs, and keys each kind needs on top.
REQUIRED = {"kind", "summary"}
REQUIRED_BY_KIND = {"region": {"regions", "themes", "short", "order", "country"},
                    "theme": {"regions", "themes", "short", "order"},
                    "partner": {"regions", "themes"}}
ALLOWED = REQUIRED | {"regions", "themes", "matrix", "short", "order", "country"}
#: Keys that only some kinds of page may have: the catalogue's fields (handbook.catalogue).
ONLY_FOR = {"short": {"region", "theme"}, "order": {"region", "theme"}, "country": {"region"}}
SHORT_MAX = 24  # a column heading of the region × theme matrix
MATRIX_MAX = 90  # a region × theme matrix cell (``matrix:`` in a theme chapter) is one short line


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a page's front matter, at a line of the source file."""

    line: int
    message: str


def key_lines(block: str) -> dict[str, int]:
    """Line number (1-based, in the file) of each top-level key of the front-matter block."""
    return {m.group(1): block[: m.start()].count("\n") + 2
            for m in re.finditer(r"^([A-Za-z_][\w-]*)\s*:", block, flags=re.M)}


def check_front_matter(source: str, docname: str, regions: set[str], themes: set[str]) -> list[Problem]:
    """Return the problems with the front matter at the top of *source* (a page of *docname*)."""
    match = FRONT_MATTER.match(source)
    if not match:
        return [Problem(1, "the page has no front matter; start it with a '---' block "
                           "giving at least 'kind' and 'summary' (see CONTRIBUTING.md)")]
    block = match.group(1)
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        return [Problem(line, f"the front matter is not valid YAML ({getattr(error, 'problem', error)}); "
                              "quote a summary that contains a colon")]
    if not isinstance(data, dict):
        return [Problem(2, "the front matter must be 'key: value' lines")]
    lines = key_lines(block)
    at = lambda key: lines.get(key, 1)  # noqa: E731
    problems: list[Problem] = []

    for key in sorted(set(data) - ALLOWED):
        problems.append(Problem(at(key), f"unknown front-matter key '{key}'; "
                                         f"allowed keys are {', '.join(sorted(ALLOWED))}"))
    kind = data.get("kind")
    required = REQUIRED | REQUIRED_BY_KIND.get(kind, set())
    for key in sorted(required - set(data)):
        problems.append(Problem(1, f"front matter is missing '{key}'"))
    if "kind" in data and kind not in KINDS:
        problems.append(Problem(at("kind"), f"unknown kind '{kind}'; use one of {', '.join(sorted(KINDS))}"))

    for key, kinds in ONLY_FOR.items():
        if key in data and kind in KINDS and kind not in kinds:
            problems.append(Problem(at(key), f"'{key}' belongs only in a {' or '.join(sorted(kinds))} chapter"))
    short = data.get("short")
    if "short" in data and (not isinstance(short, str) or not short.strip() or len(short) > SHORT_MAX):
        problems.append(Problem(at("short"), f"'short' is the chapter's label in the region × theme matrix: "
                                             f"a few words, at most {SHORT_MAX} characters, e.g. short: Skåne"))
    order = data.get("order")
    if "order" in data and (not isinstance(order, (int, float)) or isinstance(order, bool)):
        problems.append(Problem(at("order"), "'order' is a number giving the chapter's place in lists, "
                                             "toctrees and the matrix, e.g. order: 60"))
    if "country" in data and data["country"] not in COUNTRIES:
        problems.append(Problem(at("country"), f"unknown country '{data['country']}'; "
                                               f"use one of {', '.join(COUNTRIES)}"))

    summary = data.get("summary")
    if "summary" in data:
        if not isinstance(summary, str) or not summary.strip():
            problems.append(Problem(at("summary"), "the summary must be one sentence of plain text"))
        elif len(summary) > SUMMARY_MAX:
            problems.append(Problem(at("summary"), f"the summary has {len(summary)} characters; "
                                                   f"keep it to {SUMMARY_MAX} (it is the page's meta description)"))

    for key, known in (("regions", regions), ("themes", themes)):
        if key not in data:
            continue
        values = data[key]
        example = min(known, default="an-id")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or not values:
            problems.append(Problem(at(key), f"'{key}' must be a non-empty list of ids, e.g. {key}: [{example}]"))
            continue
        for value in values:
            if value not in known:
                problems.append(Problem(at(key), f"unknown {key[:-1]} '{value}' in '{key}'; "
                                                 f"known ids are {', '.join(sorted(known))}"))

    matrix = data.get("matrix")
    if "matrix" in data:
        listed = data.get("regions") if isinstance(data.get("regions"), list) else []
        if kind != "theme" or not isinstance(matrix, dict):
            problems.append(Problem(at("matrix"), "'matrix' belongs in a theme chapter: one line "
                                                  "'<region-id>: <one-line summary>' per region"))
        else:
            for region in listed:
                if not isinstance(matrix.get(region), str) or not matrix[region].strip():
                    problems.append(Problem(at("matrix"), f"'matrix' needs a one-line summary for "
                                                          f"region '{region}'"))
            for region, line in matrix.items():
                if region not in listed:
                    problems.append(Problem(at("matrix"), f"'matrix' has region '{region}', which "
                                                          "'regions' does not list"))
                elif isinstance(line, str) and len(line) > MATRIX_MAX:
                    problems.append(Problem(at("matrix"), f"the matrix line for '{region}' has "
                                                          f"{len(line)} characters; keep it to {MATRIX_MAX}"))

    stem = PurePosixPath(docname).name
    for own_kind, key in (("region", "regions"), ("theme", "themes")):
        if kind == own_kind and isinstance(data.get(key), list) and data[key] != [stem]:
            problems.append(Problem(at(key), f"a {own_kind} chapter covers exactly its own {own_kind}: "
                                             f"write '{key}: [{stem}]' (the file name is its id)"))
    return problems


def check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read`` handler: report each problem as a warning at its file and line."""
    known = catalogue(app.env)
    regions, themes = known.ids("regions"), known.ids("themes")
    match = FRONT_MATTER.match(source[0])
    try:
        data = yaml.safe_load(match.group(1)) if match else {}
    except yaml.YAMLError:
        data = {}
    # The parsed block, for handbook.views (Sphinx's own metadata keeps lists only as strings).
    app.env.handbook_front_matter[docname] = data if isinstance(data, dict) else {}
    for problem in check_front_matter(source[0], docname, regions, themes):
        logger.warning(problem.message, location=(docname, problem.line),
                       type="handbook", subtype="front_matter")


def setup(app: Sphinx) -> dict:
    app.setup_extension("handbook.catalogue")  # the ids that front matter may use
    app.connect("source-read", check_page)
    keep_per_page(app, "handbook_front_matter")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
