#!/usr/bin/env python3
"""Build the puppet-openstack trees of the real-files corpus: what puppet writes to
/etc/{nova,cinder,glance,ceph} on the all-in-one node of puppet-openstack-integration's
scenario001 CI job (glance, nova and cinder on Ceph RBD, Ceph deployed by puppet-ceph on the
same node), for several releases.

How: the real `puppet apply fixtures/scenario001.pp` of the integration repository at the
release's branch or eol tag runs in a sandbox, with the modules as the CI job installed them
(OpenStack modules as Zuul checked them out: the job's override-checkout, else the release's
stable branch or eol tag, else master as of the Puppetfile's last change, which that change's
CI ran; external modules at the Puppetfile's refs; the core-type modules puppet-agent vendors):
- an unprivileged host user (nobody) that is root only in new user/mount/pid/net/uts/ipc
  namespaces; /etc is a private copy in a tmpfs, /var/lib, /var/log, /tmp, /run, ... are empty
  tmpfs; there is no network; nothing reaches the host (tools/corpus/sandbox/puppet-run.sh);
- facter reports the CI node (CentOS, 8 vCPUs, 8 GB) through external facts, which override
  the core facts of this machine; the modules' own custom facts (os_service_default,
  os_workers, os_package_type, ...) are computed by facter from them;
- puppet compiles the whole scenario (every class of every service, as CI does) and applies
  only the resources that write the kept files (`--tags nova_config,cinder_config,
  glance_api_config,ceph_config,ceph::key --skip_tags exec`): the real providers of
  puppet-openstacklib / puppet-ceph / puppetlabs-inifile write the INI files, so
  `<SERVICE DEFAULT>` values remove the line, as on a real node. Packages, services, execs,
  databases and keystone resources are not applied (the packages' own configuration files are
  commented samples on RDO, so starting from empty files is what a node sees).
Keyrings: ceph::key's file resources create them with the mode puppet gives; their content (the
exec that runs ceph-authtool) is written here as a placeholder keyring.

The scenario's CentOS variant is built (the integration jobs' main platform): it enables SSL
and IPv6 (`::1`), as the CI job does (wallaby's also AMQP 1.0 for RPC). Puppet here is Debian's
puppet-agent 7.23: the 2024.1 and later jobs ran puppet 7, wallaby's puppet 6; for pike (puppet
4/5 on Ruby 2) sandbox/compat-puppet5.rb restores the two behaviours its modules rely on, and
OVERRIDES lists the external module puppet 7 refuses to load at its pin.

usage: python tools/corpus/build_puppet.py [RELEASE ...] [--keep]
Needs the mirrors of puppet-openstack-integration and of the modules its Puppetfile lists
(fetch github:openstack/puppet-<name>, github:puppetlabs/puppetlabs-<name>, ...).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import report  # noqa: E402

SANDBOX = Path(__file__).resolve().parent / "sandbox"
OUT_ROOT = common.REALFILES / "puppet"
INTEGRATION = "openstack/puppet-openstack-integration"

# the config resource types whose files the corpus keeps, and where they write
KEPT_TYPES = ("nova_config", "cinder_config", "glance_api_config", "ceph_config")
FILES = {  # path under /etc -> style
    "nova/nova.conf": "oslo",
    "cinder/cinder.conf": "oslo",
    "glance/glance-api.conf": "oslo",
    "ceph/ceph.conf": "ceph",
}


@dataclass(frozen=True)
class Rel:
    name: str
    ref: str  # puppet-openstack-integration ref
    os_major: str  # CentOS major release of the CI node
    os_full: str
    kernel: str
    puppet: str  # the puppet major versions its scenario001 CI jobs ran (zuul `puppet:`)

    @property
    def old_puppet(self) -> bool:
        """CI ran puppet < 6 (on Ruby 2): sandbox/compat-puppet5.rb is loaded."""
        return int(self.puppet[0]) < 6


RELEASES = [
    Rel("pike", "pike-eol", "7", "7.6.1810", "3.10.0-957.el7.x86_64", "4 and 5"),
    Rel("wallaby", "wallaby-eol", "8", "8", "4.18.0-500.el8.x86_64", "6"),
    Rel("2024.1", "stable/2024.1", "9", "9", "5.14.0-427.el9.x86_64", "7"),
    Rel("2025.1", "stable/2025.1", "9", "9", "5.14.0-570.el9.x86_64", "7"),
]
BY_NAME = {r.name: r for r in RELEASES}

HOSTNAME = "centos-node"
DOMAIN = "example.org"


def facts_yaml(rel: Rel) -> str:
    """The CI node as facter would report it (the structured and legacy facts the modules
    read; an external fact replaces a core fact whole, so the structures are complete)."""
    fqdn = f"{HOSTNAME}.{DOMAIN}"
    gib = 1024 ** 3
    total, avail = 8 * gib, 6 * gib
    distro = {"7": "CentOS Linux release 7.6.1810 (Core)"}.get(
        rel.os_major, f"CentOS Stream release {rel.os_major}")
    return f"""\
