#!/usr/bin/env python3
"""Build the OpenStack-Ansible trees of the real-files corpus: each node's /etc of an
all-in-one deployment with Ceph (the compute host and the service containers).

How: Ansible renders the os_nova / os_cinder / os_glance roles' templates (the roles' defaults
and vars load through import_role) with the openstack-ansible repository's inventory
group_vars of the same release, an inventory of the AIO's nodes (host `aio1` runs
nova-compute; containers run the APIs, cinder-volume and glance), and user variables that
enable Ceph as OpenStack-Ansible's Ceph documentation shows (glance_default_store = rbd,
nova_libvirt_images_rbd_pool, an RBD entry in cinder_backends, ceph_mons). The roles render
these files with openstack-ansible-plugins' `config_template` and no overrides: here the
`template` module renders the same template (config_template's re-formatting of the INI is
left out; only option lines are kept anyway). ceph.conf is the operator's file the
ceph_client role installs (`ceph_conf_file`): the minimal ceph.conf of the docs.

usage: python tools/corpus/build_osa.py [RELEASE ...]
Needs the mirrors openstack/openstack-ansible, openstack-ansible-os_{nova,cinder,glance}
and ansible-core (see build_kolla.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_kolla as bk  # noqa: E402
import common  # noqa: E402
import report  # noqa: E402

OUT_ROOT = common.REALFILES / "openstack-ansible"


@dataclass(frozen=True)
class Rel:
    name: str
    ref: str  # of every OSA repository (same branch/tag names)


RELEASES = [
    Rel("ussuri", "ussuri-eol"),
    Rel("zed", "zed-eom"),
    Rel("2024.1", "unmaintained/2024.1"),
    Rel("2025.1", "stable/2025.1"),
]
BY_NAME = {r.name: r for r in RELEASES}

ROLES = {"os_nova": "openstack-ansible-os_nova", "os_cinder": "openstack-ansible-os_cinder",
         "os_glance": "openstack-ansible-os_glance"}

# node -> (groups, [(role, template, dest under /etc)])
NODES = {
    "aio1": (["nova_compute", "nova_all", "compute_hosts", "hosts"],
             [("os_nova", "nova.conf.j2", "nova/nova.conf")]),
    "aio1_nova_api_container": (
        ["nova_api_os_compute", "nova_api_metadata", "nova_conductor", "nova_scheduler",
         "nova_console", "nova_all", "all_containers"],
        [("os_nova", "nova.conf.j2", "nova/nova.conf")]),
    "aio1_cinder_api_container": (
        ["cinder_api", "cinder_scheduler", "cinder_all", "all_containers"],
        [("os_cinder", "cinder.conf.j2", "cinder/cinder.conf")]),
    "aio1_cinder_volumes_container": (
        ["cinder_volume", "cinder_backup", "cinder_all", "all_containers"],
        [("os_cinder", "cinder.conf.j2", "cinder/cinder.conf")]),
    "aio1_glance_container": (
        ["glance_api", "glance_all", "all_containers"],
        [("os_glance", "glance-api.conf.j2", "glance/glance-api.conf")]),
}
CEPH_NODES = {"aio1": ["cinder"], "aio1_cinder_volumes_container": ["cinder", "cinder-backup"],
              "aio1_glance_container": ["glance"]}

USER_VARIABLES = {
    # OpenStack-Ansible's Ceph guide (production/ceph): services use an external cluster
    "ceph_mons": ["10.0.0.21", "10.0.0.22", "10.0.0.23"],
    "glance_default_store": "rbd",
    "glance_rbd_store_pool": "images",
    "nova_libvirt_images_rbd_pool": "vms",
    "cinder_backends": {
        "rbd_volumes": {
            "volume_driver": "cinder.volume.drivers.rbd.RBDDriver",
            "rbd_pool": "volumes",
            "rbd_ceph_conf": "/etc/ceph/ceph.conf",
            "rbd_store_chunk_size": 8,
            "volume_backend_name": "rbddriver",
            "rbd_user": "{{ cinder_ceph_client }}",
            "rbd_secret_uuid": "{{ cinder_ceph_client_uuid }}",
            "report_discard_supported": True,
        }
    },
    "cinder_service_backup_program_enabled": True,
    "cinder_service_backup_driver": "cinder.backup.drivers.ceph.CephBackupDriver",
    "ceph_conf_file": bk.EXTERNAL_CEPH_CONF,
    "internal_lb_vip_address": "10.0.0.250",
    "external_lb_vip_address": "10.0.0.251",
    "management_address": "10.0.0.10",
    "container_address": "10.0.0.10",
    "openstack_domain": "openstack.local",
    "nova_virt_type": "kvm",
    # what the playbooks' role vars pass in older releases (common-playbooks/*.yml)
    "nova_management_address": "10.0.0.10",
    "cinder_storage_address": "10.0.0.10",
    "storage_address": "10.0.0.10",
    "cinder_ceph_client_uuid": "00000000-0000-4000-8000-00000000000c",
    "nova_ceph_client_uuid": "00000000-0000-4000-8000-00000000000c",
}


def secrets(ref: str) -> dict:
    text = common.show("openstack-ansible", ref, "etc/openstack_deploy/user_secrets.yml")
    data = yaml.safe_load(text) or {}
    return {k: (f"{k}-placeholder" if "uuid" not in k else "00000000-0000-4000-8000-00000000000d")
            for k in data}


def run(rel: Rel, scratch: Path) -> Path:
    osa = scratch / "osa"
    common.extract("openstack-ansible", rel.ref, osa)
    roles = scratch / "roles"
    for role, repo in ROLES.items():
        common.extract(repo, rel.ref, roles / role)
        (roles / role / "meta" / "main.yml").parent.mkdir(exist_ok=True)
        (roles / role / "meta" / "main.yml").write_text("dependencies: []\n")
    out = scratch / "out"
    inv = scratch / "inventory"
    inv.mkdir()
    gv = osa / "inventory" / "group_vars"
    if not gv.is_dir():
        gv = osa / "playbooks" / "inventory" / "group_vars"
    shutil.copytree(gv, inv / "group_vars")
    if (gv.parent / "host_vars").is_dir():  # older releases compute some values on localhost
        shutil.copytree(gv.parent / "host_vars", inv / "host_vars")
    groups: dict[str, list[str]] = {}
    for node, (gs, _jobs) in NODES.items():
        for g in gs:
            groups.setdefault(g, []).append(node)
    # every group the group_vars name exists (with no hosts unless listed above)
    for p in (inv / "group_vars").iterdir():
        groups.setdefault(p.name.removesuffix(".yml"), [])
    for g in ("galera_all", "rabbitmq_all", "memcached_all", "utility_all", "keystone_all",
              "neutron_server", "ceph-mon"):
        groups.setdefault(g, ["aio1"])
    lines = ["localhost ansible_connection=local"]
    for node in NODES:
        lines.append(f"{node} ansible_connection=local ansible_host=10.0.0.10")
    for g, hosts in sorted(groups.items()):
        lines.append(f"\n[{g}]")
        lines.extend(hosts)
    (inv / "hosts").write_text("\n".join(lines) + "\n")
    (scratch / "user_variables.yml").write_text(yaml.safe_dump(USER_VARIABLES))
    (scratch / "user_secrets.yml").write_text(yaml.safe_dump(secrets(rel.ref)))
    plays = []
    for node, (_gs, jobs) in NODES.items():
        facts = {**bk.FACTS, "hostname": node}
        # older roles read facts as ansible_<name> variables
        tasks: list[dict] = [{"set_fact": {**facts, **{f"ansible_{k}": v for k, v in facts.items()},
                                           "cacheable": True}}]
        for role, tpl, dest in jobs:
            tdir = roles / role / "tasks"
            fname = f"confgen_{node}_{tpl.replace('.', '_')}.yml"
            (out / node / "etc" / Path(dest).parent).mkdir(parents=True, exist_ok=True)
            prep: list[dict] = []
            # what the role's main.yml does first (tagged always): distro and install-method
            # vars; os_nova also turns nova_virt_types[nova_virt_type] into facts
            for vf in ("debian.yml", "ubuntu.yml", "source_install.yml"):
                if (roles / role / "vars" / vf).exists():
                    prep.append({"include_vars": f"{{{{ role_path }}}}/vars/{vf}"})
            if role == "os_nova":
                prep.append({"set_fact": {"{{ item.key }}": "{{ item.value }}"},
                             "with_dict": "{{ nova_virt_types[nova_virt_type] }}"})
            (tdir / fname).write_text(yaml.safe_dump(prep + [{
                "name": f"render {node}:/etc/{dest}",
                "template": {"src": f"{{{{ role_path }}}}/templates/{tpl}",
                             "dest": str(out / node / "etc" / dest), "mode": "0640"},
            }], sort_keys=False))
            tasks.append({"import_role": {"name": role, "tasks_from": fname}})
        plays.append({"hosts": node, "gather_facts": False, "tasks": tasks})
    pb = scratch / "confgen_render.yml"
    pb.write_text(yaml.safe_dump(plays, sort_keys=False))
    venv = bk.ANSIBLE_VENVS["old"]
    cfg = scratch / "ansible.cfg"
    cfg.write_text(f"""[defaults]
