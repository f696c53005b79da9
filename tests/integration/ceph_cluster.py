"""A throw-away Ceph cluster for tests: one mon + memstore OSDs on 127.0.0.1.

Everything (conf, keyrings, mon store, OSD data, logs, sockets) lives in one temp directory;
the daemons run in the foreground as our children (no systemd), so stopping them is killing
two processes we started. Uses Debian's Ceph packages (16.2 pacific on bookworm).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-rados / python3-rbd are built for it
HERE = Path(__file__).resolve().parent
BINARIES = ("ceph-mon", "ceph-osd", "ceph", "ceph-authtool", "monmaptool", "rbd")
START_TIMEOUT = 90  # seconds; a healthy start takes a few


def missing_binaries() -> list[str]:
    return [b for b in BINARIES if shutil.which(b) is None]


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, even by SIGKILL (Linux prctl)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    root: Path
    fsid: str = field(default_factory=lambda: str(uuid.uuid4()))
    v1_port: int = field(default_factory=_free_port)
    v2_port: int = field(default_factory=_free_port)
    # Three OSDs so that pools keep Ceph's default size 3, as a rendered cephx-users.sh sets it.
    osds: int = 3
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    start_seconds: float = 0.0

    @property
    def conf(self) -> Path:
        return self.root / "ceph.conf"

    @property
    def admin_keyring(self) -> Path:
        return self.root / "client.admin.keyring"

    @property
    def mon_host(self) -> str:
        """The monitor as an OpenStack node's ceph.conf would name it (legacy v1 address)."""
        return f"127.0.0.1:{self.v1_port}"

    # -- running commands ---------------------------------------------------------------

    def env(self) -> dict[str, str]:
        """Environment in which a plain `ceph ...` / `rbd ...` talks to this cluster as admin."""
        env = dict(os.environ)
        env["CEPH_CONF"] = str(self.conf)
        env["CEPH_ARGS"] = f"--keyring {self.admin_keyring}"
        return env

    def ceph(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        res = subprocess.run(
            ["ceph", "--connect-timeout", "20", *args],
            env=self.env(), capture_output=True, text=True, timeout=60,
        )
        if check and res.returncode != 0:
            raise RuntimeError(f"ceph {' '.join(args)} failed: {res.stderr.strip()}")
        return res

    def ceph_json(self, *args: str) -> object:
        return json.loads(self.ceph(*args, "--format", "json").stdout)

    def key(self, entity: str) -> str:
        return self.ceph("auth", "get-key", entity).stdout.strip()

    def keyring_for(self, entity: str) -> Path:
        """Write a keyring file holding `entity`'s key (as created in the cluster)."""
        path = self.root / f"{entity}.keyring"
        path.write_text(f"[{entity}]\n\tkey = {self.key(entity)}\n")
        return path

    # -- lifecycle ------------------------------------------------------------------------

    def _write_conf(self) -> None:
        r = self.root
        for d in ("mon/a", "run", "log", *(f"osd/{i}" for i in range(self.osds))):
            (r / d).mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            f"""[global]
fsid = {self.fsid}
mon_host = [v2:127.0.0.1:{self.v2_port},v1:127.0.0.1:{self.v1_port}]
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv4 = true
ms_bind_ipv6 = false
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
run_dir = {r}/run
admin_socket = {r}/run/$cluster-$name.asok
pid_file = {r}/run/$name.pid
log_file = {r}/log/$name.log
mon_cluster_log_file = {r}/log/cluster.log
crash_dir = {r}/crash
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
# all OSDs share one host: replicate across OSDs, not hosts
osd_crush_chooseleaf_type = 0
mon_allow_pool_delete = true
# the mon store shares the host's /tmp: its free space is not what these tests are about
mon_data_avail_warn = 1
auth_allow_insecure_global_id_reclaim = false

[mon.a]
mon_data = {r}/mon/a
keyring = {r}/mon/a/keyring

[osd]
osd_data = {r}/osd/$id
keyring = {r}/osd/$id/keyring
osd_objectstore = memstore
memstore_device_bytes = 1073741824
osd_crush_update_on_start = true

[client.admin]
keyring = {self.admin_keyring}
"""
        )

    def _run(self, *cmd: str) -> str:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {res.stderr.strip()}")
        return res.stdout

    def _daemon(self, name: str, *cmd: str) -> None:
        log = open(self.root / "log" / f"{name}.stderr", "wb")  # noqa: SIM115 (kept open)
        self.procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                           preexec_fn=_die_with_parent))

    def start(self) -> None:
        t0 = time.monotonic()
        self._write_conf()
        r, c = self.root, str(self.conf)
        mon_keyring = r / "mon.keyring"
        self._run("ceph-authtool", "--create-keyring", str(mon_keyring), "--gen-key",
                  "-n", "mon.", "--cap", "mon", "allow *")
        self._run("ceph-authtool", "--create-keyring", str(self.admin_keyring), "--gen-key",
                  "-n", "client.admin", "--cap", "mon", "allow *", "--cap", "osd", "allow *",
                  "--cap", "mgr", "allow *", "--cap", "mds", "allow *")
        self._run("ceph-authtool", str(mon_keyring), "--import-keyring", str(self.admin_keyring))
        monmap = r / "monmap"
        self._run("monmaptool", "--create", "--fsid", self.fsid, "--addv", "a",
                  f"[v2:127.0.0.1:{self.v2_port},v1:127.0.0.1:{self.v1_port}]", str(monmap))
        self._run("ceph-mon", "-c", c, "-i", "a", "--mkfs", "--monmap", str(monmap),
                  "--keyring", str(mon_keyring))
        self._daemon("mon.a", "ceph-mon", "-c", c, "-i", "a", "-f")

        for i in range(self.osds):
            self._add_osd(i)
        self._wait_osds_up(t0)
        self.start_seconds = time.monotonic() - t0

    def _add_osd(self, i: int) -> None:
        """Register an OSD with a key we choose, then mkfs and start it."""
        r, c = self.root, str(self.conf)
        osd_uuid = str(uuid.uuid4())
        osd_key = self._run("ceph-authtool", "--gen-print-key").strip()
        secrets = r / f"osd-{i}-secrets.json"
        secrets.write_text(json.dumps({"cephx_secret": osd_key}))
        osd_id = self.ceph("osd", "new", osd_uuid, "-i", str(secrets)).stdout.strip()
        if osd_id != str(i):
            raise RuntimeError(f"expected osd id {i}, got {osd_id!r}")
        self._run("ceph-authtool", "--create-keyring", str(r / f"osd/{i}/keyring"),
                  "--name", f"osd.{i}", "--add-key", osd_key)
        self._run("ceph-osd", "-c", c, "-i", str(i), "--mkfs", "--osd-uuid", osd_uuid)
        self._daemon(f"osd.{i}", "ceph-osd", "-c", c, "-i", str(i), "-f")

    def _wait_osds_up(self, t0: float) -> None:
        while time.monotonic() - t0 < START_TIMEOUT:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"{p.args[0]} exited with {p.returncode}: {self.logs()}")
            dump = self.ceph_json("osd", "dump")
            osds = dump["osds"]  # type: ignore[index]
            if len(osds) == self.osds and all(o["up"] == 1 and o["in"] == 1 for o in osds):
                return
            time.sleep(0.5)
        raise RuntimeError(f"OSDs not up after {START_TIMEOUT}s: {self.logs()}")

    def logs(self, tail: int = 2000) -> str:
        out = []
        for f in sorted((self.root / "log").glob("*")):
            out.append(f"--- {f.name}\n{f.read_text(errors='replace')[-tail:]}")
        return "\n".join(out)

    def create_pool(self, name: str, app: str = "rbd") -> None:
        self.ceph("osd", "pool", "create", name, "8", "8")
        self.ceph("osd", "pool", "application", "enable", name, app)

    def stop(self) -> None:
        # OSD first, so it can tell the (still running) mon that it goes down.
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=15)
        self.procs.clear()


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
    keyring: Path | str = "-"  # "-": the keyring the conf names
    etc_ceph: Path | None = None  # run with this directory mounted over /etc/ceph

    def argv(self, op: str, *args: str) -> list[str]:
        cmd = [SYSTEM_PYTHON, str(HERE / "rbd_client.py"), str(self.conf), self.entity,
               str(self.keyring), op, *args]
        return in_etc_ceph(self.etc_ceph, cmd) if self.etc_ceph else cmd

    def __call__(self, op: str, *args: str) -> Result:
        res = subprocess.run(self.argv(op, *args), capture_output=True, text=True, timeout=120)
        if res.returncode not in (0, 3):
            raise RuntimeError(f"rbd_client {op} {args} crashed ({res.returncode}): {res.stderr}")
        data = json.loads(res.stdout.strip().splitlines()[-1])
        return Result(res.returncode == 0, data, data.get("errno") if res.returncode else None)


def in_etc_ceph(etc_ceph: Path, cmd: list[str]) -> list[str]:
    """`cmd` run in a private mount namespace where `etc_ceph` is /etc/ceph, so rendered files
    run unchanged (their /etc/ceph paths) without touching the host's /etc/ceph."""
    return ["unshare", "--mount", "sh", "-c", 'mount --bind "$0" /etc/ceph && exec "$@"',
            str(etc_ceph), *cmd]


def dead_lock_holder(client: RbdClient, pool: str, image: str) -> None:
    """Take the image's exclusive lock in a process, then kill it (a crashed hypervisor)."""
    proc = subprocess.Popen(client.argv("hold-lock", pool, image), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert json.loads(line or "{}").get("locked"), proc.stderr.read() if proc.stderr else ""
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
