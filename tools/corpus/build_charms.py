#!/usr/bin/env python3
"""Build the Juju charm trees of the real-files corpus: what the OpenStack charms render on a
nova-compute, cinder (+ cinder-ceph subordinate) and glance unit related to ceph-mon.

How: the charms' own Jinja2 templates, chosen the way charmhelpers' OSConfigRenderer chooses
them (the newest templates/<release>/ directory not newer than the target release, then
templates/, then charmhelpers' shared templates), rendered with the context the charms'
context generators produce for that deployment: the values are in CONTEXT below (a related
ceph-mon, keystone, rabbitmq-server, mysql; charm config defaults). The cinder-ceph
subordinate's backend section is built as its CephSubordinateContext builds it for the
release (hooks/cinder_contexts.py). Keys a context would not provide are left undefined, as
an incomplete relation leaves them.

Layout: /etc/nova/nova.conf, /etc/cinder/cinder.conf, /etc/glance/glance-api.conf, and each
charm's ceph.conf under /var/lib/charm/<service>/ceph.conf (what the services name).

usage: python tools/corpus/build_charms.py [RELEASE ...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import report  # noqa: E402

OUT_ROOT = common.REALFILES / "charms"

ORDER = ["diablo", "essex", "folsom", "grizzly", "havana", "icehouse", "juno", "kilo",
         "liberty", "mitaka", "newton", "ocata", "pike", "queens", "rocky", "stein", "train",
         "ussuri", "victoria", "wallaby", "xena", "yoga", "zed", "antelope", "bobcat",
         "caracal"]
SERIES = {"2023.1": "antelope", "2023.2": "bobcat", "2024.1": "caracal"}


@dataclass(frozen=True)
class Rel:
    name: str  # OpenStack release rendered for
    branch: str  # charms' branch


RELEASES = [
    Rel("mitaka", "stable/16.04"),
    Rel("queens", "stable/18.02"),
    Rel("ussuri", "stable/20.05"),
    Rel("yoga", "stable/yoga"),
    Rel("2024.1", "stable/2024.1"),
]
BY_NAME = {r.name: r for r in RELEASES}

CHARMS = {  # service -> (repo, [(template, node path)])
    "nova-compute": ("charm-nova-compute", [("nova.conf", "etc/nova/nova.conf"),
                                            ("ceph.conf", "var/lib/charm/nova-compute/ceph.conf")]),
    "cinder": ("charm-cinder", [("cinder.conf", "etc/cinder/cinder.conf")]),
    "cinder-ceph": ("charm-cinder-ceph", [("ceph.conf", "var/lib/charm/cinder-ceph/ceph.conf")]),
    "glance": ("charm-glance", [("glance-api.conf", "etc/glance/glance-api.conf"),
                                ("ceph.conf", "var/lib/charm/glance/ceph.conf")]),
}

KEYSTONE = {
    "auth_protocol": "http", "auth_host": "10.0.0.32", "auth_port": "35357",
    "service_protocol": "http", "service_host": "10.0.0.32", "service_port": "5000",
    "api_version": "3", "admin_tenant_name": "services", "admin_domain_name": "service_domain",
    "admin_domain_id": "00000000000000000000000000000d0a", "admin_tenant_id": "0" * 32,
    "admin_password": "keystone-password-placeholder", "auth_type": "password",
    "keystone_authtoken": {"auth_type": "password", "auth_uri": "http://10.0.0.32:5000/v3",
                           "auth_url": "http://10.0.0.32:35357/v3",
                           "project_domain_name": "service_domain",
                           "user_domain_name": "service_domain", "project_name": "services",
                           "username": "SERVICE", "password": "keystone-password-placeholder",
                           "signing_dir": "/var/cache/SERVICE"},
    "region": "RegionOne", "memcache_url": "inet6:[::1]:11211", "use_memcache": True,
    "memcache_server": "::1", "memcache_port": "11211",
}
COMMON = {
    "debug": False, "verbose": False, "use_syslog": False, "workers": 4, "host_ip": "10.0.0.10",
    "transport_url": "rabbit://SERVICE:rabbitmq-password-placeholder@10.0.0.30:5672/openstack",
    "rabbitmq_host": "10.0.0.30", "rabbitmq_user": "SERVICE",
    "rabbitmq_password": "rabbitmq-password-placeholder", "rabbitmq_virtual_host": "openstack",
    "database_type": "mysql+pymysql", "database_host": "10.0.0.31", "database": "SERVICE",
    "database_user": "SERVICE", "database_password": "db-password-placeholder",
    "notifications": "True", "notification_format": "unversioned",
    "mon_hosts": "10.0.0.21 10.0.0.22 10.0.0.23", "auth": "cephx", "use_syslog_ceph": "false",
    "rbd_features": None, "send_notifications_to_logs": False,
    "oslo_messaging_driver": "messagingv2", "enable_auth_encryption": False,
    "signing_dir": "/var/cache/SERVICE", "bind_host": "0.0.0.0", "admin_role": "Admin",
    "registry_host": "0.0.0.0",
    **KEYSTONE,
}
PER_CHARM = {
    "nova-compute": {
        "libvirt_images_type": "rbd", "rbd_pool": "nova", "rbd_user": "nova-compute",
        "rbd_secret_uuid": "00000000-0000-4000-8000-0000000000c1",
        "libvirt_rbd_images_ceph_conf": "/var/lib/charm/nova-compute/ceph.conf",
        "inject_password": False, "inject_partition": -2, "disk_cachemodes": "network=writeback",
        "volume_service": "cinder", "network_manager": "neutron", "neutron_plugin": "ovs",
        "console_vnc_type": True, "console_access_protocol": "novnc",
        "console_listen_addr": "10.0.0.10", "console_keymap": "en-us",
        "novnc_proxy_address": "http://10.0.0.33:6080/vnc_auto.html",
        "glance_api_servers": "http://10.0.0.34:9292", "reserved_host_memory": 512,
        "virt_type": "kvm", "live_migration_uri": "qemu+ssh://%s/system",
        "live_migration_scheme": "ssh", "force_raw_images": True, "cpu_mode": "host-model",
        "libvirt_user": "nova", "arch": "x86_64", "nova_compute_driver": "libvirt.LibvirtDriver",
        "placement": True, "instances_path": "/var/lib/nova/instances",
        "ksm": "AUTO", "host": "juju-compute-1", "default_ephemeral_format": "ext4",
        # charm config defaults (config.yaml)
        "reserved_host_disk": 0, "cross_az_attach": True, "enable_serial_console": False,
        "serial_console_base_url": "http://10.0.0.33:6083/",
    },
    "cinder": {
        "enabled_backends": "cinder-ceph", "volume_driver": None,
        "glance_api_servers": "http://10.0.0.34:9292", "glance_api_version": 2,
        "backup_driver": "cinder.backup.drivers.ceph.CephBackupDriver",
        "volume_usage_audit_period": "month", "default_volume_type": None,
        "image_volume_cache_enabled": False, "api_listen_port": 8766,
        "storage_availability_zone": "nova",
    },
    "cinder-ceph": {},
    "glance": {
        "rbd_pool": "glance", "rbd_user": "glance", "rbd_store_chunk_size": 8,
        "enabled_backend_configs": {"ceph": {"rbd_store_pool": "glance",
                                             "rbd_store_user": "glance",
                                             "rbd_store_ceph_conf": "/etc/ceph/ceph.conf",
                                             "rbd_store_chunk_size": 8}},
        "enabled_backends": "ceph:rbd,local:file", "default_store_backend": "ceph",
        "known_stores": "glance.store.filesystem.Store,glance.store.http.Store,"
                        "glance.store.rbd.Store",
        "stores": "file,http,rbd", "default_store": "rbd", "expose_image_locations": True,
        "disk_formats": "ami,ari,aki,vhd,vmdk,raw,qcow2,vdi,iso,root-tar",
        "bind_port": 9282, "image_size_cap": 1099511627776, "filesystem_store_datadir":
        "/var/lib/glance/images/", "show_multiple_locations": False,
    },
}


def idx(name: str) -> int:
    return ORDER.index(SERIES.get(name, name))


def cinder_ceph_sections(rel: Rel) -> dict:
    """cinder-ceph's CephSubordinateContext (hooks/cinder_contexts.py) for the release."""
    i = idx(rel.name)
    sec = [("volume_backend_name", "cinder-ceph"),
           ("volume_driver", "cinder.volume.drivers.rbd.RBDDriver"),
           ("rbd_pool", "cinder-ceph"), ("rbd_user", "cinder-ceph"),
           ("rbd_secret_uuid", "00000000-0000-4000-8000-0000000000c2"),
           ("rbd_ceph_conf", "/var/lib/charm/cinder-ceph/ceph.conf")]
    if i >= idx("mitaka"):
        sec.append(("report_discard_supported", True))
    if i >= idx("ocata"):
        sec.append(("rbd_exclusive_cinder_pool", True))
    if i >= idx("queens"):
        sec.append(("rbd_flatten_volume_from_snapshot", False))
    return {"cinder-ceph": sec}


