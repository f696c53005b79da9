"""Renderer behaviour on small hand-made matrices: placement follows the matrix era by era."""

from __future__ import annotations

import configparser
import os
from dataclasses import replace

import pytest

from confgen import intent, releases
from confgen.errors import ConfgenError
from confgen.render.files import render
from confgen.render.write import write_all

FSID = "4b5fd580-360c-4f8c-abb5-c83bb9a3f964"


def make(extra: str = "", release: str = "juno", ceph: str = "firefly") -> intent.Intent:
    text = (f"release = {release}\n[ceph]\nrelease = {ceph}\nfsid = {FSID}\n"
            f"mon_host = 10.0.0.1\nosd_count = 12\n{extra}")
    return intent.parse(text, "t.ini")


def ini(text: str) -> configparser.RawConfigParser:
    cp = configparser.RawConfigParser(strict=True, interpolation=None)
    cp.optionxform = str  # type: ignore[assignment]
    cp.read_string(text)
    return cp


def test_havana_puts_libvirt_options_in_default_and_juno_in_libvirt(tiny):
    old = ini(render(make(release="havana"), matrices=tiny)["nova/nova.conf"])
    assert old["DEFAULT"]["libvirt_images_type"] == "rbd"
    assert old["DEFAULT"]["libvirt_images_rbd_pool"] == "vms"
    assert not old.has_option("libvirt", "images_type")
    new = ini(render(make(), matrices=tiny)["nova/nova.conf"])
    assert new["libvirt"]["images_type"] == "rbd"
    assert not new.has_option("DEFAULT", "libvirt_images_type")


def test_optional_option_only_where_it_exists(tiny):
    havana = ini(render(make(release="havana"), matrices=tiny)["nova/nova.conf"])
    assert not any(havana.has_option(s, "hw_disk_discard") for s in havana.sections())
    juno = ini(render(make(), matrices=tiny)["nova/nova.conf"])
    assert juno["libvirt"]["hw_disk_discard"] == "unmap"


def test_asked_for_but_not_expressible_names_the_first_release(tiny):
    with pytest.raises(ConfgenError) as exc:
        render(make("[features]\ndiscard = true\n", release="havana"), matrices=tiny)
    msg = str(exc.value)
    assert "[features] discard" in msg and "first exists in icehouse" in msg


def test_live_migration_in_the_form_the_release_reads(tiny):
    juno = ini(render(make(), matrices=tiny)["nova/nova.conf"])["libvirt"]
    assert "VIR_MIGRATE_PERSIST_DEST" in juno["live_migration_flag"]
    assert "live_migration_tunnelled" not in juno
    mitaka = ini(render(make(release="mitaka"), matrices=tiny)["nova/nova.conf"])["libvirt"]
    assert mitaka["live_migration_tunnelled"] == "false"  # the flag is deprecated there
    assert "live_migration_flag" not in mitaka
    # both forms deprecated: nova's own defaults are right, nothing is written
    wallaby = ini(render(make(release="wallaby"), matrices=tiny)["nova/nova.conf"])["libvirt"]
    assert not [k for k in wallaby if k.startswith("live_migration")]


def test_backup_driver_form_follows_the_release_default(tiny):
    pike = ini(render(make(release="pike"), matrices=tiny)["cinder/cinder.conf"])
    assert pike["DEFAULT"]["backup_driver"] == "cinder.backup.drivers.ceph"
    queens = ini(render(make(release="queens"), matrices=tiny)["cinder/cinder.conf"])
    assert queens["DEFAULT"]["backup_driver"] == "cinder.backup.drivers.ceph.CephBackupDriver"


def test_glance_single_store_sections_and_multistore_where_preferred(tiny):
    havana = ini(render(make(release="havana"), matrices=tiny)["glance/glance-api.conf"])
    assert havana["DEFAULT"]["default_store"] == "rbd"
    # the stores list takes the spelling of the release's own default (class paths here)
    assert havana["DEFAULT"]["known_stores"] == "glance.store.rbd.Store,glance.store.http.Store"
    assert havana["DEFAULT"]["rbd_store_pool"] == "images"
    juno = ini(render(make(), matrices=tiny)["glance/glance-api.conf"])
    assert juno["glance_store"]["default_store"] == "rbd"
    assert juno["glance_store"]["stores"] == "rbd,http"
    rocky = ini(render(make(release="rocky"), matrices=tiny)["glance/glance-api.conf"])
    assert "enabled_backends" not in rocky["DEFAULT"]  # single store not deprecated yet
    stein = ini(render(make(release="stein"), matrices=tiny)["glance/glance-api.conf"])
    assert stein["DEFAULT"]["enabled_backends"] == "ceph:rbd"
    assert stein["glance_store"]["default_backend"] == "ceph"
    assert stein["ceph"]["rbd_store_pool"] == "images"
    assert "default_store" not in stein["glance_store"]


def test_glance_multistore_forced_on_old_release_is_an_error(tiny):
    with pytest.raises(ConfgenError, match="first exists in rocky"):
        render(make("[glance]\nmultistore = true\n"), matrices=tiny)


