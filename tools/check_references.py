#!/usr/bin/env python3
"""Check that every entry in references.bib carries the fields the handbook promises readers.

Each source release needs: a corporate author, the original ``title`` and the English
``titleaddon``, a ``date`` at the precision known (YYYY, YYYY-MM or YYYY-MM-DD) that agrees with
``year``/``month``/``day``, the kind of release in ``type``, and its ``language``. A ``url`` is
optional (leave it out when none is known) but must be a web address when given.

The file is read, and dates are parsed, as the build reads and parses them (``handbook.bibfile``,
``handbook.dates`` in ``_ext``); BibTeX syntax errors and repeated keys are reported too.

Usage: tools/check_references.py [references.bib …]   (exit status 1 when anything is wrong)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from handbook import bibfile  # noqa: E402
from handbook.dates import MONTHS, BadDateFormat, ImpossibleDate, parse_date  # noqa: E402

REQUIRED = ("title", "titleaddon", "year", "date", "type", "language")
LANGUAGES = {"Swedish", "Danish", "Norwegian", "Finnish", "Icelandic", "English"}
KEY = re.compile(r"^[a-z]+[0-9]{4}[a-z]+$")  # publisher, year, subject: skane2012tianjin


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
    try:
        day = parse_date(fields["date"])
    except BadDateFormat:
        return [f"date '{fields['date']}' must be YYYY, YYYY-MM or YYYY-MM-DD"]
    except ImpossibleDate:
        return [f"date '{fields['date']}' is not a calendar date"]
    problems = []
    if fields.get("year") != str(day.year):
        problems.append(f"year '{fields.get('year')}' disagrees with date '{fields['date']}'")
    given_month = fields.get("month", "").strip().lower()
    month = MONTHS[day.month - 1].lower() if day.month else ""
    if month and given_month not in (month, month[:3], str(day.month)):
        problems.append(f"month '{fields.get('month', '')}' disagrees with date '{fields['date']}'")
    if not month and given_month:
        problems.append("month is given but the date has no month: keep the precision the source gives")
    if (fields.get("day") or None) != (str(day.day) if day.day else None):
        problems.append(f"day '{fields.get('day', '')}' disagrees with date '{fields['date']}'")
    return problems


def check_file(path: Path) -> list[str]:
    bib = bibfile.read(path)
    return ([f"{path}:{line}: {message}" for line, message in bib.syntax_errors]
            + [f"{path}: {message}" for message in bib.data_errors]
            + [f"{path}:{bib.lines.get(key, 1)}: {key}: {problem}"
               for key, entry in bib.entries.items()
               for problem in check_entry(key, entry.fields, entry.persons)])


def main(paths: list[str]) -> int:
    problems = [p for path in (paths or ["references.bib"]) for p in check_file(Path(path))]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