def loader(src: Path, rel: Rel) -> jinja2.BaseLoader:
    """charmhelpers.contrib.openstack.templating.get_loader: release dirs newest first up to
    the target, then templates/, then charmhelpers' templates."""
    tdir = src / "templates"
    dirs = [tdir / r for r in reversed(ORDER[: idx(rel.name) + 1]) if (tdir / r).is_dir()]
    ch = next(iter(src.glob("**/charmhelpers/contrib/openstack/templates")), None)
    paths = [*dirs, tdir] + ([ch] if ch else [])
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(p)) for p in paths])


def context(service: str, rel: Rel) -> dict:
    ctx = {**COMMON, **PER_CHARM[service]}
    name = "cinder-ceph" if service == "cinder-ceph" else service
    ks = dict(ctx["keystone_authtoken"])
    ks["username"] = name.split("-")[0]
    ks["signing_dir"] = f"/var/cache/{name.split('-')[0]}"
    ctx["keystone_authtoken"] = ks
    for k in ("transport_url", "rabbitmq_user", "database", "database_user", "signing_dir"):
        ctx[k] = str(ctx[k]).replace("SERVICE", name.split("-")[0])
    ctx["admin_user"] = name.split("-")[0]
    if service == "cinder":
        ctx["sections"] = cinder_ceph_sections(rel)
        ctx["enabled_backends"] = "cinder-ceph"
    if service in ("nova-compute", "glance", "cinder-ceph"):
        ctx["service_name"] = service
    return ctx


