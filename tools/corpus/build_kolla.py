#!/usr/bin/env python3
"""Build the kolla-ansible trees of the real-files corpus: /etc/kolla/<service>/ as
kolla-ansible writes it on an all-in-one node with Ceph for glance, cinder and nova.

How: Ansible itself renders kolla-ansible's templates. A generated playbook imports each role
(nova / nova-cell, cinder, glance: their defaults and vars load as in a deployment) and runs,
for every service, the same `merge_configs` action (kolla's own action plugin) that the role's
config.yml runs, with kolla's group_vars/all.yml, its all-in-one inventory, a globals.yml that
enables Ceph the way kolla's documentation says for that release, and a passwords.yml with
placeholders. Host facts come from a fact cache (an Ubuntu node with eth0 = 10.0.0.10), not
from this machine. Where kolla deployed Ceph itself (before ussuri) ceph.conf is rendered from
its ceph role template; for external Ceph it is the operator's file that kolla copies
unchanged: the minimal ceph.conf of kolla's external Ceph documentation.

usage: python tools/corpus/build_kolla.py [RELEASE ...]
Needs: the openstack/kolla-ansible mirror and two ansible-core venvs with netaddr, pbr and
oslo.config (kolla's filters and merge_configs import them): ANSIBLE_VENV (default
/tmp/corpus-ansible, ansible-core 2.19+) and ANSIBLE_VENV_OLD (/tmp/corpus-ansible217,
ansible-core 2.17), e.g. `python3 -m venv D && D/bin/pip install 'ansible-core>=2.17,<2.18'
netaddr pbr oslo.config`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import report  # noqa: E402

OUT_ROOT = common.REALFILES / "kolla-ansible"
# kolla-ansible pins ansible-core per release (requirements.txt): 2.19+ from 2026.1, <2.19
# before (2.17 renders the older templates too); one venv each
ANSIBLE_VENVS = {"new": Path(os.environ.get("ANSIBLE_VENV", "/tmp/corpus-ansible")),
                 "old": Path(os.environ.get("ANSIBLE_VENV_OLD", "/tmp/corpus-ansible217"))}


@dataclass(frozen=True)
class Rel:
    name: str
    ref: str
    ceph: str  # "kolla" (kolla deploys Ceph: enable_ceph) or "external"
    ansible: str = "old"


RELEASES = [
    Rel("queens", "queens-eol", "kolla"),
    Rel("rocky", "rocky-eol", "kolla"),
    Rel("ussuri", "ussuri-eol", "external"),
    Rel("wallaby", "wallaby-eol", "external"),
    Rel("2023.1", "2023.1-eol", "external"),
    Rel("2024.1", "unmaintained/2024.1", "external"),
    Rel("2025.1", "stable/2025.1", "external"),
    Rel("2026.1", "stable/2026.1", "external", ansible="new"),
]
BY_NAME = {r.name: r for r in RELEASES}

# the minimal ceph.conf `ceph config generate-minimal-conf` prints, as kolla's external Ceph
# guide tells operators to put in /etc/kolla/config/<service>/ceph.conf
EXTERNAL_CEPH_CONF = """\
[global]
fsid = 00000000-0000-4000-8000-0000000000cf
mon_host = [v2:10.0.0.21:3300/0,v1:10.0.0.21:6789/0] [v2:10.0.0.22:3300/0,v1:10.0.0.22:6789/0]
"""

FACTS = {
    "hostname": "kolla-aio", "nodename": "kolla-aio", "fqdn": "kolla-aio.example.org",
    "domain": "example.org",
    "os_family": "Debian", "distribution": "Ubuntu", "distribution_release": "jammy",
    "distribution_version": "22.04", "distribution_major_version": "22",
    "architecture": "x86_64", "machine": "x86_64", "kernel": "5.15.0-generic",
    "processor_vcpus": 8, "processor_count": 1, "processor_cores": 8, "memtotal_mb": 32000,
    "processor_threads_per_core": 1, "processor_nproc": 8,
    "lsb": {"codename": "jammy", "id": "Ubuntu", "major_release": "22", "release": "22.04"},
    "interfaces": ["lo", "eth0"], "default_ipv4": {"address": "10.0.0.10", "interface": "eth0"},
    "eth0": {"device": "eth0", "active": True,
             "ipv4": {"address": "10.0.0.10", "netmask": "255.255.255.0",
                      "network": "10.0.0.0"}, "ipv6": []},
    "all_ipv4_addresses": ["10.0.0.10"], "all_ipv6_addresses": [],
    "python": {"version": {"major": 3, "minor": 10}},
    "selinux": {"status": "disabled"}, "service_mgr": "systemd",
    "system_capabilities_enforced": "False", "virtualization_type": "kvm",
    "virtualization_role": "host", "env": {"HOME": "/root"}, "user_id": "root",
    "mounts": [], "devices": {}, "date_time": {"epoch": "0"},
}


def globals_for(rel: Rel) -> dict:
    g = {
        "kolla_base_distro": "ubuntu",
        "network_interface": "eth0",
        "neutron_external_interface": "eth1",
        "kolla_internal_vip_address": "10.0.0.250",
        "enable_haproxy": "no",
        "enable_cinder": "yes",
        "enable_cinder_backup": "yes",
        "enable_cinder_backend_lvm": "no",
        "glance_backend_ceph": "yes",
        "cinder_backend_ceph": "yes",
        "nova_backend_ceph": "yes",
        "node_custom_config": "{{ CONFGEN_CUSTOM }}",
    }
    if rel.ceph == "kolla":
        g["enable_ceph"] = "yes"
    return g


def passwords(text: str) -> dict:
    data = yaml.safe_load(text) or {}
    out: dict = {}
    n = 0
    for k, v in data.items():
        if "uuid" in k or k.endswith("fsid"):
            n += 1
            out[k] = f"00000000-0000-4000-8000-{n:012d}"
        elif isinstance(v, dict) or k.endswith("_ssh_key") or k.endswith("ssh_key"):
            out[k] = {"private_key": "PLACEHOLDER-PRIVATE-KEY",
                      "public_key": "ssh-rsa PLACEHOLDER"}
        else:
            out[k] = f"{k}-placeholder"
    return out


def services(root: Path) -> list[tuple[str, str, str]]:
    """(role, template, service) jobs: what each role's config.yml renders per service."""
    roles = root / "ansible" / "roles"
    jobs = []
    cell = (roles / "nova-cell").is_dir()
    for svc in ("nova-api", "nova-scheduler"):
        jobs.append(("nova", "nova.conf.j2", svc))
    for svc in ("nova-conductor", "nova-compute"):
        jobs.append(("nova-cell" if cell else "nova", "nova.conf.j2", svc))
    for svc in ("cinder-api", "cinder-scheduler", "cinder-volume", "cinder-backup"):
        jobs.append(("cinder", "cinder.conf.j2", svc))
    glance_tpl = "glance-api.conf.j2"
    jobs.append(("glance", glance_tpl, "glance-api"))
    return jobs


