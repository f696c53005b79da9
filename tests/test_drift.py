"""Drift between existing files and what render writes for the intent."""

from __future__ import annotations

from pathlib import Path

import pytest

from confgen import intent
from confgen.drift import drift, normalise
from confgen.fix import unified, write
from confgen.render.files import render
from confgen.render.write import write_all

INTENT = """release = {release}
[ceph]
release = reef
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.1, 10.0.0.2, 10.0.0.3
"""


@pytest.fixture(params=["juno", "2024.1"])
def etc(request, tmp_path: Path):
    it = intent.parse(INTENT.format(release=request.param), "site.ini")
    write_all(render(it), tmp_path)
    return it, tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_rendered_files_have_no_drift(etc):
    it, root = etc
    d = drift([str(root)], it)
    assert d.findings == [] and not any(ff.changed for ff in d.fixes)


def test_equal_spellings_are_not_drift(etc):
    it, root = etc
    edit(root / "glance/glance-api.conf", "show_image_direct_url = true",
         "show_image_direct_url = True")
    edit(root / "ceph/ceph.conf", "10.0.0.1,10.0.0.2,10.0.0.3", "10.0.0.3, 10.0.0.1 10.0.0.2")
    assert drift([str(root)], it).findings == []


def test_each_kind_of_drift_is_a_finding_and_fix_restores_intent(etc):
    it, root = etc
    cinder = root / "cinder/cinder.conf"
    nova = root / "nova/nova.conf"
    original = cinder.read_text()
    edit(cinder, "rbd_pool = volumes\n", "rbd_pool = volumez\n")
    edit(cinder, "rbd_user = cinder\n", "")
    edit(nova, "[libvirt]\n", "[libvirt]\nmy_own_setting = 1\n")
    d = drift([str(root)], it)
    got = {(Path(f.path).name, f.rule) for f in d.findings}
    assert got == {("cinder.conf", "CG601"), ("cinder.conf", "CG602"), ("nova.conf", "CG604")}
    value = next(f for f in d.findings if f.rule == "CG602")
    assert cinder.read_text().splitlines()[value.line - 1] == "rbd_pool = volumez"
    diff = unified(next(ff for ff in d.fixes if ff.path.endswith("cinder.conf")))
    assert "-rbd_pool = volumez\n+rbd_pool = volumes\n" in diff and "+rbd_user = cinder\n" in diff
    write(d.fixes, backup=False)
    assert sorted(cinder.read_text().splitlines()) == sorted(original.splitlines())
    assert drift([str(root)], it).findings[0].rule == "CG604"  # a human decides about that one


def test_option_in_the_wrong_place_is_moved(tmp_path: Path):
    it = intent.parse(INTENT.format(release="juno"), "site.ini")
    write_all(render(it), tmp_path)
    glance = tmp_path / "glance/glance-api.conf"
    text = glance.read_text()
    edit(glance, "rbd_store_pool = images\n", "")
    edit(glance, "[DEFAULT]\n", "[DEFAULT]\nrbd_store_pool = images\n")  # juno: an old spelling
    d = drift([str(tmp_path)], it)
    assert [f.rule for f in d.findings] == ["CG603"]
    write(d.fixes, backup=False)
    assert sorted(glance.read_text().splitlines()) == sorted(text.splitlines())


def test_missing_file_is_reported(tmp_path: Path):
    it = intent.parse(INTENT.format(release="2024.1"), "site.ini")
    write_all(render(it), tmp_path)
    (tmp_path / "nova/nova.conf").unlink()
    d = drift([str(tmp_path)], it)
    assert [(f.rule, Path(f.path).name) for f in d.findings] == [("CG600", "nova.conf")]


@pytest.mark.parametrize(("a", "b", "type_", "same"), [
    ("True", "1", "bool", True), ("yes", "false", "bool", False),
    ("4", "4.0", "int", True), ("a,b", "b, a", "list", True), ("a,b", "a", "list", False),
    ("x", "X", "str", False), ("ABC-1", "abc-1", "uuid", True),
])
def test_normalise(a: str, b: str, type_: str, same: bool):
    assert (normalise(a, type_) == normalise(b, type_)) is same
