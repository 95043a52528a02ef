"""The translated editions' catalogues: complete, current, consistent with the English, not copied.

Each failure names the catalogue, the message's place in the English source and the message, as
tools/check_translations.py prints them (the same checks, for contributors to run by hand).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO
from check_translations import LOCALES, catalogues, check, missing
from fingerprint_sources import DEFAULT_OUT, Fingerprints
from handbook import bibfile

LANGUAGES = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())


def report(problems) -> str:
    return "\n".join(map(str, problems[:40])) + (f"\n… and {len(problems) - 40} more" if len(problems) > 40 else "")


def test_every_language_in_locales_is_an_edition_in_conf_py() -> None:
    import runpy

    languages = runpy.run_path(str(REPO / "conf.py"))["handbook_languages"]
    assert LANGUAGES, "no translation in locales/"
    assert set(LANGUAGES) == set(languages) - {next(iter(languages))}, \
        "locales/ and conf.py's handbook_languages must name the same translations"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    problems = [p for path in catalogues(language) for p in check(path)
                if p.kind in ("untranslated", "fuzzy")]
    assert not problems, (f"{len(problems)} messages left to translate or check (translate them in the "
                          f"catalogue named, see CONTRIBUTING, 'Translations'):\n{report(problems)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_number_date_and_citation_key_of_the_english_is_in_the_translation(language: str) -> None:
    problems = [p for path in catalogues(language) for p in check(path) if p.kind == "missing"]
    assert not problems, f"translations that lose a number, date or citation key:\n{report(problems)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_repeats_a_source_word_for_word(language: str) -> None:
    fingerprints = Fingerprints.load(DEFAULT_OUT)
    titles = tuple(e.fields["title"] for e in bibfile.read(REPO / "references.bib").entries.values())
    problems = [p for path in catalogues(language) for p in check(path, fingerprints, titles)
                if p.kind == "copied"]
    assert not problems, f"translations that repeat a release (7+ words in a row; recast them):\n{report(problems)}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messages of today's English text, as `make translations` extracts them."""
    out = tmp_path_factory.mktemp("gettext")
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "gettext", "-q", "-W", "-n", "--keep-going",
                    "-d", str(out / ".doctrees"), str(REPO), str(out)], check=True, cwd=REPO)
    return out


def message_ids(path: Path) -> set[str]:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogues_hold_exactly_the_messages_of_the_english_text(extracted: Path, language: str) -> None:
    base = LOCALES / language / "LC_MESSAGES"
    pots = {p.relative_to(extracted).with_suffix(""): p for p in extracted.rglob("*.pot")}
    pos = {p.relative_to(base).with_suffix(""): p for p in base.rglob("*.po")}
    assert sorted(map(str, pots.keys() - pos.keys())) == [], "pages with no catalogue: run `make translations`"
    stale = []
    for domain, pot in sorted(pots.items()):
        english, translated = message_ids(pot), message_ids(pos[domain])
        stale += [f"{domain}.po: new English message, not in the catalogue: {m[:90]!r}" for m in sorted(english - translated)]
        stale += [f"{domain}.po: message no longer in the English: {m[:90]!r}" for m in sorted(translated - english)]
    assert not stale, ("the catalogues are out of date with the English text: run `make translations`, "
                       "then translate what it marks (CONTRIBUTING, 'Translations'):\n" + "\n".join(stale[:40]))


# -- The checks themselves, on made-up catalogues -----------------------------------------------

PO = """msgid ""
msgstr ""
"Language: sv\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: ../../chapters/x.md:3
msgid "On 1 October 2024 two regions, about 32,000 staff {{cite:p}}`a2024x`."
msgstr "{translation}"

#: ../../chapters/x.md:5
msgid "Limits of the sources"
msgstr "{second}"
"""


def planted(tmp_path: Path, translation: str, second: str = "Källornas begränsningar", fuzzy: bool = False) -> list:
    text = PO.format(translation=translation, second=second)
    if fuzzy:
        text = text.replace("#: ../../chapters/x.md:5\n", "#: ../../chapters/x.md:5\n#, fuzzy\n")
    path = tmp_path / "x.po"
    path.write_text(text, encoding="utf-8")
    return check(path)


def test_a_faithful_translation_has_no_problem(tmp_path: Path) -> None:
    good = "Den 1 oktober 2024 hade två regioner omkring 32 000 anställda {cite:p}`a2024x`."
    assert planted(tmp_path, good) == []


def test_an_empty_or_fuzzy_message_is_named_with_file_and_line(tmp_path: Path) -> None:
    problems = planted(tmp_path, "", fuzzy=True)
    assert [(p.where, p.kind) for p in problems] == [("chapters/x.md:3", "untranslated"), ("chapters/x.md:5", "fuzzy")]
    assert "x.po: chapters/x.md:3: untranslated" in str(problems[0])


def test_a_lost_number_month_number_word_or_citation_key_is_caught(tmp_path: Path) -> None:
    bad = "I oktober 2025 hade regionerna 3 200 anställda."
    details = {p.detail for p in planted(tmp_path, bad)}
    assert details == {"the number 1 of the English is not in the translation",
                       "the number 2024 of the English is not in the translation",
                       "the number 32000 of the English is not in the translation",
                       "the number word two (två) of the English is not in the translation",
                       "the citation key a2024x of the English is not in the translation"}


def test_may_is_a_month_only_beside_a_number() -> None:
    assert missing("The region may sign in May 2016.", "Regionen kan skriva under i maj 2016.", "sv") == []
    assert missing("The region may sign.", "Regionen kan skriva under.", "sv") == []
    assert missing("Signed in May 2016.", "Undertecknat 2016.", "sv") == ["the month May (maj)"]
