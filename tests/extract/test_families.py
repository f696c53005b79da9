"""confgen.extract.families on fixture repositories (tests/extract/fixtures/families, our own
code imitating cinder's, glance_store's and glance's idioms), then spot checks at real tags."""

from __future__ import annotations

import pytest
from gitfixture import FIXTURES, make_repo, mirror

from confgen.extract.families import cinder_backends, glance_reserved_stores, store_types

FANCY = "cinder.volume.drivers.fancy.FancyDriver"
FANCY_FC = "cinder.volume.drivers.fancy.FancyFCDriver"


@pytest.fixture(scope="module")
def cinder(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("cinder"), {"stable/x": FIXTURES / "families/cinder"})
    return cinder_backends(repo, "stable/x")


def _specific(c, path):
    return [n for n in c.drivers[path] if n not in c.generic]


def test_generic_is_the_manager_and_the_root_driver(cinder):
    assert cinder.generic == ["volume_driver", "extra_capabilities", "num_shell_tries",
                              "volume_backend_name", "target_helper",
                              "image_volume_cache_enabled"]
    assert cinder.source(cinder.options["volume_driver"]) == \
        "openstack/cinder:cinder/volume/manager.py@stable/x"


def test_driver_reads_bases_across_modules_helpers_and_functions(cinder):
    got = _specific(cinder, FANCY)
    # own lists (an option named by a constant of another module, a class attribute),
    # the SAN base in another package, a helper class, a module function, do_setup's
    # (fancy_opts is extended with `+=` at module level)
    assert got[:5] == ["fancy_pool", "fancy_retries", "fancy_augmented", "fancy_class_attr",
                       "fancy_only_exact"]
    assert {"san_ip", "san_password", "fancy_helper_timeout", "fancy_ops",
            "fancy_setup_check"} <= set(got)
    assert cinder.options["san_password"].secret
    assert cinder.options["fancy_pool"].path == "cinder/volume/drivers/fancy.py"
    assert "fancy_partner_only" not in got  # appended to another section's Configuration
    assert any("partner()" in w for w in cinder.warnings)


def test_origins_and_conditions(cinder):
    origin = cinder.origins[FANCY]
    assert origin["fancy_pool"] == "__init__" and origin["fancy_setup_check"] == "do_setup"
    # under `if <a value>:`
    assert cinder.conditional[FANCY] == ["fancy_mirror_target"]
    # a class loaded by a dotted path out of a table, only by a driver that reads the table
    lvm = "cinder.volume.drivers.lvm.LVMVolumeDriver"
    assert cinder.conditional[lvm] == ["spdk_rpc_ip"]
    assert cinder.origins[lvm]["spdk_rpc_ip"] == "__init__"
    assert "spdk_rpc_ip" not in cinder.generic and "spdk_rpc_ip" not in cinder.drivers[FANCY]


def test_type_guard_and_missing_super(cinder):
    assert "fancy_only_exact" not in cinder.drivers[FANCY_FC]  # `if type(self) is not X`
    assert "fancy_pool" in cinder.drivers[FANCY_FC]
    lone = cinder.drivers["cinder.volume.drivers.fancy.LoneDriver"]
    assert lone == ["volume_driver", "extra_capabilities", "lone_opt"]


def test_proxy_reads_what_it_loads_by_name(cinder):
    proxy = "cinder.volume.drivers.proxy.ProxyDriver"
    assert _specific(cinder, proxy)[0] == "proxy_family"
    assert "fancy_pool" in cinder.drivers[proxy] and "fancy_pool" in cinder.conditional[proxy]
    assert "proxy_family" not in cinder.conditional[proxy]


def test_aliases_mapping_rebinding_and_shim(cinder):
    assert cinder.aliases == {
        "cinder.volume.drivers.old_fancy.FancyDriver": FANCY,
        "cinder.volume.drivers.fancy.OldFancyName": FANCY,
        "cinder.volume.drivers.fancy_shim.FancyFCDriver": FANCY_FC,
    }
    assert cinder.drivers["cinder.volume.drivers.old_fancy.FancyDriver"] == cinder.drivers[FANCY]
    assert any("nowhere.Nothing: target is not a driver" in w for w in cinder.warnings)


