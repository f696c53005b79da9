"""Fixtures for the real-components suite: a throw-away Ceph cluster and an RBD client runner."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # ceph_cluster lives beside this file (tests/ is not a package)

from ceph_cluster import Cluster, missing_binaries  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-rados / python3-rbd are built for it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.integration)


@dataclass
class Result:
    ok: bool
    data: dict
    errno: int | None

    @property
    def denied(self) -> bool:
        # EPERM (1) or EACCES (13): what Ceph answers when the caps do not allow it
        return not self.ok and self.errno in (1, 13)


@dataclass
class RbdClient:
    """Runs tests/integration/rbd_client.py as one cephx user with a given ceph.conf."""

    conf: Path
    entity: str
    keyring: Path

    def argv(self, op: str, *args: str) -> list[str]:
        return [SYSTEM_PYTHON, str(HERE / "rbd_client.py"), str(self.conf), self.entity,
                str(self.keyring), op, *args]

    def __call__(self, op: str, *args: str) -> Result:
        res = subprocess.run(self.argv(op, *args), capture_output=True, text=True, timeout=120)
        if res.returncode not in (0, 3):
            raise RuntimeError(f"rbd_client {op} {args} crashed ({res.returncode}): {res.stderr}")
        data = json.loads(res.stdout.strip().splitlines()[-1])
        return Result(res.returncode == 0, data, data.get("errno") if res.returncode else None)


def _system_rados_ok() -> bool:
    try:
        res = subprocess.run([SYSTEM_PYTHON, "-c", "import rados, rbd"], capture_output=True,
                             timeout=30)
    except OSError:
        return False
    return res.returncode == 0


@pytest.fixture(scope="session")
def ceph_cluster(need) -> Iterator[Cluster]:
    """One mon + one memstore OSD on 127.0.0.1, cephx on, removed afterwards even on failure."""
    missing = missing_binaries()
    need(not missing, f"Ceph daemons/tools not installed: {', '.join(missing)} "
         "(apt-get install ceph-mon ceph-osd ceph-common)")
    need(_system_rados_ok(), f"{SYSTEM_PYTHON} cannot import rados/rbd "
         "(apt-get install python3-rados python3-rbd)")
    # A short path under /tmp: the admin sockets must fit in a unix socket path.
    root = Path(tempfile.mkdtemp(prefix="confgen-ceph-"))
    cluster = Cluster(root)
    try:
        cluster.start()
        print(f"\nceph cluster {cluster.fsid} up in {cluster.start_seconds:.1f}s at {root}")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def admin_client(ceph_cluster: Cluster) -> RbdClient:
    return RbdClient(ceph_cluster.conf, "client.admin", ceph_cluster.admin_keyring)
