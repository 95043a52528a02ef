#!/usr/bin/env python3
"""Measure how fast the handbook builds, and check what `make` rebuilds.

Run with ``make bench`` (after ``make``). Every timing is the median of ``--runs`` runs (5 by
default) after one warm-up run, measured in this run on this machine:

1. a clean HTML build;
2. ``make html`` with nothing changed: it must not run Sphinx;
3. ``make html`` after editing one chapter's text: the Makefile builds the HTML clean after any
   change, so this is a clean build plus make's own work; the page must show the edit;
4. a cold and a warm PDF build (``make pdf`` into an empty and then the same build directory);
5. the wall time of the test suite (``make test``; ``--test-runs``, 3 by default, for a median);
6. the same sources built with a bare configuration (alabaster, myst-parser and
   sphinxcontrib-bibtex only), built in turn with step 1's, and the ratio handbook / bare for
   the clean HTML build (the median of the paired ratios);
7. synthetic handbooks of 1×, 4× and 16× the real region and theme chapters (copies with
   renamed labels), with the build time per page and the fitted growth exponent;
8. everything `make` builds (``make -j2 all`` into an empty build directory) in every language,
   and in English alone (``TRANSLATIONS=``), taking turns, with the ratio of the medians.

With ``--baseline-ref REF`` step 5 also times the test suite of an earlier commit (a clone of
REF, with its own .venv made by its own Makefile in a warm-up run), taking turns with this one:
how much the translations cost the suite, measured in one run.

Steps 2 and 3 run ``make`` on a copy of the sources in a temporary directory, with stand-ins for
the PDF and the EPUB (``make -o``: they are not rebuilt), so the repository is never changed.
Results go to ``<out>/results.json``, and a Markdown table is printed. The script makes no
pass/fail judgement on times (machines are noisy); it exits non-zero only when a check fails.
``tests/test_incremental.py`` uses the same helpers to check what ``make`` rebuilds.
"""

from __future__ import annotations

import argparse
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
VENV = REPO / ".venv"
PYTHON = VENV / "bin" / "python"
SPHINX_BUILD = REPO / ".venv" / "bin" / "sphinx-build"
SPHINXOPTS = ["-W", "-n", "--keep-going"]  # as the Makefile's, but not quiet: we count pages
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "_build", "node_modules", "tests", "__pycache__", "*.pyc",
    ".pytest_cache", ".mypy_cache", ".ruff_cache",
)
PDF_NAME = "nordic-life-science-handbook.pdf"
EPUB_NAME = "nordic-life-science-handbook.epub"


class CheckFailed(AssertionError):
    """`make` rebuilt when nothing changed, or its output does not show a change."""


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


# -- make on a copy of the sources -----------------------------------------------------------

def chapters(srcdir: Path, kind: str) -> list[Path]:
    return sorted(p for p in (srcdir / "chapters").rglob("*.md")
                  if re.search(rf"^kind:\s*{kind}\s*$", p.read_text(encoding="utf-8"), flags=re.M))


