#!/usr/bin/env python3
"""Measure how fast the handbook builds, and check that incremental builds equal clean ones.

Run with ``make bench`` (after ``make``). Every timing is the median of ``--runs`` runs (5 by
default) after one warm-up run, measured in this run on this machine:

1. a clean HTML build;
2. a rebuild with nothing changed;
3. a rebuild after editing one chapter's text, with the documents re-read and written;
4. a rebuild after changing the title of a part (a chapter the sidebar lists on every page):
   every page's navigation must show the new title, and the output must equal a clean build;
5. a rebuild after adding a citation: the chapter's "Sources" list must show it, and the output
   must equal a clean build of the same sources;
6. a cold and a warm PDF build (``make pdf`` into an empty and then the same build directory);
7. the wall time of the test suite (``make test``; ``--test-runs``, 1 by default: it takes minutes);
8. the same sources built with a bare configuration (alabaster, myst-parser and
   sphinxcontrib-bibtex only), built in turn with step 1's, and the ratio handbook / bare for
   the clean HTML build (the median of the paired ratios);
9. synthetic handbooks of 1×, 4× and 16× the real region and theme chapters (copies with
   renamed labels), with the build time per page and the fitted growth exponent.

Steps 3 to 5 run on a copy of the sources in a temporary directory; the repository is never
changed. Results go to ``<out>/results.json``, and a Markdown table is printed. The script makes
no pass/fail judgement on times (machines are noisy); it exits non-zero only when a correctness
check fails. ``tests/test_incremental.py`` runs the correctness checks (steps 3 to 5) in make test.

The comparison of two HTML trees ignores nothing but ``.buildinfo.bak`` and the Makefile's
stamp files: every page, asset, search index and inventory must be byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
SPHINX_BUILD = REPO / ".venv" / "bin" / "sphinx-build"
sys.path.insert(0, str(REPO / "_ext"))
SPHINXOPTS = ["-W", "-n", "--keep-going"]  # as the Makefile's, but not quiet: we count pages
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "_build", "node_modules", "tests", "__pycache__", "*.pyc",
    ".pytest_cache", ".mypy_cache", ".ruff_cache",
)
#: Files in an output tree that a clean and an incremental build may legitimately differ in.
VOLATILE = {".buildinfo.bak", ".build-stamp"}


class CheckFailed(AssertionError):
    """An incremental build differs from what a clean build gives."""


def env() -> dict[str, str]:
    result = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    # Plain output to parse: Sphinx colours it when CI=true, as on CI machines.
    result["NO_COLOR"] = "1"
    if "SOURCE_DATE_EPOCH" not in result:
        epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        if epoch:
            result["SOURCE_DATE_EPOCH"] = epoch
    return result


# -- Running builds --------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    output: str
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def sphinx(srcdir: Path, outdir: Path, doctrees: Path, *extra: str, builder: str = "html",
           check: bool = True) -> Run:
    """One sphinx-build run, timed; the documents it read and wrote are parsed from its log."""
    command = [str(SPHINX_BUILD), "-b", builder, *extra, "-d", str(doctrees), str(srcdir), str(outdir)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=srcdir, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    output = result.stdout + result.stderr
    if check and result.returncode != 0:
        raise RuntimeError(f"sphinx-build failed ({' '.join(command)}):\n{output[-4000:]}")
    read = re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", output, flags=re.M)
    written = re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", output, flags=re.M)
    return Run(seconds, output, read, written)


def handbook_build(srcdir: Path, work: Path, name: str = "html", clean: bool = False) -> Run:
    outdir, doctrees = work / name, work / "doctrees" / name
    if clean:
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
    return sphinx(srcdir, outdir, doctrees, *SPHINXOPTS)


def copy_sources(destination: Path) -> Path:
    shutil.copytree(REPO, destination, ignore=NOT_SOURCES)
    return destination


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def timed(runs: int, action) -> list[float]:
    """Warm up once, then time *action* (which returns seconds) *runs* times (0: check only)."""
    action()
    return [action() for _ in range(runs)]


# -- Comparing output trees ------------------------------------------------------------------

def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file() and p.name not in VOLATILE
    }


def compare_trees(incremental: Path, clean: Path) -> list[str]:
    """Paths that differ between two HTML trees (missing on either side, or other bytes)."""
    a, b = tree_digest(incremental), tree_digest(clean)
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def html_mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*.html")}


def changed_pages(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(p for p in after if before.get(p) != after[p])


# -- Edits on a copy of the sources ----------------------------------------------------------

def chapters(srcdir: Path, kind: str) -> list[Path]:
    return sorted(p for p in (srcdir / "chapters").rglob("*.md")
                  if re.search(rf"^kind:\s*{kind}\s*$", p.read_text(encoding="utf-8"), flags=re.M))


def bib_keys(srcdir: Path) -> list[str]:
    from handbook import bibfile  # the build's own reader of references.bib

    return list(bibfile.read(srcdir / "references.bib").entries)


def set_title(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^# .+$", f"# {title}", text, count=1, flags=re.M), encoding="utf-8")


def add_citation(path: Path, key: str) -> None:
    """Cite *key* in a new paragraph right after the chapter's title."""
    text = path.read_text(encoding="utf-8")
    sentence = f"A further source is relevant here {{cite:p}}`{key}`.\n\n"
    path.write_text(re.sub(r"^(# .+\n\n)", lambda m: m.group(1) + sentence, text, count=1, flags=re.M),
                    encoding="utf-8")


