"""handbook.glosses: one gloss per original-language term, on the small project in roots/glosses.

Its glossary glosses *avsiktsförklaring* (glossary.md:7), *regionstyrelse* (glossary.md:13) and
the Danish *næstformand* (glossary.md:17); letter.md and board.md use the terms consistently, in
both gloss forms, in prose and in a table. Each test plants one change and checks the warning
names the use and the glossary, file and line.

The same project in Swedish (its catalogues in locales/sv): the Swedish terms are words there,
unchecked, and the Danish term keeps the Swedish glossary's gloss, "vice ordförande".
"""

from __future__ import annotations

import re
import unicodedata
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from handbook.glosses import Entry, Use, agrees, glossary_entries
from handbook_copy import build_in_process, sphinx_build

ROOT = REPO / "tests" / "roots" / "glosses"


def fixture(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the fixture project with each (file, old, new) edit made."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    for name, old, new in edits:
        path = src / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return src


def warnings(tmp_path: Path, *edits: tuple[str, str, str], language: str = "en") -> list[str]:
    """Build the fixture (with *edits*) in-process, in *language*; its warnings, with paths
    relative to it."""
    src = fixture(tmp_path, *edits)
    return build_in_process(src, language=language)[0]


def test_consistent_glosses_pass(tmp_path: Path) -> None:
    # Both forms; a leading "the", other case and spacing in the bracket; a table row; a use
    # that is no gloss; and a wrong gloss inside code, which is an example, not a use.
    assert warnings(tmp_path) == []


def test_a_different_gloss_before_the_term_names_both_places(tmp_path: Path) -> None:
    found = warnings(tmp_path, ("board.md", "led the regional executive board (", "led the regional board ("))
    assert found == ["board.md:3: WARNING: 'regionstyrelse' is glossed '… the regional board' here but "
                     "'Regional executive board' at glossary.md:13; use one gloss everywhere [handbook.gloss]"]


def test_a_different_gloss_in_the_bracket_names_both_places(tmp_path: Path) -> None:
    found = warnings(tmp_path, ("letter.md", "(the Letter of  Intent)", "(declaration of intent)"))
    assert found == ["letter.md:4: WARNING: 'avsiktsförklaring' is glossed 'declaration of intent' here but "
                     "'Letter of intent' at glossary.md:7; use one gloss everywhere [handbook.gloss]"]


def test_a_gloss_in_a_table_is_located_at_its_row(tmp_path: Path) -> None:
    # MyST gives a table cell the table's line; the check finds the row.
    found = warnings(tmp_path, ("board.md", "Chair, Regional Executive Board (", "Chair, Executive Committee ("))
    assert len(found) == 1 and found[0].startswith("board.md:8: WARNING: 'regionstyrelse' is glossed")
    assert "glossary.md:13" in found[0]


def test_the_gloss_must_end_in_a_whole_word(tmp_path: Path) -> None:
    found = warnings(tmp_path, ("board.md", "led the regional executive board (", "led the subregional executive board ("))
    assert len(found) == 1 and found[0].startswith("board.md:3: WARNING: 'regionstyrelse' is glossed")


def test_a_changed_glossary_gloss_is_reported_at_every_use(tmp_path: Path) -> None:
    found = warnings(tmp_path, ("glossary.md", "(sv) Letter of intent:", "(sv) Declaration of intent:"))
    assert [line.split(": WARNING")[0] for line in found] == ["letter.md:3", "letter.md:4"]
    assert all("at glossary.md:7;" in line for line in found)


def test_a_glossed_term_needs_a_gloss_in_the_glossary(tmp_path: Path) -> None:
    found = warnings(tmp_path, ("letter.md", "A *{term}`avsiktsförklaring`* is", "A *{term}`cluster`* (group) is"))
    assert found == ["letter.md:5: WARNING: 'cluster' is glossed here, but its glossary entry at glossary.md:9 "
                     "gives no gloss; start the definition with '(sv) <gloss>:' or '(da) <gloss>:' [handbook.gloss]"]


def test_the_danish_term_keeps_its_english_gloss_in_english(tmp_path: Path) -> None:
    found = warnings(tmp_path, ("board.md", "Its vice-chair (", "Its deputy ("))
    assert found == ["board.md:10: WARNING: 'næstformand' is glossed '… deputy' here but 'Vice-chair' at "
                     "glossary.md:17; use one gloss everywhere [handbook.gloss]"]


# -- In a translated edition ------------------------------------------------------------------------

SV = "locales/sv/LC_MESSAGES/"


def test_swedish_terms_are_words_and_the_danish_term_keeps_the_swedish_gloss(tmp_path: Path) -> None:
    # letter.po puts a bracket after the Swedish term that is no English gloss: not checked in
    # Swedish, where Swedish terms are simply words.
    assert warnings(tmp_path, language="sv") == []


def test_a_different_swedish_gloss_of_a_danish_term_names_both_places(tmp_path: Path) -> None:
    # The glossary's line is the one the catalogue's "#:" comment gives the definition (the
    # doctree's), so that the translator finds the message.
    found = warnings(tmp_path, (SV + "board.po", "Dess vice ordförande (", "Dess vice talman ("), language="sv")
    assert len(found) == 1, found
    assert re.fullmatch(r"board\.md:\d+: WARNING: 'næstformand' is glossed '… vice talman' here but "
                        r"'Vice ordförande' at glossary\.md:15; use one gloss everywhere \[handbook\.gloss\]",
                        found[0]), found


def test_the_swedish_glossary_must_gloss_the_danish_terms(tmp_path: Path) -> None:
    found = warnings(tmp_path, (SV + "glossary.po", '"(da) Vice ordförande."', '"Vice ordförande."'), language="sv")
    assert len(found) == 1, found
    assert "'næstformand' is glossed here, but its glossary entry at glossary.md:15 " in found[0]
    assert found[0].endswith("gives no gloss; start the definition with '(da) <gloss>:' [handbook.gloss]")


def test_the_swedish_edition_checks_against_the_swedish_gloss_not_the_english(tmp_path: Path) -> None:
    found = warnings(tmp_path, (SV + "board.po", "Dess vice ordförande (", "Dess vice-chair ("), language="sv")
    assert len(found) == 1 and "is glossed 'Dess vice-chair' here but 'Vice ordförande'" in found[0], found


def test_the_strict_build_fails_on_an_inconsistent_gloss(tmp_path: Path) -> None:
    src = fixture(tmp_path, ("board.md", "led the regional executive board (", "led the regional board ("),
                  ("conf.py", "extensions =", f"import sys\nsys.path.insert(0, {str(REPO / '_ext')!r})\nextensions ="))
    run = sphinx_build(src, "html", tmp_path / "out")  # the Makefile's options: -W -n --keep-going
    assert run.returncode == 1, run.output  # 1: warnings as errors; 2 would be a crash
    assert any(line.startswith("board.md:3: WARNING: 'regionstyrelse' is glossed") for line in run.lines())


# -- The parts, without Sphinx --------------------------------------------------------------------

def test_the_glossary_gives_each_term_its_gloss_and_line() -> None:
    entries = glossary_entries((ROOT / "glossary.md").read_text(encoding="utf-8"))
    assert entries == {
        "avsiktsförklaring": Entry("avsiktsförklaring", "Letter of intent", 7, "sv"),
        "cluster": Entry("cluster", None, 9, ""),
        "regionstyrelse": Entry("regionstyrelse", "Regional executive board", 13, "sv"),
        "næstformand": Entry("næstformand", "Vice-chair", 17, "da"),
    }


@pytest.mark.parametrize(("definition", "gloss"), [
    ("(sv) Letter of intent: a signed statement.", "Letter of intent"),
    ("(da) Vice-chair. *1. næstformand* is the first vice-chair.", "Vice-chair"),
    ("(sv) Public health; one of the fields.", "Public health"),
    ("(sv) Hospital director", "Hospital director"),
    ("(da) Project manager {cite:p}`midtjylland2016beijing`.", "Project manager"),
    ("A term in English, with no language.", None),
])
def test_the_gloss_ends_at_the_first_colon_semicolon_full_stop_or_line_end(definition: str, gloss: str | None) -> None:
    source = f"```{{glossary}}\n*term*\n  {definition}\n  More.\n```\n"
    assert glossary_entries(source)["term"].gloss == gloss


@pytest.mark.parametrize(("form", "text", "expected"), [
    ("before", "Carl Borrebaeck, deputy vice-chancellor ", True),
    ("before", "Carl Borrebaeck, Deputy\nVice-Chancellor", True),
    ("before", "Carl Borrebaeck, vice-chancellor", False),
    ("before", "Carl Borrebaeck, pro-deputy vice-chancellor", True),  # "-" ends a word
    ("before", "Carl Borrebaeck, subdeputy vice-chancellor", False),
    ("bracket", "the deputy vice-chancellor", True),
    ("bracket", "deputy vice-chancellor of Lund University", False),
])
def test_a_use_agrees_with_the_glossary(form: str, text: str, expected: bool) -> None:
    assert agrees(Use("vicerektor", form, text, 1), "Deputy vice-chancellor") is expected


def test_a_swedish_glossary_puts_å_ä_ö_after_z_and_danish_puts_æ_ø_å_there() -> None:
    from handbook.glosses import alphabetical_key

    words = ["läkemedelschef", "Lif", "life science", "Ørestad", "zon", "Åre", "élite", "avtal"]
    assert sorted(words, key=lambda w: alphabetical_key(w, "sv")) == [
        "avtal", "élite", "Lif", "life science", "läkemedelschef", "zon", "Åre", "Ørestad"]
    assert sorted(["Åre", "Ørestad", "Æble", "zon"], key=lambda w: alphabetical_key(w, "da")) == [
        "zon", "Æble", "Ørestad", "Åre"]
    # English: Sphinx's own key (lower case, decomposed), which the transform leaves alone.
    assert alphabetical_key("Élite", "en") == unicodedata.normalize("NFD", "élite")
