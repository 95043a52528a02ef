#!/usr/bin/env python3
"""Check translation catalogues (locales/<language>/LC_MESSAGES/**/*.po) message by message.

    .venv/bin/python tools/check_translations.py                      # every catalogue
    .venv/bin/python tools/check_translations.py locales/sv/LC_MESSAGES/chapters/regions/skane.po

For each message it reports, with the catalogue's file and the message's source line:

- **coverage**: a message not translated, or marked fuzzy (a translation to be checked after the
  English changed). Either would show English, or a stale sentence, in the translated edition.
- **consistency**: a number, a date's month, or a citation key of the English message that its
  translation lacks. Numbers are compared as digits, so ``32,000`` matches ``32 000`` and ``1.5``
  matches ``1,5``; number words (``two``) and month names must appear in the translation's
  language, from the tables below.
- **copying**: a run of seven words that the translation shares with a source release, from the
  committed fingerprint (tests/data/source-fingerprints.json); titles of releases are cut out
  first, as in the English copy check.

tests/test_translations.py runs the same checks on every catalogue. Exit status 1 if any problem.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALES = REPO / "locales"
sys.path[:0] = [str(REPO / "tools"), str(REPO / "_ext")]

#: Per language: the English number words (two to twelve) and month names, in that language.
#: "one" is left out: in English it is as often a pronoun ("one of them") as a number.
NUMBER_WORDS = {
    "sv": {"two": "två", "three": "tre", "four": "fyra", "five": "fem", "six": "sex", "seven": "sju",
           "eight": "åtta", "nine": "nio", "ten": "tio", "eleven": "elva", "twelve": "tolv"},
    "da": {"two": "to", "three": "tre", "four": "fire", "five": "fem", "six": "seks", "seven": "syv",
           "eight": "otte", "nine": "ni", "ten": "ti", "eleven": "elleve", "twelve": "tolv"},
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTH_NAMES = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"],
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
           "oktober", "november", "december"],
}

NUMBER = re.compile(r"\d+(?:[ ,.\u00a0\u202f]\d+)*")
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Problem:
    catalogue: str  # path relative to the repository
    where: str  # the message's first source location, "chapters/regions/skane.md:14"
    kind: str  # "untranslated", "fuzzy", "missing", "copied"
    detail: str
    msgid: str

    def __str__(self) -> str:
        excerpt = self.msgid if len(self.msgid) <= 90 else self.msgid[:87] + "..."
        return f"{self.catalogue}: {self.where}: {self.kind}: {self.detail}\n    msgid: {excerpt}"


def digits(text: str) -> list[str]:
    """The numbers of *text* as digit strings, separators removed: '32,000' and '32 000' -> '32000'.
    Parts of citation keys and role targets do not count (they are compared as keys)."""
    text = ROLE.sub(lambda m: "" if m.group(1).startswith(("cite", "ref", "doc", "numref")) else m.group(2), text)
    return sorted(re.sub(r"\D", "", n) for n in NUMBER.findall(text))


def citation_keys(text: str) -> list[str]:
    return sorted(key.strip() for group in CITE.findall(text) for key in group.split(","))


def missing(msgid: str, msgstr: str, language: str) -> list[str]:
    """What of *msgid*'s numbers, months, number words and citation keys *msgstr* lacks."""
    gaps = []
    have = digits(msgstr)
    for number in digits(msgid):
        if number in have:
            have.remove(number)
        else:
            gaps.append(f"the number {number}")
    keys = citation_keys(msgstr)
    gaps += [f"the citation key {key}" for key in citation_keys(msgid) if key not in keys]
    plain_id = ROLE.sub(lambda m: m.group(2), msgid)
    translated = msgstr.casefold()
    words = {w.casefold() for w in WORD.findall(plain_id)}
    for month, name in zip(MONTHS, MONTH_NAMES.get(language, [])):
        # "May" is a month only next to a number: "1 May 2024", "May 2016".
        named = (re.search(rf"\d May\b|\bMay \d", plain_id) if month == "May"
                 else re.search(rf"\b{month}\b", plain_id))
        if named and name not in translated:
            gaps.append(f"the month {month} ({name})")
    for english, word in NUMBER_WORDS.get(language, {}).items():
        if english in words and not re.search(rf"\b{word}\b", translated):
            gaps.append(f"the number word {english} ({word})")
    return gaps


def plain(text: str) -> str:
    """A message as a reader sees it, roughly: citations dropped, other roles as their text."""
    text = CITE.sub("", text)
    return ROLE.sub(lambda m: re.sub(r"\s*<[^>]*>$", "", m.group(2)), text)


def check(path: Path, fingerprints=None, titles: tuple[str, ...] = ()) -> list[Problem]:
    """Every problem of the catalogue at *path* (see the module's docstring)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    language = str(catalog.locale or path.relative_to(LOCALES).parts[0]) if path.is_relative_to(LOCALES) \
        else str(catalog.locale)
    name = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
    problems = []
    for message in catalog:
        if not message.id:
            continue  # the header
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        msgstr = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        where = (f"{message.locations[0][0].lstrip('./')}:{message.locations[0][1]}"
                 if message.locations else "(no location)")

        def problem(kind: str, detail: str) -> None:
            problems.append(Problem(name, where, kind, detail, msgid))

        if not msgstr:
            problem("untranslated", "no translation")
            continue
        if message.fuzzy:
            problem("fuzzy", "marked fuzzy: check the translation against the English, then remove the flag")
        for gap in missing(msgid, msgstr, language):
            problem("missing", f"{gap} of the English is not in the translation")
        if fingerprints is not None:
            for key, phrases in sorted(fingerprints.shared(plain(msgstr), titles).items()):
                for phrase in sorted(phrases):
                    problem("copied", f'"{phrase}" is seven words in a row of {key}: recast it')
    return problems


def catalogues(language: str | None = None) -> list[Path]:
    """Every catalogue in locales/ (of one language if given), the UI's and the pages'."""
    base = LOCALES / language / "LC_MESSAGES" if language else LOCALES
    return sorted(base.rglob("*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("po", nargs="*", type=Path, help="catalogues to check (default: every one)")
    args = parser.parse_args(argv)
    from fingerprint_sources import DEFAULT_OUT, Fingerprints
    from handbook import bibfile

    fingerprints = Fingerprints.load(DEFAULT_OUT)
    titles = tuple(e.fields["title"] for e in bibfile.read(REPO / "references.bib").entries.values())
    paths = [p.resolve() for p in args.po] or catalogues()
    problems = [p for path in paths for p in check(path, fingerprints, titles)]
    for p in problems:
        print(p)
    print(f"{len(paths)} catalogues, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
