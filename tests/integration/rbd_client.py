"""Do what an OpenStack service does with RBD, as one cephx user. Runs under /usr/bin/python3.

Debian's python3-rados / python3-rbd are built for the system Python, not for the project's
virtualenv, so the tests call this script in a subprocess instead of importing them:

    /usr/bin/python3 rbd_client.py CONF ENTITY KEYRING OP [ARGS...]

KEYRING "-" keeps the keyring CONF names (the tests run inside a mount namespace in which
/etc/ceph holds the rendered ceph.conf and the keyrings the rendered cephx-users.sh wrote).

It prints one JSON object. Exit 0 on success; exit 3 with {"errno": N, "error": "..."} when
Ceph refused (permission denied is errno 1 or 13), so tests can assert least privilege.
"""

from __future__ import annotations

import json
import sys
import time

import rados
import rbd

MiB = 1 << 20
PATTERN = b"confgen-integration-" * 100


def connect(conf: str, entity: str, keyring: str) -> rados.Rados:
    overrides = {"client_mount_timeout": "20"}
    if keyring != "-":
        overrides["keyring"] = keyring
    cluster = rados.Rados(conffile=conf, name=entity, conf=overrides)
    cluster.connect(timeout=20)
    return cluster


def write_image(cluster, pool, name, size_mib="8"):
    """Create an image and write to it (glance upload / nova instance disk / cinder volume)."""
    with cluster.open_ioctx(pool) as io:
        rbd.RBD().create(io, name, int(size_mib) * MiB, old_format=False,
                         features=rbd.RBD_FEATURE_LAYERING | rbd.RBD_FEATURE_EXCLUSIVE_LOCK)
        with rbd.Image(io, name) as img:
            img.write(PATTERN, 0)
            return {"read_back": img.read(0, len(PATTERN)) == PATTERN}


def snap_protect(cluster, pool, name, snap="snap"):
    """What glance does after an upload: snapshot the image and protect the snapshot."""
    with cluster.open_ioctx(pool) as io, rbd.Image(io, name) as img:
        img.create_snap(snap)
        img.protect_snap(snap)
        return {"protected": img.is_protected_snap(snap)}


def clone(cluster, src_pool, src, snap, dst_pool, dst):
    """Cinder/nova copy-on-write: clone the protected image snapshot into another pool."""
    with cluster.open_ioctx(src_pool) as src_io, cluster.open_ioctx(dst_pool) as dst_io:
        rbd.RBD().clone(src_io, src, snap, dst_io, dst, features=rbd.RBD_FEATURE_LAYERING)
        with rbd.Image(dst_io, dst) as img:
            parent = img.parent_info()
            return {"parent": list(parent), "read_back": img.read(0, len(PATTERN)) == PATTERN}


def remove(cluster, pool, name):
    with cluster.open_ioctx(pool) as io:
        rbd.RBD().remove(io, name)
        return {"images": rbd.RBD().list(io)}


def read_image(cluster, pool, name):
    with cluster.open_ioctx(pool) as io, rbd.Image(io, name, read_only=True) as img:
        return {"read_back": img.read(0, len(PATTERN)) == PATTERN}


def hold_lock(cluster, pool, name):
    """Take the image's exclusive lock, say so, then wait to be killed (a dying compute node)."""
    with cluster.open_ioctx(pool) as io, rbd.Image(io, name) as img:
        img.lock_acquire(rbd.RBD_LOCK_MODE_EXCLUSIVE)
        print(json.dumps({"locked": True, "addr": cluster.get_addrs()}), flush=True)
        while True:
            time.sleep(60)


def break_lock(cluster, pool, name):
    """What librbd does when the lock holder is dead: break its lock, block-listing it."""
    with cluster.open_ioctx(pool) as io, rbd.Image(io, name) as img:
        owners = list(img.lock_get_owners())
        for owner in owners:
            img.lock_break(owner["mode"], owner["owner"])
        img.write(PATTERN, 0)  # and the new owner can write
        return {"broken": [o["owner"] for o in owners]}


def conf_get(conf, entity, keys_json):
    """The values librados reads from CONF for ENTITY (no connection needed)."""
    cluster = rados.Rados(conffile=conf, name=entity)
    return {k: cluster.conf_get(k) for k in json.loads(keys_json)}


OPS = {f.__name__.replace("_", "-"): f for f in
       (write_image, snap_protect, clone, remove, read_image, hold_lock, break_lock)}


def main(argv: list[str]) -> int:
    conf, entity, keyring, op, *args = argv
    try:
        if op == "conf-get":
            result = conf_get(conf, entity, *args)
        else:
            cluster = connect(conf, entity, keyring)
            try:
                result = OPS[op](cluster, *args)
            finally:
                cluster.shutdown()
    except (rados.Error, rbd.Error) as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}",
                          "errno": getattr(exc, "errno", None)}))
        return 3
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
