#!/usr/bin/env python3
"""Build the devstack trees of the real-files corpus: what a devstack CI run with Ceph writes
to /etc/{nova,cinder,glance,ceph}, for every release devstack has a branch or eol tag for.

How: devstack's own stack.sh runs, changed only so that it does not stop (no errexit, no
ERR/EXIT traps, no refusal to run as root) and with the stub file sourced after devstack's
functions and libs, inside a sandbox:
- an unprivileged host user (nobody) that is root only in new user/mount/pid/net/uts/ipc
  namespaces; /etc is a private copy in a tmpfs, /opt, /home, /srv, /usr/local, /var/lib,
  /var/log, /var/cache, /tmp, /run are empty tmpfs; there is no network; nothing reaches the
  host (a write elsewhere is refused: the host user is nobody);
- a PATH with text and file tools only; every other command (apt-get, pip, git, systemctl,
  ceph, mysql, openstack, virsh...) is a stub that succeeds (tools/corpus/sandbox/overrides.sh);
  the stubs of ceph-mon and cephadm write what those write that the services read (the admin
  keyring; cephadm bootstrap's minimal ceph.conf; `auth get-or-create -o FILE` keyrings);
- the CI node's distribution in /etc/os-release and a gate-like local.conf (passwords and
  addresses of devstack's own CI job definition; Ceph from lib/ceph in tree up to liberty,
  from devstack-plugin-ceph from mitaka on).
So every `iniset`, `iniset_multiline`, `iniadd`, sample-file copy and heredoc of lib/nova,
lib/cinder, lib/cinder_backends/ceph, lib/glance, lib/keystone, lib/neutron*, stack.sh and the
Ceph plugin is evaluated by bash itself with the job's variables. What it wrote under /etc is
then reduced to section headers and option lines (tools/corpus/common.py) with a header naming
the refs.

usage: python tools/corpus/build_devstack.py [RELEASE ...]   (default: all)
Needs the mirrors: openstack/devstack, devstack-plugin-ceph, nova, cinder, glance.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import report  # noqa: E402

SANDBOX = Path(__file__).resolve().parent / "sandbox"
OUT_ROOT = common.REALFILES / "devstack"


@dataclass(frozen=True)
class Rel:
    name: str
    ref: str  # devstack ref (eol tag or branch)
    ceph: str  # "intree" (lib/ceph, enable_service ceph) or "plugin"
    distro: tuple[str, str, str]  # ID, VERSION_ID, codename of the CI node
    service_ref: str = ""  # nova/cinder/glance ref (default: same as ref)
    plugin_ref: str = ""  # devstack-plugin-ceph ref ("" = master at the devstack ref's date)


PRECISE = ("Ubuntu", "12.04", "precise")
TRUSTY = ("Ubuntu", "14.04", "trusty")
XENIAL = ("Ubuntu", "16.04", "xenial")
BIONIC = ("Ubuntu", "18.04", "bionic")
FOCAL = ("Ubuntu", "20.04", "focal")
JAMMY = ("Ubuntu", "22.04", "jammy")
NOBLE = ("Ubuntu", "24.04", "noble")

KILO_TIP = "a631abadde7346b49fab5b2ac16561dff77050d7"  # last merge into stable/kilo (no eol tag)

RELEASES = [
    Rel("havana", "havana-eol", "none", PRECISE),
    Rel("icehouse", "icehouse-eol", "none", PRECISE),
    Rel("juno", "juno-eol", "intree", TRUSTY),
    Rel("kilo", KILO_TIP, "intree", TRUSTY, service_ref="kilo-eol"),
    Rel("liberty", "liberty-eol", "intree", TRUSTY),
    Rel("mitaka", "mitaka-eol", "plugin", TRUSTY),
    Rel("newton", "newton-eol", "plugin", XENIAL),
    Rel("ocata", "ocata-eol", "plugin", XENIAL),
    Rel("pike", "pike-eol", "plugin", XENIAL),
    Rel("queens", "queens-eol", "plugin", XENIAL),
    Rel("rocky", "rocky-eol", "plugin", BIONIC),
    Rel("stein", "stein-eol", "plugin", BIONIC, plugin_ref="stein-eol"),
    Rel("train", "train-eol", "plugin", BIONIC, plugin_ref="train-eol"),
    Rel("ussuri", "ussuri-eol", "plugin", BIONIC, plugin_ref="ussuri-eol"),
    Rel("victoria", "victoria-eol", "plugin", FOCAL, plugin_ref="victoria-eol"),
    Rel("wallaby", "wallaby-eol", "plugin", FOCAL, plugin_ref="wallaby-eol"),
    Rel("xena", "xena-eol", "plugin", FOCAL, plugin_ref="xena-eol"),
    Rel("yoga", "unmaintained/yoga", "plugin", FOCAL, service_ref="unmaintained/yoga",
        plugin_ref="yoga-eol"),
    Rel("zed", "unmaintained/zed", "plugin", JAMMY, service_ref="unmaintained/zed",
        plugin_ref="zed-eol"),
    Rel("2023.1", "unmaintained/2023.1", "plugin", JAMMY, service_ref="unmaintained/2023.1",
        plugin_ref="unmaintained/2023.1"),
    Rel("2023.2", "2023.2-eol", "plugin", JAMMY, plugin_ref="2023.2-eol"),
    Rel("2024.1", "unmaintained/2024.1", "plugin", JAMMY, service_ref="unmaintained/2024.1",
        plugin_ref="unmaintained/2024.1"),
    Rel("2024.2", "2024.2-eol", "plugin", JAMMY, plugin_ref="2024.2-eol"),
    Rel("2025.1", "stable/2025.1", "plugin", NOBLE, service_ref="stable/2025.1",
        plugin_ref="stable/2025.1"),
    Rel("2025.2", "stable/2025.2", "plugin", NOBLE, service_ref="stable/2025.2",
        plugin_ref="stable/2025.2"),
    Rel("2026.1", "stable/2026.1", "plugin", NOBLE, service_ref="stable/2026.1",
        plugin_ref="stable/2026.1"),
    # master while 2026.2 is developed (the mirrors' newest snapshot)
    Rel("2026.2", "master", "plugin", NOBLE, service_ref="master", plugin_ref="master"),
]
BY_NAME = {r.name: r for r in RELEASES}

# what devstack's CI job definition sets for every job (devstack/.zuul.yaml `devstack-base`
# devstack_localrc; the same values devstack-gate used before Zuul v3)
GATE_LOCALRC = """\
DATABASE_PASSWORD=secretdatabase
RABBIT_PASSWORD=secretrabbit
ADMIN_PASSWORD=secretadmin
SERVICE_PASSWORD=secretservice
SERVICE_TOKEN=ADMIN
NETWORK_GATEWAY=10.1.0.1
FIXED_RANGE=10.1.0.0/20
IPV4_ADDRS_SAFE_TO_USE=10.1.0.0/20
FLOATING_RANGE=172.24.5.0/24
PUBLIC_NETWORK_GATEWAY=172.24.5.1
LOG_COLOR=False
VERBOSE=True
VERBOSE_NO_TIMESTAMP=True
NOVNC_FROM_PACKAGE=True
LIBVIRT_TYPE=qemu
VIRT_DRIVER=libvirt
HOST_IP=10.0.0.10
SERVICE_HOST=10.0.0.10
STACK_USER=stack
FORCE=yes
OFFLINE=True
RECLONE=no
ROOTSLEEP=0
SWIFT_HASH=1234123412341234
ENABLE_FILE_INJECTION=False
DEVSTACK_PARALLEL=False
"""

PROJECTS = ("nova", "cinder", "glance")
EMPTY_PROJECTS = ("keystone", "neutron", "requirements", "placement", "tempest", "noVNC",
                  "horizon", "swift", "os-brick", "cinder-tempest-plugin", "oslo.config")


def local_conf(rel: Rel) -> str:
    lines = ["[[local|localrc]]", GATE_LOCALRC.rstrip("\n")]
    lines.append("enable_service c-bak")
    if rel.ceph == "intree":
        lines.append("enable_service ceph")
        lines.append("CINDER_ENABLED_BACKENDS=ceph:ceph")
    elif rel.ceph == "plugin":
        lines.append("enable_plugin devstack-plugin-ceph "
                     "https://opendev.org/openstack/devstack-plugin-ceph")
        lines.append("CEPHADM_DEPLOY=False")
        lines.append("ENABLE_CEPH_CINDER=True")
        lines.append("ENABLE_CEPH_GLANCE=True")
        lines.append("ENABLE_CEPH_C_BAK=True")
        lines.append("ENABLE_CEPH_NOVA=True")
    return "\n".join(lines) + "\n"


def plugin_ref(rel: Rel) -> str:
    if rel.plugin_ref:
        return rel.plugin_ref
    return common.commit_before("devstack-plugin-ceph", "master",
                                common.commit_date("devstack", rel.ref))


def refs_of(rel: Rel) -> dict[str, str]:
    refs = {"devstack": common.commit_of("devstack", rel.ref)}
    svc_ref = rel.service_ref or rel.ref
    for p in PROJECTS:
        refs[p] = f"{svc_ref} ({common.commit_of(p, svc_ref)[:12]})"
    if rel.ceph == "plugin":
        pref = plugin_ref(rel)
        sha = common.commit_of("devstack-plugin-ceph", pref)[:12]
        refs["devstack-plugin-ceph"] = f"{pref} ({sha})"
    return refs


def prepare(rel: Rel, work: Path) -> dict[str, str]:
    refs = refs_of(rel)
    src = work / "src"
    common.extract("devstack", rel.ref, src / "devstack")
    for p in PROJECTS:
        common.extract(p, refs[p].split(" ")[0], src / p, "etc")
    if rel.ceph == "plugin":
        common.extract("devstack-plugin-ceph", refs["devstack-plugin-ceph"].split(" ")[0],
                       src / "devstack-plugin-ceph")
    for p in EMPTY_PROJECTS:
        (src / p).mkdir(parents=True, exist_ok=True)
    # the changed lines: overrides after devstack's functions and libs; no errexit and no
    # ERR/EXIT traps (a stub's missing side effect must not end the run); no root refusal
    # (we are root of the sandbox)
    ds = src / "devstack"
    hook = '\nsource "$CONFGEN_OVERRIDES"\n'
    for f in [ds / "functions", *sorted((ds / "lib").rglob("*"))] + (
            sorted((src / "devstack-plugin-ceph" / "devstack" / "lib").rglob("*"))
            if rel.ceph == "plugin" else []):
        if f.is_file():
            with open(f, "a") as fh:
                fh.write(hook)
    stack = (ds / "stack.sh").read_text()
    for old, new in (("set -o errexit", ": errexit off"), ("$EUID -eq 0", "$EUID -eq 4242"),
                     ("trap err_trap ERR", ": no ERR trap"), ("trap failed ERR", ": no ERR trap"),
                     ("trap exit_trap EXIT", ": no EXIT trap"), ("trap clean EXIT", ": no trap")):
        stack = stack.replace(old, new)
    (ds / "stack.sh").write_text(stack)
    (work / "local.conf").write_text(local_conf(rel))
    did, ver, code = rel.distro
    (work / "os-release").write_text(
        f'NAME="{did}"\nID={did.lower()}\nVERSION_ID="{ver}"\nVERSION_CODENAME={code}\n'
        f'UBUNTU_CODENAME={code}\nPRETTY_NAME="{did} {ver}"\n')
    (work / "lsb-release").write_text(
        f"DISTRIB_ID={did}\nDISTRIB_RELEASE={ver}\nDISTRIB_CODENAME={code}\n")
    return refs


def run_sandbox(work: Path, out: Path, rel: Rel) -> str:
    (work / "ovl").mkdir()
    for p in (work.parent, work, work / "ovl", out):
        os.chown(p, 65534, 65534)
        p.chmod(0o777)
    did, ver, code = rel.distro
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CONFGEN_LSB_ID": did,
           "CONFGEN_LSB_RELEASE": ver, "CONFGEN_LSB_CODENAME": code}
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
           "unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--net",
           "--uts", "--ipc", "--mount-proc",
           "bash", str(SANDBOX / "devstack-run.sh"), str(work), str(out)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
    log = (work / "stack.log").read_text(errors="replace") if (work / "stack.log").exists() else ""
    if r.returncode != 0:
        raise RuntimeError(f"sandbox failed ({r.returncode}): {r.stderr[-2000:]}")
    return log


FILES = {  # what to keep: path under /etc -> file type (style)
    "nova/nova.conf": "oslo",
    "nova/nova-cpu.conf": "oslo",
    "nova/nova_cell1.conf": "oslo",
    "cinder/cinder.conf": "oslo",
    "glance/glance-api.conf": "oslo",
    "ceph/ceph.conf": "ceph",
}


def write_meta(rel: Rel, refs: dict[str, str]) -> None:
    dest = OUT_ROOT / rel.name
    extra = [[f"etc/{p}", "nova.conf"] for p in ("nova/nova-cpu.conf", "nova/nova_cell1.conf")
             if (dest / "etc" / p).exists()]
    srcs = [f"openstack/devstack {rel.ref} ({refs['devstack'][:12]})"]
    if "devstack-plugin-ceph" in refs:
        srcs.append(f"openstack/devstack-plugin-ceph {refs['devstack-plugin-ceph']}")
    srcs += [f"openstack/{p} {refs[p]} (etc/ sample files devstack copies)" for p in PROJECTS]
    report.upsert({
        "id": f"devstack/{rel.name}", "tool": "devstack", "release": rel.name,
        "layout": "etc: the node's /etc (etc/nova/nova.conf, etc/nova/nova-cpu.conf for "
                  "nova-compute, etc/cinder/cinder.conf, etc/glance/glance-api.conf, "
                  "etc/ceph/ceph.conf and keyrings)",
        "lint": ["etc"], "extra": extra,
        # devstack writes keyrings with `sudo tee` under umask 022
        "keyring_mode": "644",
        "sources": srcs,
        "built": f"python tools/corpus/build_devstack.py {rel.name} (stack.sh in a sandbox "
                 "with stubbed commands; gate-like local.conf"
                 + {"plugin": ", enable_plugin devstack-plugin-ceph)",
                    "intree": ", enable_service ceph)", "none": "; no Ceph)"}[rel.ceph],
    })


def build(rel: Rel, keep: bool = False) -> dict:
    base = Path(tempfile.mkdtemp(prefix=f"confgen-devstack-{rel.name}-", dir="/dev/shm"))
    try:
        work, out = base / "work", base / "out"
        work.mkdir()
        out.mkdir()
        refs = prepare(rel, work)
        log = run_sandbox(work, out, rel)
        dest = OUT_ROOT / rel.name
        if dest.exists():
            shutil.rmtree(dest)
        counts = {}
        for relpath, style in FILES.items():
            src = out / relpath
            if not src.is_file():
                continue
            how = {"plugin": "with devstack-plugin-ceph", "intree": "with lib/ceph",
                   "none": "without Ceph (devstack had no Ceph support yet)"}[rel.ceph]
            header = [
                f"devstack CI {how} for {rel.name}: /etc/{relpath} as stack.sh writes it",
                f"built by tools/corpus/build_devstack.py from devstack {rel.ref} "
                f"({refs['devstack'][:12]})"
                + (f", devstack-plugin-ceph {refs['devstack-plugin-ceph']}"
                   if "devstack-plugin-ceph" in refs else ""),
                "only section headers and option lines are kept; do not edit by hand",
            ]
            counts[relpath] = common.write_config(dest / "etc" / relpath, header,
                                                  src.read_text(errors="replace"), style)
        cephdir = out / "ceph"
        if cephdir.is_dir():
            for k in sorted(cephdir.glob("*.keyring")):
                entity = k.name.removeprefix("ceph.").removesuffix(".keyring")
                common.write_keyring(dest / "etc" / "ceph" / k.name,
                                     [f"devstack CI for {rel.name}: keyring name as written; "
                                      "key replaced"], entity)
        write_meta(rel, refs)
        return {"release": rel.name, "refs": refs, "counts": counts,
                "tail": log.splitlines()[-3:]}
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept {base}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("releases", nargs="*")
    ap.add_argument("--keep", action="store_true", help="keep the scratch dir and logs")
    ap.add_argument("--meta-only", action="store_true",
                    help="only (re)write the trees' MANIFEST.toml metadata")
    args = ap.parse_args()
    todo = [BY_NAME[n] for n in args.releases] if args.releases else RELEASES
    for rel in todo:
        if args.meta_only:
            if (OUT_ROOT / rel.name).exists():
                write_meta(rel, refs_of(rel))
            continue
        res = build(rel, args.keep)
        print(rel.name, res["counts"], res["tail"][-1:] if res["tail"] else "")


if __name__ == "__main__":
    main()
