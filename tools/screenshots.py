#!/usr/bin/env python3
"""Screenshots of the built site, at desktop and phone widths, to look at: `make screenshots`.

The landing page, a region chapter, a theme chapter, the map and the matrix, each as its first
screen (``<page>-<device>.png``) and whole (``<page>-<device>-full.png``), plus each page's
transfer log (``transfer-<page>.json``: every asset as transferred, compressed, headers
included). Evidence for a reviewer, not a test: the browser tests (tests/test_browser.py) check
what can be checked. (Whole-page screenshots stretch the window to the page's height, so the
theme's sticky parts, such as the Contents column, can look cut off in them.)

The site is served by tools/siteserver.py on 127.0.0.1 with gzip compression, like a static
host, and Debian's Chromium is driven by Playwright, headless and with nothing that calls out.

    make screenshots                 # builds the site first; writes _build/screenshots/
    .venv/bin/python tools/screenshots.py --site _build/html --out _build/screenshots
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siteserver import SiteServer  # noqa: E402 (after the path is set)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Headless, and nothing that would call Google's services (as in tests/test_browser.py).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}
PAGES = {"landing": "index.html", "region": "chapters/regions/skane.html",
         "theme": "chapters/themes/china.html", "map": "chapters/reference/map.html",
         "matrix": "chapters/reference/matrix.html"}


def editions(site: Path) -> dict[str, str]:
    """Each language's folder in *site*, by file-name prefix: {"": "", "sv-": "sv/"}. A translated
    edition is a folder of the site with its own start page (the Makefile copies it there)."""
    found = {"": ""}
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        found[f"{folder.name}-"] = f"{folder.name}/"
    return found


def capture(site: Path, out: Path) -> list[Path]:
    """Write the screenshots and transfer logs of *site*, every language, into *out* (emptied
    first): the Swedish edition's as ``sv-<page>-<device>.png``."""
    from playwright.sync_api import sync_playwright

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    written = []
    server = SiteServer({"/": site.resolve()})
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            pages = {f"{prefix}{name}": f"{folder}{path}" for prefix, folder in editions(site).items()
                     for name, path in PAGES.items()}
            for device, options in DEVICES.items():
                for name, path in pages.items():
                    context = browser.new_context(**options, service_workers="block")
                    page = context.new_page()
                    finished = []
                    page.on("requestfinished", lambda request: finished.append(request))
                    page.goto(server.url + path, wait_until="networkidle")
                    for suffix, full in (("", False), ("-full", True)):
                        shot = out / f"{name}-{device}{suffix}.png"
                        page.screenshot(path=str(shot), full_page=full)
                        written.append(shot)
                    if device == "desktop":
                        sizes = {r.url: r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                                 for r in finished}
                        log = out / f"transfer-{name}.json"
                        log.write_text(json.dumps({"page": path, "bytes": sum(sizes.values()), "assets": dict(
                            sorted(sizes.items(), key=lambda kv: -kv[1]))}, indent=1) + "\n")
                        written.append(log)
                    context.close()
            browser.close()
    finally:
        server.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("_build/html"), help="the built site")
    parser.add_argument("--out", type=Path, default=Path("_build/screenshots"), help="where to write")
    args = parser.parse_args(argv)
    for path in capture(args.site, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
