"""Facts in release_matrix/ceph.conf.json: shape, history, and pacific against a real ceph-conf."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from confgen import releases
from confgen.datapath import data_dir
from confgen.matrix import load

ROOT = Path(__file__).resolve().parents[2]
CEPH_TYPES = {"str", "bool", "int", "uint", "size", "float", "addr", "addrvec", "uuid", "secs",
              "millisecs"}
REQUIRED = [
    "fsid", "mon_host", "mon_initial_members", "public_network", "cluster_network",
    "auth_cluster_required", "auth_service_required", "auth_client_required", "auth_supported",
    "keyring", "rbd_cache", "rbd_cache_size", "rbd_cache_max_dirty", "rbd_cache_target_dirty",
    "rbd_cache_max_dirty_age", "rbd_cache_writethrough_until_flush", "rbd_cache_policy",
    "rbd_cache_block_writes_upfront", "rbd_default_features", "rbd_default_format",
    "rbd_concurrent_management_ops", "admin_socket", "log_file", "osd_pool_default_size",
    "osd_pool_default_min_size", "osd_pool_default_pg_num", "osd_pool_default_pgp_num",
    "osd_pool_default_pg_autoscale_mode", "ms_bind_ipv6",
]
# librbd feature names -> bits (the mapping Ceph documents for rbd_default_features)
RBD_FEATURES = {"layering": 1, "striping": 2, "exclusive-lock": 4, "object-map": 8,
                "fast-diff": 16, "deep-flatten": 32, "journaling": 64, "data-pool": 128}


@pytest.fixture(scope="module")
def matrix():
    return load("ceph.conf")


def test_json_is_generated_from_the_curated_toml():
    res = subprocess.run([sys.executable, str(ROOT / "tools/ceph_options.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_required_options_present_with_canonical_spelling(matrix):
    names = {e.name for o in matrix.options.values() for e in o.eras}
    assert set(REQUIRED) <= names
    assert all(re.fullmatch(r"[a-z0-9_]+", n) for n in names)


def test_every_era_has_ceph_type_and_source(matrix):
    for opt in matrix.options.values():
        for era in opt.eras:
            assert era.type in CEPH_TYPES, (opt.key, era.type)
            assert era.source.startswith("ceph/ceph:") or "ceph-conf" in era.source, opt.key
            assert era.section in ("global", "client"), opt.key


def test_section_placement_for_an_openstack_node(matrix):
    latest = releases.ceph().latest
    assert matrix.get("global.mon_host", latest).era.section == "global"
    for key in ("client.rbd_cache", "client.admin_socket", "client.log_file"):
        era = matrix.get(key, latest).era
        assert era.section == "client" and "@client" in era.also
    got = matrix.resolve("reef", "client.cinder", "rbd cache", {"@client": {"client.cinder"}})
    assert got.kind == "current"


def test_rbd_default_features_int_then_names(matrix):
    opt = matrix.option("client.rbd_default_features")
    assert opt.era(releases.ceph().get("hammer")).default == 3
    assert opt.era(releases.ceph().get("jewel")).type == "int"
    assert opt.era(releases.ceph().get("jewel")).default == 61
    lum = opt.era(releases.ceph().get("luminous"))
    assert lum.type == "str" and _features_bits(lum.default) == 61


def test_release_boundaries(matrix):
    assert matrix.resolve("mimic", "client", "rbd_cache_policy").kind == "not_yet"
    assert matrix.resolve("mimic", "global", "osd_pool_default_pg_autoscale_mode").kind == "not_yet"
    mode = matrix.option("global.osd_pool_default_pg_autoscale_mode")
    assert mode.era(releases.ceph().get("nautilus")).default == "warn"
    assert mode.era(releases.ceph().get("octopus")).default == "on"
    assert matrix.get("client.rbd_cache", "firefly").era.default is False
    assert matrix.get("client.rbd_cache", "giant").era.default is True
    assert matrix.get("global.auth_supported", "pacific").era.deprecated


# ------------------------------------------------------------------- against a real ceph-conf

def _features_bits(value: str) -> int:
    if str(value).isdigit():
        return int(value)
    return sum(RBD_FEATURES[f.strip()] for f in str(value).split(","))


def _expand(value: str, name: str) -> str:
    return (value.replace("$run_dir", "/var/run/ceph").replace("$cluster", "ceph")
            .replace("$name", name))


def _expected(era, name: str) -> str | None:
    """Our default as ceph-conf prints it (ceph-conf applies daemon defaults)."""
    value = era.extra.get("daemon_default", era.default)
    if era.name == "rbd_default_features":
        return str(_features_bits(value))
    if value is None:
        return None
    if era.type == "bool":
        return "true" if value else "false"
    if era.type == "float":
        return f"{float(value):.6f}"
    if era.type == "str":
        return _expand(value, name)
    return str(value)


def _ceph_conf_major() -> int | None:
    exe = shutil.which("ceph-conf")
    if not exe:
        return None
    out = subprocess.run(["ceph", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"ceph version (\d+)\.", out)
    return int(m.group(1)) if m else None


needs_pacific_ceph_conf = pytest.mark.skipif(
    _ceph_conf_major() != 16,
    reason="needs ceph-conf from ceph-common 16.2 (pacific), e.g. `apt-get install ceph-common` "
    "on Debian bookworm; not installed here",
)


def _dump(tmp_path: Path, name: str = "client.admin", conf: str = "") -> dict[str, str]:
    path = tmp_path / "ceph.conf"
    path.write_text(conf)
    res = subprocess.run(["ceph-conf", "-c", str(path), "--name", name, "-D", "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.integration
@needs_pacific_ceph_conf
def test_pacific_defaults_match_ceph_conf(matrix, tmp_path):
    dump = _dump(tmp_path, "client.glance")
    checked = 0
    for at in matrix.at("pacific"):
        era = at.era
        assert era.name in dump, f"ceph-conf 16.2 does not know {era.name}"
        want = _expected(era, "client.glance")
        got = dump[era.name]
        if era.type == "uuid" and want is None:
            assert got == "00000000-0000-0000-0000-000000000000"
        else:
            assert got == want, f"{era.name}: ceph-conf says {got!r}, our data {want!r}"
        checked += 1
    assert checked >= len(REQUIRED)


@pytest.mark.integration
@needs_pacific_ceph_conf
def test_pacific_reads_client_sections_and_any_key_spelling(tmp_path):
    conf = ("[global]\nms bind ipv6 = true\n[client]\nrbd cache size = 67108864\n"
            "rbd-cache-max-dirty = 0\n"
            "[client.glance]\nrbd cache = false\nrbd_cache_policy = writeback\n")
    glance = _dump(tmp_path, "client.glance", conf)
    assert glance["rbd_cache"] == "false"
    assert glance["rbd_cache_policy"] == "writeback"
    assert glance["rbd_cache_size"] == "67108864"  # from [client]; spaces mean underscores
    # ...but dashes do not: in a file only spaces are normalised (dashes work on the CLI)
    assert glance["rbd_cache_max_dirty"] == "25165824"
    assert glance["ms_bind_ipv6"] == "true"  # from [global]
    other = _dump(tmp_path, "client.cinder", conf)
    assert other["rbd_cache"] == "true"  # [client.glance] is not read by client.cinder


@pytest.mark.integration
@needs_pacific_ceph_conf
def test_pacific_knows_no_option_our_data_says_is_absent(matrix, tmp_path):
    dump = _dump(tmp_path)
    absent = {e.name for o in matrix.options.values() for e in o.eras} - {
        at.era.name for at in matrix.at("pacific")}
    assert not absent & set(dump)


def test_data_dir_has_the_file():
    assert (data_dir("release_matrix") / "ceph.conf.json").exists()
