"""The pre-commit hooks with the real `pre-commit` program in throw-away git repositories.

Here the hook definitions (.pre-commit-hooks.yaml: entry, files) are used as shipped with the
language switched to `system` and our venv's confgen as the program, so these tests need no
network. tests/integration/test_precommit_readme.py runs the README's snippet verbatim, with
pre-commit installing confgen from this checkout the way users get it.
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


def _hook(hid: str = "confgen-lint") -> dict:
    import yaml  # pre-commit depends on PyYAML

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in hooks if h["id"] == hid)


def _local(hid: str) -> dict:
    hook = {**_hook(hid), "language": "system"}
    assert hook["entry"].startswith("confgen ")
    hook["entry"] = str(BIN / "confgen") + hook["entry"][len("confgen"):]
    hook.pop("description", None)
    return hook


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

    work = tmp_path / "deploy"
    work.mkdir()
    (work / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [_local("confgen-lint"),
                                                              _local("confgen-lint-tree")]}]}))
    (work / "confgen.ini").write_text("release = 2024.1\n[lint]\npaths = etc\n")
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


SITE = """release = 2024.1
[ceph]
release = reef
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.1
"""


def render_etc(repo: Path) -> Path:
    """A clean etc/ as `confgen render` writes it (its own lint finds nothing)."""
    site = repo.parent / "site.ini"
    site.write_text(SITE)
    subprocess.run([str(BIN / "confgen"), "render", "--intent", str(site), "-o",
                    str(repo / "etc")], check=True, capture_output=True, timeout=120)
    return repo / "etc"


def test_tree_hook_catches_a_cross_file_fault_when_one_file_is_staged(repo):
    etc = render_etc(repo)
    keyring = etc / "ceph/ceph.client.cinder.keyring"
    keyring.write_text("[client.cinder]\n\tkey = AQ==\n")
    keyring.chmod(0o644)  # as git gives it back on every clone: a checkout is not judged
    _git(repo, "add", ".")
    ok = _git(repo, "commit", "-m", "consistent", check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    nova = etc / "nova/nova.conf"
    text = nova.read_text()
    old = next(ln for ln in text.splitlines() if ln.startswith("rbd_secret_uuid"))
    nova.write_text(text.replace(old, "rbd_secret_uuid = 11111111-2222-3333-4444-555555555555"))
    _git(repo, "add", "etc/nova/nova.conf")  # only nova.conf is staged
    bad = _git(repo, "commit", "-m", "nova only", check=False)
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    per_file, tree = out.split("confgen lint (whole tree)")
    assert "Passed" in per_file and "CG401" not in per_file  # the file alone looks fine
    assert "Failed" in tree
    assert "etc/cinder/cinder.conf:" in tree and "CG401 error rbd_secret_uuid in [ceph]" in tree
    assert "CG503" not in out


def test_tree_hook_without_paths_says_what_to_configure(repo):
    (repo / "confgen.ini").write_text("release = 2024.1\n")
    nova = repo / "etc/nova/nova.conf"
    nova.parent.mkdir(parents=True)
    nova.write_text("[libvirt]\nimages_type = rbd\n")
    _git(repo, "add", ".")
    bad = _git(repo, "commit", "-m", "x", check=False)
    assert bad.returncode != 0
    assert "--checkout: which tree?" in bad.stdout + bad.stderr
