"""Facts about glance-api.conf checked against upstream openstack/glance and glance_store,
asserted through the matrix. Each test names the upstream file@ref the fact was read from.
"""

from __future__ import annotations

import pytest

from confgen import releases
from confgen.matrix import load

OS = releases.openstack()


@pytest.fixture(scope="module")
def m():
    return load("glance-api.conf")


def test_rbd_store_pool_in_default_until_icehouse(m):
    # glance/store/rbd.py@havana-eol: [DEFAULT] rbd_store_pool default 'rbd'; @icehouse-eol 'images'
    assert m.get("glance_store.rbd_store_pool", "havana").placement.section == "DEFAULT"
    assert m.get("glance_store.rbd_store_pool", "havana").era.default == "rbd"
    assert m.get("glance_store.rbd_store_pool", "icehouse").era.default == "images"


def test_juno_reads_glance_store_and_still_accepts_default(m):
    # glance_store/backend.py@0.1.10 (juno): driver options in [glance_store], [DEFAULT] deprecated
    assert m.get("glance_store.rbd_store_user", "juno").placement.section == "glance_store"
    assert m.resolve("juno", "DEFAULT", "rbd_store_user").kind == "alias"


def test_kilo_no_longer_reads_default(m):
    # glance_store/backend.py@kilo-eol registers driver options in [glance_store] only
    assert m.resolve("kilo", "DEFAULT", "rbd_store_pool").kind == "wrong_section"
    assert m.resolve("kilo", "glance_store", "rbd_store_pool").kind == "current"


def test_known_stores_became_stores(m):
    # glance/store/__init__.py@icehouse-eol: known_stores; glance_store backend.py@0.1.10: stores
    assert m.get("glance_store.stores", "icehouse").placement.name == "known_stores"
    assert m.resolve("juno", "DEFAULT", "known_stores").kind == "alias"
    assert m.get("glance_store.stores", "kilo").era.default == ["file", "http"]


def test_stores_and_default_store_deprecated_from_rocky(m):
    # glance_store/backend.py@rocky-eol: deprecated_for_removal, deprecated_since Rocky
    assert not m.get("glance_store.default_store", "queens").era.deprecated
    assert m.get("glance_store.default_store", "rocky").era.deprecated
    assert m.option("glance_store.stores").deprecated_since() == OS.get("rocky")


def test_multi_store_from_rocky(m):
    # glance/common/wsgi.py@rocky-eol: [DEFAULT] enabled_backends (dict);
    # glance_store/multi_backend.py@rocky-eol: [glance_store] default_backend
    assert m.option("DEFAULT.enabled_backends").introduced == OS.get("rocky")
    assert m.get("DEFAULT.enabled_backends", "2024.1").era.type == "dict"
    assert m.option("glance_store.default_backend").introduced == OS.get("rocky")
    store = {"@store": {"ceph"}}
    assert m.resolve("rocky", "ceph", "rbd_store_pool", store).kind == "current"
    assert m.resolve("queens", "ceph", "rbd_store_pool", store).kind == "wrong_section"


def test_rbd_store_ceph_conf_default_emptied_in_train(m):
    # glance_store/_drivers/rbd.py@stein-eol: '/etc/ceph/ceph.conf'; @train-eol: ''
    assert m.get("glance_store.rbd_store_ceph_conf", "stein").era.default == "/etc/ceph/ceph.conf"
    assert m.get("glance_store.rbd_store_ceph_conf", "train").era.default == ""


def test_rbd_store_chunk_size(m):
    # glance/store/rbd.py@havana-eol: 4; glance_store/_drivers/rbd.py@0.1.10..master: 8 (MiB)
    assert m.get("glance_store.rbd_store_chunk_size", "havana").era.default == 4
    assert m.get("glance_store.rbd_store_chunk_size", "2026.2").era.default == 8


def test_show_multiple_locations_deprecated_since_newton_still_present(m):
    # glance/common/config.py@newton-eol..master: deprecated_for_removal, deprecated_since Newton
    opt = m.option("DEFAULT.show_multiple_locations")
    assert opt.deprecated_since() == OS.get("newton")
    assert opt.removed_in(OS) is None
    assert m.get("DEFAULT.show_image_direct_url", "havana").era.default is False


def test_sheepdog_store_removed_after_train(m):
    # glance_store/_drivers/sheepdog.py@train-eol (deprecated), absent @ussuri-eol
    opt = m.option("glance_store.sheepdog_store_address")
    assert opt.removed_in(OS) == OS.get("ussuri")
    assert m.resolve("ussuri", "glance_store", "sheepdog_store_port").kind == "removed"


def test_rbd_thin_provisioning_from_victoria(m):
    # glance_store/_drivers/rbd.py@victoria-eol adds rbd_thin_provisioning (bool, False)
    assert m.option("glance_store.rbd_thin_provisioning").introduced == OS.get("victoria")
    assert m.resolve("ussuri", "glance_store", "rbd_thin_provisioning").kind == "not_yet"


def test_paste_deploy_flavor(m):
    # glance/common/config.py@havana-eol..master: [paste_deploy] flavor
    assert m.get("paste_deploy.flavor", "havana").placement.section == "paste_deploy"
    assert m.get("paste_deploy.flavor", "2026.2") is not None


def test_typo_in_glance_store_is_unknown_with_suggestion(m):
    res = m.resolve("2025.1", "glance_store", "rbd_store_pol")
    assert res.kind == "unknown" and "rbd_store_pool" in res.suggestions


def test_every_curated_option_has_help(m):
    # the Ceph-relevant options keep our own help; the rest of the inventory has none
    for key in ("glance_store.rbd_store_pool", "DEFAULT.enabled_backends"):
        assert m.options[key].help, key