os:
  name: CentOS
  family: RedHat
  architecture: x86_64
  hardware: x86_64
  release: {{major: "{rel.os_major}", full: "{rel.os_full}"}}
  distro: {{id: CentOS, description: "{distro}",
            release: {{major: "{rel.os_major}", full: "{rel.os_full}"}}}}
  selinux: {{enabled: true, enforced: false, current_mode: permissive, config_mode: permissive,
            config_policy: targeted, policy_version: "33"}}
osfamily: RedHat
operatingsystem: CentOS
operatingsystemrelease: "{rel.os_full}"
operatingsystemmajrelease: "{rel.os_major}"
kernel: Linux
kernelrelease: "{rel.kernel}"
kernelversion: "{rel.kernel.split('-')[0]}"
kernelmajversion: "{'.'.join(rel.kernel.split('.')[:2])}"
architecture: x86_64
hardwaremodel: x86_64
hostname: {HOSTNAME}
fqdn: {fqdn}
domain: {DOMAIN}
ipaddress: 10.0.0.10
ipaddress6: "fd00::10"
networking:
  hostname: {HOSTNAME}
  fqdn: {fqdn}
  domain: {DOMAIN}
  ip: 10.0.0.10
  ip6: "fd00::10"
  mtu: 1500
  primary: eth0
  interfaces:
    lo: {{ip: 127.0.0.1, ip6: "::1", mtu: 65536, netmask: 255.0.0.0, network: 127.0.0.0}}
    eth0: {{ip: 10.0.0.10, ip6: "fd00::10", mtu: 1500, netmask: 255.255.255.0,
           network: 10.0.0.0, mac: "52:54:00:00:00:10"}}
interfaces: "eth0,lo"
processorcount: 8
processors: {{count: 8, physicalcount: 8, cores: 1, threads: 1, isa: x86_64, speed: "2.60 GHz",
             models: [{", ".join(["Intel Xeon Processor (Cascadelake)"] * 8)}]}}
