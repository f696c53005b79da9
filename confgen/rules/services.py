"""What the parsed files say about how each service uses Ceph (shared by cross-file rules).

Options are looked up under every spelling they had (newest first); which spelling the release
accepts is the matrix rules' business, here only the value counts. Defaults are the upstream
defaults a missing option falls back to.
"""

from __future__ import annotations

from confgen.parse.document import Entry
from confgen.record import dataclass
from confgen.rules.base import Context, LintFile, glance_stores, split_list, truthy

# nova's Ceph options by stable key, with the spellings they had (used only when the release
# has no data to say which spelling it reads)
NOVA = {
    "images_type": ("libvirt.images_type",
                    (("libvirt", "images_type"), ("DEFAULT", "libvirt_images_type"))),
    "pool": ("libvirt.images_rbd_pool",
             (("libvirt", "images_rbd_pool"), ("DEFAULT", "libvirt_images_rbd_pool"))),
    "ceph_conf": ("libvirt.images_rbd_ceph_conf",
                  (("libvirt", "images_rbd_ceph_conf"),
                   ("DEFAULT", "libvirt_images_rbd_ceph_conf"))),
    "user": ("libvirt.rbd_user", (("libvirt", "rbd_user"), ("DEFAULT", "rbd_user"))),
    "secret_uuid": ("libvirt.rbd_secret_uuid",
                    (("libvirt", "rbd_secret_uuid"), ("DEFAULT", "rbd_secret_uuid"))),
}


def nova_read(ctx: Context, what: str) -> Entry | None:
    """The entry nova of the linted release reads for one of its Ceph options."""
    key, spellings = NOVA[what]
    return ctx.read("nova.conf", key, spellings=spellings)


@dataclass
class CephUse:
    """One service's use of Ceph: who (user), where (pool), with which ceph.conf."""

    service: str  # "nova", "cinder [ceph]", "cinder-backup", "glance"
    lf: LintFile
    anchor: Entry | None  # the line that turns the use on (for finding positions)
    user: Entry | None
    pool: str
    pool_entry: Entry | None
    ceph_conf: Entry | None
    secret_uuid: Entry | None = None


def glance_rbd(lf: LintFile) -> bool:
    doc = lf.doc
    for sec in ("glance_store", "DEFAULT"):
        if (doc.value(sec, "default_store") or "").strip() == "rbd":
            return True
        if "rbd" in split_list(doc.value(sec, "stores") or ""):
            return True
    e = doc.get("DEFAULT", "enabled_backends")
    return bool(e) and any(i.partition(":")[2].strip() == "rbd" for i in split_list(e.value))


def uses(ctx: Context) -> list[CephUse]:
    """Every service's use of Ceph in this set of files. Six rules ask: worked out once per
    context (again only if a document changed since)."""
    stamp = tuple((ft, id(lf.doc), len(lf.doc.entries)) for ft, lf in ctx.files.items())
    hit = ctx.__dict__.get("_ceph_uses")
    if hit is None or hit[0] != stamp:
        hit = ctx.__dict__["_ceph_uses"] = (stamp, _uses(ctx))
    return list(hit[1])


def _uses(ctx: Context) -> list[CephUse]:
    out: list[CephUse] = []
    nova = ctx.files.get("nova.conf")
    if nova is not None:
        it = nova_read(ctx, "images_type")
        if it is not None and it.value.strip() == "rbd":
            pe = nova_read(ctx, "pool")
            out.append(CephUse("nova", nova, it, nova_read(ctx, "user"),
                               pe.value.strip() if pe else "rbd", pe,
                               nova_read(ctx, "ceph_conf"), nova_read(ctx, "secret_uuid")))
    cinder = ctx.files.get("cinder.conf")
    if cinder is not None:
        doc = cinder.doc
        for sec in ctx.rbd_backends:
            pe = doc.get(sec, "rbd_pool")
            out.append(CephUse(f"cinder [{sec}]", cinder, doc.get(sec, "volume_driver"),
                               doc.get(sec, "rbd_user"), pe.value.strip() if pe else "rbd", pe,
                               doc.get(sec, "rbd_ceph_conf"), doc.get(sec, "rbd_secret_uuid")))
        bd = doc.get("DEFAULT", "backup_driver") or doc.get("backup", "backup_driver")
        if bd is not None and "ceph" in bd.value.lower():
            sec = bd.section or "DEFAULT"
            pe = doc.get(sec, "backup_ceph_pool")
            out.append(CephUse("cinder-backup", cinder, bd, doc.get(sec, "backup_ceph_user"),
                               pe.value.strip() if pe else "backups", pe,
                               doc.get(sec, "backup_ceph_conf")))
    glance = ctx.files.get("glance-api.conf")
    if glance is not None and glance_rbd(glance):
        doc = glance.doc
        stores = [s for s in glance_stores(doc) if doc.has_section(s)
                  and any(e.key.startswith("rbd_store") for e in doc.in_section(s))]
        anchor = None
        for sec, key in (("glance_store", "stores"), ("glance_store", "default_store"),
                         ("DEFAULT", "default_store"), ("DEFAULT", "enabled_backends")):
            anchor = anchor or doc.get(sec, key)
        # multi-store: one use per rbd store section; else [glance_store] (older: [DEFAULT])
        for name, look in ([(f"glance [{s}]", [s]) for s in stores]
                           or [("glance", ["glance_store", "DEFAULT"])]):

            def first(key: str, look: list[str] = look) -> Entry | None:
                return next((doc.get(s, key) for s in look if doc.get(s, key)), None)

            pe = first("rbd_store_pool")
            out.append(CephUse(name, glance, anchor, first("rbd_store_user"),
                               pe.value.strip() if pe else "images", pe,
                               first("rbd_store_ceph_conf")))
    return out


def daemon(use: CephUse) -> str:
    """The service process that opens the Ceph connection for a use."""
    if use.service == "nova":
        return "nova-compute"
    if use.service.startswith("cinder ["):
        return "cinder-volume"
    if use.service == "cinder-backup":
        return "cinder-backup"
    return "glance-api"


def runs_here(use: CephUse) -> bool:
    """Does the process of this use run with this file (when its place says which run)? A
    kolla api container's nova.conf names the RBD disks too, but only nova-compute connects."""
    from confgen.layouts import runs

    here = runs(use.lf.path)
    return here is None or daemon(use) in here


def is_true(e: Entry | None) -> bool:
    return e is not None and truthy(e.value) is True