def build(rel: Rel) -> dict:
    dest = OUT_ROOT / rel.name
    if dest.exists():
        shutil.rmtree(dest)
    counts: dict = {}
    sources = []
    with tempfile.TemporaryDirectory(prefix="confgen-charms-") as td:
        for service, (repo, files) in CHARMS.items():
            src = Path(td) / repo
            common.extract(repo, rel.branch, src)
            sha = common.commit_of(repo, rel.branch)[:12]
            sources.append(f"openstack/{repo} {rel.branch} ({sha})")
            env = jinja2.Environment(loader=loader(src, rel), keep_trailing_newline=True)
            for tpl, node_path in files:
                t = env.get_template(tpl)
                text = t.render(**context(service, rel))
                where = Path(t.filename).relative_to(src).as_posix()
                header = [f"Juju charm {service} ({rel.name}): /{node_path} as the charm renders"
                          " it (related to ceph-mon, keystone, rabbitmq-server, mysql)",
                          f"built by tools/corpus/build_charms.py from openstack/{repo} "
                          f"{rel.branch} ({sha}): {where}",
                          "only section headers and option lines are kept; do not edit by hand"]
                style = "ceph" if tpl == "ceph.conf" else "oslo"
                out = dest / "units" / service / node_path
                counts[f"{service}/{node_path}"] = common.write_config(out, header, text, style)
            if service in ("nova-compute", "cinder-ceph", "glance"):
                user = {"nova-compute": "nova-compute", "cinder-ceph": "cinder-ceph",
                        "glance": "glance"}[service]
                common.write_keyring(
                    dest / "units" / service / "etc" / "ceph" / f"ceph.client.{user}.keyring",
                    [f"Juju charm {service} ({rel.name}): keyring name the charm writes "
                     "(ceph_helpers ensure_ceph_keyring); key replaced"], f"client.{user}")
    # charmhelpers installs /etc/ceph/ceph.conf as an alternative pointing at the charm's file
    for unit, svc in (("nova-compute", "nova-compute"), ("glance", "glance"),
                      ("cinder-ceph", "cinder-ceph")):
        link = dest / "units" / unit / "etc" / "ceph" / "ceph.conf"
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(f"../../var/lib/charm/{svc}/ceph.conf")
    # cinder and its subordinate share the unit's filesystem
    sub = dest / "units" / "cinder-ceph"
    shutil.copytree(sub, dest / "units" / "cinder", dirs_exist_ok=True, symlinks=True)
    shutil.rmtree(sub)
    report.upsert({
        "id": f"charms/{rel.name}", "tool": "charms", "release": rel.name,
        "layout": "charms: units/<unit>/ is each unit's root (etc/<service>/..., ceph.conf in "
                  "var/lib/charm/<service>/ceph.conf, keyrings in etc/ceph/)",
        "lint": [f"units/{u}/etc" for u in ("nova-compute", "cinder", "glance")],
        "extra": [], "keyring_mode": "600", "sources": sources,
        "built": f"python tools/corpus/build_charms.py {rel.name} (the charms' templates for "
                 f"{rel.name}, charmhelpers' loader, the contexts of a Ceph-related deployment)",
    })
    return counts


def main() -> None:
    common.run_builder(__doc__, RELEASES, build)


if __name__ == "__main__":
    main()