CEPH_USERS = {  # service dir -> keyrings kolla puts there (names from the roles' ceph tasks)
    "nova-compute": ["nova", "cinder"],
    "cinder-volume": ["cinder"],
    "cinder-backup": ["cinder", "cinder-backup"],
    "glance-api": ["glance"],
}


def playbook(root: Path, rel: Rel, out: Path) -> Path:
    by_role: dict[str, list[str]] = {}
    for role, tpl, svc in services(root):
        fname = tpl.removesuffix(".j2")
        task = {
            "name": f"render {svc}/{fname}",
            "vars": {"service_name": svc,
                     "service": f"{{{{ {role.replace('-', '_')}_services['{svc}'] }}}}"},
            "merge_configs": {"sources": [f"{{{{ role_path }}}}/templates/{tpl}"],
                              "dest": f"{out}/{svc}/{fname}", "mode": "0660"},
        }
        by_role.setdefault(role, []).append(task)
    for svc in CEPH_USERS:
        role = {"nova-compute": "nova-cell" if (root / "ansible/roles/nova-cell").is_dir()
                else "nova", "cinder-volume": "cinder", "cinder-backup": "cinder",
                "glance-api": "glance"}[svc]
        if rel.ceph == "kolla":
            src = "{{ role_path }}/../ceph/templates/ceph.conf.j2"
            task = {"name": f"ceph.conf for {svc}",
                    "merge_configs": {"sources": [src], "dest": f"{out}/{svc}/ceph.conf",
                                      "mode": "0660"}}
        else:
            task = {"name": f"ceph.conf for {svc}",
                    "template": {"src": "{{ CONFGEN_CUSTOM }}/ceph.conf",
                                 "dest": f"{out}/{svc}/ceph.conf", "mode": "0660"}}
        by_role.setdefault(role, []).append(task)
    for role, tasks in by_role.items():
        rdir = root / "ansible" / "roles" / role
        (rdir / "tasks" / "confgen_render.yml").write_text(yaml.safe_dump(tasks, sort_keys=False))
        # only this role's defaults and vars are wanted, not its dependencies' tasks
        if (rdir / "meta" / "main.yml").exists():
            (rdir / "meta" / "main.yml").write_text("dependencies: []\n")
    # the node's facts (not this machine's): cached facts, as after a fact-gathering run
    facts = {"set_fact": {**FACTS, "cacheable": True}}
    plays = [{"hosts": "localhost", "gather_facts": False,
              "tasks": [facts, {"import_role": {"name": role, "tasks_from": "confgen_render"}}]}
             for role in by_role]
    pb = root / "ansible" / "confgen_render.yml"
    pb.write_text(yaml.safe_dump(plays, sort_keys=False))
    return pb


