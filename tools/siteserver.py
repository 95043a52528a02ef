#!/usr/bin/env python3
"""Serve built HTML sites on 127.0.0.1 the way a static host does, with compression.

Used by the browser tests (tests/test_browser.py) and by tools/lighthouse.py, so that page
weight is measured as readers receive it:

- text files (HTML, CSS, JavaScript, SVG, XML, JSON, plain text) are sent gzip-compressed to
  clients that accept it, with ``Content-Length`` and ``Vary: Accept-Encoding``;
- a folder serves its ``index.html``;
- a missing file gets status 404 and, when the site has one, its ``404.html`` as the body.

Several sites can be mounted at once under different URL prefixes (``/`` and ``/handbook/``).
Only the standard library is used. Run it by hand to look at a build:

    .venv/bin/python tools/siteserver.py _build/html --port 8000
"""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import threading
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml")


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """The gzip-compressed content of *path* (cached per file version)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def content_type(path: Path) -> str:
    """The Content-Type for *path*, with a UTF-8 charset for text."""
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
        ctype += "; charset=utf-8"
    return ctype


class SiteHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the sites in ``server.mounts`` (URL prefix -> folder)."""

    server: SiteServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the standard library's naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def log_message(self, format: str, *args) -> None:
        """Quiet: the tests read the browser's request log, not the server's."""

    def _resolve(self, url_path: str) -> tuple[HTTPStatus, Path | None, str | None]:
        """(status, file to send, redirect location) for *url_path*."""
        prefix = max((p for p in self.server.mounts if url_path.startswith(p)), key=len, default=None)
        if prefix is None:
            return HTTPStatus.NOT_FOUND, None, None
        root = self.server.mounts[prefix]
        target = (root / url_path[len(prefix):]).resolve()
        if target != root and root not in target.parents:
            return HTTPStatus.NOT_FOUND, None, None
        if target.is_dir():
            if not url_path.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, None, url_path + "/"
            target = target / "index.html"
        if target.is_file():
            return HTTPStatus.OK, target, None
        not_found = root / "404.html"
        return HTTPStatus.NOT_FOUND, (not_found if not_found.is_file() else None), None

    def _respond(self, send_body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        status, path, location = self._resolve(url_path)
        if path is None:
            body, ctype, encoding = f"{status.value} {status.phrase}\n".encode(), "text/plain; charset=utf-8", None
        else:
            ctype = content_type(path)
            accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            if accepts_gzip and ctype.startswith(COMPRESSIBLE):
                body, encoding = _gzipped(path, path.stat().st_mtime_ns), "gzip"
            else:
                body, encoding = path.read_bytes(), None
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 serving *mounts* (URL prefix -> folder)."""

    daemon_threads = True

    def __init__(self, mounts: dict[str, Path], port: int = 0) -> None:
        self.mounts = {self._prefix(p): Path(d).resolve() for p, d in mounts.items()}
        super().__init__((HOST, port), SiteHandler)

    @staticmethod
    def _prefix(prefix: str) -> str:
        return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"

    @property
    def url(self) -> str:
        """The server's root URL, ``http://127.0.0.1:PORT/``."""
        return f"http://{HOST}:{self.server_address[1]}/"

    def start(self) -> SiteServer:
        """Serve in a background thread until :meth:`stop`."""
        threading.Thread(target=self.serve_forever, name="siteserver", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built HTML folder, e.g. _build/html")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    server = SiteServer({"/": args.site}, port=args.port)
    print(f"Serving {args.site} at {server.url} (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


if __name__ == "__main__":
    main()
