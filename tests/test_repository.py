"""Repository automation: CI workflows, Read the Docs, CITATION.cff and the pre-commit hooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
YAML_FILES = [*WORKFLOWS, REPO / ".readthedocs.yaml", REPO / "CITATION.cff", REPO / ".pre-commit-config.yaml",
              *sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))]


def make_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*)\s*:(?!=)", makefile, flags=re.M))


def workflow_make_calls(path: Path) -> list[str]:
    """The targets of every `make …` a workflow runs (`make` alone is the default target)."""
    runs = [step.get("run", "") for job in yaml.safe_load(path.read_text())["jobs"].values()
            for step in job["steps"]]
    calls = []
    for run in runs:
        for match in re.finditer(r"(?:^|[;&|]\s*|\n\s*)make\b([^\n;&|]*)", run):
            words = [w for w in match.group(1).split() if not w.startswith("-") and "=" not in w]
            calls.extend(words or ["all"])
    return calls


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_config_files_are_valid_yaml(path: Path) -> None:
    assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)


def test_there_are_workflows_for_pull_requests_and_a_weekly_link_check() -> None:
    triggers = {p.stem: yaml.safe_load(p.read_text())[True] for p in WORKFLOWS}  # YAML reads "on" as True
    assert any("pull_request" in t for t in triggers.values())
    assert any("schedule" in t for t in triggers.values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_call_only_make_targets_that_exist(path: Path) -> None:
    calls = workflow_make_calls(path)
    assert calls, f"{path.name} runs no make target"
    assert set(calls) <= make_targets(), set(calls) - make_targets()


# -- Read the Docs --------------------------------------------------------------------------------

def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema (pinned in requirements.txt) on *path*, with the Read the Docs schema it ships."""
    tool = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "check-jsonschema"
    if not tool.exists():
        tool = REPO / ".venv" / "bin" / "check-jsonschema"
    return subprocess.run([str(tool), "--builtin-schema", "vendor.readthedocs", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_read_the_docs_config_is_valid_against_its_schema() -> None:
    result = check_jsonschema(REPO / ".readthedocs.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_an_invalid_config(tmp_path: Path) -> None:
    broken = tmp_path / ".readthedocs.yaml"
    broken.write_text((REPO / ".readthedocs.yaml").read_text(encoding="utf-8").replace("- epub", "- docx"),
                      encoding="utf-8")
    result = check_jsonschema(broken)
    assert result.returncode != 0 and "docx" in result.stdout, result.stdout + result.stderr


def makefile_value(name: str) -> str:
    match = re.search(rf"^{name}\s*:=\s*(\S+)", (REPO / "Makefile").read_text(encoding="utf-8"), flags=re.M)
    assert match, f"the Makefile defines no {name}"
    return match.group(1)


def test_read_the_docs_publishes_the_editions_that_make_builds() -> None:
    """Read the Docs' own formats would build its own LaTeX PDF; its jobs publish make's instead."""
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    assert config["version"] == 2
    assert set(config["formats"]) == {"pdf", "epub"}
    jobs = config["build"]["jobs"]["build"]
    assert set(jobs) == {"html", "pdf", "epub"}, "a format that Read the Docs would build with its own Sphinx run"
    published = {
        "html": ("html", "_build/html/."),
        "pdf": ("pdf", f"_build/pdf/{makefile_value('PDF_NAME')}"),
        "epub": ("epub", f"_build/epub/{makefile_value('EPUB_NAME')}"),
    }
    for kind, (target, built) in published.items():
        commands = jobs[kind]
        assert re.match(rf"make {target}\b", commands[0]), commands
        assert any(c.startswith("cp ") and built in c and f'"$READTHEDOCS_OUTPUT/{kind}/"' in c
                   for c in commands), f"the {kind} job does not publish {built}: {commands}"
        assert not [c for c in commands if "sphinx-build" in c or "latexmk" in c], commands
    assert (REPO / config["sphinx"]["configuration"]).is_file()


def test_read_the_docs_installs_the_debian_packages_make_installs() -> None:
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    text = (REPO / "tools" / "debian-packages.txt").read_text(encoding="utf-8")
    wanted = {line.split("#")[0].strip() for line in text.splitlines()} - {""}
    assert set(config["build"]["apt_packages"]) == wanted, "keep build.apt_packages as tools/debian-packages.txt"


@pytest.mark.slow
def test_pre_commit_hooks_pass_on_the_repository() -> None:
    """The same hooks a contributor's commit runs; they install from PyPI on first use."""
    pre_commit = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "pre-commit"
    if not pre_commit.exists():
        pre_commit = REPO / ".venv" / "bin" / "pre-commit"
    result = subprocess.run([str(pre_commit), "run", "--all-files", "--show-diff-on-failure", "--color=never"],
                            cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr


# -- Repository buttons ---------------------------------------------------------------------------

@pytest.mark.parametrize(("remote", "expected"), [
    ("https://github.com/nordic/handbook.git", "https://github.com/nordic/handbook"),
    ("git@github.com:nordic/handbook.git", "https://github.com/nordic/handbook"),
    ("ssh://git@gitlab.com/group/sub/handbook.git", "https://gitlab.com/group/sub/handbook"),
    ("https://token@github.com/nordic/handbook", "https://github.com/nordic/handbook"),
    ("/work/main", None),  # a local clone: no public address
    ("https://git.internal.example/nordic/handbook.git", None),  # a host the theme cannot link
    ("https://github.com/", None),
    (None, None),
])
def test_only_forge_remotes_become_repository_addresses(remote, expected) -> None:
    from handbook.repository import web_address
    assert web_address(remote) == expected


def repository_links(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return re.findall(r'href="(https://github\.com/example/handbook[^"]*)"', html)


def test_no_repository_buttons_without_a_configured_repository(build) -> None:
    html = (build.html / "chapters" / "regions" / "skane.html").read_text(encoding="utf-8")
    assert "/edit/" not in html and "issues/new" not in html


SITE_ROOT = REPO / "tests" / "roots" / "site"


def small_site(destination: Path) -> Path:
    """roots/site with the handbook's conf.py, extension, static files and templates, committed to
    a git repository of its own: the theme offers "edit" only for a file git knows
    (sphinx-last-updated-by-git drops the source link of any other)."""
    shutil.copytree(SITE_ROOT, destination)
    shutil.copy2(REPO / "conf.py", destination / "conf.py")
    for folder in ("_ext", "_static", "_templates"):
        shutil.copytree(REPO / folder, destination / folder, ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "A small site"]):
        subprocess.run([*git, *command], cwd=destination, check=True, capture_output=True)
    return destination


@pytest.mark.slow  # runs sphinx-build
def test_edit_and_issue_buttons_follow_the_configured_repository(tmp_path: Path) -> None:
    src = small_site(tmp_path / "src")
    env = {**os.environ, "HANDBOOK_REPOSITORY_URL": "https://github.com/example/handbook"}
    result = subprocess.run([str(REPO / ".venv" / "bin" / "sphinx-build"), "-b", "html", "-q", "-W", "-n",
                             "--keep-going", "-d", str(tmp_path / "doctrees"), str(src), str(tmp_path / "html")],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    links = repository_links(tmp_path / "html" / "chapters" / "guide.html")
    assert "https://github.com/example/handbook/edit/main/chapters/guide.md" in links
    assert any("/issues/new" in link for link in links)
