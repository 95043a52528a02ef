"""Dates as the sources give them: to the year, the month or the day, and as readers read them.

The one parser of the handbook's ISO dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), used by the
``{event}`` directive and the source notes (:mod:`handbook.views`) and by
``tools/check_references.py`` for the ``date`` field of references.bib; and the one way of
writing a date for readers, :func:`written`: "5 December 2016", "November 2012", "2012" in
English, "5 december 2016", "november 2012" in Swedish, as Babel writes the language's dates.

Standard library only in English: the pre-commit hook runs ``tools/check_references.py`` with
pybtex and nothing else installed; Babel (which Sphinx requires) is imported for other languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class BadDateFormat(ValueError):
    """Not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""


class ImpossibleDate(ValueError):
    """Well formed, but no day of the calendar (``2021-02-30``)."""


@dataclass(frozen=True, order=True)
class Day:
    """A date known to the year, the month or the day (``month``/``day`` are 0 when unknown).

    Ordered by date; at equal dates the less precise one (a whole month, a year) comes first.
    """

    year: int
    month: int = 0
    day: int = 0

    def __str__(self) -> str:
        """The date in English, as the handbook writes it: "5 December 2016"."""
        parts = [str(self.day)] if self.day else []
        parts += [MONTHS[self.month - 1]] if self.month else []
        return " ".join(parts + [str(self.year)])


def is_english(language: str | None) -> bool:
    """Whether *language* (a Sphinx ``language``: "en", "sv", "en_GB"…) is English, or not given."""
    return not language or language.replace("-", "_").split("_")[0] == "en"


def written(day: Day, language: str | None = None) -> str:
    """*day* as readers of *language* read it: "5 December 2016" in English, "5 december 2016"
    in Swedish; "November 2012", "november 2012"; "2012". Every date the handbook writes for
    readers comes from here."""
    if is_english(language):
        return str(day)
    if not day.month:
        return str(day.year)
    from babel.dates import format_date, format_skeleton  # only for a translated edition

    if day.day:  # the language's long date: "5 december 2016", in Danish "5. december 2016"
        return format_date(date(day.year, day.month, day.day), "long", locale=language)
    return format_skeleton("yMMMM", date(day.year, day.month, 1), locale=language)


def parse_date(text: str) -> Day:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise :class:`BadDateFormat` or
    :class:`ImpossibleDate` (both ValueError) for anything else."""
    match = DATE.match(str(text).strip())
    if not match:
        raise BadDateFormat(f"badly formatted date {text!r}; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        date(year, month if match.group(2) else 1, day if match.group(3) else 1)
    except ValueError as error:
        raise ImpossibleDate(f"impossible date {text!r} ({error})") from None
    return Day(year, month, day)


def date_range(start: Day, end: Day | None, language: str | None = None) -> str:
    """``5–6 December 2016``, ``4 December 2016 – 2 January 2017`` or just the start, in
    *language* (:func:`written`)."""
    if end is None or end == start:
        return written(start, language)
    first, last = written(start, language), written(end, language)
    if (start.year, start.month) == (end.year, end.month) and start.day and end.day:
        # The month and year once, after the end: the start's day as the language writes it
        # ("5", in Danish "5.").
        return f"{first.split(' ', 1)[0]}–{last}"
    return f"{first} – {last}"
