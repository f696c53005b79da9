"""The Ansible collection with the real ansible-core (from PyPI, a cached venv) against an
inventory of four hosts: sshd instances on 127.0.0.1 (Debian's openssh-server), each on its
own port with its own root directory holding its /etc. The README's inventory and playbook
run verbatim; a second inventory adds only each host's port, root (confgen_etc) and the key.

    ctl1  glance, cinder, nova, ceph as rendered: clean
    cmp1  nova + ceph, another rbd_secret_uuid than the rest: passes, named as the outlier
    cmp2  nova + ceph, a world-readable keyring: fails (CG503; modes survive the fetch)
    cmp3  nova + ceph, images_type in [DEFAULT] (CG202 error): confgen_fix=true in the README's
          inventory, so the playbook repairs it (check mode: only predicts and shows the diff)
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_venvs import Offline, ansible_venv

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SSHD = Path("/usr/sbin/sshd")
HOSTS = ("ctl1", "cmp1", "cmp2", "cmp3")
SITE = """release = 2024.1
[ceph]
release = reef
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.1, 10.0.0.2, 10.0.0.3
"""
ODD_UUID = "11111111-2222-3333-4444-555555555555"


def readme_block(marker: str) -> str:
    text = (REPO / "README.md").read_text()
    m = re.search(rf"<!-- {re.escape(marker)} -->\n```\w*\n(.*?)```", text, re.S)
    assert m, f"README.md has no code block after <!-- {marker} -->"
    return m.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"sshd on port {port} did not listen: {log.read_text()[-2000:]}")


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _confgen(*args: str) -> None:
    subprocess.run([str(BIN / "confgen"), *args], check=True, capture_output=True, timeout=120)


def _build_hosts(root: Path) -> dict[str, Path]:
    site = root / "site.ini"
    site.write_text(SITE)
    etcs = {}
    for h in HOSTS:
        etc = root / "hosts" / h / "etc"
        _confgen("render", "--intent", str(site), "-o", str(etc),
                 *(() if h == "ctl1" else ("--only", "nova,ceph")))
        keyring = etc / "ceph" / "ceph.client.cinder.keyring"
        keyring.write_text("[client.cinder]\n\tkey = AQBzdGVzdGtleWZvcmNvbmZnZW4xMjM0NTY3OA==\n")
        keyring.chmod(0o600)
        etcs[h] = etc
    nova = etcs["cmp1"] / "nova/nova.conf"
    text = nova.read_text()
    old = next(ln for ln in text.splitlines() if ln.startswith("rbd_secret_uuid"))
    nova.write_text(text.replace(old, f"rbd_secret_uuid = {ODD_UUID}"))
    (etcs["cmp2"] / "ceph/ceph.client.cinder.keyring").chmod(0o644)
    with open(etcs["cmp3"] / "nova/nova.conf", "a") as fh:
        fh.write("\n[DEFAULT]\nimages_type = rbd\n")
    return etcs


class Fleet:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.etcs = _build_hosts(root)
        self.procs: list[subprocess.Popen] = []
        self.key = root / "id_ed25519"
        self.ports: dict[str, int] = {}

    def start(self) -> None:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.key)],
                       check=True, timeout=60)
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation directory
        for h in HOSTS:
            d = self.root / "sshd" / h
            d.mkdir(parents=True)
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            str(d / "host_key")], check=True, timeout=60)
            shutil.copy(self.key.with_suffix(".pub"), d / "authorized_keys")
            port = _free_port()
            (d / "sshd_config").write_text(
                f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\n"
                f"PidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\n"
                "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
                "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
                "Subsystem sftp /usr/lib/openssh/sftp-server\n")
            log = d / "sshd.log"
            proc = subprocess.Popen([str(SSHD), "-D", "-f", str(d / "sshd_config"), "-E",
                                     str(log)], start_new_session=True)
            self.procs.append(proc)
            _wait_port(port, proc, log)
            self.ports[h] = port

    def stop(self) -> None:
        for proc in self.procs:
            # sessions are in sessions of their own (setsid): end them by ancestry, then the
            # listener
            for pid in _descendants(proc.pid):
                try:
                    os.kill(pid, 15)
                except ProcessLookupError:
                    pass
            proc.terminate()
            proc.wait(timeout=30)

    def connection_inventory(self) -> Path:
        lines = ["[openstack]"]
        for h in HOSTS:
            lines.append(f"{h} ansible_host=127.0.0.1 ansible_port={self.ports[h]} "
                         f"confgen_etc={self.etcs[h]}")
        lines += ["", "[all:vars]", f"ansible_ssh_private_key_file={self.key}",
                  "ansible_ssh_common_args='-o StrictHostKeyChecking=no "
                  "-o UserKnownHostsFile=/dev/null'",
                  "ansible_python_interpreter=/usr/bin/python3"]
        p = self.root / "connection.ini"
        p.write_text("\n".join(lines) + "\n")
        return p


@pytest.fixture(scope="module")
def ansible(need) -> Path:
    try:
        env = ansible_venv()
    except Offline as exc:
        need(False, f"cannot install ansible-core from PyPI: {exc}")
    return env / "bin"


@pytest.fixture(scope="module")
def fleet(need, tmp_path_factory) -> Iterator[Fleet]:
    need(SSHD.exists(), "sshd not installed (apt-get install openssh-server)")
    need(os.geteuid() == 0, "sshd instances for the test hosts need root")
    f = Fleet(tmp_path_factory.mktemp("ansible"))
    try:
        f.start()
        yield f
    finally:
        f.stop()


@pytest.fixture(scope="module")
def project(fleet: Fleet) -> Path:
    """The README's inventory and playbook, verbatim, in a project directory."""
    d = fleet.root / "project"
    d.mkdir()
    (d / "inventory.ini").write_text(readme_block("test:ansible-inventory"))
    (d / "site.yml").write_text(readme_block("test:ansible-playbook"))
    return d


