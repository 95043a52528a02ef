"""Point sphinx-book-theme's repository, edit-this-page and issue buttons at the real repository.

The address comes from the ``HANDBOOK_REPOSITORY_URL`` environment variable, else from the git
remote ``origin`` when that is a repository on GitHub, GitLab or Bitbucket (the hosts the theme
knows). When neither gives one, the buttons stay hidden: the site never shows an invented
address.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .edition import git

FORGES = ("github.com", "gitlab.com", "bitbucket.org")


def web_address(remote: str | None) -> str | None:
    """The https address of a forge repository given as an https or ssh git remote, else None."""
    if not remote:
        return None
    remote = remote.strip()
    ssh = re.fullmatch(r"(?:ssh://)?git@([\w.-]+)[:/](.+?)(?:\.git)?/?", remote)
    https = re.fullmatch(r"https://(?:[^@/]+@)?([\w.-]+)/(.+?)(?:\.git)?/?", remote)
    match = ssh or https
    if not match or match.group(1) not in FORGES or match.group(2).count("/") < 1:
        return None
    return f"https://{match.group(1)}/{match.group(2)}"


def repository_url(srcdir: Path, environ=os.environ) -> str | None:
    configured = environ.get("HANDBOOK_REPOSITORY_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    return web_address(git(srcdir, "remote", "get-url", "origin"))


def set_repository_buttons(app: Sphinx, config: Config) -> None:
    url = repository_url(Path(app.srcdir))
    options = config.html_theme_options
    options.update(use_repository_button=bool(url), use_edit_page_button=bool(url),
                   use_issues_button=bool(url))
    if url:
        options.update(repository_url=url, repository_branch=config.handbook_repository_branch,
                       path_to_docs="")


def setup(app: Sphinx) -> dict:
    app.add_config_value("handbook_repository_branch", "main", "html")
    app.connect("config-inited", set_repository_buttons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
