#!/usr/bin/env python3
"""Measure the built HTML site with Lighthouse and report the median scores.

Lighthouse (the npm package in package.json, installed by `make` into node_modules/) audits
pages in Debian's Chromium, with its default mobile settings: a phone-sized screen, a slow
4G connection and a slowed-down CPU, all simulated. Scores vary from run to run, so each page
is measured several times and the median of each category is reported. This is a measurement,
not a test: `make test` does not run it.

The site is served by tools/siteserver.py on 127.0.0.1 with gzip compression, like a static
host. Chromium runs headless with a fresh profile and with the flags that keep it from calling
Google's services; the pages themselves load nothing from outside 127.0.0.1.

    make lighthouse                     # builds the site first; 5 runs per page
    .venv/bin/python tools/lighthouse.py --site _build/html --runs 3

Writes one JSON report per run and summary.json into the output folder, and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siteserver import SiteServer  # noqa: E402 (after the path is set)

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: One page of each type: the landing page, a region chapter and a theme chapter.
PAGES = {
    "landing": "index.html",
    "region chapter": "chapters/regions/skane.html",
    "theme chapter": "chapters/themes/china.html",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Chromium without calls to Google: no background networking, updates, sync or QUIC.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def run_lighthouse(url: str, report: Path) -> dict[str, float]:
    """Audit *url* once, in a fresh Chromium profile; return the category scores (0–100)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
        flags = " ".join([*CHROMIUM_FLAGS, f"--user-data-dir={profile}"])
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
             "--no-enable-error-reporting"],
            check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
        )
    result = json.loads(report.read_text(encoding="utf-8"))
    return {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}


def failing_audits(report: Path) -> list[str]:
    """Titles of the scored audits that did not pass in one report."""
    result = json.loads(report.read_text(encoding="utf-8"))
    failing = []
    for category in result["categories"].values():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{category['id']}: {audit['id']} ({audit['score']:.2f})")
    return failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html", help="the built HTML folder")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "lighthouse", help="where reports go")
    parser.add_argument("--runs", type=int, default=5, help="runs per page (at least 3)")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3 for a meaningful median")
    if not LIGHTHOUSE.exists():
        parser.error(f"{LIGHTHOUSE} is missing: run `make lighthouse`, which installs it with npm ci")
    if not (args.site / "index.html").is_file():
        parser.error(f"no built site in {args.site}: run `make html` first")

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    server = SiteServer({"/": args.site}).start()
    summary: dict[str, dict] = {}
    try:
        for name, path in PAGES.items():
            runs = []
            for n in range(1, args.runs + 1):
                report = args.out / f"{Path(path).stem}-{n}.json"
                scores = run_lighthouse(server.url + path, report)
                runs.append(scores)
                print(f"{name:15} run {n}: " + "  ".join(f"{c} {s}" for c, s in scores.items()), flush=True)
            summary[name] = {
                "page": path,
                "median": {c: statistics.median(r[c] for r in runs) for c in CATEGORIES},
                "runs": runs,
                "not passing (last run)": failing_audits(report),
            }
    finally:
        server.stop()

    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\nMedian of {args.runs} Lighthouse runs (mobile), from {args.site}:")
    print(f"{'page':16}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, data in summary.items():
        print(f"{name:16}" + "".join(f"{data['median'][c]:>16g}" for c in CATEGORIES))
        for audit in data["not passing (last run)"]:
            print(f"{'':16}not passing: {audit}")
    print(f"Reports: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
