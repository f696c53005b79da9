"""Small hand-made matrices with the era changes the renderer must follow (not real facts:
they let the renderer be tested before, and independently of, the curated data)."""

from __future__ import annotations

import pytest

from confgen.matrix.load import from_dict


def _opt(key, *eras, **kw):
    return {"key": key, "eras": [dict(e) for e in eras], **kw}


def _e(frm, to, section, name, type_="string", **kw):
    return {"from": frm, "to": to, "section": section, "name": name, "type": type_, **kw}


def tiny_nova() -> dict:
    return {"file": "nova.conf", "options": [
        _opt("libvirt.images_type", _e("havana", "havana", "DEFAULT", "libvirt_images_type"),
             _e("icehouse", "2026.2", "libvirt", "images_type")),
        _opt("libvirt.images_rbd_pool",
             _e("havana", "havana", "DEFAULT", "libvirt_images_rbd_pool"),
             _e("icehouse", "2026.2", "libvirt", "images_rbd_pool")),
        _opt("libvirt.images_rbd_ceph_conf",
             _e("havana", "havana", "DEFAULT", "libvirt_images_rbd_ceph_conf"),
             _e("icehouse", "2026.2", "libvirt", "images_rbd_ceph_conf")),
        _opt("libvirt.rbd_user", _e("havana", "havana", "DEFAULT", "rbd_user"),
             _e("icehouse", "2026.2", "libvirt", "rbd_user")),
        _opt("libvirt.rbd_secret_uuid", _e("havana", "havana", "DEFAULT", "rbd_secret_uuid"),
             _e("icehouse", "2026.2", "libvirt", "rbd_secret_uuid")),
        _opt("libvirt.inject_password", _e("havana", "havana", "DEFAULT",
                                           "libvirt_inject_password", "bool"),
             _e("icehouse", "2026.2", "libvirt", "inject_password", "bool")),
        _opt("libvirt.inject_key", _e("havana", "2026.2", "libvirt", "inject_key", "bool")),
        _opt("libvirt.inject_partition",
             _e("havana", "2026.2", "libvirt", "inject_partition", "int")),
        _opt("libvirt.disk_cachemodes", _e("havana", "2026.2", "libvirt", "disk_cachemodes",
                                           "list")),
        _opt("libvirt.hw_disk_discard", _e("icehouse", "2026.2", "libvirt", "hw_disk_discard")),
        _opt("libvirt.live_migration_flag",
             _e("havana", "liberty", "libvirt", "live_migration_flag"),
             _e("mitaka", "mitaka", "libvirt", "live_migration_flag", deprecated=True)),
        _opt("libvirt.live_migration_tunnelled",
             _e("mitaka", "victoria", "libvirt", "live_migration_tunnelled", "bool"),
             _e("wallaby", "2026.2", "libvirt", "live_migration_tunnelled", "bool",
                deprecated=True)),
    ]}


def tiny_cinder() -> dict:
    b = "@backend"
    return {"file": "cinder.conf", "options": [
        _opt("DEFAULT.enabled_backends", _e("havana", "2026.2", "DEFAULT", "enabled_backends",
                                            "list")),
        _opt("DEFAULT.default_volume_type", _e("havana", "2026.2", "DEFAULT",
                                               "default_volume_type")),
        _opt("DEFAULT.glance_api_version", _e("havana", "xena", "DEFAULT", "glance_api_version",
                                              "int", default=1)),
        _opt("@backend.volume_driver", _e("havana", "juno", b, "volume_driver",
                                          default="cinder.volume.drivers.lvm.LVMISCSIDriver"),
             _e("kilo", "2026.2", b, "volume_driver",
                default="cinder.volume.drivers.lvm.LVMVolumeDriver")),
        *[_opt(f"@backend.{n}", _e("havana", "2026.2", b, n)) for n in (
            "volume_backend_name", "rbd_pool", "rbd_user", "rbd_secret_uuid", "rbd_ceph_conf",
            "volume_group")],
        _opt("@backend.report_discard_supported",
             _e("liberty", "2026.2", b, "report_discard_supported", "bool")),
        _opt("DEFAULT.backup_driver", _e("havana", "pike", "DEFAULT", "backup_driver",
                                         default="cinder.backup.drivers.swift"),
             _e("queens", "2026.2", "DEFAULT", "backup_driver",
                default="cinder.backup.drivers.swift.SwiftBackupDriver")),
        *[_opt(f"DEFAULT.{n}", _e("havana", "2026.2", "DEFAULT", n)) for n in (
            "backup_ceph_conf", "backup_ceph_user", "backup_ceph_pool")],
    ]}


def tiny_glance() -> dict:
    gs = "glance_store"
    return {"file": "glance-api.conf", "options": [
        _opt("DEFAULT.show_image_direct_url", _e("havana", "2026.2", "DEFAULT",
                                                 "show_image_direct_url", "bool")),
        _opt("paste_deploy.flavor", _e("havana", "2026.2", "paste_deploy", "flavor", "string")),
        _opt("glance_store.stores",
             _e("havana", "icehouse", "DEFAULT", "known_stores", "list",
                default=["glance.store.filesystem.Store", "glance.store.http.Store"]),
             _e("juno", "2026.2", gs, "stores", "list", default=["file", "http"])),
        _opt("glance_store.default_store",
             _e("havana", "icehouse", "DEFAULT", "default_store"),
             _e("juno", "rocky", gs, "default_store"),
             _e("stein", "2026.2", gs, "default_store", deprecated=True)),
        _opt("DEFAULT.enabled_backends", _e("rocky", "2026.2", "DEFAULT", "enabled_backends",
                                            "dict")),
        _opt("glance_store.default_backend", _e("rocky", "2026.2", gs, "default_backend")),
        *[_opt(f"glance_store.{n}", _e("havana", "icehouse", "DEFAULT", n),
               _e("juno", "2026.2", gs, n, also=["@store"]))
          for n in ("rbd_store_pool", "rbd_store_user", "rbd_store_ceph_conf")],
    ]}


@pytest.fixture
def tiny():
    return {"nova.conf": from_dict(tiny_nova()), "cinder.conf": from_dict(tiny_cinder()),
            "glance-api.conf": from_dict(tiny_glance())}
