"""Which cephx user and libvirt secret each RBD disk on a compute node is opened with, as the
release's nova and cinder decide it (confgen.matrix.behaviour: nova's own disks use
[libvirt] rbd_user/rbd_secret_uuid; for volumes the release decides whether cinder's
connection info or nova's settings win, and whether cinder hands over the cluster fsid when
its rbd_secret_uuid is unset)."""

from __future__ import annotations

from confgen.matrix import behaviour
from confgen.parse.document import Entry
from confgen.record import dataclass, field
from confgen.rules.base import Context, LintFile
from confgen.rules.services import nova_read

FSID = "<the cluster fsid>"  # stands for cinder's default secret when ceph.conf is not seen


@dataclass
class SecretUse:
    """One kind of disk libvirt opens: with which user and which secret, set where."""

    what: str  # "nova's disks", "volumes of cinder [ceph]"
    user: str  # cephx user without "client." ("admin" when none is named)
    uuid: str  # lower-case uuid, or FSID
    entries: list[tuple[LintFile, Entry]] = field(default_factory=list)
    note: str = ""  # how the release came to this pair

    @property
    def anchor(self) -> tuple[LintFile, Entry] | None:
        return self.entries[-1] if self.entries else None


def _val(e: Entry | None) -> str | None:
    v = e.value.strip() if e is not None else ""
    return v or None


def _user(v: str | None) -> str:
    return (v or "admin").removeprefix("client.")


def cluster_fsid(ctx: Context) -> str | None:
    ceph = ctx.peer("ceph.conf")
    e = ceph.get("global", "fsid") if ceph is not None else None
    return _val(e).lower() if _val(e) else None


def secret_uses(ctx: Context) -> list[SecretUse]:
    """Every (user, secret) pair libvirt is handed on a compute node configured by these
    files. Volumes are judged only when nova.conf and cinder.conf are both there (one alone
    does not say what the other hands over)."""
    rel = ctx.release
    nova, cinder = ctx.files.get("nova.conf"), ctx.files.get("cinder.conf")
    if rel is None or nova is None:
        return []
    n_user_e, n_sec_e = nova_read(ctx, "user"), nova_read(ctx, "secret_uuid")
    n_user, n_sec = _val(n_user_e), _val(n_sec_e)
    n_entries = [(nova, e) for e in (n_user_e, n_sec_e) if e is not None]
    out: list[SecretUse] = []
    images = nova_read(ctx, "images_type")
    if images is not None and images.value.strip() == "rbd" and n_sec \
            and behaviour.disk_secret(rel) is not None:
        out.append(SecretUse("nova's disks", _user(n_user), n_sec.lower(), n_entries))
    rule = behaviour.volume_secret_rule(rel)
    if cinder is None or rule is None:
        return out
    default = behaviour.cinder_secret_default(rel)
    fsid = cluster_fsid(ctx) or FSID
    for sec in ctx.rbd_backends:
        c_user_e = ctx.read("cinder.conf", "@backend.rbd_user", sec, ((sec, "rbd_user"),))
        c_sec_e = ctx.read("cinder.conf", "@backend.rbd_secret_uuid", sec,
                           ((sec, "rbd_secret_uuid"),))
        c_user, c_sec = _val(c_user_e), _val(c_sec_e)
        c_entries = [(cinder, e) for e in (c_user_e, c_sec_e) if e is not None]
        note = ""
        if c_sec is None and default is not None and default.get("default") == "fsid":
            c_sec, note = fsid, f"cinder {rel} hands over the cluster fsid when rbd_secret_uuid " \
                                "is not set"
        what = f"volumes of cinder [{sec}]"
        if rule.get("rule") == "nova_first":
            if n_sec:
                user = n_user or c_user
                out.append(SecretUse(what, _user(user), n_sec.lower(),
                                     n_entries + ([] if n_user else c_entries[:1]),
                                     f"nova {rel} uses [libvirt] rbd_secret_uuid for volumes "
                                     "when it is set"))
            elif c_user_e is not None and c_sec:
                out.append(SecretUse(what, _user(c_user), c_sec.lower(), c_entries, note))
        else:  # cinder_first
            if c_user_e is not None:
                if c_sec:
                    out.append(SecretUse(what, _user(c_user), c_sec.lower(), c_entries, note))
                elif n_sec:
                    out.append(SecretUse(what, _user(n_user), n_sec.lower(), n_entries,
                                         f"cinder [{sec}] hands over no secret, so nova {rel} "
                                         "falls back to its own rbd_user and rbd_secret_uuid"))
            elif n_sec:
                out.append(SecretUse(what, _user(n_user), n_sec.lower(), n_entries,
                                     f"cinder [{sec}] names no rbd_user, so nova {rel} uses its "
                                     "own"))
    return out