def test_multi_backend_cinder_ceph_and_lvm(tiny):
    it = make("[cinder]\ndefault_backend = fast\n[[backends]]\n[[[fast]]]\npool = ssd\n"
              "[[[slow]]]\npool = hdd\n[[[local]]]\ndriver = lvm\n", release="kilo")
    text = render(it, matrices=tiny)["cinder/cinder.conf"]
    conf = ini(text)
    assert conf["DEFAULT"]["enabled_backends"] == "fast,slow,local"
    assert conf["DEFAULT"]["default_volume_type"] == "fast"
    assert conf["fast"]["rbd_pool"] == "ssd" and conf["slow"]["rbd_pool"] == "hdd"
    assert conf["local"]["volume_driver"] == "cinder.volume.drivers.lvm.LVMVolumeDriver"
    assert conf["local"]["volume_group"] == "cinder-volumes"
    assert "rbd_pool" not in conf["local"]
    assert "volume_backend_name=slow" in text  # advice to create the volume types
    juno_it = replace(it, release=releases.get("juno"))
    juno = ini(render(juno_it, matrices=tiny)["cinder/cinder.conf"])
    assert juno["local"]["volume_driver"] == "cinder.volume.drivers.lvm.LVMISCSIDriver"


def test_no_cephx_means_no_users_secrets_or_keyrings(tiny):
    files = render(make("cephx = false\n"), matrices=tiny)
    assert "nova/secret.xml" not in files
    ceph = ini(files["ceph/ceph.conf"])
    assert ceph["global"]["auth_client_required"] == "none"
    assert not [s for s in ceph.sections() if s.startswith("client.")]
    assert "rbd_user" not in files["cinder/cinder.conf"]
    assert "rbd_secret_uuid" not in files["nova/nova.conf"]
    assert "get-or-create" not in files["ceph/cephx-users.sh"]


def test_nova_not_using_ceph_gets_no_files(tiny):
    files = render(make("[nova]\nephemeral = false\n[cinder]\n[[backends]]\n[[[lvm]]]\n"
                        "driver = lvm\n"), matrices=tiny)
    assert "nova/nova.conf" not in files and "nova/secret.xml" not in files
    assert "client.cinder " not in files["ceph/cephx-users.sh"]


def test_nova_attaching_volumes_only_gets_user_and_secret(tiny):
    files = render(make("[nova]\nephemeral = false\n"), matrices=tiny)
    nova = ini(files["nova/nova.conf"])["libvirt"]
    assert nova["rbd_user"] == "cinder" and "images_type" not in nova


def test_caps_and_pools_follow_the_ceph_release(tiny):
    old = render(make(ceph="firefly"), matrices=tiny)["ceph/cephx-users.sh"]
    assert "ceph osd pool create vms 128 128" in old and "rbd pool init" not in old
    assert "allow rx pool=images" in old
    new = render(make(ceph="reef"), matrices=tiny)["ceph/cephx-users.sh"]
    assert "rbd pool init vms" in new and "profile rbd-read-only pool=images" in new
    for line in new.splitlines():
        if "get-or-create" in line:
            assert line.startswith("ceph auth get-or-create client.")


def test_pg_count_needs_osd_count_without_autoscaler(tiny):
    it = replace(make(ceph="hammer"), osd_count=None)
    with pytest.raises(ConfgenError, match="osd_count"):
        render(it, matrices=tiny)
    render(replace(it, ceph_release=releases.ceph().get("reef")), matrices=tiny)


def test_extra_options_pass_through_and_win(tiny):
    it = make("[extra]\n[[nova.conf]]\n[[[DEFAULT]]]\ndebug = true\n"
              "[[[libvirt]]]\nimages_rbd_pool = fast-vms\n")
    conf = ini(render(it, matrices=tiny)["nova/nova.conf"])
    assert conf["DEFAULT"]["debug"] == "true"
    assert conf["libvirt"]["images_rbd_pool"] == "fast-vms"


def test_only_and_unknown_service(tiny):
    files = render(make(), only=["nova"], matrices=tiny)
    assert sorted(files) == ["nova/nova.conf", "nova/secret.xml"]
    with pytest.raises(ConfgenError, match="choose from"):
        render(make(), only=["swift"], matrices=tiny)


def test_same_intent_same_bytes_and_header(tiny):
    a, b = render(make(), matrices=tiny), render(make(), matrices=tiny)
    assert a == b
    head = a["cinder/cinder.conf"].splitlines()[:2]
    assert "juno" in head[0] and "t.ini" in head[1] and "confgen" in head[1]
    assert all(t.endswith("\n") and not t.endswith("\n\n") for t in a.values())


def test_user_templates_override_and_fall_back(tiny, tmp_path):
    (tmp_path / "nova.conf.j2").write_text("# mine\n{{ ctx.doc.sections['libvirt'][0].name }}\n")
    files = render(make(), templates=tmp_path, matrices=tiny)
    assert files["nova/nova.conf"] == "# mine\nimages_type\n"
    assert files["cinder/cinder.conf"].startswith("# cinder.conf")


def test_write_refuses_overwrite_and_is_all_or_nothing(tmp_path):
    files = {"a/x.conf": "x\n", "b/run.sh": "#!/bin/sh\n"}
    write_all(files, tmp_path)
    assert (tmp_path / "a/x.conf").read_text() == "x\n"
    assert os.access(tmp_path / "b/run.sh", os.X_OK)
    (tmp_path / "a/x.conf").write_text("mine\n")
    with pytest.raises(ConfgenError, match="--force"):
        write_all({"a/x.conf": "new\n", "c/new.conf": "n\n"}, tmp_path)
    assert (tmp_path / "a/x.conf").read_text() == "mine\n"
    assert not (tmp_path / "c").exists()
    write_all({"a/x.conf": "new\n"}, tmp_path, force=True)
    assert (tmp_path / "a/x.conf").read_text() == "new\n"
    assert not [p for p in tmp_path.rglob("*.tmp")]