memorysize: "8.00 GiB"
memorysize_mb: {total // 1024 ** 2}.0
memoryfree: "6.00 GiB"
memoryfree_mb: {avail // 1024 ** 2}.0
memory:
  system: {{total: "8.00 GiB", total_bytes: {total}, available: "6.00 GiB",
           available_bytes: {avail}, used: "2.00 GiB", used_bytes: {total - avail},
           capacity: "25.00%"}}
is_virtual: true
virtual: kvm
service_provider: systemd
selinux: true
"""


# ---- modules as the Puppetfile pins them -----------------------------------------------------

_MOD = re.compile(r"""mod\s+['"]([^'"]+)['"]\s*,\s*:git\s*=>\s*['"]([^'"]+)['"]"""
                  r"""(?:\s*,\s*:ref\s*=>\s*['"]([^'"]*)['"])?""")


def puppetfile(rel: Rel) -> list[tuple[str, str, str]]:
    """(module name, owner/repo, ref) of every module the integration Puppetfile pins."""
    text = common.show(INTEGRATION, rel.ref, "Puppetfile")
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    out = []
    for name, url, ref in _MOD.findall(text):
        parts = url.rstrip("/").removesuffix(".git").split("/")
        out.append((name, f"{parts[-2]}/{parts[-1]}", ref or ""))
    return out


def _has_mirror(repo: str) -> bool:
    owner, name = repo.split("/")
    return (common.MIRRORS / f"{owner}+{name}" / "repo").exists()


def _resolve(repo: str, ref: str, date: str) -> str | None:
    """The commit a Puppetfile ref meant when the integration ref was current."""
    def ok(r: str) -> str | None:
        p = subprocess.run(["git", "-C", str(common.mirror(repo)), "rev-parse", "--verify",
                            "-q", f"{r}^{{commit}}"], capture_output=True, text=True)
        return p.stdout.strip() or None

    if ref in ("", "master", "main"):
        for branch in ("master", "main"):
            if ok(branch):
                return common.commit_before(repo, branch, date) or None
        return None
    if ref.startswith("stable/"):
        series = ref.removeprefix("stable/")
        for cand in (ref, f"{series}-eol", f"unmaintained/{series}", f"{series}-eom"):
            sha = ok(cand)
            if sha:
                return sha
        return None
    return ok(ref)


@dataclass
class Module:
    name: str
    repo: str
    ref: str
    commit: str


# the core types puppet 6+ moved out of puppet into modules that puppet-agent vendors (cron,
# selboolean, sshkey, augeas, host, mount, yumrepo): the versions puppet-agent 7.23 vendored
VENDORED = [
    ("cron_core", "puppetlabs/puppetlabs-cron_core", "v1.2.0"),
    ("selinux_core", "puppetlabs/puppetlabs-selinux_core", "v1.3.0"),
    ("sshkeys_core", "puppetlabs/puppetlabs-sshkeys_core", "v2.4.0"),
    ("augeas_core", "puppetlabs/puppetlabs-augeas_core", "v1.3.0"),
    ("host_core", "puppetlabs/puppetlabs-host_core", "v1.2.0"),
    ("mount_core", "puppetlabs/puppetlabs-mount_core", "v1.2.0"),
    ("yumrepo_core", "puppetlabs/puppetlabs-yumrepo_core", "v1.2.0"),
]


# external (non-OpenStack) modules whose pinned version puppet 7 refuses to load, replaced by
# the oldest upstream version it loads; none of them writes the kept files
OVERRIDES: dict[str, dict[str, tuple[str, str, str]]] = {
    "pike": {
        "mysql": ("puppetlabs/puppetlabs-mysql", "8.0.0",
                  "3.11.0's legacy mysql_deepmerge function defines methods (refused since "
                  "puppet 6); 8.0.0 dropped it"),
    },
}


def pin_date(rel: Rel) -> str:
    """When the Puppetfile was last changed on the branch: that change passed the CI jobs,
    which ran its `master` (and unpinned) modules as of that date."""
    return common.git(INTEGRATION, "log", "-1", "--format=%cI", rel.ref, "--",
                      "Puppetfile").strip()


def zuul_checkouts(rel: Rel) -> dict[str, str]:
    """openstack/<module> -> the `override-checkout` the CI jobs' required-projects give."""
    files = [f for f in common.git(INTEGRATION, "ls-tree", "-r", "--name-only", rel.ref).split()
             if f == ".zuul.yaml" or (f.startswith("zuul.d/") and f.endswith(".yaml"))]
    out: dict[str, str] = {}
    for f in files:
        for item in yaml.safe_load(common.show(INTEGRATION, rel.ref, f)) or []:
            job = item.get("job") if isinstance(item, dict) else None
            for rp in (job or {}).get("required-projects", []) or []:
                if isinstance(rp, dict) and rp.get("override-checkout"):
                    out.setdefault(rp["name"], rp["override-checkout"])
    return out


def modules(rel: Rel) -> tuple[list[Module], list[str]]:
    """The modules as the CI job installed them: OpenStack modules checked out by Zuul (the
    job's override-checkout, else the release's stable branch where the module has one, else
    master), external modules at the Puppetfile's ref; puppet-agent's vendored core modules."""
    date = pin_date(rel)
    checkouts = zuul_checkouts(rel)
    mods, missing = [], []
    for name, repo, ref in VENDORED:
        mods.append(Module(name, repo, ref, common.commit_of(repo, ref)))
    over = OVERRIDES.get(rel.name, {})
    for name, repo, ref in puppetfile(rel):
        if name in over:
            repo, ref, _why = over[name]
        elif repo.startswith("openstack/"):
            ref = checkouts.get(repo, f"stable/{rel.name}")
        if not _has_mirror(repo):
            missing.append(f"{name} ({repo} {ref or 'default branch'})")
            continue
        sha = _resolve(repo, ref, date)
        if not sha and repo.startswith("openstack/"):
            ref = "master"
            sha = _resolve(repo, ref, date)
        if not sha:
            missing.append(f"{name} ({repo} {ref}: ref not in mirror)")
            continue
        mods.append(Module(name, repo, ref or "default branch", sha))
    return mods, missing


# what puppet reads of a module (specs and docs are left out: some mirrors lack their blobs)
MODULE_PARTS = ("manifests", "lib", "facts.d", "templates", "files", "functions", "types", "data",
                "hiera.yaml", "metadata.json")


def extract_module(m: Module, dest: Path) -> None:
    top = common.git(m.repo, "ls-tree", "--name-only", m.commit).split()
    parts = [p for p in MODULE_PARTS if p in top]
    data = common.git(m.repo, "archive", "--format=tar", m.commit, *parts, binary=True)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        tf.extractall(dest, filter="data")


# ---- the run ---------------------------------------------------------------------------------

HIERA = """\
---
version: 5
defaults:
  datadir: {datadir}
  data_hash: yaml_data
hierarchy:
  - name: "OS specific"
    path: "%{{facts.os.name}}.yaml"
  - name: "OS family specific"
    path: "%{{facts.os.family}}.yaml"
  - name: "Common"
    path: "common.yaml"
"""


def prepare(rel: Rel, work: Path) -> tuple[list[Module], list[str]]:
    mods, missing = modules(rel)
    common.extract(INTEGRATION, rel.ref, work / "integration")
    mdir = work / "modules"
    mdir.mkdir()
    for m in mods:
        extract_module(m, mdir / m.name)
    # the integration repository is itself the openstack_integration module
    shutil.copytree(work / "integration", mdir / "openstack_integration")
    hiera = work / "integration" / "hiera"
    hiera.mkdir(exist_ok=True)
    with open(hiera / "common.yaml", "a") as fh:
        # what run_tests.sh appends on a packaged (non-source) tempest
        fh.write("\ntempest::install_from_source: false\n")
    (work / "hiera.yaml").write_text(HIERA.format(datadir=hiera))
    (work / "facts.yaml").write_text(facts_yaml(rel))
    (work / "hostname").write_text(HOSTNAME + "\n")
    if rel.old_puppet:
        shutil.copy(SANDBOX / "compat-puppet5.rb", work / "compat-puppet5.rb")
    for d in ("puppet/conf", "puppet/var", "puppet/code", "puppet/run", "puppet/log"):
        (work / d).mkdir(parents=True)
    return mods, missing


TAGS = ",".join([*KEPT_TYPES, "ceph::key"])
SKIP_TAGS = "exec"


def run_sandbox(work: Path, out: Path) -> str:
    (work / "ovl").mkdir()
    for p in [work.parent, *work.rglob("*"), work, out]:
        if p.is_symlink():
            continue
        os.chown(p, 65534, 65534)
    for p in (work.parent, work, work / "ovl", out):
        p.chmod(0o777)
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
           "unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork", "--net",
           "--uts", "--ipc", "--mount-proc",
           "bash", str(SANDBOX / "puppet-run.sh"), str(work), str(out), TAGS, SKIP_TAGS]
    r = subprocess.run(cmd, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
                       capture_output=True, text=True, timeout=1200)
    log = (work / "puppet.log").read_text(errors="replace") if (work / "puppet.log").exists() \
        else ""
    if r.returncode != 0:
        raise RuntimeError(f"sandbox failed ({r.returncode}): {r.stderr[-2000:]}\n{log[-3000:]}")
    return log


def check_log(log: str) -> list[str]:
    """The whole scenario must compile and every kept resource apply. Errors of resources
    that are not applied here (prefetch of keystone/rabbitmq providers, keyrings outside /etc
    whose directories other resources create) are returned, to be shown, not hidden."""
    if "Notice: Compiled catalog" not in log:
        errs = [x for x in log.splitlines() if x.startswith("Error")][:20]
        raise RuntimeError("the scenario did not compile:\n"
                           + "\n".join(errs or log.splitlines()[-40:]))
    kept = tuple(t.capitalize() + "[" for t in KEPT_TYPES) + tuple(
        f"/etc/{d}/" for d in ("nova", "cinder", "glance", "ceph"))
    errors = [x for x in log.splitlines() if x.startswith("Error")]
    bad = [x for x in errors if any(k in x for k in kept)]
    if bad:
        raise RuntimeError("kept resources failed:\n" + "\n".join(bad[:20]))
    return errors


def write_meta(rel: Rel, mods: list[Module], modes: dict[str, str]) -> None:
    integ = common.commit_of(INTEGRATION, rel.ref)
    used = {"nova", "cinder", "glance", "ceph", "openstacklib", "oslo", "keystone", "inifile",
            "stdlib"}
    srcs = [f"{INTEGRATION} {rel.ref} ({integ[:12]}) fixtures/scenario001.pp"]
    srcs += [f"{m.repo} {m.ref} ({m.commit[:12]})" for m in mods if m.name in used]
    over = OVERRIDES.get(rel.name, {})
    notes = [f"CI ran puppet {rel.puppet}; built with puppet-agent 7.23"
             + (" and the puppet 5 / Ruby 2 behaviour these modules rely on "
                "(tools/corpus/sandbox/compat-puppet5.rb)" if rel.old_puppet else "")]
    notes += [f"{name} at {ref} instead of the Puppetfile's pin: {why}"
              for name, (_repo, ref, why) in over.items()]
    # the mode most keyrings have; the others listed one by one
    counts: dict[str, int] = {}
    for m in modes.values():
        counts[m] = counts.get(m, 0) + 1
    main_mode = max(sorted(counts), key=lambda m: counts[m]) if counts else "600"
    report.upsert({
        "id": f"puppet/{rel.name}", "tool": "puppet", "release": rel.name,
        "layout": "etc: the all-in-one node's /etc (etc/nova/nova.conf read by every nova "
                  "service including nova-compute, etc/cinder/cinder.conf, "
                  "etc/glance/glance-api.conf, etc/ceph/ceph.conf and the keyrings ceph::key "
                  "creates)",
        "lint": ["etc"],
        "keyring_mode": main_mode,
        "keyring_modes": {k: v for k, v in modes.items() if v != main_mode},
        "sources": srcs,
        "built": f"python tools/corpus/build_puppet.py {rel.name} (puppet apply of "
                 "puppet-openstack-integration's scenario001 in a sandbox, CentOS "
                 f"{rel.os_major} node facts; the whole scenario compiled, only the "
                 f"{', '.join(KEPT_TYPES)} and ceph::key resources applied; "
                 f"{len(mods)} modules as the CI job installed them)",
        "notes": "; ".join(notes),
    })


def build(rel: Rel, keep: bool = False) -> dict:
    base = Path(tempfile.mkdtemp(prefix=f"confgen-puppet-{rel.name}-", dir="/dev/shm"))
    try:
        work, out = base / "work", base / "out"
        work.mkdir()
        out.mkdir()
        mods, missing = prepare(rel, work)
        log = run_sandbox(work, out)
        ignored = check_log(log)
        res = write_tree(rel, mods, out)
        res.update(missing=missing, ignored=ignored)
        return res
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept {base}", file=sys.stderr)


def write_tree(rel: Rel, mods: list[Module], out: Path) -> dict:
    integ = common.commit_of(INTEGRATION, rel.ref)
    dest = OUT_ROOT / rel.name
    if dest.exists():
        shutil.rmtree(dest)
    counts = {}
    byname = {m.name: m for m in mods}
    for relpath, style in FILES.items():
        src = out / relpath
        if not src.is_file():
            raise RuntimeError(f"puppet wrote no /etc/{relpath}")
        m = byname[relpath.split("/")[0]]
        header = [
            f"puppet-openstack for {rel.name}: /etc/{relpath} as `puppet apply` of "
            "puppet-openstack-integration scenario001 writes it (CentOS node)",
            f"built by tools/corpus/build_puppet.py from {INTEGRATION} {rel.ref} "
            f"({integ[:12]}), {m.repo} {m.ref} ({m.commit[:12]})",
            "only section headers and option lines are kept; do not edit by hand",
        ]
        counts[relpath] = common.write_config(dest / "etc" / relpath, header,
                                              src.read_text(errors="replace"), style)
    modes = {}
    for k in sorted((out / "ceph").glob("*.keyring")):
        entity = k.name.removeprefix("ceph.").removesuffix(".keyring")
        rel_k = f"etc/ceph/{k.name}"
        modes[rel_k] = f"{k.stat().st_mode & 0o777:o}"
        common.write_keyring(dest / rel_k,
                             [f"puppet-openstack for {rel.name}: the keyring ceph::key creates "
                              f"(name and mode {modes[rel_k]} as puppet leaves them); key "
                              "replaced"], entity)
    write_meta(rel, mods, modes)
    return {"release": rel.name, "counts": counts, "keyrings": modes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("releases", nargs="*")
    ap.add_argument("--keep", action="store_true", help="keep the scratch dir and logs")
    args = ap.parse_args()
    todo = [BY_NAME[n] for n in args.releases] if args.releases else RELEASES
    for rel in todo:
        res = build(rel, args.keep)
        print(rel.name, res["counts"])
        if res["ignored"]:
            print(f"  {len(res['ignored'])} errors of resources not applied here, e.g.:",
                  *(x[:160] for x in res["ignored"][:3]), sep="\n    ")
        if res["missing"]:
            print("  not fetched (the scenario does not need them):",
                  ", ".join(res["missing"]))


if __name__ == "__main__":
    main()