roles_path = {roles}
host_key_checking = False
interpreter_python = {venv}/bin/python
retry_files_enabled = False
""")
    pybin = scratch / "bin"
    pybin.mkdir()
    for name in ("python", "python3"):
        (pybin / name).symlink_to(venv / "bin" / "python")
    env = {**os.environ, "ANSIBLE_CONFIG": str(cfg), "HOME": str(scratch),
           "PATH": f"{pybin}:{os.environ.get('PATH', '')}",
           "ANSIBLE_LOCAL_TEMP": str(scratch / "tmp"), "ANSIBLE_DEPRECATION_WARNINGS": "False"}
    cmd = [str(venv / "bin" / "ansible-playbook"), "-i", str(inv / "hosts"),
           "-e", f"@{scratch / 'user_variables.yml'}", "-e", f"@{scratch / 'user_secrets.yml'}",
           "-e", f"ansible_python_interpreter={venv}/bin/python", str(pb)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"ansible-playbook failed for {rel.name}:\n{r.stdout[-5000:]}\n"
                           f"{r.stderr[-2000:]}")
    return out


def build(rel: Rel, keep: bool = False) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix=f"confgen-osa-{rel.name}-"))
    try:
        out = run(rel, scratch)
        shas = {repo: common.commit_of(repo, rel.ref)[:12]
                for repo in ("openstack-ansible", *ROLES.values())}
        dest = OUT_ROOT / rel.name
        if dest.exists():
            shutil.rmtree(dest)
        counts = {}
        for node, (_gs, jobs) in NODES.items():
            for role, tpl, rp in jobs:
                f = out / node / "etc" / rp
                header = [f"OpenStack-Ansible {rel.name}: {node}:/etc/{rp} as the {role} role "
                          "writes it (AIO, Ceph for glance, cinder, nova)",
                          f"built by tools/corpus/build_osa.py from openstack/{ROLES[role]} "
                          f"{rel.ref} ({shas[ROLES[role]]}): templates/{tpl}, with "
                          f"openstack/openstack-ansible {rel.ref} ({shas['openstack-ansible']}) "
                          "inventory/group_vars",
                          "only section headers and option lines are kept; do not edit by hand"]
                counts[f"{node}/{rp}"] = common.write_config(dest / node / "etc" / rp, header,
                                                             f.read_text(errors="replace"))
        for node, users in CEPH_NODES.items():
            common.write_config(dest / node / "etc" / "ceph" / "ceph.conf",
                                [f"OpenStack-Ansible {rel.name}: {node}:/etc/ceph/ceph.conf: the "
                                 "operator's ceph_conf_file the ceph_client role installs",
                                 "(minimal ceph.conf of the Ceph documentation)"],
                                bk.EXTERNAL_CEPH_CONF, "ceph")
            for u in users:
                common.write_keyring(dest / node / "etc" / "ceph" / f"ceph.client.{u}.keyring",
                                     [f"OpenStack-Ansible {rel.name}: keyring name the "
                                      "ceph_client role writes; key replaced"], f"client.{u}")
        report.upsert({
            "id": f"openstack-ansible/{rel.name}", "tool": "openstack-ansible",
            "release": rel.name,
            "layout": "osa: one directory per node of the AIO (host aio1 = nova-compute, "
                      "LXC containers for the APIs, cinder-volume, glance), each its own /etc",
            "lint": [f"{n}/etc" for n in NODES], "extra": [], "keyring_mode": "600",
            "sources": [f"openstack/{repo} {rel.ref} ({sha})" for repo, sha in shas.items()],
            "built": f"python tools/corpus/build_osa.py {rel.name} (ansible-playbook renders "
                     "the roles' templates with the release's inventory group_vars and the Ceph "
                     "guide's user variables)",
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
