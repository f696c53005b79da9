"""Fixes derived from lint findings, on the real release matrices, checked on whole files."""

from __future__ import annotations

from pathlib import Path

from confgen import releases
from confgen.fix import fix_group, fix_paths, unified, write
from confgen.parse import parse
from confgen.rules.base import LintFile

R = releases.openstack()


def fix_one(text: str, ft: str, release: str):
    path = f"etc/{ft}"
    files = {ft: LintFile(ft, path, parse(text, ft, path))}
    return fix_group(files, {path: text}, R.get(release))[path]


ICEHOUSE_GLANCE = """\
[DEFAULT]
# only RBD
known_stores = rbd
default_store = rbd
bind_port = 9292

rbd_store_pool = images
show_image_direct_url = True
"""


def test_old_glance_store_spellings_move_to_glance_store_for_juno():
    ff = fix_one(ICEHOUSE_GLANCE, "glance-api.conf", "juno")
    assert ff.after == """\
[DEFAULT]
bind_port = 9292

show_image_direct_url = True

[glance_store]
# only RBD
stores = rbd
default_store = rbd
rbd_store_pool = images
"""
    assert {e.rule for e in ff.applied} == {"CG204"}
    assert "known_stores moved to [glance_store] stores" in ff.applied[0].reason


def test_removed_alias_still_moves_on_a_long_jump():
    # kilo no longer reads [DEFAULT] rbd_store_pool at all (CG202, not an alias any more)
    ff = fix_one(ICEHOUSE_GLANCE, "glance-api.conf", "kilo")
    assert "[glance_store]\n# only RBD\nstores = rbd\ndefault_store = rbd\n" in ff.after
    assert {e.rule for e in ff.applied} == {"CG202"}


def test_duplicate_key_the_service_ignores_is_dropped():
    text = "[DEFAULT]\n# first try\nenabled_backends = lvm\nenabled_backends = ceph\n"
    ff = fix_one(text, "cinder.conf", "2024.1")
    assert ff.after == "[DEFAULT]\n# first try\nenabled_backends = ceph\n"


def test_backup_driver_module_path_becomes_class_path():
    text = "[DEFAULT]\nbackup_driver = cinder.backup.drivers.ceph\nbackup_ceph_pool = backups\n"
    ff = fix_one(text, "cinder.conf", "2026.1")
    assert ff.after == text.replace("drivers.ceph\n", "drivers.ceph.CephBackupDriver\n")
    back = fix_one(ff.after, "cinder.conf", "juno")  # and back again for an old release
    assert back.after == text


def test_conflict_with_a_different_value_is_left_for_a_human():
    text = "[DEFAULT]\nrbd_store_pool = old\n[glance_store]\nrbd_store_pool = images\n"
    assert fix_one(text, "glance-api.conf", "kilo").after == text
    same = "[DEFAULT]\nrbd_store_pool = images\n[glance_store]\nrbd_store_pool = images\n"
    assert fix_one(same, "glance-api.conf", "kilo").after == "[DEFAULT]\n[glance_store]\n" \
        "rbd_store_pool = images\n"


def test_silenced_finding_is_not_fixed():
    text = "[DEFAULT]\n# confgen: ignore=CG204\nknown_stores = rbd\n"
    assert fix_one(text, "glance-api.conf", "juno").after == text


def test_unparsable_file_is_refused(tmp_path: Path):
    (tmp_path / "glance").mkdir()
    p = tmp_path / "glance" / "glance-api.conf"
    p.write_text("known_stores = rbd\n[DEFAULT]\n")
    (ff,) = fix_paths([str(tmp_path)], R.get("juno"))
    assert ff.refused and not ff.changed
    assert write([ff]) == [] and p.read_text() == "known_stores = rbd\n[DEFAULT]\n"


def test_fix_paths_writes_with_backup_and_diff(tmp_path: Path):
    (tmp_path / "glance").mkdir()
    p = tmp_path / "glance" / "glance-api.conf"
    p.write_text(ICEHOUSE_GLANCE)
    fixes = fix_paths([str(tmp_path)], R.get("juno"))
    diff = unified(fixes[0])
    assert "-known_stores = rbd\n" in diff and "+stores = rbd\n" in diff
    assert p.read_text() == ICEHOUSE_GLANCE  # planning writes nothing
    [(path, written)] = write(fixes)
    bak = written.backup
    assert bak is not None and bak.read_text() == ICEHOUSE_GLANCE
    assert p.read_text() == fixes[0].after
    again = fix_paths([str(tmp_path)], R.get("juno"))
    assert not again[0].changed  # idempotent
