"""Fixtures for the real-components suite: a throw-away Ceph cluster and an RBD client runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # ceph_cluster lives beside this file (tests/ is not a package)

from ceph_cluster import SYSTEM_PYTHON, Cluster, RbdClient, in_etc_ceph, missing_binaries  # noqa: E402,I001


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.integration)


def _mount_namespace_ok() -> bool:
    if shutil.which("unshare") is None or not Path("/etc/ceph").is_dir():
        return False
    probe = in_etc_ceph(Path(tempfile.gettempdir()), ["true"])
    return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0


@pytest.fixture(scope="session")
def etc_ceph_namespace(need) -> None:
    need(_mount_namespace_ok(), "cannot mount over /etc/ceph in a private mount namespace "
         "(needs root, util-linux unshare and /etc/ceph from ceph-common)")


def _system_rados_ok() -> bool:
    try:
        res = subprocess.run([SYSTEM_PYTHON, "-c", "import rados, rbd"], capture_output=True,
                             timeout=30)
    except OSError:
        return False
    return res.returncode == 0


@pytest.fixture(scope="session")
def ceph_cluster(need) -> Iterator[Cluster]:
    """One mon + three memstore OSDs on 127.0.0.1, cephx on, removed afterwards even on failure."""
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
def render(tmp_path_factory: pytest.TempPathFactory):
    """`render(label, intent_text, *args)` -> the --output directory of a real `confgen render`."""
    confgen = Path(sys.executable).with_name("confgen")

    def _render(label: str, intent: str | None, *args: str) -> Path:
        work = tmp_path_factory.mktemp(f"render-{label}")
        cmd = [str(confgen), "render", "--output", str(work / "out"), *args]
        if intent is not None:
            (work / "confgen.ini").write_text(intent)
            cmd += ["--intent", str(work / "confgen.ini")]
        res = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, f"{' '.join(cmd)}:\n{res.stdout}\n{res.stderr}"
        return work / "out"

    return _render


@pytest.fixture(scope="session")
def admin_client(ceph_cluster: Cluster) -> RbdClient:
    return RbdClient(ceph_cluster.conf, "client.admin", ceph_cluster.admin_keyring)
