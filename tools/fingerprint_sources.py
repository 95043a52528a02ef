#!/usr/bin/env python3
"""Fingerprint the source releases, so that every clone can check for copied text.

The releases (``../shared/sources/*.txt``) are not in the repository: they carry personal contact
data. What is committed instead is a fingerprint of each one: keyed BLAKE2b hashes of its runs of
seven words, less the runs of the releases' titles (quoted on purpose in references.bib, and so in
every page's list of sources). ``tests/test_copying.py`` hashes the handbook's text the same way,
with quoted titles cut out of it, and fails on any run it shares with a release. The hashes are truncated and sorted, so the file holds no words and cannot be
read back into the text; regenerating it from the same releases gives the same bytes.

Add or update a release (after its entry in references.bib, whose ``title`` must be the release's
``title`` in sources.yaml)::

    .venv/bin/python tools/fingerprint_sources.py        # or: make fingerprints

The same tokenisation serves both sides: lower-cased ``\\w+`` words, as in the before-stop hook.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))  # handbook.bibfile, the one reader of references.bib
DEFAULT_SOURCES = REPO.parent / "shared" / "sources"
DEFAULT_BIB = REPO / "references.bib"
DEFAULT_OUT = REPO / "tests" / "data" / "source-fingerprints.json"

RUN = 7  # words in a run: the rule in CONTRIBUTING.md ("seven words in a row")
DIGEST_SIZE = 6  # bytes; a chance collision among ~3,000 × ~60,000 runs is about 1 in a million
FORMAT = 1


def words(text: str) -> list[str]:
    """The words of *text* as every copy check counts them: lower-cased runs of ``\\w``."""
    return re.findall(r"\w+", text.lower())


def runs(text: str, n: int = RUN, cut: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every run of *n* consecutive words in *text*, in order (repeats kept). Each phrase in
    *cut* (a title, say) is taken out wherever it occurs, and no run spans the gap it leaves."""
    w = words(text)
    keep = [True] * len(w)
    for phrase in map(words, cut):
        for i in range(len(w) - len(phrase) + 1):
            if phrase and w[i:i + len(phrase)] == phrase:
                keep[i:i + len(phrase)] = [False] * len(phrase)
    found, start = [], 0
    for end in [i for i, k in enumerate(keep) if not k] + [len(w)]:
        found += [tuple(w[i:i + n]) for i in range(start, end - n + 1)]
        start = end + 1
    return found


def digest(run: tuple[str, ...], key: bytes, size: int = DIGEST_SIZE) -> bytes:
    return hashlib.blake2b(" ".join(run).encode("utf-8"), key=key, digest_size=size).digest()


def normalise(title: str) -> str:
    return " ".join(title.split())


def bib_titles(bib: Path) -> dict[str, str]:
    """references.bib title (whitespace normalised) -> entry key."""
    from handbook import bibfile  # needs pybtex, in .venv; imported here so --help works anywhere

    return {normalise(entry.fields.get("title", "")): key for key, entry in bibfile.read(bib).entries.items()}


def fingerprint(sources: Path, bib: Path, key: bytes) -> dict:
    """The fingerprint of every release in *sources* (``*.txt`` described in sources.yaml)."""
    import yaml  # in .venv, like pybtex

    metadata = {item["file"]: item for item in yaml.safe_load((sources / "sources.yaml").read_text(encoding="utf-8"))}
    keys = bib_titles(bib)
    titles = {run for item in metadata.values() for run in runs(item.get("title") or "")}
    releases = []
    for path in sorted(sources.glob("*.txt")):
        item = metadata.get(path.name)
        if item is None:
            raise SystemExit(f"{path.name}: not described in {sources / 'sources.yaml'}; add its metadata first")
        bib_key = keys.get(normalise(item.get("title") or ""))
        if bib_key is None:
            raise SystemExit(f"{path.name}: no entry in {bib.name} has its title {item.get('title')!r}; "
                             "add the entry first (CONTRIBUTING.md, 'Add a source')")
        hashes = sorted({digest(run, key) for run in runs(path.read_text(encoding="utf-8")) if run not in titles})
        releases.append({"file": path.name, "key": bib_key, "runs": len(hashes),
                         "digests": base64.b64encode(b"".join(hashes)).decode("ascii")})
    return {"about": "Keyed BLAKE2b hashes of the source releases' runs of seven words; "
                     "made by tools/fingerprint_sources.py, read by tests/test_copying.py.",
            "format": FORMAT, "run": RUN, "digest_size": DIGEST_SIZE, "key": key.hex(),
            "releases": releases}


def dumps(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


@dataclass
class Fingerprints:
    """A fingerprint file, loaded: find the runs of a text that a release shares."""

    key: bytes
    run: int
    digest_size: int
    releases: dict[str, set[bytes]]  # bib key -> digests

    @classmethod
    def load(cls, path: Path) -> Fingerprints:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: unknown fingerprint format {data.get('format')!r}")
        size = data["digest_size"]
        releases = {}
        for release in data["releases"]:
            raw = base64.b64decode(release["digests"])
            releases[release["key"]] = {raw[i:i + size] for i in range(0, len(raw), size)}
        return cls(bytes.fromhex(data["key"]), data["run"], size, releases)

    def shared(self, text: str, titles: tuple[str, ...] = ()) -> dict[str, set[str]]:
        """Runs of *text* that a release shares, as phrases of *text*, by release key. The
        *titles* are cut out of *text* first: quoting one, next to any words, is no copying."""
        found: dict[str, set[str]] = {}
        for run in set(runs(text, self.run, titles)):
            h = digest(run, self.key, self.digest_size)
            for release, digests in self.releases.items():
                if h in digests:
                    found.setdefault(release, set()).add(" ".join(run))
        return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                        help="folder of the release texts and sources.yaml (default: %(default)s)")
    parser.add_argument("--bib", type=Path, default=DEFAULT_BIB, help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: %(default)s")
    parser.add_argument("--key", help="hash key, hex; default: the key already in --out, else a new random one")
    args = parser.parse_args(argv)

    if not (args.sources / "sources.yaml").is_file():
        parser.error(f"no sources.yaml in {args.sources}")
    if args.key:
        key = bytes.fromhex(args.key)
    elif args.out.is_file():
        key = bytes.fromhex(json.loads(args.out.read_text(encoding="utf-8"))["key"])  # no churn
    else:
        key = secrets.token_bytes(16)
    text = dumps(fingerprint(args.sources, args.bib, key))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    old = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    args.out.write_text(text, encoding="utf-8")
    releases = json.loads(text)["releases"]
    print(f"{args.out}: {len(releases)} releases, {sum(r['runs'] for r in releases)} runs, "
          f"{len(text.encode())} bytes ({'unchanged' if old == text else 'written'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