def chapter_with_uncited_key(srcdir: Path) -> tuple[Path, str]:
    """The first chapter with a "Sources" list that does not cite some key yet, and that key."""
    for path in chapters(srcdir, "region") + chapters(srcdir, "theme"):
        text = path.read_text(encoding="utf-8")
        if "## Sources" in text:
            for key in bib_keys(srcdir):
                if key not in text:
                    return path, key
    raise RuntimeError("every chapter with a Sources list already cites every key")


def navigation(page: Path) -> str:
    """The navigation sidebar of a built page (the theme's ``bd-docs-nav``), as HTML."""
    html = page.read_text(encoding="utf-8")
    return html.split('bd-docs-nav"', 1)[-1].split("</nav>", 1)[0] if 'bd-docs-nav"' in html else ""


def sources_entries(page: Path) -> int:
    """The number of entries in a built page's "Sources" list."""
    html = page.read_text(encoding="utf-8")
    section = html.split('id="sources"', 1)[-1].split("</section>", 1)[0]
    return section.count("<li")


def check_identical(srcdir: Path, work: Path, what: str) -> float:
    """Build *srcdir* clean into work/clean and compare with work/html; return the clean time."""
    clean = handbook_build(srcdir, work, "clean", clean=True)
    differ = compare_trees(work / "html", work / "clean")
    if differ:
        raise CheckFailed(f"after {what}, the incremental build differs from a clean build in "
                          f"{len(differ)} file(s): {differ[:10]}")
    return clean.seconds