def run(rel: Rel, scratch: Path) -> tuple[Path, str]:
    root = scratch / "kolla"
    common.extract("kolla-ansible", rel.ref, root)
    custom = scratch / "config"
    custom.mkdir()
    (custom / "ceph.conf").write_text(EXTERNAL_CEPH_CONF)
    out = scratch / "out" / "etc" / "kolla"
    out.mkdir(parents=True)
    (scratch / "globals.yml").write_text(yaml.safe_dump(globals_for(rel)))
    (scratch / "passwords.yml").write_text(yaml.safe_dump(
        passwords(common.show("kolla-ansible", rel.ref, "etc/kolla/passwords.yml"))))
    facts = scratch / "facts"
    facts.mkdir()
    (facts / "localhost").write_text(json.dumps(
        {**{f"ansible_{k}": v for k, v in FACTS.items()}, "module_setup": True}))
    pb = playbook(root, rel, out)
    for _role, _tpl, svc in services(root):
        (out / svc).mkdir(exist_ok=True)
    venv = ANSIBLE_VENVS[rel.ansible]
    cfg = scratch / "ansible.cfg"
    cfg.write_text(f"""[defaults]
roles_path = {root}/ansible/roles
action_plugins = {root}/ansible/action_plugins
filter_plugins = {root}/ansible/filter_plugins
library = {root}/ansible/library
module_utils = {root}/ansible/module_utils
fact_caching = jsonfile
fact_caching_connection = {facts}
fact_caching_timeout = 0
gathering = smart
host_key_checking = False
interpreter_python = {venv}/bin/python
retry_files_enabled = False
nocows = 1
""")
    # old kolla plugins call inspect.getargspec (gone in Python 3.11): a shim for them only
    compat = scratch / "compat"
    compat.mkdir()
    (compat / "sitecustomize.py").write_text(
        "import inspect\n"
        "if not hasattr(inspect, 'getargspec'):\n"
        "    inspect.getargspec = lambda f: inspect.getfullargspec(f)[:4]\n")
    pybin = scratch / "bin"
    pybin.mkdir()
    for name in ("python", "python3"):
        (pybin / name).symlink_to(venv / "bin" / "python")
    env = {**os.environ, "ANSIBLE_CONFIG": str(cfg), "PYTHONPATH": f"{compat}:{root}",
           "PATH": f"{pybin}:{os.environ.get('PATH', '')}",
           "ANSIBLE_LOCAL_TEMP": str(scratch / "tmp"), "HOME": str(scratch),
           "ANSIBLE_DEPRECATION_WARNINGS": "False"}
    cmd = [str(venv / "bin" / "ansible-playbook"), "-i",
           str(root / "ansible" / "inventory" / "all-in-one"),
           "-e", f"@{scratch / 'globals.yml'}", "-e", f"@{scratch / 'passwords.yml'}",
           "-e", f"CONFGEN_CUSTOM={custom}", "-e", f"node_config_directory={out}",
           "-e", "CONFIG_DIR=/etc/kolla", "-e", "kolla_action=deploy",
           "-e", f"ansible_python_interpreter={venv}/bin/python", str(pb)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"ansible-playbook failed for {rel.name}:\n{r.stdout[-4000:]}\n"
                           f"{r.stderr[-2000:]}")
    return out, r.stdout


