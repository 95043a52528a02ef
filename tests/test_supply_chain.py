"""The supply chain: every dependency is pinned to exact content, and something keeps it current.

Python packages are pinned with hashes (tests/test_bootstrap.py); here: the npm lock files'
integrity hashes, the GitHub Actions pinned to commit SHAs, the Dependabot configuration, and the
weekly canary that builds with the newest releases of the upstreams the handbook extends.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO, clean_env

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))

#: The upstreams the handbook extends, whose newest releases the canary builds with.
CANARY_PACKAGES = ["sphinx", "myst-parser", "sphinx-book-theme", "sphinxcontrib-bibtex"]


def load_workflow(path: Path) -> dict:
    # PyYAML reads the key `on:` as True (YAML 1.1); give it back its name.
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.mark.parametrize("lock", ["package-lock.json", "tools/npm/package-lock.json"])
def test_every_npm_package_carries_an_integrity_hash(lock: str) -> None:
    """`npm ci` checks each tarball against its sha512 `integrity`. Packages bundled inside
    another (npm's own dependencies) come in that package's tarball, checked by its hash."""
    packages = json.loads((REPO / lock).read_text(encoding="utf-8"))["packages"]
    installed = {path: entry for path, entry in packages.items() if path and not entry.get("link")}
    assert installed, f"{lock} lists no package"
    missing, weak = [], []
    for path, entry in installed.items():
        if entry.get("inBundle"):
            bundler = path.split("/node_modules/")[0]
            entry = installed.get(bundler, {})
            path = bundler
        if "integrity" not in entry:
            missing.append(path)
        elif not entry["integrity"].startswith("sha512-"):
            weak.append(f"{path}: {entry['integrity'][:12]}")
    assert not missing, f"{lock}: packages without an integrity hash: {missing}"
    assert not weak, f"{lock}: integrity weaker than sha512: {weak}"


def test_the_workflows_are_found() -> None:
    assert {path.name for path in WORKFLOWS} >= {"build.yml", "linkcheck.yml", "canary.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_sha_with_its_release(workflow: Path) -> None:
    """A tag can be moved to other code; a commit SHA cannot. The comment names the release, for
    readers and for Dependabot, which updates both."""
    steps = [step for job in load_workflow(workflow)["jobs"].values() for step in job.get("steps", [])]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses, f"{workflow.name} uses no action"
    lines = [line for line in workflow.read_text(encoding="utf-8").splitlines()
             if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) == len(uses), lines
    unpinned = [line.strip() for line in lines if not re.fullmatch(
        r"\s*(- )?uses: [\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+", line)]
    assert not unpinned, f"pin each action to a commit SHA with '# vX.Y.Z': {unpinned}"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_every_workflow_runs_in_a_stock_debian_image(workflow: Path) -> None:
    """Not a python image: its newer Python hides what breaks on Debian 12's own 3.11.2. Like
    build.yml, each job adds make, git and ca-certificates (and gh to report) before checkout. The
    canary alone runs on Debian 13, whose Python 3.13 the newest Sphinx releases need."""
    expected = "debian:13" if workflow.name == "canary.yml" else "debian:12"
    for name, job in load_workflow(workflow)["jobs"].items():
        assert job.get("container") == expected, f"{workflow.name}: job {name} runs in {job.get('container')}"
        first = job["steps"][0].get("run", "")
        assert "apt-get install" in first, f"{workflow.name}: job {name} first installs make, git, ca-certificates"
        added = set(first.split("apt-get install", 1)[1].split()) - {"-y", "-qq"}
        assert {"make", "git", "ca-certificates"} <= added <= {"make", "git", "ca-certificates", "gh"}, added


def test_dependabot_updates_pip_npm_and_actions_weekly_in_groups() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {(u["package-ecosystem"], u["directory"]): u for u in config["updates"]}
    assert set(updates) >= {("pip", "/"), ("npm", "/"), ("npm", "/tools/npm"), ("github-actions", "/")}
    for key, update in updates.items():
        assert update["schedule"]["interval"] == "weekly", key
        groups = update.get("groups", {}).values()
        assert any(set(g.get("update-types", [])) == {"minor", "patch"} for g in groups), \
            f"{key}: minor and patch updates come grouped in one pull request"
        directory = REPO / update["directory"].lstrip("/")
        manifests = {"pip": ["requirements.in", "pip-tools.in"], "npm": ["package.json"],
                     "github-actions": [".github/workflows"]}[update["package-ecosystem"]]
        assert any((directory / m).exists() for m in manifests), f"{key}: nothing to update there"


def makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:=\s*(.*)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    assert match, f"the Makefile defines no {name}"
    return match.group(1).strip()


def fresh_venv_stamp(venv: Path) -> Path:
    """A .venv stamp newer than requirements.txt, as `make` leaves it after installing the pins."""
    venv.mkdir()
    stamp = venv / ".requirements-stamp"
    stamp.touch()
    newer = (REPO / "requirements.txt").stat().st_mtime + 60
    os.utime(stamp, (newer, newer))
    return stamp


def test_the_canary_upgrades_exactly_the_four_upstreams(tmp_path: Path) -> None:
    """`make canary` (dry run, on a .venv with the pins): it brings the .venv up to the pins,
    upgrades exactly these four, then builds and runs the whole suite on them, with
    HANDBOOK_CANARY set so that the build does not reinstall the pins over the upgrade."""
    assert makefile_variable("CANARY_PACKAGES").split() == CANARY_PACKAGES
    venv = tmp_path / "venv"
    fresh_venv_stamp(venv)
    out = subprocess.run(["make", "-n", "--no-print-directory", f"VENV={venv}", f"BUILDDIR={tmp_path}",
                          "canary"], cwd=REPO, env=clean_env(), capture_output=True, text=True,
                         check=True).stdout
    lines = out.splitlines()
    installs = [i for i, line in enumerate(lines) if " -m pip install " in line]
    assert len(installs) == 1, f"only the upgrade; the pins are installed and must stay:\n{out}"
    upgrade = lines[installs[0]].split()
    assert "--upgrade" in upgrade and upgrade[upgrade.index("--upgrade") + 1:] == CANARY_PACKAGES, upgrade
    pins_first = [i for i, line in enumerate(lines) if line.endswith(".requirements-stamp") and "make" in line]
    assert pins_first and pins_first[0] < installs[0], out
    build = [i for i, line in enumerate(lines) if line.startswith("HANDBOOK_CANARY=1 make") and " test" in line]
    assert build and build[0] > installs[0], out
    assert any(" -m pytest" in line for line in lines[build[0]:]), out


@pytest.mark.parametrize(("canary_mark", "canary_env", "reinstalled"), [
    (False, False, False),  # an ordinary .venv, up to date: kept
    (True, True, False),  # during the canary: the upgraded .venv is kept
    (True, False, True),  # after the canary: the next make puts the pins back
])
def test_only_the_canary_keeps_a_venv_the_canary_upgraded(tmp_path: Path, canary_mark: bool,
                                                           canary_env: bool, reinstalled: bool) -> None:
    venv = tmp_path / "venv"
    stamp = fresh_venv_stamp(venv)
    if canary_mark:
        (venv / ".canary").touch()
    env = clean_env(HANDBOOK_CANARY="1") if canary_env else \
        {k: v for k, v in clean_env().items() if k != "HANDBOOK_CANARY"}
    result = subprocess.run(["make", "-q", f"VENV={venv}", f"BUILDDIR={tmp_path}", str(stamp)],
                            cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == (1 if reinstalled else 0), result.stderr


def test_a_failed_canary_reports_through_one_standing_issue() -> None:
    """Like the link check: the failure step finds the open issue by its title and comments on
    it, and opens one only when there is none; its body has the versions and the log's end,
    where a shim stopped by a newer release names itself."""
    workflow = load_workflow(REPO / ".github" / "workflows" / "canary.yml")
    assert "schedule" in workflow["on"] and len(workflow["on"]["schedule"]) == 1, workflow["on"]
    cron = workflow["on"]["schedule"][0]["cron"].split()
    assert cron[2:4] == ["*", "*"] and re.fullmatch(r"[0-6]", cron[4]), f"weekly, not {cron}"
    assert workflow["permissions"].get("issues") == "write"
    (job,) = workflow["jobs"].values()
    runs = [step for step in job["steps"] if "make canary" in step.get("run", "")]
    assert len(runs) == 1 and runs[0].get("id"), "one step runs `make canary`, with an id"
    assert "pipefail" in runs[0]["run"] or runs[0].get("shell") == "bash", "tee must not hide a failure"
    reports = [step for step in job["steps"] if "gh issue" in step.get("run", "")]
    assert len(reports) == 1, "one step reports"
    report = reports[0]
    assert "failure()" in report["if"] and f"steps.{runs[0]['id']}.outcome" in report["if"]
    script = report["run"]
    assert script.count("gh issue create") == 1 and script.count("gh issue comment") == 1
    assert re.search(r'gh issue list .*--state open --search "in:title \\"\$title\\""', script), script
    assert re.search(r"^\s*title=\"[^\"$]+\"$", script, re.M), "one fixed title, the standing issue's"
    assert "canary.log" in script and "versions.txt" in script and "relies on" in script
