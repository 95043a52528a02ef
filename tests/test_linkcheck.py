"""External links: Sphinx's linkcheck builder, with conf.py's "Link checking" settings.

- Offline proof: a real HTTP server on 127.0.0.1 serves each kind of answer, a small copy of the
  handbook links to it (from a chapter and from references.bib), and the same linkcheck
  configuration must classify every link correctly.
- The real check (`make linkcheck`) runs only when the hosts in references.bib are reachable;
  otherwise it is skipped with the reason. Broken links fail it; timeouts skip it (they are
  the network's fault, not the link's); it is killed after a hard limit.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pybtex.database import parse_file

from conftest import REPO
from handbook_copy import clean_env, sphinx_build

#: The external check is killed after this long (linkcheck's own worst case is about 3 minutes:
#: 2 tries x HEAD and GET x 15 s timeout, plus at most 60 s of rate-limit back-off).
HARD_LIMIT_SECONDS = 300
#: How long to wait for DNS and a TCP connection when deciding whether we are online.
PROBE_SECONDS = 3.0
#: linkcheck_timeout for the local server only, so that the slow page need not take 15 s (generous
#: enough that a loaded CI machine does not make the fast pages time out).
LOCAL_TIMEOUT_SECONDS = 3


# -- Offline proof against a local server ---------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    """200, 200 with an anchor, 404, 301 to the 200 page, and a page slower than the timeout."""

    release = threading.Event()  # set at teardown so the slow handler returns at once

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, body: bool) -> None:
        try:
            self.respond(urlsplit(self.path).path, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow page): that is the point

    def respond(self, path: str, body: bool) -> None:
        if path == "/slow":
            self.release.wait(timeout=30)
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        pages = {
            "/ok": "<p>A page.</p>",
            "/anchors": '<h2 id="known">Known</h2>',
            "/source": "<p>A source release.</p>",
            "/slow": "<p>Late.</p>",
        }
        status = 200 if path in pages else 404
        content = f"<!DOCTYPE html><html><body>{pages.get(path, 'Not found')}</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, format: str, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    Handler.release.clear()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


LINKS_PAGE = """\
# Links