def build(rel: Rel, keep: bool = False) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix=f"confgen-kolla-{rel.name}-"))
    try:
        out, _log = run(rel, scratch)
        sha = common.commit_of("kolla-ansible", rel.ref)[:12]
        dest = OUT_ROOT / rel.name
        if dest.exists():
            shutil.rmtree(dest)
        counts = {}
        for f in sorted(out.rglob("*")):
            if not f.is_file():
                continue
            rp = f.relative_to(out).as_posix()
            svc, name = rp.split("/", 1)
            if name == "ceph.conf":
                src = ("ansible/roles/ceph/templates/ceph.conf.j2" if rel.ceph == "kolla"
                       else "operator's ceph.conf (kolla external Ceph guide), copied as is")
            else:
                role = next(r for r, t, s in services(scratch / "kolla") if s == svc)
                src = f"ansible/roles/{role}/templates/{name}.j2"
            header = [f"kolla-ansible {rel.name}: /etc/kolla/{rp} as kolla-ansible writes it "
                      "(all-in-one, Ceph for glance, cinder, nova)",
                      f"built by tools/corpus/build_kolla.py from openstack/kolla-ansible "
                      f"{rel.ref} ({sha}): {src}",
                      "only section headers and option lines are kept; do not edit by hand"]
            counts[rp] = common.write_config(dest / "etc" / "kolla" / rp, header,
                                             f.read_text(errors="replace"))
        for svc, users in CEPH_USERS.items():
            for u in users:
                common.write_keyring(dest / "etc" / "kolla" / svc / f"ceph.client.{u}.keyring",
                                     [f"kolla-ansible {rel.name}: keyring name kolla copies "
                                      f"to {svc}; key replaced"], f"client.{u}")
        nodes = sorted(p.relative_to(dest).as_posix()
                       for p in (dest / "etc" / "kolla").iterdir() if p.is_dir())
        report.upsert({
            "id": f"kolla-ansible/{rel.name}", "tool": "kolla-ansible", "release": rel.name,
            "layout": "kolla: /etc/kolla/<service>/ (one directory per container, each "
                      "with its own config file, ceph.conf and keyrings)",
            "lint": nodes, "extra": [], "keyring_mode": "600",
            "sources": [f"openstack/kolla-ansible {rel.ref} ({sha})"],
            "built": f"python tools/corpus/build_kolla.py {rel.name} (ansible-playbook runs "
                     "the roles' merge_configs on their templates; all-in-one inventory; "
                     + ("kolla-deployed Ceph)" if rel.ceph == "kolla" else "external Ceph)"),
        })
        return counts
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"kept {scratch}", file=sys.stderr)


def main() -> None:
    common.run_builder(__doc__, RELEASES, build, keep_option=True)


if __name__ == "__main__":
    main()