def incremental_checks(work: Path, runs: int) -> dict:
    """Steps 2 to 5 on a copy of the sources in *work*: times, counts and correctness checks."""
    src = copy_sources(work / "src")
    handbook_build(src, work, clean=True)
    results: dict = {}

    # 2. Nothing changed.
    nothing: list[Run] = []

    def rebuild() -> float:
        nothing.append(handbook_build(src, work))
        return nothing[-1].seconds

    results["no_change_s"] = timed(runs, rebuild)
    if nothing[-1].read or nothing[-1].written:
        raise CheckFailed(f"a rebuild with nothing changed read {nothing[-1].read} "
                          f"and wrote {nothing[-1].written}")

    # 3. One chapter's text edited (a new sentence each time).
    chapter = chapters(src, "region")[0]
    original = chapter.read_text(encoding="utf-8")
    counter = iter(range(10**6))
    edits: list[Run] = []
    pages: list[list[str]] = []

    def edit() -> float:
        chapter.write_text(original + f"\nA sentence added for the benchmark, number {next(counter)}.\n",
                           encoding="utf-8")
        before = html_mtimes(work / "html")
        run = handbook_build(src, work)
        edits.append(run)
        pages.append(changed_pages(before, html_mtimes(work / "html")))
        return run.seconds

    results["one_edit_s"] = timed(runs, edit)
    last = edits[-1]
    results["one_edit_read"] = last.read
    results["one_edit_written"] = last.written
    results["one_edit_html_files_changed"] = pages[-1]
    if len(last.read) != 1 or len(last.written) > 3:
        raise CheckFailed(f"one edit re-read {last.read} and wrote {last.written}")
    check_identical(src, work, "a one-chapter edit")

    # 4. A part's title changed: every page's navigation shows it; output equals a clean build.
    # (A part, such as "Themes": the sidebar lists the parts on every page, and opens only the
    # part of the current page, so a chapter's title is in the navigation of its part's pages.)
    theme = chapters(src, "overview")[-1]
    theme_original = theme.read_text(encoding="utf-8")
    title_runs: list[Run] = []

    def retitle() -> float:
        if theme.read_text(encoding="utf-8") != theme_original:  # undo the previous run's change
            theme.write_text(theme_original, encoding="utf-8")
            handbook_build(src, work)
        n = next(counter)
        title = f"Benchmark title {n}"
        set_title(theme, title)
        run = handbook_build(src, work)
        title_runs.append(run)
        stale = [p for p in (work / "html").rglob("*.html")
                 if "_static" not in p.parts and title not in navigation(p)]
        if stale:
            raise CheckFailed(f"after a title change, the navigation of {len(stale)} page(s) does not "
                              f"show it: {sorted(str(p.relative_to(work / 'html')) for p in stale)[:5]}")
        check_identical(src, work, "a title change")
        return run.seconds

    results["title_change_s"] = timed(runs, retitle)
    results["title_change_written"] = len(title_runs[-1].written)
    results["title_change_identical"] = True

    # 5. A citation added: the chapter's Sources list shows it; output equals a clean build.
    theme.write_text(theme_original, encoding="utf-8")
    handbook_build(src, work)
    citing, key = chapter_with_uncited_key(src)
    citing_original = citing.read_text(encoding="utf-8")
    page = work / "html" / citing.relative_to(src).with_suffix(".html")
    entries_before = sources_entries(page)
    cite_runs: list[Run] = []

    def cite() -> float:
        if citing.read_text(encoding="utf-8") != citing_original:  # undo the previous run's change
            citing.write_text(citing_original, encoding="utf-8")
            handbook_build(src, work)
        add_citation(citing, key)
        run = handbook_build(src, work)
        cite_runs.append(run)
        if sources_entries(page) != entries_before + 1:
            raise CheckFailed(f"after citing {key}, the Sources list of {page.name} does not show it")
        check_identical(src, work, "a new citation")
        return run.seconds

    results["new_citation_s"] = timed(runs, cite)
    results["new_citation_written"] = cite_runs[-1].written
    results["new_citation_identical"] = True
    return results


# -- Baseline: the same sources with a bare configuration ------------------------------------

BARE_CONF = '''
project = "baseline"
extensions = ["myst_parser", "sphinxcontrib.bibtex"]
html_theme = "alabaster"
root_doc = "index"
include_patterns = ["index.md", "chapters/**"]
exclude_patterns = [".venv", "node_modules", "_build", ".git"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year"
'''


def bare_build(work: Path) -> float:
    conf = work / "bare-conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "conf.py").write_text(BARE_CONF, encoding="utf-8")
    out, doctrees = work / "bare", work / "doctrees" / "bare"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(doctrees, ignore_errors=True)
    # Not -W: the bare configuration does not know the handbook's cards and front matter.
    return sphinx(REPO, out, doctrees, "-q", "-c", str(conf), "--keep-going", check=False).seconds


def clean_builds(work: Path, runs: int, baseline: bool = True) -> dict:
    """Steps 1 and 8: clean builds of the handbook and of the bare baseline, taking turns.

    Alternating the two (after one warm-up each) means both see the same machine: a busy spell
    slows one run of each rather than all runs of one, which would skew the ratio. The ratio is
    the median of the paired ratios (each handbook build over the baseline build right after
    it); the ratio of the two medians is kept too.
    """
    def handbook() -> float:
        return handbook_build(REPO, work, "clean-html", clean=True).seconds

    handbook()
    if baseline:
        bare_build(work)
    results: dict = {"clean_html_s": [], **({"bare_html_s": []} if baseline else {})}
    for _ in range(runs):
        results["clean_html_s"].append(handbook())
        if baseline:
            results["bare_html_s"].append(bare_build(work))
    results["pages"] = len(list((work / "clean-html").rglob("*.html")))
    if baseline and runs:
        pairs = [h / b for h, b in zip(results["clean_html_s"], results["bare_html_s"])]
        results["paired_ratios_to_bare"] = [round(r, 3) for r in pairs]
        results["ratio_to_bare"] = median(pairs)
        results["ratio_of_medians_to_bare"] = round(median(results["clean_html_s"]) / median(results["bare_html_s"]), 3)
    return results


