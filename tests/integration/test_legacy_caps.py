"""A pre-luminous set-up (caps without profiles, explicit PG counts) run against the pacific
cluster: what an operator who upgraded Ceph under an old OpenStack still has.

The same cluster as test_openstack_on_ceph, with other pool and user names so the two
set-ups do not meet. It checks cephx.toml's legacy facts on a real Ceph: the legacy caps do
their job, and the legacy `allow command "osd blacklist"` mon cap no longer lets a pacific
client block-list a dead lock holder (pacific's librbd sends `osd blocklist`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from ceph_cluster import RbdClient, dead_lock_holder, in_etc_ceph

RELEASE, CEPH_RELEASE = "newton", "jewel"


def intent(cluster) -> str:
    return f"""release = {RELEASE}
[ceph]
release = {CEPH_RELEASE}
fsid = {cluster.fsid}
mon_host = {cluster.mon_host}
osd_count = {cluster.osds}
[glance]
pool = j-images
user = j-glance
[cinder]
[[backends]]
[[[ceph]]]
pool = j-volumes
user = j-cinder
[cinder_backup]
pool = j-backups
user = j-backup
[nova]
pool = j-vms
user = j-cinder
"""


@pytest.fixture(scope="module")
def legacy(ceph_cluster, render, etc_ceph_namespace, tmp_path_factory):
    out = render("legacy", intent(ceph_cluster), "--only", "ceph,glance,cinder")
    script = (out / "ceph" / "cephx-users.sh").read_text()
    assert "profile rbd" not in script and 'allow command "osd blacklist"' in script
    etc = tmp_path_factory.mktemp("etc-ceph-legacy")
    shutil.copy(out / "ceph" / "ceph.conf", etc / "ceph.conf")
    res = subprocess.run(in_etc_ceph(etc, ["sh", str(out / "ceph" / "cephx-users.sh")]),
                         env=ceph_cluster.env(), capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr

    def client(user: str) -> RbdClient:
        return RbdClient(Path("/etc/ceph/ceph.conf"), f"client.{user}", "-", etc)

    return client


def test_legacy_caps_do_the_services_work(legacy) -> None:
    glance, cinder, backup = legacy("j-glance"), legacy("j-cinder"), legacy("j-backup")
    assert glance("write-image", "j-images", "img").ok
    assert glance("snap-protect", "j-images", "img", "snap").ok
    res = cinder("clone", "j-images", "img", "snap", "j-volumes", "vol")
    assert res.ok and res.data["parent"][0] == "j-images", res.data
    assert backup("write-image", "j-backups", "bk").ok


def test_legacy_caps_keep_least_privilege(legacy) -> None:
    assert legacy("j-glance")("write-image", "j-volumes", "intruder").denied
    assert legacy("j-cinder")("write-image", "j-images", "intruder").denied
    assert legacy("j-backup")("read-image", "j-volumes", "vol").denied


def test_legacy_blacklist_cap_does_not_cover_pacific_blocklist(legacy) -> None:
    cinder = legacy("j-cinder")
    assert cinder("write-image", "j-volumes", "locked").ok
    dead_lock_holder(cinder, "j-volumes", "locked")
    res = cinder("break-lock", "j-volumes", "locked")
    assert res.denied, res.data
