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


HAVANA_NOVA = """\
[DEFAULT]
libvirt_images_type = rbd
libvirt_images_rbd_pool = vms
rbd_user = nova
rbd_secret_uuid = 457eb676-33da-42ec-9a8c-9293d545c337
"""


def test_havana_rbd_user_goes_to_libvirt_not_to_glance():
    """[DEFAULT] rbd_user is nova's libvirt user by history; victoria's [glance] rbd_user only
    shares the name."""
    from confgen.lint import run_rules
    from confgen.rules.base import Context

    files = {"nova.conf": LintFile("nova.conf", "n", parse(HAVANA_NOVA, "nova.conf", "n"))}
    msgs = [f.message for f in run_rules(Context(files=files, release=R.get("2025.1")))
            if f.rule == "CG202" and f.line == 4]
    assert msgs and "[libvirt]" in msgs[0] and "[glance]" not in msgs[0], msgs
    ff = fix_one(HAVANA_NOVA, "nova.conf", "2025.1")
    doc = parse(ff.after, "nova.conf")
    assert doc.value("libvirt", "rbd_user") == "nova"
    assert doc.value("glance", "rbd_user") is None


REPLICATION = """\
[DEFAULT]
enabled_backends = ceph
[ceph]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
rbd_pool = volumes
replication_device = backend_id:site2,conf:/etc/ceph/site2.conf,user:cinder
replication_device = backend_id:site3,conf:/etc/ceph/site3.conf,user:cinder
"""

DATADIRS = """\
[DEFAULT]
filesystem_store_datadirs = /srv/a:100
filesystem_store_datadirs = /srv/b:200
filesystem_store_datadirs = /srv/b:200
default_store = file
"""


def test_multi_valued_options_are_never_duplicates():
    from confgen.lint import run_rules
    from confgen.rules.base import Context

    for text, ft, rel in ((REPLICATION, "cinder.conf", "2024.1"),
                          (DATADIRS.replace("[DEFAULT]", "[glance_store]"), "glance-api.conf",
                           "2024.1")):
        files = {ft: LintFile(ft, "f", parse(text, ft, "f"))}
        assert not [f for f in run_rules(Context(files=files, release=R.get(rel)))
                    if f.rule == "CG101"]
        ff = fix_one(text, ft, rel)
        assert ff.after == text, unified(ff)


def test_multi_valued_lines_all_move_together():
    ff = fix_one(DATADIRS, "glance-api.conf", "kilo")
    doc = parse(ff.after, "glance-api.conf")
    assert [e.value for e in doc.all("glance_store", "filesystem_store_datadirs")] == [
        "/srv/a:100", "/srv/b:200", "/srv/b:200"]
    assert doc.all("DEFAULT", "filesystem_store_datadirs") == []


def test_fix_withholds_what_it_cannot_prove_and_says_so(tmp_path):
    """A key confgen has no data for may be multi-valued: its repeated lines are not dropped."""
    from click.testing import CliRunner

    from confgen.cli import main

    (tmp_path / "nova").mkdir()
    conf = tmp_path / "nova" / "nova.conf"
    text = "[oslo_messaging_notifications]\nzz_topics = a\nzz_topics = b\n"
    conf.write_text(text)
    res = CliRunner().invoke(main, ["lint", "-r", "2024.1", "--fix", str(tmp_path)])
    assert conf.read_text() == text
    assert "not fixed:" in res.stderr and "cannot be shown to keep every value" in res.stderr