- [a page]({base}/ok)
- [a known anchor]({base}/anchors#known)
- [a missing anchor]({base}/anchors#unknown)
- [a missing page]({base}/missing)
- [a moved page]({base}/moved)
- [a slow page]({base}/slow)

Cited: {{cite:p}}`good-source,gone-source`.

```{{bibliography}}
```
"""

BIB = """\
@misc{{good-source, author = {{{{Region Test}}}}, title = {{Good}}, type = {{Press release}},
  year = {{2024}}, url = {{{base}/source}}}}
@misc{{gone-source, author = {{{{Region Test}}}}, title = {{Gone}}, type = {{Press release}},
  year = {{2023}}, url = {{{base}/gone-source}}}}
"""


def small_handbook(destination: Path, base: str) -> Path:
    """The handbook's conf.py and extension, with one chapter and a bib that link to *base*."""
    destination.mkdir()
    for name in ("conf.py",):
        shutil.copy2(REPO / name, destination / name)
    for folder in ("_ext", "_static", "_templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, destination / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))
    (destination / "chapters").mkdir()
    (destination / "index.md").write_text("# Test\n\n```{toctree}\nchapters/links\n```\n")
    (destination / "chapters" / "links.md").write_text(LINKS_PAGE.format(base=base))
    (destination / "references.bib").write_text(BIB.format(base=base))
    return destination


@pytest.fixture(scope="module")
def local_results(server: str, tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("linkcheck-local")
    src = small_handbook(workdir / "src", server)
    run = sphinx_build(src, "linkcheck", workdir, "-D", f"linkcheck_timeout={LOCAL_TIMEOUT_SECONDS}",
                       timeout=HARD_LIMIT_SECONDS)
    results = read_report(run.outdir / "output.json")
    return run, {r["uri"].removeprefix(server): r for r in results}


@pytest.mark.slow  # runs linkcheck against a local server
@pytest.mark.parametrize("path, status, info", [
    ("/ok", "working", ""),
    ("/anchors#known", "working", ""),
    ("/anchors#unknown", "broken", "Anchor 'unknown' not found"),
    ("/missing", "broken", "404 Client Error"),
    ("/moved", "redirected", "/ok"),
    ("/slow", "timeout", "timed out"),
    ("/source", "working", ""),  # a references.bib url, checked in the bibliography
    ("/gone-source", "broken", "404 Client Error"),
])
def test_linkcheck_classifies(local_results, path: str, status: str, info: str) -> None:
    run, results = local_results
    assert path in results, f"linkcheck did not check {path}:\n" + "\n".join(run.lines())
    result = results[path]
    assert result["status"] == status, result
    assert info in result["info"], result
    if status == "redirected":
        assert result["code"] == 301


@pytest.mark.slow  # runs linkcheck against a local server
def test_linkcheck_fails_and_names_file_and_line_of_each_bad_link(local_results, server) -> None:
    run, _ = local_results
    assert run.returncode != 0, "linkcheck passed although links are broken"
    lines = run.lines()
    for path, source_line in [("/missing", 6), ("/anchors#unknown", 5), ("/moved", 7), ("/slow", 8)]:
        assert any(line.startswith(f"chapters/links.md:{source_line}: WARNING: ")
                   and f"{server}{path}" in line for line in lines), (path, lines)


# -- The real external check ----------------------------------------------------------------------

def read_report(path: Path) -> list[dict]:
    """output.json: one JSON object per line."""
    assert path.is_file(), f"linkcheck wrote no report at {path}"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def bib_urls(bibfile: Path = REPO / "references.bib") -> dict[str, str]:
    """The url of every entry that has one, mapped to the entry's key."""
    entries = parse_file(bibfile, bib_format="bibtex").entries
    return {entry.fields["url"]: key for key, entry in entries.items() if "url" in entry.fields}


def _probe(host: str, port: int, results: dict[str, str]) -> None:
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        results[host] = f"DNS lookup of {host} failed ({error})"
        return
    try:
        socket.create_connection((host, port), timeout=PROBE_SECONDS).close()
    except OSError as error:
        results[host] = f"cannot connect to {host}:{port} ({error})"
        return
    results[host] = ""


def offline_reason(urls) -> str | None:
    """None if at least one host is reachable (DNS and TCP, or the proxy); else why not.

    getaddrinfo has no timeout, so each probe runs in a daemon thread that is given up on.
    """
    targets = {(p.hostname, p.port or (443 if p.scheme == "https" else 80))
               for p in map(urlsplit, urls)}
    proxy = urllib.request.getproxies().get("https")
    if proxy:  # requests goes through the proxy; the proxy must be reachable, not the hosts
        p = urlsplit(proxy)
        targets = {(p.hostname, p.port or 3128)}
    results: dict[str, str] = {}
    threads = [threading.Thread(target=_probe, args=(host, port, results), daemon=True)
               for host, port in sorted(targets)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + PROBE_SECONDS * 2
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(reason == "" for reason in results.values()):
        return None
    reasons = [results.get(host, f"no answer about {host} within {PROBE_SECONDS * 2:g} s")
               for host, _ in sorted(targets)]
    return "external network unreachable: " + "; ".join(reasons)


def run_make_linkcheck(builddir: Path) -> tuple[int | None, str]:
    """`make linkcheck` into *builddir*; the whole process group is killed at the hard limit."""
    process = subprocess.Popen(
        ["make", "--no-print-directory", f"BUILDDIR={builddir}", "linkcheck"],
        cwd=REPO, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=HARD_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return None, output
    return process.returncode, output


def describe(result: dict, keys: dict[str, str]) -> str:
    """The address, where it is used (and its bib entry, if it comes from one), and the verdict."""
    where = f"{result['filename']}:{result['lineno']}"
    if result["uri"] in keys:
        where += f" (bibliography entry {keys[result['uri']]!r} in references.bib)"
    return f"{result['uri']}\n    used at {where}\n    {result['status']}: {result['info']}"


def verdict(results: list[dict], keys: dict[str, str]) -> tuple[list[str], list[str]]:
    """Split linkcheck results into failures and links that could not be judged, described.

    Failures: "broken" and "redirected". A redirect that linkcheck_allowed_redirects does not
    allow is a warning, so it fails `make linkcheck` (-W) too: the address moved; update it, or
    allow the redirect in conf.py if it is known to be good. Not judged: "timeout" and
    "rate-limited", which say more about the network than about the link.
    """
    failures = [describe(r, keys) for r in results if r["status"] in {"broken", "redirected"}]
    flaky = [describe(r, keys) for r in results if r["status"] in {"timeout", "rate-limited"}]
    return failures, flaky


@pytest.mark.network
def test_external_links_are_not_broken(tmp_path: Path) -> None:
    keys = bib_urls()
    assert keys, "references.bib has no url: nothing external to check"
    reason = offline_reason(keys)
    if reason:
        pytest.skip(f"{reason}; run `make linkcheck` where the internet is reachable")

    returncode, output = run_make_linkcheck(tmp_path)
    if returncode is None:
        pytest.skip(f"`make linkcheck` did not finish within {HARD_LIMIT_SECONDS} s (network too "
                    f"slow to judge); partial output:\n{output[-3000:]}")
    results = read_report(tmp_path / "linkcheck" / "output.json")
    unchecked = set(keys) - {r["uri"] for r in results}
    assert not unchecked, f"references.bib urls that linkcheck never saw: {sorted(unchecked)}"

    failures, flaky = verdict(results, keys)
    assert not failures, f"{len(failures)} broken or redirected external links:\n" + \
        "\n".join(failures)
    if flaky:
        pytest.skip(f"{len(flaky)} links could not be judged (timeout or rate limit), none "
                    "broken:\n" + "\n".join(flaky))
    assert returncode == 0, f"`make linkcheck` failed although no link is broken:\n{output}"
    assert any(r["status"] == "working" for r in results), "no external link was found working"


# -- The external test's own machinery, proved offline ---------------------------------------------

@pytest.mark.slow  # runs linkcheck against a local server
def test_the_external_test_fails_on_each_bad_link_and_not_on_timeouts(local_results, server) -> None:
    """The verdict of the external test, applied to real linkcheck output from the local server."""
    run, results = local_results
    keys = bib_urls(run.srcdir / "references.bib")
    failures, flaky = verdict(list(results.values()), keys)
    failed = {text.split("\n")[0].removeprefix(server) for text in failures}
    assert failed == {"/anchors#unknown", "/missing", "/moved", "/gone-source"}
    assert [text.split("\n")[0].removeprefix(server) for text in flaky] == ["/slow"]
    gone = next(text for text in failures if "/gone-source" in text)
    assert "(bibliography entry 'gone-source' in references.bib)" in gone
    assert "used at chapters/links.md:" in gone


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urllib.request, "getproxies", dict)


def test_online_when_a_host_answers(server: str, no_proxy) -> None:
    assert offline_reason([f"{server}/ok", "https://nowhere.invalid/"]) is None


def test_offline_when_dns_fails(no_proxy) -> None:
    reason = offline_reason(["https://nowhere.invalid/page"])
    assert reason and reason.startswith("external network unreachable: DNS lookup of nowhere.invalid")


def test_offline_when_no_host_accepts_a_connection(no_proxy) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again before the probe: nothing listens there
    reason = offline_reason([f"http://127.0.0.1:{port}/"])
    assert reason and f"cannot connect to 127.0.0.1:{port}" in reason


# -- The configuration is deliberate ------------------------------------------------------------

def conf_assignments() -> dict[str, ast.expr]:
    tree = ast.parse((REPO / "conf.py").read_text(encoding="utf-8"))
    return {node.targets[0].id: node.value for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}


def test_linkcheck_limits_are_set_in_conf_py() -> None:
    settings = conf_assignments()
    for name in ("linkcheck_timeout", "linkcheck_retries", "linkcheck_workers",
                 "linkcheck_rate_limit_timeout", "linkcheck_anchors_ignore_for_url",
                 "linkcheck_allowed_redirects", "linkcheck_ignore"):
        assert name in settings, f"conf.py does not set {name}"


def test_every_linkcheck_ignore_entry_gives_its_reason() -> None:
    lines = (REPO / "conf.py").read_text(encoding="utf-8").splitlines()
    entries = conf_assignments()["linkcheck_ignore"]
    assert isinstance(entries, ast.List)
    for entry in entries.elts:
        above = lines[entry.lineno - 2].strip()
        after = lines[entry.end_lineno - 1][entry.end_col_offset:]
        assert above.startswith("#") or "#" in after, \
            f"conf.py:{entry.lineno}: linkcheck_ignore entry without a comment giving its reason"
