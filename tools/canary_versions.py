#!/usr/bin/env python3
"""The upstream versions the weekly canary runs on, beside the pins and PyPI's newest releases.

``make canary`` upgrades the packages named on the command line to the newest releases pip can
install on this Python, then prints this table (saved as the canary's ``versions.txt``)::

    .venv/bin/python tools/canary_versions.py sphinx myst-parser ...

With ``--newest-or-fail``, run after the build and the tests passed, it exits 1 when an installed
version is not PyPI's newest release: an upstream now needs a newer Python than this one (the canary runs on
Debian 13's Python 3.13), so pip could not install it. That is a finding for the canary's
standing issue, not something a re-run fixes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from importlib import metadata
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"


def pinned(package: str) -> str:
    """The version requirements.txt pins *package* to ('' if it is not there)."""
    name = re.escape(package).replace(r"\-", "[-_.]")
    match = re.search(rf"^{name}==(\S+)", REQUIREMENTS.read_text(encoding="utf-8"), re.M | re.I)
    return match.group(1) if match else ""


def newest(package: str) -> tuple[str, str]:
    """PyPI's newest release of *package* and the Python versions it accepts."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{package}/json", timeout=60) as response:
        data = json.load(response)
    version = data["info"]["version"]
    files = data["releases"].get(version) or [{}]
    return version, files[0].get("requires_python") or "any"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("packages", nargs="+")
    parser.add_argument("--newest-or-fail", action="store_true",
                        help="exit 1 if an installed version is not PyPI's newest release")
    args = parser.parse_args()

    python = ".".join(map(str, sys.version_info[:3]))
    print(f"Python {python}")
    print(f"{'package':<22} {'pinned':<10} {'installed':<10} {'newest on PyPI':<15} needs Python")
    behind = []
    for package in args.packages:
        installed = metadata.version(package)
        latest, requires = newest(package)
        print(f"{package:<22} {pinned(package):<10} {installed:<10} {latest:<15} {requires}")
        if installed != latest:
            behind.append(f"{package} {latest} (needs Python {requires}; {installed} is installed)")
    if args.newest_or_fail and behind:
        print(f"canary: newest releases that do not install on Python {python}, the Python the "
              f"handbook promises (Debian 12's): {'; '.join(behind)}. The build and tests passed "
              f"with the newest releases this Python can install.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
