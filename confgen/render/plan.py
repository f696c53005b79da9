"""Intent -> what each OpenStack/Ceph INI file should say, as wants placed by the matrix.

Each builder lists, in a stable order, the settings the intent implies; the Placer asks the
release's matrix where each goes. Nothing here compares releases: where two releases need a
different *form*, the form is chosen by which option exists (or by its recorded default).
"""

from __future__ import annotations

from confgen.intent import Intent
from confgen.matrix import OptionAt
from confgen.render.model import Placer, Want

RBD_DRIVER = "cinder.volume.drivers.rbd.RBDDriver"
# Flags the Ceph guides of the live_migration_flag era recommend: keep the domain defined on the
# destination and gone from the source (disks live in RBD, so nothing is copied).
LIVE_MIGRATION_FLAGS = (
    "VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,VIR_MIGRATE_LIVE,VIR_MIGRATE_PERSIST_DEST"
)


def _backup_driver(at: OptionAt) -> str:
    """The release's own default says which form its loader takes: a module path (older) or a
    class path (newer, last component capitalised)."""
    default = str(at.era.default or "")
    if default.rpartition(".")[2][:1].isupper():
        return "cinder.backup.drivers.ceph.CephBackupDriver"
    return "cinder.backup.drivers.ceph"


def _stores(at: OptionAt) -> list[str]:
    """Enabled stores in the spelling the release's default uses: short names ("rbd", "http")
    or store class paths (early releases list "glance.store.http.Store" style entries)."""
    default = [str(d) for d in (at.era.default or [])]
    pattern = next((d for d in default if ".http." in d), "")
    if pattern:
        return [pattern.replace(".http.", f".{s}.") for s in ("rbd", "http")]
    return ["rbd", "http"]


def _lvm_driver(at: OptionAt) -> str:
    # volume_driver defaults to the LVM driver in every release, in that release's spelling.
    return str(at.era.default or "cinder.volume.drivers.lvm.LVMVolumeDriver")


def glance(it: Intent, p: Placer) -> None:
    g = it.glance
    multi = it.glance_multistore
    if multi is None:  # multi-store where preferred: where the single-store way is deprecated
        ms = p.find("DEFAULT.enabled_backends")
        single = p.find("glance_store.default_store")
        multi = ms is not None and (single is None or single.era.deprecated)
    store = it.glance_store_name
    if multi:
        p.place(Want("DEFAULT.enabled_backends", {store: "rbd"},
                     "store name:type pairs; images go to the store named below",
                     asked_by="[glance] multistore"))
        p.place(Want("glance_store.default_backend", store, asked_by="[glance] multistore"))
        sec = dict(section=store, dynamic="@store")
    else:
        p.place(Want("glance_store.stores", _stores,
                     "RBD for images; http so images can still be registered by URL"))
        p.place(Want("glance_store.default_store", "rbd",
                     asked_by="[glance] enabled"))
        sec = {}
    p.place(Want("glance_store.rbd_store_pool", g.pool, asked_by="[glance] pool", **sec))
    if it.cephx:
        p.place(Want("glance_store.rbd_store_user", g.user, "cephx user (client.NAME without "
                     "'client.'); its keyring must be readable by glance", **sec))
    p.place(Want("glance_store.rbd_store_ceph_conf", it.ceph_conf, **sec))
    if not it.glance_image_cache:
        p.place(Want("paste_deploy.flavor", "keystone",
                     "keystone auth without the cachemanagement middleware: no local copy of "
                     "images that already live in RBD", asked_by="[glance] image_cache"))
    if it.copy_on_write:
        p.place(Want("DEFAULT.show_image_direct_url", True,
                     "exposes the RBD location so cinder and nova clone images instead of "
                     "copying: keep this API endpoint internal",
                     asked_by="[features] copy_on_write", ignore="CG505"))


def cinder(it: Intent, p: Placer) -> None:
    if it.cinder_enabled and it.backends:
        p.place(Want("DEFAULT.enabled_backends", [b.name for b in it.backends],
                     "each name is a section below", asked_by="[cinder] backends"))
        if it.default_backend:
            bk = next(b for b in it.backends if b.name == it.default_backend)
            p.place(Want("DEFAULT.default_volume_type", bk.backend_name,
                         f"a volume type {bk.backend_name!r} with property volume_backend_name="
                         f"{bk.backend_name} must exist", asked_by="[cinder] default_backend"))
        if it.copy_on_write and it.glance.enabled:
            p.place(Want("DEFAULT.glance_api_version", lambda at: None if at.era.default == 2
                         else 2, "image locations (for cloning from RBD) need the v2 API"))
        for b in it.backends:
            sec = dict(section=b.name, dynamic="@backend")
            if b.driver == "rbd":
                p.place(Want("@backend.volume_driver", RBD_DRIVER, **sec,
                             asked_by=f"[cinder.backends.{b.name}] driver"))
                p.place(Want("@backend.volume_backend_name", b.backend_name,
                             "volume types select this backend by this name", **sec))
                p.place(Want("@backend.rbd_pool", b.pool, **sec))
                p.place(Want("@backend.rbd_ceph_conf", it.ceph_conf, **sec))
                if it.cephx:
                    p.place(Want("@backend.rbd_user", b.user, **sec))
                    p.place(Want("@backend.rbd_secret_uuid", it.secrets[b.user],
                                 "libvirt secret holding client." + b.user + "'s key on compute "
                                 "nodes (nova/secret.xml)", **sec))
                if it.discard is not False:
                    p.place(Want("@backend.report_discard_supported", True,
                                 "tells nova the volume can take discard/trim", **sec,
                                 asked_by="[features] discard" if it.discard else ""))
            else:
                p.place(Want("@backend.volume_driver", _lvm_driver, **sec))
                p.place(Want("@backend.volume_backend_name", b.backend_name,
                             "volume types select this backend by this name", **sec))
                p.place(Want("@backend.volume_group", b.volume_group, **sec))
    if it.backup.enabled:
        p.place(Want("DEFAULT.backup_driver", _backup_driver,
                     "written in the form (module or class path) this release loads",
                     asked_by="[cinder_backup] enabled"))
        p.place(Want("DEFAULT.backup_ceph_conf", it.ceph_conf))
        if it.cephx:
            p.place(Want("DEFAULT.backup_ceph_user", it.backup.user))
        p.place(Want("DEFAULT.backup_ceph_pool", it.backup.pool, asked_by="[cinder_backup] pool"))