def play(ansible: Path, fleet: Fleet, project: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ,
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # confgen, as installed
           "ANSIBLE_COLLECTIONS_PATH": subprocess.run(
               [str(BIN / "confgen"), "ansible-path"], capture_output=True, text=True,
               check=True).stdout.strip(),
           "ANSIBLE_LOCAL_TEMP": str(fleet.root / "ansible-local"),
           "ANSIBLE_REMOTE_TEMP": str(fleet.root / "ansible-remote"),
           "ANSIBLE_PIPELINING": "1",
           "ANSIBLE_SSH_ARGS": "-o ControlMaster=no",  # no multiplexer outliving the test
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
           "ANSIBLE_HOME": str(fleet.root / "ansible-home")}
    cmd = [str(ansible / "ansible-playbook"), "-i", "inventory.ini", "-i",
           str(fleet.connection_inventory()), "site.yml", *extra]
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True,
                          timeout=600)


def recap(out: str) -> dict[str, dict[str, int]]:
    rows = {}
    for m in re.finditer(r"^(\w+)\s+: ((?:\w+=\d+\s*)+)$", out, re.M):
        rows[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
    return rows


def test_ansible_doc_documents_both_plugins(ansible):
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": subprocess.run(
        [str(BIN / "confgen"), "ansible-path"], capture_output=True, text=True,
        check=True).stdout.strip()}
    for name in ("lint", "fleet_summary"):
        r = subprocess.run([str(ansible / "ansible-doc"), f"confgen.openstack_ceph.{name}"],
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "OPTIONS" in r.stdout and "RETURN VALUES" in r.stdout, \
            r.stderr
    # (that the documented options match the argument specs: tests/test_ansible_collection.py)


def test_check_mode_lints_every_host_predicts_fixes_and_summarises(ansible, fleet, project):
    before = (fleet.etcs["cmp3"] / "nova/nova.conf").read_text()
    r = play(ansible, fleet, project, "--check", "--diff")
    out = r.stdout + r.stderr
    assert r.returncode == 2, out  # a host failed
    rows = recap(r.stdout)
    assert set(rows) == set(HOSTS), out
    assert rows["cmp2"]["failed"] == 1
    for h in ("ctl1", "cmp1", "cmp3"):
        assert rows[h]["failed"] == 0 and rows[h]["unreachable"] == 0, (h, out)
    # cmp2: the keyring's mode on the host, judged on the controller
    assert re.search(r"fatal: \[cmp2\].*CG503 error keyring is readable by every user "
                     r"\(mode 644\)", out), out
    assert f"{fleet.etcs['cmp2']}/ceph/ceph.client.cinder.keyring" in out
    # cmp3 asked for fixes: check mode shows confgen's diff and changes nothing
    assert "changed: [cmp3]" in out
    assert re.search(r"^-images_type = rbd$", out, re.M), out
    assert (fleet.etcs["cmp3"] / "nova/nova.conf").read_text() == before
    # per-host report, and the fleet summary names the odd host
    assert re.search(r'ok: \[cmp1\] => \{\n\s+"confgen.report": \[\n\s+"no findings in 3 files"',
                     out), out  # cmp1 alone is fine (nova.conf, ceph.conf, its keyring)
    assert "cmp3: error 1," in out  # the summary reads the hosts as they are: not fixed yet
    assert "hosts that disagree with the majority:" in out
    assert re.search(rf"nova.conf \[libvirt\] rbd_secret_uuid: cmp1 have '{ODD_UUID}' "
                     r"where 3 have", out), out
    assert "with errors: cmp2" in out
    # keys never reach the controller's copies
    copies = project / "fleet"
    assert (copies / "cmp2/etc/ceph/ceph.client.cinder.keyring").stat().st_mode & 0o777 == 0o644
    for k in copies.glob("*/etc/ceph/*.keyring"):
        assert "AQBz" not in k.read_text()


def test_drift_from_an_intent_in_check_mode(ansible, fleet, project):
    r = play(ansible, fleet, project, "--check", "-e",
             f"confgen_intent={fleet.root / 'site.ini'}")
    out = r.stdout + r.stderr
    rows = recap(r.stdout)
    assert rows["cmp1"]["failed"] == 1, out  # its secret uuid is not the intent's
    assert re.search(r"fatal: \[cmp1\].*CG602 error", out), out
    assert rows["ctl1"]["failed"] == 0 and rows["cmp3"]["failed"] == 0, out
    assert "CG600" not in out  # a compute node is not missing glance-api.conf


def test_fix_where_asked_then_nothing_left_to_do(ansible, fleet, project):
    nova = fleet.etcs["cmp3"] / "nova/nova.conf"
    mode = nova.stat().st_mode
    r = play(ansible, fleet, project)
    out = r.stdout + r.stderr
    assert "changed: [cmp3]" in out, out
    assert "[DEFAULT]\nimages_type" not in nova.read_text()
    assert nova.stat().st_mode == mode
    assert list(nova.parent.glob("nova.conf.*~")), "no backup of the fixed file on the host"
    assert recap(r.stdout)["cmp3"]["failed"] == 0
    for h in ("ctl1", "cmp1", "cmp2"):  # no fix where not asked
        assert not list(fleet.etcs[h].glob("*/*~")), h
    again = play(ansible, fleet, project)
    assert "changed: [cmp3]" not in again.stdout and recap(again.stdout)["cmp3"]["changed"] == 0