# -- PDF -------------------------------------------------------------------------------------

def make(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, env=env(),
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"make {' '.join(args)} failed:\n{(result.stdout + result.stderr)[-4000:]}")
    return seconds, result.stdout + result.stderr


def pdf_times(work: Path, runs: int) -> dict:
    builddir = work / "pdf-build"

    def cold() -> float:
        shutil.rmtree(builddir, ignore_errors=True)
        return make("pdf", f"BUILDDIR={builddir}")[0]

    cold_times = timed(runs, cold)
    warm_times, outputs = [], []
    for _ in range(runs):
        seconds, output = make("pdf", f"BUILDDIR={builddir}")
        warm_times.append(seconds)
        outputs.append(output)
    rebuilt = any("sphinx-build" in o for o in outputs)
    if rebuilt:
        raise CheckFailed("a warm `make pdf` with nothing changed rebuilt something")
    return {"pdf_cold_s": cold_times, "pdf_warm_s": warm_times, "pdf_warm_rebuilt": rebuilt}


# -- Scaling: synthetic handbooks ------------------------------------------------------------

LABEL = re.compile(r"^\((?P<label>[A-Za-z0-9_.:-]+)\)=\s*$", flags=re.M)


def synthetic_handbook(destination: Path, factor: int) -> tuple[Path, int]:
    """The handbook plus factor-1 copies of its region and theme chapters, labels renamed."""
    src = copy_sources(destination)
    parts = ["regions", "themes"]
    labels = {m.group("label") for part in parts for p in (src / "chapters" / part).glob("*.md")
              for m in LABEL.finditer(p.read_text(encoding="utf-8"))}
    toctree = []
    for n in range(2, factor + 1):
        for part in parts:
            target = src / "chapters" / f"copy{n}" / part
            shutil.copytree(src / "chapters" / part, target)
            for page in target.glob("*.md"):
                text = page.read_text(encoding="utf-8")
                for label in labels:
                    text = re.sub(rf"(?<=[(`<]){re.escape(label)}(?=[)`>])", f"{label}-c{n}", text)
                # {count}`regions` and {catalogue}`themes` name the catalogue's parts, not labels.
                text = re.sub(r"(\{(?:count|catalogue)\}`[\w:-]+?)-c\d+`", r"\1`", text)
                # The front matter's regions and themes stay with the real chapters (the
                # handbook checks that a chapter links the chapters of the ids it lists).
                # So do their places in the catalogue (handbook.catalogue): a copy is an overview.
                text = re.sub(r"^(regions|themes|matrix|short|order|country):.*\n(?:[ \t]+.*\n)*", "",
                              text, flags=re.M)
                text = re.sub(r"^kind:\s*(region|theme|partner)\s*$", "kind: overview", text, flags=re.M)
                if page.name == "index.md":  # the catalogue's toctree lists the real chapters
                    others = sorted(p.stem for p in target.glob("*.md") if p.name != "index.md")
                    text = re.sub(r"```\{catalogue-toctree\}[^\n]*\n(?:.*\n)*?```",
                                  "```{toctree}\n:maxdepth: 1\n\n" + "\n".join(others) + "\n```", text)
                # Relative links out of the part (to reference pages) go one level further up.
                text = re.sub(r"\]\(\.\./(?!regions/|themes/)", "](../../", text)
                page.write_text(text, encoding="utf-8")
            toctree.append(f"chapters/copy{n}/{part}/index")
    if toctree:
        with (src / "index.md").open("a", encoding="utf-8") as index:
            index.write("\n```{toctree}\n:hidden:\n\n" + "\n".join(toctree) + "\n```\n")
    pages = 1 + len(list((src / "chapters").rglob("*.md")))
    return src, pages


def scaling(work: Path, runs: int, factors: list[int]) -> dict:
    sizes = []
    for factor in factors:
        src, pages = synthetic_handbook(work / f"scale{factor}", factor)
        out = work / f"scale{factor}-out"
        probe = sphinx(src, out / "html", out / "doctrees", "--keep-going", "-q", check=False)
        warnings = len(re.findall(r"WARNING|ERROR", probe.output))

        def clean() -> float:
            shutil.rmtree(out, ignore_errors=True)
            return sphinx(src, out / "html", out / "doctrees", "--keep-going", "-q", check=False).seconds

        times = [clean() for _ in range(runs)]  # the probe above was the warm-up
        sizes.append({"factor": factor, "pages": pages, "clean_s": times,
                      "median_s": median(times), "per_page_ms": round(1000 * median(times) / pages, 1),
                      "warnings": warnings})
        shutil.rmtree(src, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    xs = [math.log(s["pages"]) for s in sizes]
    ys = [math.log(s["median_s"]) for s in sizes]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    exponent = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs) if len(xs) > 1 else 1.0
    return {"sizes": sizes, "fitted_exponent": round(exponent, 3),
            "per_page_ratio_largest_to_smallest": round(sizes[-1]["per_page_ms"] / sizes[0]["per_page_ms"], 3)}


