"""The bootstrap keeps the README's promise: `make` and `make test` on a bare Debian 12.

The whole promise is checked end to end by tools/bare-debian-check (too slow for the suite) and
by the debian:12 job in .github/workflows/build.yml; these tests catch the known ways to break it
on any machine, including ones whose Python or npm is newer than Debian's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import REPO


def promised_python() -> Version:
    """The oldest Python the README promises, from its sentence '… with its Python 3.11.2 …'."""
    match = re.search(r"Debian 12 \(bookworm\) and its own Python (\d+\.\d+\.\d+)",
                      (REPO / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md no longer states which Debian and Python `make` promises"
    return Version(match.group(1))


def pins() -> list[Requirement]:
    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in (l.split("#")[0].strip() for l in lines) if line]


def test_every_pin_installs_on_the_oldest_python_the_readme_promises() -> None:
    python = promised_python()
    refused = []
    for pin in pins():
        # The .venv is made from these pins, so its metadata is that of the pinned release.
        dist = metadata.distribution(pin.name)
        assert dist.version in pin.specifier, f"{pin.name}: .venv has {dist.version}, not {pin}"
        requires = dist.metadata.get("Requires-Python")
        if requires and not SpecifierSet(requires).contains(python):
            refused.append(f"{pin} needs Python {requires}")
    assert not refused, f"pins that Python {python} cannot install: {refused}"


def test_every_pin_is_exact() -> None:
    loose = [str(pin) for pin in pins() if not re.fullmatch(r"==[\w.]+", str(pin.specifier))]
    assert not loose, f"requirements.txt pins every package exactly: {loose}"


def debian_packages(*lists: str) -> set[str]:
    names = set()
    for name in lists:
        text = (REPO / "tools" / name).read_text(encoding="utf-8")
        names |= {line.split("#")[0].strip() for line in text.splitlines()} - {""}
    return names


def package_closure(packages: set[str]) -> set[str]:
    """The packages and everything they depend on (not recommends), as apt would install them."""
    out = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                          "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                          *sorted(packages)], capture_output=True, text=True, check=True).stdout
    names = {line.strip() for line in out.splitlines() if line and not line.startswith(" ")}
    names |= {line.split(":", 1)[1].strip() for line in out.splitlines() if "Depends:" in line}
    return {re.sub(r":\w+$|[<>]", "", name) for name in names}


def owning_package(path: str) -> str:
    """The package that ships *path*, under either name a merged /usr gives it ('' if none)."""
    real = str(Path(path).resolve())
    for candidate in dict.fromkeys([path, real, *(p.replace("/lib/", "/usr/lib/", 1) for p in (path, real)
                                                  if p.startswith("/lib/"))]):
        out = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.split(":", 1)[0]
    return ""


@pytest.mark.skipif(not shutil.which("dpkg-query") or not shutil.which("ldd"),
                    reason="needs Debian's dpkg and ldd to map libraries to packages")
@pytest.mark.slow  # ldd on every shared library
def test_playwright_driver_libraries_come_from_the_listed_debian_packages() -> None:
    """The browser tests start Playwright's own Node.js; a bare Debian 12 must have its libraries.

    A library counts when a listed package, or anything it depends on, or a package every Debian
    system has (priority required), provides it. libatomic1 is the case that broke it once.
    """
    import playwright

    node = Path(playwright.__file__).parent / "driver" / "node"
    assert node.is_file(), f"no Playwright driver at {node}"
    libraries = re.findall(r"=> (/\S+)", subprocess.run(["ldd", str(node)], capture_output=True,
                                                        text=True, check=True).stdout)
    assert libraries, "ldd found no libraries: is this the dynamically linked driver?"
    available = package_closure(debian_packages("debian-packages-browser.txt",
                                                "debian-packages-node.txt"))
    missing = []
    for library in libraries:
        name = owning_package(library)
        if not name:
            continue  # not from a Debian package on this machine: nothing to check against
        priority = subprocess.run(["dpkg-query", "-W", "-f=${Priority}", name],
                                  capture_output=True, text=True).stdout
        if name not in available and priority != "required":
            missing.append(f"{library} ({name})")
    assert not missing, f"add to tools/debian-packages-browser.txt: {missing}"


#: The shared libraries WeasyPrint opens at run time (weasyprint/text/ffi.py), by soname.
WEASYPRINT_LIBRARIES = ["libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz.so.0",
                        "libharfbuzz-subset.so.0", "libfontconfig.so.1", "libpangoft2-1.0.so.0"]


@pytest.mark.skipif(not shutil.which("dpkg-query") or not shutil.which("ldconfig"),
                    reason="needs Debian's dpkg and ldconfig to map libraries to packages")
@pytest.mark.slow  # ldd on every shared library
def test_weasyprint_libraries_come_from_the_listed_debian_packages() -> None:
    """The PDF needs Pango and HarfBuzz's subsetter from Debian; a bare Debian 12 must get them
    from tools/debian-packages.txt (or what those packages depend on)."""
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    available = package_closure(debian_packages("debian-packages.txt"))
    missing = []
    for soname in WEASYPRINT_LIBRARIES:
        paths = re.findall(rf"^\s*{re.escape(soname)} \(.*x86-64.*\) => (\S+)", cache, re.M) or \
            re.findall(rf"^\s*{re.escape(soname)} \(.*\) => (\S+)", cache, re.M)
        assert paths, f"{soname} is not installed: is tools/debian-packages.txt installed?"
        name = owning_package(paths[0])
        if name and name not in available:
            missing.append(f"{soname} ({name})")
    assert not missing, f"add to tools/debian-packages.txt: {missing}"


def test_npm_is_pinned_with_its_own_lock_and_used_for_npm_ci() -> None:
    """Debian 12's npm 9.2 crashes on package.json's overrides; the bootstrap brings npm 10."""
    lock = yaml.safe_load((REPO / "tools" / "npm" / "package-lock.json").read_text())
    npm = lock["packages"]["node_modules/npm"]
    assert Version(npm["version"]).major >= 10
    assert npm["integrity"].startswith("sha512-")
    recipe = re.search(r"^\$\(NODE_STAMP\):.*\n((?:\t.*\n)+)",
                       (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    assert recipe and "$(NPM) ci" in recipe.group(1), "`npm ci` must run with the pinned npm"


def test_a_ci_job_runs_the_two_commands_in_the_stock_debian_12_image() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "build.yml").read_text())
    jobs = [job for job in workflow["jobs"].values() if job.get("container") == "debian:12"]
    assert jobs, "build.yml has no job in the stock debian:12 image"
    runs = [step.get("run", "") for step in jobs[0]["steps"]]
    installs = [r for r in runs if "apt-get install" in r]
    assert installs and set(installs[0].split("apt-get install", 1)[1].split()) - {"-y"} == {
        "make", "git", "ca-certificates"}, installs
    assert "make" in runs and "make test" in runs, runs
