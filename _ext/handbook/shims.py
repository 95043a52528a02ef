"""The register of version-checked shims: every place the handbook relies on something upstream
did not promise.

The handbook extends Sphinx, the theme and sphinxcontrib-bibtex through their public extension
points: Sphinx events, environment collectors, configuration and theme options, and template
blocks. Where a feature needs more than that (a private name, or the exact markup an upstream
writes today), the module that does it declares a :class:`Shim` with :func:`register`: the
package, the versions it was written and tested for, and what it relies on.

When Sphinx starts, :func:`check_versions` compares each shim with the installed package. On any
other version the build stops with a message that names the shim and what to check, instead of
breaking silently or producing wrong pages. The weekly canary (``.github/workflows/canary.yml``)
builds against the newest releases, so such a stop is seen within a week of a release.

``tests/test_shims.py`` checks that every private name of those packages used anywhere in the
extension belongs to a module with a registered shim, and that each check fails on other
versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from packaging.specifiers import SpecifierSet
from packaging.version import Version
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

#: Upstream packages whose private names and markup count as private (distribution names).
UPSTREAMS = ("sphinx", "pydata-sphinx-theme", "sphinx-book-theme", "sphinxcontrib-bibtex", "myst-parser")


@dataclass(frozen=True)
class Shim:
    """One reliance on something an upstream package did not promise."""

    module: str  # the handbook module that holds it, e.g. "handbook.icons"
    package: str  # the upstream distribution, e.g. "pydata-sphinx-theme"
    versions: str  # the versions it was written and tested for, a PEP 440 specifier: "==0.20.0"
    relies_on: str  # what exactly, in a few words: "the icon paths in the theme's fontawesome.js"

    def mismatch(self, installed: str) -> str | None:
        """Why *installed* is not a version this shim was written for, or None if it is."""
        if Version(installed) in SpecifierSet(self.versions):
            return None
        return (f"{self.module} relies on {self.relies_on}, written for {self.package} "
                f"{self.versions}, but {self.package} {installed} is installed. Check that this "
                f"still holds in {self.package} {installed} (or replace it with a public extension "
                f"point), then widen the versions in {self.module}'s register() call.")


#: Every shim, in the order the modules registered them.
SHIMS: list[Shim] = []


def register(module: str, package: str, versions: str, relies_on: str) -> Shim:
    """Declare a shim (once per module, package and reliance); returns it."""
    shim = Shim(module, package, versions, relies_on)
    if shim not in SHIMS:
        SHIMS.append(shim)
    return shim


def installed_version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def check_versions(app: Sphinx, config: Config) -> None:
    """Stop the build if an installed upstream is not a version every shim was written for."""
    problems = []
    for shim in SHIMS:
        installed = installed_version(shim.package)
        if installed is not None and (problem := shim.mismatch(installed)):
            problems.append(problem)
    if problems:
        raise ExtensionError("\n".join(problems))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", check_versions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