# -- Report ----------------------------------------------------------------------------------

def table(results: dict) -> str:
    rows = [("Measurement", "Median", "Detail")]
    m = lambda key: f"{median(results[key]):.2f} s" if key in results else "–"  # noqa: E731
    rows.append(("1. Clean HTML build", m("clean_html_s"), f"{results.get('pages', '?')} HTML pages"))
    rows.append(("2. No-change rebuild", m("no_change_s"), "0 read, 0 written"))
    if "one_edit_read" in results:
        rows.append(("3. One-chapter edit", m("one_edit_s"),
                     f"{len(results['one_edit_read'])} read, {len(results['one_edit_written'])} documents written "
                     f"({', '.join(results['one_edit_written'])}); {len(results['one_edit_html_files_changed'])} "
                     "HTML files rewritten incl. search and genindex"))
        rows.append(("4. Title change (a part)", m("title_change_s"),
                     f"{results['title_change_written']} written; every page's navigation shows it; "
                     "identical to clean: yes"))
        rows.append(("5. New citation", m("new_citation_s"),
                     f"{len(results['new_citation_written'])} written; Sources shows it; identical to clean: yes"))
    if "pdf_cold_s" in results:
        rows.append(("6. PDF, cold", m("pdf_cold_s"), "make pdf into an empty build directory"))
        rows.append(("6. PDF, warm", m("pdf_warm_s"), "nothing rebuilt" if not results["pdf_warm_rebuilt"] else "REBUILT"))
    if "test_suite_s" in results:
        rows.append(("7. Test suite (make test)", m("test_suite_s"), f"{len(results['test_suite_s'])} run(s)"))
    if "bare_html_s" in results:
        rows.append(("8. Bare baseline, clean HTML", m("bare_html_s"),
                     f"ratio handbook / bare = {results['ratio_to_bare']:.2f} (median of "
                     f"{len(results['paired_ratios_to_bare'])} paired runs; ratio of the medians "
                     f"{results['ratio_of_medians_to_bare']:.2f})"))
    if "scaling" in results:
        for size in results["scaling"]["sizes"]:
            rows.append((f"9. Scaling {size['factor']}×", f"{size['median_s']:.2f} s",
                         f"{size['pages']} pages, {size['per_page_ms']} ms/page, {size['warnings']} warnings"))
        rows.append(("9. Growth", "–", f"time ∝ pages^{results['scaling']['fitted_exponent']}; per page "
                     f"{results['scaling']['per_page_ratio_largest_to_smallest']}× at the largest size"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "bench")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--test-runs", type=int, default=1, help="runs of `make test` (0: skip)")
    parser.add_argument("--scale", default="1,4,16", help="synthetic sizes, comma-separated")
    parser.add_argument("--skip", default="", help="steps to skip, e.g. pdf,scaling,baseline")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"runs": args.runs, "machine": {"cpus": os.cpu_count()},
                     "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        work = Path(tmp)
        print("1. clean HTML builds" + (" and 8. bare baseline builds, taking turns …"
                                         if "baseline" not in skip else " …"), file=sys.stderr)
        results.update(clean_builds(work, args.runs, baseline="baseline" not in skip))
        print("2–5. incremental builds and checks …", file=sys.stderr)
        results.update(incremental_checks(work / "incremental", args.runs))
        if "pdf" not in skip:
            print("6. PDF builds …", file=sys.stderr)
            results.update(pdf_times(work, args.runs))
        if "scaling" not in skip:
            print("9. synthetic handbooks …", file=sys.stderr)
            results["scaling"] = scaling(work, args.runs, [int(f) for f in args.scale.split(",")])
    if args.test_runs:
        print("7. make test …", file=sys.stderr)
        results["test_suite_s"] = [make("test")[0] for _ in range(args.test_runs)]
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nResults: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
