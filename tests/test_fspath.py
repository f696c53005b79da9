"""confgen.fspath spells and checks paths exactly as pathlib does (the lint path keeps paths
as strings so that it need not import pathlib; every path it prints must stay the same)."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from confgen import fspath

SPELLINGS = ["", ".", "./", "..", "a", "a/", "a//b", "a/./b", "./a/b/", "a/../b", "/", "//",
             "///", "//a", "///a/b", "/a/b/", "/etc", "/etc/", "a/b/c.conf", ".hidden/x",
             "a/.", "a/..", " a /b ", "nova/nova_cell1.conf", "-odd-name"]


@pytest.mark.parametrize("p", SPELLINGS)
def test_spelling_is_pathlibs(p: str):
    pp = PurePosixPath(p)
    assert fspath.norm(p) == str(pp)
    assert fspath.parent(p) == str(pp.parent)
    assert fspath.name(p) == pp.name
    assert fspath.parts(p) == pp.parts
    for rel in (("x",), ("x", "y.conf"), ("ceph", "ceph.conf"), ("/abs",), ("",), (".", "z")):
        assert fspath.join(p, *rel) == str(pp.joinpath(*rel)), (p, rel)


def test_checks_and_glob_are_pathlibs(tmp_path: Path):
    (tmp_path / "ceph").mkdir()
    for n in ("ceph.client.a.keyring", ".keyring", "x.keyring", "keyring", "b.keyring.bak"):
        (tmp_path / "ceph" / n).write_text("")
    (tmp_path / "ceph" / "dir.keyring").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "file").write_text("")
    for p in (tmp_path, tmp_path / "ceph", tmp_path / "file", tmp_path / "missing",
              tmp_path / "loop", tmp_path / "file" / "under-a-file"):
        assert fspath.exists(str(p)) == p.exists()
        assert fspath.is_dir(str(p)) == p.is_dir()
        assert fspath.is_file(str(p)) == p.is_file()
    for d in (tmp_path / "ceph", tmp_path / "missing", tmp_path / "file"):
        assert fspath.glob(str(d), "", ".keyring") == [str(x) for x in sorted(d.glob("*.keyring"))]
    here = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert fspath.glob(".", "", "") == [str(x) for x in sorted(Path(".").glob("*"))]
        assert fspath.glob("ceph", "ceph.client", ".keyring") == ["ceph/ceph.client.a.keyring"]
    finally:
        os.chdir(here)
