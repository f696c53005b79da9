"""The pre-commit hook with the real `pre-commit` program in a throw-away git repository.

The hook definition (.pre-commit-hooks.yaml: entry, files) is used as shipped; only the
language is switched to `system` with our venv's confgen on PATH, so the test needs no network
(pre-commit would otherwise build a fresh virtualenv from PyPI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _hook() -> dict:
    import yaml  # pre-commit depends on PyYAML

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in hooks if h["id"] == "confgen-lint")


def _env(cwd: Path) -> dict[str, str]:
    # isolated from the machine's git config (a global core.hooksPath makes pre-commit refuse)
    empty = cwd.parent / "gitconfig"
    empty.touch()
    return {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
            "GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PRE_COMMIT_HOME": str(cwd.parent / "pc-home")}


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=_env(cwd), capture_output=True,
                          text=True, check=check)


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None or not (BIN / "pre-commit").exists():
        pytest.skip("git or pre-commit not installed")
    import yaml

    hook = _hook()
    local = {**hook, "language": "system", "entry": str(BIN / "confgen") + " lint"}
    local.pop("description", None)
    work = tmp_path / "deploy"
    work.mkdir()
    (work / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    (work / "confgen.ini").write_text("release = 2024.1\n")
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "init", "--no-verify")
    r = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=work, capture_output=True,
                       text=True, env=_env(work))
    assert r.returncode == 0, r.stdout + r.stderr
    return work


def test_bad_commit_is_stopped_good_one_passes(repo):
    nova = repo / "etc/nova/nova.conf"
    nova.parent.mkdir(parents=True)
    nova.write_text("[libvirt]\nimages_type = rbd\nrbd_user = client.cinder\n")
    _git(repo, "add", ".")
    bad = _git(repo, "commit", "-m", "bad", check=False)
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    assert "etc/nova/nova.conf:3:1: CG306 error rbd_user = 'client.cinder'" in out
    nova.write_text("[libvirt]\nimages_type = rbd\nrbd_user = cinder\n")
    ceph = repo / "etc/ceph/ceph.conf"
    ceph.parent.mkdir()
    ceph.write_text("[global]\nauth cluster required = cephx\n"
                    "[client.cinder]\nkeyring = /etc/ceph/cinder.keyring\n")
    _git(repo, "add", ".")
    good = _git(repo, "commit", "-m", "good", check=False)
    assert good.returncode == 0, good.stdout + good.stderr


def test_hook_matches_config_files_and_keyrings():
    import re

    pat = re.compile(_hook()["files"])
    for ok in ("nova.conf", "etc/cinder/cinder.conf", "x/glance-api.conf", "ceph/ceph.conf",
               "etc/ceph/ceph.client.cinder.keyring"):
        assert pat.search(ok), ok
    for no in ("nova.conf.orig", "README.md", "mynova.conf", "ceph.conf.j2"):
        assert not pat.search(no), no
