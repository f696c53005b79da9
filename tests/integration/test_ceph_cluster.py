"""Smoke test of the throw-away cluster itself, before anything of confgen's runs against it."""

from __future__ import annotations


def test_cluster_is_healthy(ceph_cluster) -> None:
    status = ceph_cluster.ceph_json("status")
    assert status["health"]["status"] == "HEALTH_OK", status["health"]
    assert status["fsid"] == ceph_cluster.fsid
    assert status["osdmap"]["num_up_osds"] == ceph_cluster.osds == 3
    assert ceph_cluster.ceph("auth", "get", "client.admin").returncode == 0


def test_daemons_bind_loopback_only(ceph_cluster) -> None:
    mon = ceph_cluster.ceph_json("mon", "dump")["mons"][0]
    addrs = [a["addr"] for a in mon["public_addrs"]["addrvec"]]
    for osd in ceph_cluster.ceph_json("osd", "dump")["osds"]:
        for key in ("public_addrs", "cluster_addrs", "heartbeat_back_addrs",
                    "heartbeat_front_addrs"):
            addrs += [a["addr"] for a in osd[key]["addrvec"]]
    assert addrs and all(a.startswith("127.0.0.1:") for a in addrs), addrs


def test_pool_and_image_with_python_rbd(ceph_cluster, admin_client) -> None:
    ceph_cluster.create_pool("smoke")
    res = admin_client("write-image", "smoke", "disk")
    assert res.ok and res.data["read_back"], res.data
    assert admin_client("read-image", "smoke", "disk").data["read_back"]
    assert admin_client("read-image", "smoke", "no-such-disk").ok is False
    assert admin_client("remove", "smoke", "disk").data["images"] == []
