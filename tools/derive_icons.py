#!/usr/bin/env python3
"""Derive the handbook's icons from Font Awesome Free, as shipped by npm's @fortawesome/fontawesome-free.

Reads ``node_modules/@fortawesome/fontawesome-free`` (pinned in package.json at the version that
pydata-sphinx-theme bundles) and writes ``_ext/handbook/data/icons.json``: for each icon in
:data:`ICONS`, its view box and single path, and for each alias the theme's templates use (such
as ``pencil-alt``), the icon it names. ``handbook.icons`` draws the icons from that file, so the
build needs neither npm nor the theme's 1.5 MB ``fontawesome.js``.

The build reads only the derived file; ``tests/test_reader_extension.py`` checks, where
node_modules is installed (`make test`), that the file is what this script derives.
Run after adding an icon to :data:`ICONS` or changing the Font Awesome version:

    .venv/bin/python tools/derive_icons.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "node_modules" / "@fortawesome" / "fontawesome-free"
OUT = REPO / "_ext" / "handbook" / "data" / "icons.json"

#: Every icon a handbook page can show, as ``style/name`` (the name as the templates spell it):
#: the theme's components and layout, sphinx-book-theme's header buttons (the repository ones
#: appear only when a repository is known, see handbook.repository) and handbook.editions.
ICONS = (
    # pydata-sphinx-theme and sphinx-book-theme components and layout
    "solid/angle-left", "solid/angle-right", "solid/arrow-up", "solid/bars", "solid/chevron-down",
    "solid/circle-half-stroke", "solid/list", "solid/magnifying-glass", "solid/moon", "solid/sun",
    # sphinx-book-theme's repository buttons
    "brands/bitbucket", "brands/github", "brands/gitlab", "solid/lightbulb", "solid/pencil-alt",
    # handbook.editions: Download PDF, Download EPUB
    "solid/book", "solid/file-pdf",
)

_VIEW_BOX = re.compile(r'viewBox="([^"]+)"')
_PATH = re.compile(r'<path\b[^>]*\bd="([^"]+)"')


def canonical_names(package: Path) -> dict[str, str]:
    """Each alias Font Awesome's metadata lists, mapped to its icon's own name."""
    # libyaml's loader where PyYAML has it: the pure-Python one takes seconds on this 0.9 MB file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    metadata = yaml.load((package / "metadata" / "icons.yml").read_text(encoding="utf-8"), Loader=loader)
    return {alias: name for name, icon in metadata.items()
            for alias in (icon.get("aliases") or {}).get("names", [])}


def derive(package: Path = PACKAGE) -> dict:
    """The content of icons.json, from the Font Awesome package at *package*."""
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    canonical = canonical_names(package)
    icons: dict[str, dict] = {}
    aliases: dict[str, str] = {}
    for wanted in ICONS:
        style, name = wanted.split("/")
        own = canonical.get(name, name)
        if own != name:
            aliases[wanted] = f"{style}/{own}"
        svg = (package / "svgs" / style / f"{own}.svg").read_text(encoding="utf-8")
        (view_box,), paths = _VIEW_BOX.findall(svg), _PATH.findall(svg)
        if len(paths) != 1:
            raise ValueError(f"{style}/{own}.svg has {len(paths)} paths; handbook.icons draws one")
        icons[f"{style}/{own}"] = {"viewBox": view_box, "path": paths[0]}
    return {
        "source": f"Font Awesome Free {version}, from the npm package @fortawesome/fontawesome-free "
                  f"{version} (svgs/), derived by tools/derive_icons.py",
        "licence": "Font Awesome Free icons are under CC BY 4.0 "
                   "(https://fontawesome.com/license/free), by Fonticons, Inc.",
        "version": version,
        "icons": dict(sorted(icons.items())),
        "aliases": dict(sorted(aliases.items())),
    }


def serialise(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    OUT.write_text(serialise(derive()), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