def test_option_drivers_and_unresolved_lists(cinder):
    od = cinder.option_drivers()
    assert "num_shell_tries" not in od  # generic
    assert od["san_ip"][:2] == [FANCY, FANCY_FC]
    assert "cinder.volume.drivers.old_fancy.FancyDriver" in od["fancy_pool"]
    assert od["lone_opt"] == ["cinder.volume.drivers.fancy.LoneDriver"]
    assert od["spdk_rpc_ip"] == ["cinder.volume.drivers.lvm.LVMVolumeDriver"]
    assert cinder.driver_options()[FANCY] == set(cinder.drivers[FANCY])
    assert any("broken.py:7: append_config_values(make_opts(self)) not resolved" in w
               for w in cinder.warnings)


# ---- glance_store and glance ------------------------------------------------------------------
@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("store"), {"9.0.0": FIXTURES / "families/store"})
    return store_types(repo, "9.0.0")


def test_store_types(stores):
    assert stores.multi_store and stores.generic == ["store_description", "weight"]
    assert stores.types["rbd"] == ["rbd_store_pool", "rbd_store_user"]
    assert stores.types["swift"] == ["swift_store_container"]  # factory function + attribute
    assert stores.targets["swift"] == "glance_store._drivers.swift.store:Store"  # star import
    assert stores.aliases == {"glance.store.rbd.Store": "rbd"}
    assert stores.bare == ["noopts"]
    assert stores.store_types_reading()["filesystem_store_datadir"] == ["file"]
    assert "store_description" not in stores.store_types_reading()
    assert stores.source(stores.options["rbd_store_pool"]) == \
        "openstack/glance_store:glance_store/_drivers/rbd.py@9.0.0"


def test_reserved_store_options(stores):
    got = [(o.name, o.default) for o in stores.reserved_options("os_glance_staging_store")]
    # the template (default filled in for this store), then the generic options; the file
    # store's own options stop at the first one the template already registered
    assert got == [("filesystem_store_datadir", "/var/lib/glance/os_glance_staging_store"),
                   ("filesystem_store_chunk_size", 65536),
                   ("filesystem_store_metadata_file", None),
                   ("store_description", None), ("weight", 0)]


def test_glance_reserved_stores(tmp_path):
    repo = make_repo(tmp_path, {"old": FIXTURES / "families/glance_old",
                                "new": FIXTURES / "families/glance_new"})
    assert glance_reserved_stores(repo, "old").stores == {}
    new = glance_reserved_stores(repo, "new")
    assert new.stores == {"os_glance_staging_store": "file", "os_glance_tasks_store": "file"}
    assert new.sources == ["glance/common/wsgi.py:10"]
    assert new.warnings == ["glance/common/wsgi.py:14: reserved_stores extra not a literal"]


# ---- spot checks on the real mirrors ----------------------------------------------------------
def _mirror_or_skip(name):
    repo = mirror(name)
    if repo is None:
        pytest.skip(f"no mirror of openstack/{name}")
    return repo


@pytest.mark.slow
def test_real_cinder_rbd_at_liberty():
    c = cinder_backends(_mirror_or_skip("cinder"), "liberty-eol")
    rbd = "cinder.volume.drivers.rbd.RBDDriver"
    assert {"rbd_pool", "rbd_user", "rbd_secret_uuid", "rbd_ceph_conf",
            "rados_connect_timeout"} <= set(c.drivers[rbd])
    assert "volume_group" not in c.drivers[rbd]  # an LVM option
    assert "san_ip" in c.drivers["cinder.volume.drivers.san.san.SanISCSIDriver"]
    assert "volume_backend_name" in c.generic
    assert len(c.drivers) > 100


@pytest.mark.slow
def test_real_glance_store_and_glance():
    st = store_types(_mirror_or_skip("glance_store"), "4.9.1")
    assert {t: len(v) for t, v in st.types.items() if t in ("rbd", "file", "swift")} == {
        "rbd": 6, "file": 6, "swift": 25}
    assert st.generic == ["store_description", "weight"]
    assert [o.name for o in st.reserved_options("os_glance_tasks_store")][-2:] == [
        "store_description", "weight"]
    g = _mirror_or_skip("glance")
    assert glance_reserved_stores(g, "stein-eol").stores == {}
    assert set(glance_reserved_stores(g, "train-eol").stores) == {
        "os_glance_staging_store", "os_glance_tasks_store"}
