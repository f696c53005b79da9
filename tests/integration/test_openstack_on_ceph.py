"""Rendered files against a real Ceph cluster: each service's user does what the service does.

confgen renders for OpenStack 2026.1 on Ceph pacific (the Ceph Debian ships) with an intent
naming the throw-away cluster. The rendered cephx-users.sh runs unchanged (inside a mount
namespace where /etc/ceph is a temp directory); the services' operations then run with the
rendered ceph.conf at /etc/ceph/ceph.conf and the keyrings the script wrote, as the users the
rendered glance/cinder/nova files name.
"""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from ceph_cluster import RbdClient, dead_lock_holder, in_etc_ceph
from rendered import one

RELEASE, CEPH_RELEASE = "2026.1", "pacific"


def intent(cluster) -> str:
    return f"""release = {RELEASE}
[ceph]
release = {CEPH_RELEASE}
fsid = {cluster.fsid}
mon_host = {cluster.mon_host}
public_network = 127.0.0.0/8
osd_count = {cluster.osds}
"""


@dataclass
class Deployment:
    out: Path
    etc_ceph: Path
    script: subprocess.CompletedProcess[str]

    def client(self, user: str) -> RbdClient:
        return RbdClient(Path("/etc/ceph/ceph.conf"), f"client.{user}", "-", self.etc_ceph)


@pytest.fixture(scope="session")
def deployed(ceph_cluster, render, etc_ceph_namespace, tmp_path_factory) -> Deployment:
    out = render("ceph-cluster", intent(ceph_cluster), "--only", "ceph,glance,cinder")
    etc = tmp_path_factory.mktemp("etc-ceph")
    shutil.copy(out / "ceph" / "ceph.conf", etc / "ceph.conf")
    # The admin side: `ceph`/`rbd` find the cluster through CEPH_CONF/CEPH_ARGS, as an operator's
    # shell on a Ceph node would through its own /etc/ceph.
    script = subprocess.run(
        in_etc_ceph(etc, ["sh", str(out / "ceph" / "cephx-users.sh")]),
        env=ceph_cluster.env(), capture_output=True, text=True, timeout=600,
    )
    return Deployment(out, etc, script)


# role: (rendered file, option naming its cephx user, option naming its pool, the pool's purpose)
ROLES = {
    "glance": ("glance/glance-api.conf", "rbd_store_user", "rbd_store_pool", "images"),
    "cinder": ("cinder/cinder.conf", "rbd_user", "rbd_pool", "volumes"),
    "backup": ("cinder/cinder.conf", "backup_ceph_user", "backup_ceph_pool", "backups"),
}


@pytest.fixture(scope="session")
def users(deployed) -> dict[str, str]:
    """The cephx user each service's rendered file names."""
    return {role: one(deployed.out / f, opt) for role, (f, opt, _, _) in ROLES.items()}


@pytest.fixture(scope="session")
def pools(deployed) -> dict[str, str]:
    """The pool each purpose (images, volumes, backups) gets in the rendered files."""
    return {purpose: one(deployed.out / f, opt) for f, _, opt, purpose in ROLES.values()}


@pytest.fixture(scope="session")
def glance_image(deployed, users, pools) -> str:
    """An image uploaded the way glance's rbd store does it: write, snapshot, protect."""
    glance = deployed.client(users["glance"])
    res = glance("write-image", pools["images"], "cirros")
    assert res.ok and res.data["read_back"], res.data
    res = glance("snap-protect", pools["images"], "cirros", "snap")
    assert res.ok and res.data["protected"], res.data
    return "cirros"


def test_cephx_script_runs_unchanged(deployed, ceph_cluster, users, pools) -> None:
    assert deployed.script.returncode == 0, deployed.script.stdout + deployed.script.stderr
    for user in users.values():
        keyring = deployed.etc_ceph / f"ceph.client.{user}.keyring"
        assert keyring.is_file(), sorted(p.name for p in deployed.etc_ceph.iterdir())
        assert ceph_cluster.key(f"client.{user}") in keyring.read_text()
    detail = {p["pool_name"]: p for p in ceph_cluster.ceph_json("osd", "pool", "ls", "detail")}
    for pool in pools.values():
        assert pool in detail, sorted(detail)
        assert "rbd" in detail[pool]["application_metadata"], detail[pool]


def test_glance_writes_snapshots_and_protects(glance_image) -> None:
    assert glance_image == "cirros"


def test_cinder_clones_image_into_volume_copy_on_write(deployed, users, pools, glance_image):
    cinder = deployed.client(users["cinder"])
    res = cinder("clone", pools["images"], glance_image, "snap", pools["volumes"], "vol-from-img")
    assert res.ok, res.data
    assert res.data["parent"][0] == pools["images"] and res.data["read_back"], res.data


def test_cinder_creates_and_deletes_a_volume(deployed, users, pools) -> None:
    cinder = deployed.client(users["cinder"])
    assert cinder("write-image", pools["volumes"], "volume-1").ok
    res = cinder("remove", pools["volumes"], "volume-1")
    assert res.ok and "volume-1" not in res.data["images"], res.data