def set_title(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^# .+$", f"# {title}", text, count=1, flags=re.M), encoding="utf-8")


def navigation(page: Path) -> str:
    """The navigation sidebar of a built page (the theme's ``bd-docs-nav``), as HTML."""
    html = page.read_text(encoding="utf-8")
    return html.split('bd-docs-nav"', 1)[-1].split("</nav>", 1)[0] if 'bd-docs-nav"' in html else ""


@dataclass
class Copy:
    """A copy of the sources that `make` builds into its own build directory."""

    src: Path
    builddir: Path

    @property
    def html(self) -> Path:
        return self.builddir / "html"

    def pages(self) -> list[Path]:
        return sorted(p for p in self.html.rglob("*.html") if "_static" not in p.parts)

    def make_html(self) -> Run:
        """`make html`, timed, with the repository's .venv, the PDF and the EPUB taken as they are.

        ``make -o`` never remakes them: the copy's files are all new, so make would otherwise
        rebuild the editions and recreate the .venv (``venv --clear``) from the copied
        requirements.txt.
        """
        pdf, epub = self.builddir / "pdf" / PDF_NAME, self.builddir / "epub" / EPUB_NAME
        command = ["make", "--no-print-directory", f"BUILDDIR={self.builddir}", f"VENV={VENV}",
                   "-o", str(VENV / ".requirements-stamp"), "-o", str(pdf), "-o", str(epub), "html"]
        start = time.perf_counter()
        result = subprocess.run(command, cwd=self.src, env=env(), capture_output=True, text=True)
        seconds = time.perf_counter() - start
        output = result.stdout + result.stderr
        if result.returncode != 0:
            raise RuntimeError(f"make html failed in {self.src}:\n{output[-4000:]}")
        return Run(seconds, output)


def copy_for_make(work: Path) -> Copy:
    """A copy of the sources in *work* that `make html` can build, with stand-ins for the PDF and
    the EPUB (which `make html` copies into the site)."""
    src = copy_sources(work / "src")
    builddir = work / "build"
    for folder, name, size in (("pdf", PDF_NAME, 200_000), ("epub", EPUB_NAME, 100_000)):
        (builddir / folder).mkdir(parents=True, exist_ok=True)
        (builddir / folder / name).write_bytes(b"\0" * size)
    return Copy(src, builddir)


def ran_sphinx(run: Run) -> bool:
    return "sphinx-build" in run.output


def make_checks(work: Path, runs: int) -> dict:
    """Steps 2 and 3 on a copy of the sources in *work*: times and checks."""
    copy = copy_for_make(work)
    copy.make_html()
    results: dict = {}

    # 2. Nothing changed: make does nothing.
    nothing: list[Run] = []

    def rebuild() -> float:
        nothing.append(copy.make_html())
        return nothing[-1].seconds

    results["no_change_s"] = timed(runs, rebuild)
    if any(ran_sphinx(run) for run in nothing):
        raise CheckFailed(f"`make html` with nothing changed ran Sphinx:\n{nothing[-1].output[-2000:]}")

    # 3. One chapter's text edited (a new sentence each time): a clean build of the HTML.
    chapter = chapters(copy.src, "region")[0]
    original = chapter.read_text(encoding="utf-8")
    page = copy.html / chapter.relative_to(copy.src).with_suffix(".html")
    counter = iter(range(10**6))

    def edit() -> float:
        sentence = f"A sentence added for the benchmark, number {next(counter)}."
        chapter.write_text(original + f"\n{sentence}\n", encoding="utf-8")
        run = copy.make_html()
        if not ran_sphinx(run) or sentence not in page.read_text(encoding="utf-8"):
            raise CheckFailed(f"after an edit, `make html` did not show it in {page.name}")
        return run.seconds

    results["one_edit_s"] = timed(runs, edit)
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
    """Steps 1 and 6: clean builds of the handbook and of the bare baseline, taking turns.

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


def edition_builds(work: Path, runs: int) -> dict:
    """Step 8: `make -j2 all` from empty, all languages and English alone, taking turns."""
    times: dict[str, list[float]] = {"all_languages_s": [], "english_only_s": []}
    variants = {"all_languages_s": [], "english_only_s": ["TRANSLATIONS="]}
    for run in range(runs + 1):  # the first round warms the caches
        for key, extra in variants.items():
            builddir = work / f"all-{key}"
            shutil.rmtree(builddir, ignore_errors=True)
            seconds = make("-j2", "all", f"BUILDDIR={builddir}", *extra)[0]
            if run:
                times[key].append(seconds)
    return {**times, "ratio_all_languages_to_english": median(times["all_languages_s"]) / median(times["english_only_s"])}


def baseline_suite(work: Path, ref: str) -> Path:
    """A clone of *ref* to time its test suite beside this one's."""
    clone = work / "baseline"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "checkout", "--quiet", ref], cwd=clone, check=True)
    return clone


