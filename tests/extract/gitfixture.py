"""Throw-away git repositories made of fixture trees (our own code imitating upstream idioms).

A fixture tree is a directory whose files end in `.txt` (so neither pytest nor ruff reads them
as Python); `make_repo` commits each tree under a tag, the `.txt` suffix dropped.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MIRRORS = Path(os.environ.get("CONFGEN_MIRRORS", "/work/.mirror"))


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
         "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        check=True, capture_output=True, text=True,
    ).stdout


def make_repo(root: Path, tags: dict[str, Path | dict[str, str]]) -> Path:
    """A git repository at root/repo with one commit per tag (in the given order); each
    value is a fixture tree or a {path: text} dict. Files not in a tag's tree are removed."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    for tag, tree in tags.items():
        for p in repo.iterdir():
            if p.name != ".git":
                git(repo, "rm", "-r", "-q", "--ignore-unmatch", p.name)
        files = tree if isinstance(tree, dict) else {
            str(f.relative_to(tree))[: -len(".txt")]: f.read_text()
            for f in sorted(tree.rglob("*.txt"))
        }
        for rel, text in files.items():
            dest = repo / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--allow-empty", "-m", tag)
        git(repo, "tag", tag)
    return repo


def mirror(name: str) -> Path | None:
    """The upstream mirror of openstack/<name> brought by `fetch`, or None when absent."""
    repo = MIRRORS / f"openstack+{name}" / "repo"
    return repo if repo.is_dir() else None
