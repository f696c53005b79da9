"""Facts about cinder.conf checked against upstream openstack/cinder, asserted through the matrix.

Each test names the upstream file@ref the fact was read from.
"""

from __future__ import annotations

import pytest

from confgen import releases
from confgen.matrix import load

OS = releases.openstack()
RBD = {"@backend": {"ceph"}}


@pytest.fixture(scope="module")
def m():
    return load("cinder.conf")


def test_rbd_pool_default_and_backend_section(m):
    # cinder/volume/drivers/rbd.py@havana-eol..master: rbd_pool, default 'rbd'
    for rel in ("havana", "pike", "2026.2"):
        at = m.get("@backend.rbd_pool", rel)
        assert at is not None and at.era.default == "rbd" and at.era.section == "@backend"
    assert m.resolve("queens", "ceph", "rbd_pool", RBD).kind == "current"


def test_default_section_read_only_before_ocata(m):
    # cinder/cmd/volume.py@ocata-eol refuses to start without enabled_backends
    assert "DEFAULT" in m.get("@backend.rbd_user", "newton").era.also
    assert "DEFAULT" not in m.get("@backend.rbd_user", "ocata").era.also
    assert m.resolve("ocata", "DEFAULT", "rbd_user").kind == "wrong_section"


def test_backend_defaults_from_pike(m):
    # cinder/volume/configuration.py@pike-eol: SHARED_CONF_GROUP = 'backend_defaults'
    assert m.get("@backend.rbd_pool", "ocata").era.also == ()
    assert m.get("@backend.rbd_pool", "pike").era.also == ("backend_defaults",)
    assert m.resolve("pike", "backend_defaults", "rbd_pool").kind == "current"


def test_rbd_cluster_name_appears_in_liberty(m):
    # cinder/volume/drivers/rbd.py@liberty-eol adds rbd_cluster_name (absent @kilo-eol)
    opt = m.option("@backend.rbd_cluster_name")
    assert opt.introduced == OS.get("liberty")
    assert m.resolve("kilo", "ceph", "rbd_cluster_name", RBD).kind == "not_yet"


def test_rbd_exclusive_cinder_pool_default_flips_in_victoria(m):
    # rbd.py@ocata-eol adds it with default False; rbd.py@victoria-eol defaults to True
    assert m.option("@backend.rbd_exclusive_cinder_pool").introduced == OS.get("ocata")
    assert m.get("@backend.rbd_exclusive_cinder_pool", "ussuri").era.default is False
    assert m.get("@backend.rbd_exclusive_cinder_pool", "victoria").era.default is True


def test_rbd_concurrent_flatten_operations_from_2023_1(m):
    # rbd.py@unmaintained/2023.1: IntOpt default 3, min 0
    at = m.get("@backend.rbd_concurrent_flatten_operations", "2023.1")
    assert at.era.type == "int" and at.era.default == 3
    assert m.get("@backend.rbd_concurrent_flatten_operations", "zed") is None


def test_rbd_concurrent_flatten_operations_min_zero(m):
    # rbd.py@unmaintained/2023.1: min=0
    assert m.get("@backend.rbd_concurrent_flatten_operations", "2025.1").era.min == 0


def test_rados_connection_retries_and_interval(m):
    # rbd.py@liberty-eol adds rados_connection_retries (3) and rados_connection_interval (5)
    assert m.get("@backend.rados_connection_retries", "liberty").era.default == 3
    assert m.get("@backend.rados_connection_interval", "liberty").era.default == 5
    assert m.get("@backend.rados_connect_timeout", "juno").era.default == -1


def test_rbd_keyring_conf_lived_pike_to_ussuri(m):
    # rbd.py@pike-eol adds rbd_keyring_conf; deprecated @ussuri-eol; gone @victoria-eol
    opt = m.option("@backend.rbd_keyring_conf")
    assert opt.introduced == OS.get("pike")
    assert opt.removed_in(OS) == OS.get("victoria")
    assert opt.deprecated_since() == OS.get("ussuri")


def test_glance_api_version_removed_in_queens(m):
    # cinder/common/config.py@pike-eol: default 2, deprecated for removal; absent @queens-eol
    opt = m.option("DEFAULT.glance_api_version")
    assert m.get("DEFAULT.glance_api_version", "ocata").era.default == 1
    assert m.get("DEFAULT.glance_api_version", "pike").era.deprecated
    assert opt.removed_in(OS) == OS.get("queens")
    assert m.resolve("queens", "DEFAULT", "glance_api_version").kind == "removed"


def test_backup_driver_default_becomes_class_path_in_queens(m):
    # cinder/backup/manager.py@pike-eol: module path; @queens-eol: class path default
    assert m.get("DEFAULT.backup_driver", "pike").era.default == "cinder.backup.drivers.swift"
    assert (m.get("DEFAULT.backup_driver", "queens").era.default
            == "cinder.backup.drivers.swift.SwiftBackupDriver")


def test_backup_ceph_options(m):
    # cinder/backup/drivers/ceph.py@havana-eol..master
    assert m.get("DEFAULT.backup_ceph_pool", "havana").era.default == "backups"
    assert m.get("DEFAULT.backup_ceph_user", "2026.2").era.default == "cinder"
    assert m.get("DEFAULT.backup_ceph_chunk_size", "juno").era.default == 128 * 1024 * 1024
    assert m.option("DEFAULT.backup_ceph_image_journals").introduced == OS.get("pike")
    assert m.get("DEFAULT.restore_discard_excess_bytes", "yoga").era.default is True


def test_default_volume_type_default_changes_in_train(m):
    # cinder/common/config.py@stein-eol: None; @train-eol: '__DEFAULT__'
    assert m.get("DEFAULT.default_volume_type", "stein").era.default is None
    assert m.get("DEFAULT.default_volume_type", "train").era.default == "__DEFAULT__"


def test_generic_backend_options(m):
    # cinder/volume/driver.py: report_discard_supported from mitaka, image cache from liberty
    assert m.option("@backend.report_discard_supported").introduced == OS.get("mitaka")
    assert m.option("@backend.image_volume_cache_enabled").introduced == OS.get("liberty")
    # cinder/volume/manager.py: volume_driver default changes in liberty
    assert m.get("@backend.volume_driver", "kilo").era.default.endswith("LVMISCSIDriver")
    assert m.get("@backend.volume_driver", "liberty").era.default.endswith("LVMVolumeDriver")


def test_typo_in_backend_section_is_unknown_with_suggestion(m):
    res = m.resolve("2024.1", "ceph", "rbd_pol", RBD)
    assert res.kind == "unknown" and "rbd_pool" in res.suggestions


def test_every_curated_option_has_help(m):
    # the Ceph-relevant options keep our own help; the rest of the inventory has none
    for key in ("@backend.rbd_pool", "@backend.rbd_user", "DEFAULT.enabled_backends"):
        assert m.options[key].help, key


def test_coordination_read_from_mitaka(m):
    # cinder/coordination.py@mitaka-eol..ocata-eol registers group='coordination' (the
    # generator's cinder/opts.py lists it as 'COORDINATION'; oslo.config folds the case)
    for rel in ("mitaka", "ocata", "pike"):
        assert m.get("coordination.backend_url", rel) is not None, rel
    assert m.get("coordination.backend_url", "liberty") is None
