"""confgen.cephdata: caps and pool commands per Ceph release (data: release_matrix/cephx.toml)."""

import shlex
import shutil
import subprocess

import pytest

from confgen import cephdata, releases
from confgen.errors import ConfgenError

CINDER = {"volumes": "rw", "vms": "rw", "images": "ro"}


def test_every_feature_names_known_releases_and_a_source():
    fam = releases.ceph()
    for name, f in cephdata.features().items():
        assert f.since.family == fam.name, name
        assert f.data.get("source"), f"{name} has no source"


def test_profile_caps_from_luminous():
    caps = cephdata.caps_for("luminous", CINDER)
    assert caps == {
        "mon": "profile rbd",
        "osd": "profile rbd pool=volumes, profile rbd pool=vms, profile rbd-read-only pool=images",
    }


def test_mgr_profile_from_nautilus_for_writable_pools_only():
    caps = cephdata.caps_for("nautilus", CINDER)
    assert list(caps) == ["mon", "osd", "mgr"]
    assert caps["mgr"] == "profile rbd pool=volumes, profile rbd pool=vms"
    assert "mgr" not in cephdata.caps_for("nautilus", {"images": "ro"})


def test_legacy_caps_before_luminous():
    caps = cephdata.caps_for("hammer", {"volumes": "rw", "images": "ro"})
    assert caps == {
        "mon": "allow r",
        "osd": "allow class-read object_prefix rbd_children, allow rwx pool=volumes, "
        "allow rx pool=images",
    }


def test_legacy_caps_let_jewel_clients_break_dead_locks():
    mon = cephdata.caps_for("jewel", {"v": "rw"})["mon"]
    assert mon == 'allow r, allow command "osd blacklist"'
    assert cephdata.caps_for("kraken", {"v": "rw"})["mon"].endswith('"osd blacklist"')


def test_blocklist_rename_in_pacific():
    assert cephdata.blocklist_word("octopus") == "blacklist"
    assert cephdata.blocklist_word("pacific") == "blocklist"
    forced = cephdata.caps_for("reef", {"v": "rw"}, style="legacy")
    assert forced["mon"] == 'allow r, allow command "osd blocklist"'


def test_feature_boundaries_follow_release_order():
    fam = releases.ceph()
    for rel in fam.releases:
        assert cephdata.has("rbd_pool_init", rel) == (rel >= fam.get("luminous"))
        assert cephdata.has("pg_autoscaler_on", rel) == (rel >= fam.get("octopus"))
        # "on by default" implies the autoscaler exists
        if cephdata.has("pg_autoscaler_on", rel):
            assert cephdata.has("pg_autoscaler", rel)


def test_auth_command_is_one_shell_line_that_round_trips():
    for rel in ("dumpling", "jewel", "luminous", "tentacle"):
        line = cephdata.auth_command(rel, "client.cinder", CINDER)
        assert "\n" not in line
        words = shlex.split(line)
        assert words[:4] == ["ceph", "auth", "get-or-create", "client.cinder"]
        caps = cephdata.caps_for(rel, CINDER)
        assert dict(zip(words[4::2], words[5::2], strict=True)) == caps


def test_pg_count_rule_of_thumb():
    # 9 OSDs * 100 / size 3 = 300 -> next power of two
    assert cephdata.pg_count(9, 3) == 512
    # shared by 4 pools: 75 -> 128
    assert cephdata.pg_count(9, 3, pool_count=4) == 128
    assert cephdata.pg_count(1, 3, pool_count=10) == 8  # floor
    with pytest.raises(ConfgenError):
        cephdata.pg_count(0, 3)


def test_pool_commands_per_era():
    assert cephdata.pool_commands("hammer", "volumes", 9, 3) == [
        "ceph osd pool create volumes 512 512"
    ]
    # dumpling's default size is 2: an explicit 3 must be set
    assert cephdata.pool_commands("dumpling", "volumes", 9, 3) == [
        "ceph osd pool create volumes 512 512",
        "ceph osd pool set volumes size 3",
    ]
    assert cephdata.pool_commands("luminous", "images", 3, 3) == [
        "ceph osd pool create images 128 128",
        "rbd pool init images",
    ]
    assert cephdata.pool_commands("quincy", "vms", 30) == [
        "ceph osd pool create vms",
        "rbd pool init vms",
    ]


def test_user_errors_are_confgen_errors():
    with pytest.raises(ConfgenError):
        cephdata.caps_for("reef", {"bad pool": "rw"})
    with pytest.raises(ConfgenError):
        cephdata.caps_for("reef", {"volumes": "write"})
    with pytest.raises(ConfgenError):
        cephdata.caps_for("reef", {})
    with pytest.raises(ConfgenError):
        cephdata.auth_command("reef", "cinder; rm -rf /", {"v": "rw"})
    with pytest.raises(ConfgenError):
        cephdata.caps_for("emperour-typo", {"v": "rw"})


@pytest.mark.integration
@pytest.mark.skipif(
    not shutil.which("rbd"), reason="needs the rbd CLI (apt-get install ceph-common)"
)
def test_installed_rbd_cli_agrees_on_pool_init():
    out = subprocess.run(["ceph", "--version"], capture_output=True, text=True).stdout
    release = out.split()[-2].strip("()")  # "... (618f...) pacific (stable)"
    res = subprocess.run(["rbd", "help", "pool", "init"], capture_output=True, text=True)
    assert (res.returncode == 0) == cephdata.has("rbd_pool_init", release)