def test_backup_user_writes_backups(deployed, users, pools) -> None:
    backup = deployed.client(users["backup"])
    res = backup("write-image", pools["backups"], "volume-1.backup.base")
    assert res.ok and res.data["read_back"], res.data


def test_glance_cannot_write_volumes(deployed, users, pools) -> None:
    res = deployed.client(users["glance"])("write-image", pools["volumes"], "intruder")
    assert res.denied, res.data


def test_cinder_cannot_write_images(deployed, users, pools, glance_image) -> None:
    cinder = deployed.client(users["cinder"])
    assert cinder("read-image", pools["images"], glance_image).ok  # reading is its job
    assert cinder("write-image", pools["images"], "intruder").denied


def test_backup_user_cannot_touch_volumes(deployed, users, pools) -> None:
    backup = deployed.client(users["backup"])
    deployed.client(users["cinder"])("write-image", pools["volumes"], "volume-2")
    assert backup("write-image", pools["volumes"], "intruder").denied
    assert backup("read-image", pools["volumes"], "volume-2").denied


def test_rendered_caps_can_blocklist_adead_lock_holder(deployed, ceph_cluster, users, pools):
    cinder = deployed.client(users["cinder"])
    assert cinder("write-image", pools["volumes"], "locked-vol").ok
    dead_lock_holder(cinder, pools["volumes"], "locked-vol")
    before = ceph_cluster.ceph("osd", "blocklist", "ls").stdout
    res = cinder("break-lock", pools["volumes"], "locked-vol")
    assert res.ok and res.data["broken"], res.data
    after = ceph_cluster.ceph("osd", "blocklist", "ls").stdout
    assert len(after.splitlines()) > len(before.splitlines()), after


def test_caps_without_blocklist_right_cannot_break_the_lock(deployed, ceph_cluster, pools):
    """Control for the test above: pre-jewel style caps (no blocklist command) are refused."""
    ceph_cluster.ceph("auth", "get-or-create", "client.legacy", "mon", "allow r",
                      "osd", f"allow rwx pool={pools['volumes']}")
    keyring = ceph_cluster.keyring_for("client.legacy")
    legacy = RbdClient(ceph_cluster.conf, "client.legacy", keyring)
    assert legacy("write-image", pools["volumes"], "legacy-vol").ok
    dead_lock_holder(legacy, pools["volumes"], "legacy-vol")
    res = legacy("break-lock", pools["volumes"], "legacy-vol")
    assert res.denied, res.data


# -- ceph.conf as librados reads it ----------------------------------------------------------

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def _norm(value: str) -> str:
    v = value.strip().strip('"').lower()
    if v in _TRUE:
        return "true"
    if v in _FALSE:
        return "false"
    return v


def test_rendered_ceph_conf_reads_back_through_librados(deployed, ceph_cluster) -> None:
    conf = deployed.out / "ceph" / "ceph.conf"
    # what the intent asked for, as librados sees it
    intended = {"fsid": ceph_cluster.fsid, "mon_host": ceph_cluster.mon_host,
                "auth_client_required": "cephx", "rbd_cache": "true"}
    seen = RbdClient(conf, "client.cinder", "-")("conf-get", json.dumps(sorted(intended)))
    assert seen.ok and seen.data == intended, seen.data
    cp = configparser.RawConfigParser(strict=False, default_section="__none__")
    cp.read(conf)
    checked = 0
    for section in cp.sections():
        entity = section if section.startswith("client.") else "client.confgen-probe"
        wanted = dict(cp[section])
        client = RbdClient(conf, entity, "-")
        res = client("conf-get", json.dumps(sorted(wanted)))
        assert res.ok, res.data
        for key, value in wanted.items():
            assert _norm(res.data[key]) == _norm(value), f"[{section}] {key}"
            checked += 1
    assert checked >= 5


# -- nova (rendered separately: nova.conf has its own data, and nova uses cinder's user) ------


@pytest.fixture(scope="session")
def nova_conf(ceph_cluster, render, deployed) -> Path:
    return render("ceph-cluster-nova", intent(ceph_cluster), "--only", "nova") / "nova/nova.conf"


def test_nova_creates_instance_disk_in_vms(deployed, nova_conf) -> None:
    nova = deployed.client(one(nova_conf, "rbd_user"))
    res = nova("write-image", one(nova_conf, "images_rbd_pool"), "instance-1_disk")
    assert res.ok and res.data["read_back"], res.data


def test_nova_clones_glance_image_for_ephemeral_disk(deployed, nova_conf, pools, glance_image):
    nova = deployed.client(one(nova_conf, "rbd_user"))
    vms = one(nova_conf, "images_rbd_pool")
    res = nova("clone", pools["images"], glance_image, "snap", vms, "instance-2_disk")
    assert res.ok and res.data["parent"][0] == pools["images"], res.data


def test_nova_and_cinder_name_the_same_libvirt_secret(deployed, nova_conf) -> None:
    cinder = deployed.out / "cinder" / "cinder.conf"
    assert one(nova_conf, "rbd_secret_uuid") == one(cinder, "rbd_secret_uuid")