def make_in(directory: Path, *args: str) -> float:
    start = time.perf_counter()
    # Not this checkout's commit date, which `make bench` exports: the clone's Makefile reads its own.
    environment = {k: v for k, v in env().items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(["make", "--no-print-directory", *args], cwd=directory, env=environment,
                            capture_output=True, text=True)
    if result.returncode != 0:
        log = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                        if not line.startswith("WARNING: Location"))  # pip's notes on this machine's indexes
        raise RuntimeError(f"make {' '.join(args)} in {directory} failed:\n{log[-6000:]}")
    return time.perf_counter() - start


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
    rows.append(("2. make html, nothing changed", m("no_change_s"), "Sphinx not run"))
    rows.append(("3. make html after a one-chapter edit", m("one_edit_s"),
                 "a clean HTML build, as after any change; the page shows the edit"))
    if "pdf_cold_s" in results:
        rows.append(("4. PDF, cold", m("pdf_cold_s"), "make pdf into an empty build directory"))
        rows.append(("4. PDF, warm", m("pdf_warm_s"), "nothing rebuilt" if not results["pdf_warm_rebuilt"] else "REBUILT"))
    if "test_suite_s" in results:
        rows.append(("5. Test suite (make test)", m("test_suite_s"), f"{len(results['test_suite_s'])} run(s)"))
    if "baseline_test_suite_s" in results:
        rows.append((f"5. Test suite at {results['baseline_ref']}", m("baseline_test_suite_s"),
                     f"ratio this / that = {median(results['test_suite_s']) / median(results['baseline_test_suite_s']):.2f}"))
    if "all_languages_s" in results:
        rows.append(("8. make -j2 all, every language", m("all_languages_s"), "from an empty build directory"))
        rows.append(("8. make -j2 all, English only", m("english_only_s"),
                     f"TRANSLATIONS=; ratio every language / English = {results['ratio_all_languages_to_english']:.2f}"))
    if "bare_html_s" in results:
        rows.append(("6. Bare baseline, clean HTML", m("bare_html_s"),
                     f"ratio handbook / bare = {results['ratio_to_bare']:.2f} (median of "
                     f"{len(results['paired_ratios_to_bare'])} paired runs; ratio of the medians "
                     f"{results['ratio_of_medians_to_bare']:.2f})"))
    if "scaling" in results:
        for size in results["scaling"]["sizes"]:
            rows.append((f"7. Scaling {size['factor']}×", f"{size['median_s']:.2f} s",
                         f"{size['pages']} pages, {size['per_page_ms']} ms/page, {size['warnings']} warnings"))
        rows.append(("7. Growth", "–", f"time ∝ pages^{results['scaling']['fitted_exponent']}; per page "
                     f"{results['scaling']['per_page_ratio_largest_to_smallest']}× at the largest size"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "bench")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--test-runs", type=int, default=3, help="runs of `make test`, for a median (0: skip)")
    parser.add_argument("--scale", default="1,4,16", help="synthetic sizes, comma-separated")
    parser.add_argument("--skip", default="", help="steps to skip, e.g. pdf,scaling,baseline,editions")
    parser.add_argument("--baseline-ref", help="also time the test suite of this commit, taking turns (step 5)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"runs": args.runs, "machine": {"cpus": os.cpu_count()},
                     "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    def save() -> None:  # after every step, so that a failing step keeps what was measured
        (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        work = Path(tmp)
        print("1. clean HTML builds" + (" and 6. bare baseline builds, taking turns …"
                                         if "baseline" not in skip else " …"), file=sys.stderr)
        results.update(clean_builds(work, args.runs, baseline="baseline" not in skip))
        print("2–3. make html with nothing changed and after an edit …", file=sys.stderr)
        results.update(make_checks(work / "make", args.runs))
        save()
        if "pdf" not in skip:
            print("4. PDF builds …", file=sys.stderr)
            results.update(pdf_times(work, args.runs))
            save()
        if "scaling" not in skip:
            print("7. synthetic handbooks …", file=sys.stderr)
            results["scaling"] = scaling(work, args.runs, [int(f) for f in args.scale.split(",")])
        if "editions" not in skip:
            print("8. make all, every language and English only, taking turns …", file=sys.stderr)
            results.update(edition_builds(work, args.runs))
            save()
        if args.test_runs:
            print("5. make test …", file=sys.stderr)
            baseline = baseline_suite(work, args.baseline_ref) if args.baseline_ref else None
            if baseline:
                make_in(baseline, "test")  # warm-up: its own .venv and npm packages
                results["baseline_ref"], results["baseline_test_suite_s"] = args.baseline_ref, []
            results["test_suite_s"] = []
            for _ in range(args.test_runs):
                results["test_suite_s"].append(make("test")[0])
                if baseline:
                    results["baseline_test_suite_s"].append(make_in(baseline, "test"))
                save()
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nResults: {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
