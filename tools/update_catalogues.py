#!/usr/bin/env python3
"""Update each language's catalogues in locales/ to the messages extracted in _build/gettext/.

Run by `make translations`, after `sphinx-build -b gettext` has extracted the messages (the
pages', the templates' and, through handbook.messages, the extension's and the front matter's).
sphinx-intl does the merge: a new message is added untranslated, a changed one keeps its old
translation marked fuzzy, a removed one is kept as obsolete (``#~``) for reuse. Lines are not
wrapped, so a message is one line, as a paragraph is in the Markdown.

Then every catalogue's header is tidied (sphinx-intl copies the template's placeholders) and
obsolete messages are dropped: git keeps the history.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALES = REPO / "locales"

TITLE = "# {name} translation of the Nordic Life Science Regions Handbook.\n"


def tidy(po: Path, name: str) -> None:
    """The header without placeholders or a fuzzy flag; no obsolete messages."""
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    out, in_header = [], True
    for line in lines:
        if in_header:
            if line.startswith("# SOME DESCRIPTIVE TITLE"):
                line = TITLE.format(name=name)
            elif line.startswith("# FIRST AUTHOR") or line == "#, fuzzy\n":
                continue
            elif line.startswith("msgid"):
                in_header = False
        if line.startswith("#~"):
            continue
        out.append(line)
    text = "".join(out).rstrip("\n") + "\n"
    po.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pot", type=Path, required=True, help="the gettext builder's output")
    parser.add_argument("languages", nargs="+", help="the languages to update, e.g. sv")
    args = parser.parse_args(argv)
    from babel import Locale

    intl = Path(sys.executable).with_name("sphinx-intl")
    for language in args.languages:
        subprocess.run([str(intl), "update", "--pot-dir", str(args.pot), "--locale-dir", str(LOCALES),
                        "--language", language, "--line-width", "0"], check=True, cwd=REPO)
        name = Locale.parse(language).get_display_name("en")
        catalogues = sorted((LOCALES / language / "LC_MESSAGES").rglob("*.po"))
        pots = {p.relative_to(args.pot).with_suffix("") for p in args.pot.rglob("*.pot")}
        for po in catalogues:
            if po.relative_to(LOCALES / language / "LC_MESSAGES").with_suffix("") not in pots:
                print(f"removed {po.relative_to(REPO)}: its page is gone")
                po.unlink()
                continue
            tidy(po, name)
        print(f"{language}: {len(catalogues)} catalogues updated; `make test` lists what is left to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
