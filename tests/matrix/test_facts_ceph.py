"""Facts in release_matrix/ceph.conf.json (every option of every Ceph release, read from Ceph's
own definitions by tools/ceph_options.py): shape, the facts the old hand-curated data had
wrong, the per-release views lint loads, and pacific against the real ceph-conf 16.2.15."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from confgen import releases
from confgen.datapath import data_dir
from confgen.matrix import load
from confgen.matrix.load import load_for

ROOT = Path(__file__).resolve().parents[2]
CEPH_TYPES = {"str", "bool", "int", "uint", "size", "float", "addr", "addrvec", "uuid", "secs",
              "millisecs"}
SPEC = tomllib.loads((ROOT / "release_matrix/sources/ceph.conf.toml").read_text("utf-8"))
CURATED = [o["key"] for o in SPEC["option"]]
# librbd feature names -> bits (the mapping Ceph documents for rbd_default_features)
RBD_FEATURES = {"layering": 1, "striping": 2, "exclusive-lock": 4, "object-map": 8,
                "fast-diff": 16, "deep-flatten": 32, "journaling": 64, "data-pool": 128}


@pytest.fixture(scope="module")
def matrix():
    return load("ceph.conf")


def era(matrix, key: str, rel: str):
    at = matrix.get(key, rel)
    return at.era if at else None


def test_outputs_are_what_the_tool_writes():
    """The per-release views always; the JSON too where the Ceph source copies are present
    (a maintainer's machine, see tools/ceph_options.py)."""
    res = subprocess.run([sys.executable, str(ROOT / "tools/ceph_options.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_every_release_has_its_source_named(matrix):
    refs = matrix.meta["refs"]
    assert set(refs) == set(releases.ceph().names())
    for rel, meta in SPEC["release"].items():
        if meta["format"] == "bridged":
            assert "no source read" in refs[rel]
        else:
            assert meta["version"] and meta["source"] and meta.get("via"), rel


def test_a_complete_list_per_release(matrix):
    counts = {r.name: len(matrix.at(r)) for r in releases.ceph().releases}
    assert counts["dumpling"] > 600 and counts["pacific"] > 1800 and counts["tentacle"] > 2100
    assert all(counts[a.name] <= counts[b.name] + 60 for a, b in
               zip(releases.ceph().releases, releases.ceph().releases[1:], strict=False))


def test_curated_options_keep_their_key_and_help(matrix):
    for key in CURATED:
        opt = matrix.option(key)
        assert opt.help.strip(), key


def test_every_era_has_ceph_type_and_source(matrix):
    for opt in matrix.options.values():
        for e in opt.eras:
            assert e.type in CEPH_TYPES, (opt.key, e.type)
            assert e.source, opt.key
            assert re.fullmatch(r"[a-z0-9_]+", e.name, re.I), e.name
            assert e.section in ("global", "client"), opt.key
            assert e.also == ("*",), opt.key  # Ceph reads any option from any section


# -------------------------------------------- the facts the curated data had wrong (issue 10)

@pytest.mark.parametrize("name", ["osd_pool_default_size", "osd_pool_default_min_size",
                                  "osd_pool_default_pg_num", "osd_pool_default_pgp_num"])
def test_pool_defaults_become_uint_in_mimic(matrix, name):
    assert era(matrix, f"global.{name}", "luminous").type == "int"
    assert era(matrix, f"global.{name}", "mimic").type == "uint"


@pytest.mark.parametrize("name", ["rbd_cache_size", "rbd_cache_max_dirty"])
def test_rbd_cache_sizes_become_size_in_mimic(matrix, name):
    assert era(matrix, f"client.{name}", "luminous").type == "int"
    assert era(matrix, f"client.{name}", "mimic").type == "size"


@pytest.mark.parametrize("name", ["rbd_default_format", "rbd_cache_max_dirty_object",
                                  "rbd_concurrent_management_ops"])
def test_still_int_in_luminous_and_mimic(matrix, name):
    for rel in ("luminous", "mimic"):
        assert era(matrix, f"client.{name}", rel).type == "int", rel
    assert era(matrix, f"client.{name}", "nautilus").type == "uint"


def test_rbd_cache_policy_is_octopus_on(matrix):
    assert era(matrix, "client.rbd_cache_policy", "nautilus") is None
    assert matrix.option("client.rbd_cache_policy").introduced.name == "octopus"
    assert era(matrix, "client.rbd_cache_policy", "octopus").choices == (
        "writethrough", "writeback", "writearound")


def test_rbd_cache_max_dirty_object_since_dumpling(matrix):
    opt = matrix.option("client.rbd_cache_max_dirty_object")
    assert opt.introduced.name == "dumpling"  # 0.67.11 has it (a backport 0.72.2 lacks)
    assert era(matrix, "client.rbd_cache_max_dirty_object", "emperor") is None


def test_rbd_default_format_declares_no_choices(matrix):
    for r in releases.ceph().releases:
        e = era(matrix, "client.rbd_default_format", r)
        assert e is None or not e.choices, r


def test_history_read_from_source(matrix):
    assert era(matrix, "global.osd_pool_default_size", "dumpling").default == 2
    assert era(matrix, "global.osd_pool_default_size", "firefly").default == 3
    assert era(matrix, "global.osd_pool_default_pg_num", "mimic").default == 8
    assert era(matrix, "global.osd_pool_default_pg_num", "nautilus").default == 32
    assert era(matrix, "client.rbd_cache", "firefly").default is False
    assert era(matrix, "client.rbd_cache", "giant").default is True
    assert era(matrix, "client.rbd_default_features", "hammer").default == 3
    assert era(matrix, "client.rbd_default_features", "jewel").default == 61
    lum = era(matrix, "client.rbd_default_features", "luminous")
    assert lum.type == "str" and _features_bits(lum.default) == 61
    mode = matrix.option("global.osd_pool_default_pg_autoscale_mode")
    assert era(matrix, mode.key, "nautilus").default == "warn"
    assert era(matrix, mode.key, "octopus").default == "on"
    assert era(matrix, "client.admin_socket", "luminous").extra["daemon_default"] == \
        "$run_dir/$cluster-$name.asok"
    assert era(matrix, "global.osd_pool_default_size", "nautilus").extra["flags"] == ["runtime"]
    assert era(matrix, "global.osd_pool_default_size", "nautilus").extra["services"] == ["mon"]
    assert era(matrix, "global.fsid", "nautilus").extra["level"] == "basic"


def test_removed_and_renamed_options(matrix):
    # pacific renamed blacklist to blocklist without keeping the old names
    old = matrix.option("global.mon_osd_blacklist_default_expire")
    assert old.last_release.name == "octopus"
    assert matrix.resolve("pacific", "global", "mon_osd_blacklist_default_expire").kind == \
        "removed"
    assert matrix.resolve("tentacle", "global", "auth_supported").kind == "removed"
    assert era(matrix, "global.auth_supported", "nautilus").deprecated  # its description says


def test_squid_is_bridged_where_reef_and_tentacle_agree(matrix):
    assert era(matrix, "client.rbd_cache", "squid").default is True
    auth = era(matrix, "global.auth_client_required", "squid")
    assert auth.default == "cephx, none" and auth.extra["unknown"] == ["flags"]
    unjudged = matrix.meta["unjudged"]["squid"]
    assert "auth_supported" in unjudged  # reef has it, tentacle not: squid cannot be told
    assert matrix.resolve("squid", "global", "auth_supported").kind == "unjudged"
    assert set(matrix.meta["unjudged"]) == {"squid"}


# ------------------------------------------------------------- the per-release views

@pytest.mark.parametrize("rel", ["dumpling", "luminous", "pacific", "squid", "tentacle"])
def test_view_answers_as_the_whole_matrix(matrix, rel):
    r = releases.ceph().get(rel)
    view = load_for("ceph.conf", r)
    assert view is not matrix
    for name in ("rbd_cache", "rbd_cache_policy", "rbd_default_featurs", "auth_supported",
                 "mon_osd_blacklist_default_expire", "osd_op_queue", "debug_rbd", "fsid"):
        a = matrix.resolve(r, "client.cinder", name)
        b = view.resolve(r, "client.cinder", name)
        assert (a.kind, a.suggestions) == (b.kind, b.suggestions), name
        if a.at:
            ea, eb = a.at.era, b.at.era
            assert (ea.type, ea.default, ea.choices, ea.min, ea.max, ea.first, ea.last) == \
                   (eb.type, eb.default, eb.choices, eb.min, eb.max, eb.first, eb.last), name
            assert {k: v for k, v in ea.extra.items() if k != "curated"} == eb.extra, name
            assert (a.option.introduced, a.option.last_release) == \
                   (b.option.introduced, b.option.last_release)
        if a.kind == "removed":
            assert a.removed == b.removed


# ------------------------------------------------------------------- against a real ceph-conf

def _features_bits(value: str) -> int:
    if str(value).isdigit():
        return int(value)
    return sum(RBD_FEATURES[f.strip()] for f in str(value).split(","))


DIRS = {"<pkglibdir>": "/usr/lib/x86_64-linux-gnu/ceph", "<libdir>": "/usr/lib/x86_64-linux-gnu",
        "<datadir>": "/usr/share/ceph"}


def _expected(era, name: str) -> str:
    """Our default as ceph-conf prints it (ceph-conf applies daemon defaults)."""
    value = era.extra.get("daemon_default", era.default)
    if era.name == "rbd_default_features":
        return str(_features_bits(value))
    if era.type == "bool":
        return "true" if value else "false"
    if era.type == "float":
        return f"{float(value):.6f}"
    if era.type == "uuid" and value == "":
        return "00000000-0000-0000-0000-000000000000"
    if era.type == "addr" and value == "":
        return "-"
    if era.type == "secs":
        return f"{value}" if value else "0"
    value = str(value)
    for token, path in DIRS.items():
        value = value.replace(token, path)
    return (value.replace("$run_dir", "/var/run/ceph").replace("$cluster", "ceph")
            .replace("$name", name).replace("$type", "client").replace("$id", name[7:]))


def _ceph_conf_major() -> int | None:
    if not shutil.which("ceph-conf"):
        return None
    out = subprocess.run(["ceph", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"ceph version (\d+)\.", out)
    return int(m.group(1)) if m else None


needs_pacific_ceph_conf = pytest.mark.skipif(
    _ceph_conf_major() != 16,
    reason="needs ceph-conf from ceph-common 16.2 (pacific), e.g. `apt-get install ceph-common` "
    "on Debian bookworm; not installed here",
)


def _dump(tmp_path: Path, name: str = "client.admin", conf: str = "[global]\n") -> dict:
    path = tmp_path / "ceph.conf"
    path.write_text(conf)
    res = subprocess.run(["ceph-conf", "-c", str(path), "--name", name, "-D", "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.integration
@needs_pacific_ceph_conf
def test_pacific_is_exactly_what_ceph_conf_knows(matrix, tmp_path):
    """Every pacific option, name and default, against `ceph-conf -D` of ceph-common 16.2.15;
    and no option ceph-conf knows is missing from our pacific."""
    dump = _dump(tmp_path, "client.glance")
    ours = {at.era.name: at.era for at in matrix.at("pacific")}
    assert set(dump) - {"cluster", "name"} == set(ours)
    wrong = {}
    # a command-line tool turns file logging off for itself before it reads any config
    # (common_preinit, utility environment); the option's own default is true
    tool_overrides = {"log_to_file": "false"}
    for name, e in ours.items():
        if tool_overrides.get(name) == dump[name]:
            continue
        got, want = dump[name], _expected(e, "client.glance")
        if e.type in ("float", "secs", "millisecs") and _num(got) == _num(want):
            continue
        if got != want:
            wrong[name] = (got, want)
    assert not wrong, f"{len(wrong)} defaults differ from ceph-conf: {list(wrong.items())[:8]}"
    assert len(ours) > 1800


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


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


def test_data_dir_has_the_files():
    assert (data_dir("release_matrix") / "ceph.conf.json").exists()
    assert (data_dir("release_matrix") / "ceph" / "pacific.json").exists()