def nova(it: Intent, p: Placer) -> None:
    n = it.nova
    if n.enabled:
        p.place(Want("libvirt.images_type", "rbd", "instance disks live in Ceph",
                     asked_by="[nova] ephemeral"))
        p.place(Want("libvirt.images_rbd_pool", n.pool, asked_by="[nova] pool"))
        p.place(Want("libvirt.images_rbd_ceph_conf", it.ceph_conf))
    if it.cephx and it.nova_uses_ceph:
        p.place(Want("libvirt.rbd_user", n.user, "also used to attach cinder RBD volumes"))
        p.place(Want("libvirt.rbd_secret_uuid", it.secrets[n.user],
                     "libvirt secret defined from nova/secret.xml"))
    if n.enabled and not it.file_injection:
        why = "no file injection: it cannot reach inside RBD-backed disks"
        p.place(Want("libvirt.inject_password", False, why))
        p.place(Want("libvirt.inject_key", False))
        p.place(Want("libvirt.inject_partition", -2, "-2 turns injection off entirely"))
    if it.rbd_cache and it.nova_uses_ceph:
        p.place(Want("libvirt.disk_cachemodes", ["network=writeback"],
                     "let librbd's cache work (QEMU otherwise opens RBD disks uncached)",
                     asked_by="[features] rbd_cache"))
    if it.discard is not False and it.nova_uses_ceph:
        p.place(Want("libvirt.hw_disk_discard", "unmap",
                     "pass guest trim/discard down to RBD so freed space returns to the pool",
                     asked_by="[features] discard" if it.discard else ""))
    if it.live_migration is not False and n.enabled:
        # Releases with live_migration_flag need the flags spelled out; later ones build them
        # and only need tunnelling off; the newest need nothing (their defaults are right).
        flag = p.find("libvirt.live_migration_flag")
        tunnel = p.find("libvirt.live_migration_tunnelled")
        if flag is not None and not flag.era.deprecated:
            p.place(Want("libvirt.live_migration_flag", LIVE_MIGRATION_FLAGS,
                         "disks are shared in RBD: migrate memory only, keep the domain defined"))
        elif tunnel is not None and not tunnel.era.deprecated:
            p.place(Want("libvirt.live_migration_tunnelled", False,
                         "disks are shared in RBD, only memory moves; nova picks the flags"))


def ceph(it: Intent, p: Placer) -> None:
    p.place(Want("global.fsid", it.fsid, asked_by="[ceph] fsid"))
    p.place(Want("global.mon_host", list(it.mon_host), asked_by="[ceph] mon_host"))
    if it.public_network:
        p.place(Want("global.public_network", it.public_network))
    if it.cluster_network:
        p.place(Want("global.cluster_network", it.cluster_network))
    auth = "cephx" if it.cephx else "none"
    placed = [p.place(Want(f"global.auth_{k}_required", auth)) for k in ("cluster", "service",
                                                                          "client")]
    if not any(placed):
        p.place(Want("global.auth_supported", auth, asked_by="[ceph] cephx"))
    if it.rbd_cache:
        p.place(Want("client.rbd_cache", True, "librbd write-back cache (QEMU must open the "
                     "disk with cache=writeback, see nova disk_cachemodes)",
                     asked_by="[features] rbd_cache"))
        p.place(Want("client.rbd_cache_writethrough_until_flush", True,
                     "stay safe for guests that never flush until they first do"))
    if it.client_sockets:
        p.place(Want("client.admin_socket",
                     "/var/run/ceph/guests/$cluster-$type.$id.$pid.$cctid.asok",
                     "one socket per librbd client (each guest): ceph daemon SOCKET help",
                     asked_by="[features] client_sockets"))
        p.place(Want("client.log_file", "/var/log/qemu/qemu-guest-$pid.log",
                     asked_by="[features] client_sockets"))
    if it.cephx:
        for user in _client_users(it):
            p.place(Want(("client.keyring", "global.keyring"),
                         f"/etc/ceph/ceph.client.{user}.keyring", section=f"client.{user}",
                         dynamic="@client"))


def _client_users(it: Intent) -> list[str]:
    users: list[str] = []
    if it.glance.enabled:
        users.append(it.glance.user)
    users += [b.user for b in it.rbd_backends]
    if it.backup.enabled:
        users.append(it.backup.user)
    if it.nova_uses_ceph:
        users.append(it.nova.user)
    return list(dict.fromkeys(users))


BUILDERS = {"glance-api.conf": glance, "cinder.conf": cinder, "nova.conf": nova,
            "ceph.conf": ceph}
