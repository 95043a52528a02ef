#!/usr/bin/env python3
"""Check that every entry in references.bib carries the fields the handbook promises readers.

Each source release needs: a corporate author, the original ``title`` and the English
``titleaddon``, a ``date`` at the precision known (YYYY, YYYY-MM or YYYY-MM-DD) that agrees with
``year``/``month``/``day``, the kind of release in ``type``, and its ``language``. A ``url`` is
optional (leave it out when none is known) but must be a web address when given.

Usage: tools/check_references.py [references.bib …]   (exit status 1 when anything is wrong)
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from pybtex.database import BibliographyData, parse_string

REQUIRED = ("title", "titleaddon", "year", "date", "type", "language")
LANGUAGES = {"Swedish", "Danish", "Norwegian", "Finnish", "Icelandic", "English"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
KEY = re.compile(r"^[a-z]+[0-9]{4}[a-z]+$")  # publisher, year, subject: skane2012tianjin


def entry_lines(text: str) -> dict[str, int]:
    return {m.group(1): text[: m.start()].count("\n") + 1
            for m in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,", text)}


def check_entry(key: str, fields, persons) -> list[str]:
    problems = [f"missing field '{name}'" for name in REQUIRED if not fields.get(name, "").strip()]
    if not persons.get("author"):
        problems.append("missing 'author' (the publisher, in double braces: {{Region Skåne}})")
    if not KEY.match(key):
        problems.append("key should be publisher + year + subject in lower case, e.g. skane2012tianjin")
    if fields.get("language") and fields["language"] not in LANGUAGES:
        problems.append(f"language '{fields['language']}' should be one of {', '.join(sorted(LANGUAGES))}")
    if fields.get("url") and not re.match(r"https?://", fields["url"]):
        problems.append("url must start with http:// or https://")
    if fields.get("date"):
        problems += check_date(fields)
    return problems


def check_date(fields) -> list[str]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", fields["date"])
    if not match:
        return [f"date '{fields['date']}' must be YYYY, YYYY-MM or YYYY-MM-DD"]
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return [f"date '{fields['date']}' is not a calendar date"]
    problems = []
    if fields.get("year") != year:
        problems.append(f"year '{fields.get('year')}' disagrees with date '{fields['date']}'")
    given_month = fields.get("month", "").strip().lower()
    if month and given_month not in (MONTHS[int(month) - 1], MONTHS[int(month) - 1][:3], str(int(month))):
        problems.append(f"month '{fields.get('month', '')}' disagrees with date '{fields['date']}'")
    if not month and given_month:
        problems.append("month is given but the date has no month: keep the precision the source gives")
    if (fields.get("day") or None) != (str(int(day)) if day else None):
        problems.append(f"day '{fields.get('day', '')}' disagrees with date '{fields['date']}'")
    return problems


def check_file(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    data: BibliographyData = parse_string(text, "bibtex")
    lines = entry_lines(text)
    return [f"{path}:{lines.get(key, 1)}: {key}: {problem}"
            for key, entry in data.entries.items()
            for problem in check_entry(key, entry.fields, entry.persons)]


def main(paths: list[str]) -> int:
    problems = [p for path in (paths or ["references.bib"]) for p in check_file(Path(path))]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
