"""The public-extension-points rule: private names only in registered, version-checked shims."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from handbook import MODULES, shims

EXTENSION = Path(__file__).resolve().parent.parent / "_ext" / "handbook"
UPSTREAM_MODULES = ("sphinx", "docutils", "pydata_sphinx_theme", "sphinx_book_theme", "sphinxcontrib", "myst_parser",
                    "pybtex")


def private_names(source: str) -> list[str]:
    """Private names of other code that *source* uses: imported from an upstream package, or read
    as an attribute of anything but ``self`` and ``cls``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UPSTREAM_MODULES:
            found += [f"{node.module}.{a.name}" for a in node.names if is_private(a.name)]
            if any(is_private(part) for part in (node.module or "").split(".")):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if a.name.split(".")[0] in UPSTREAM_MODULES and any(map(is_private, a.name.split(".")))]
        elif isinstance(node, ast.Attribute) and is_private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}):
                found.append(f"{ast.unparse(node.value)}.{node.attr}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in {"getattr", "setattr", "hasattr", "delattr"} and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and is_private(str(node.args[1].value))):
            found.append(f"{ast.unparse(node.args[0])}.{node.args[1].value}")
    return sorted(set(found))


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def extension_sources() -> dict[str, str]:
    """Each module of the extension (``handbook.x`` or ``handbook.x.y``) and its source."""
    sources = {}
    for path in sorted(EXTENSION.rglob("*.py")):
        parts = path.relative_to(EXTENSION.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        sources[name] = path.read_text(encoding="utf-8")
    return sources


def test_the_scan_finds_private_names():
    source = ("from sphinx.util import _private\nimport pydata_sphinx_theme._x\n"
              "from pydata_sphinx_theme import utils\nutils._update(1)\nenv._index = 1\nself._mine = 2\n"
              "getattr(env, '_entries', None)\n")
    assert private_names(source) == ["env._entries", "env._index", "pydata_sphinx_theme._x", "sphinx.util._private",
                                     "utils._update"]


class StubApp:
    """Accepts every call an extension's setup() makes, so that its shims get registered."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


@pytest.fixture(scope="module", autouse=True)
def registered() -> list[shims.Shim]:
    """Every shim, as the modules' setup() functions register them when Sphinx loads them."""
    for module in MODULES:
        importlib.import_module(f"handbook.{module}").setup(StubApp())
    assert shims.SHIMS, "no module registered a shim: the checks below would test nothing"
    return list(shims.SHIMS)


def test_private_names_are_used_only_by_modules_with_a_registered_shim():
    shimmed = {shim.module for shim in shims.SHIMS}
    unshimmed = {name: used for name, source in extension_sources().items()
                 if (used := private_names(source)) and name not in shimmed and name != "handbook.shims"}
    assert not unshimmed, f"private names used without a shim (see handbook.shims): {unshimmed}"


def test_every_registered_shim_checks_the_installed_version():
    for shim in shims.SHIMS:
        installed = shims.installed_version(shim.package)
        assert installed is not None, f"{shim.module}: {shim.package} is not installed"
        assert shim.mismatch(installed) is None


def test_a_shim_stops_the_build_on_another_version(monkeypatch):
    shim = shims.Shim("handbook.example", "sphinx", "==1.0", "an example")
    monkeypatch.setattr(shims, "SHIMS", [shim])
    with pytest.raises(ExtensionError, match=r"handbook.example relies on an example, written for sphinx ==1.0"):
        shims.check_versions(None, None)


def test_every_registered_shim_fails_on_the_next_major_version(monkeypatch):
    for shim in list(shims.SHIMS):
        major = int(shims.installed_version(shim.package).split(".")[0])
        monkeypatch.setattr(shims, "installed_version", lambda package, v=f"{major + 1}.0.0": v)
        monkeypatch.setattr(shims, "SHIMS", [shim])
        with pytest.raises(ExtensionError, match=shim.module):
            shims.check_versions(None, None)
