"""CG306: pool and user names Ceph (or the rbd image spec) cannot use. A user option takes the
id without the `client.` prefix: `rbd_user = client.cinder` makes librados look for
`client.client.cinder`."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.lazyre import lazy
from confgen.rules.base import Context, Finding, Rule, entries

_USER_KEYS = ("rbd_user", "rbd_store_user", "backup_ceph_user", "libvirt_rbd_user")
_POOL_KEYS = ("rbd_pool", "images_rbd_pool", "rbd_store_pool", "backup_ceph_pool",
              "libvirt_images_rbd_pool")
# '/' and '@' separate pool/image/snapshot in rbd specs; whitespace and quotes break CLIs
_BAD = lazy(r"[/@\s'\"]")


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e in entries(ctx, "nova.conf", "cinder.conf", "glance-api.conf"):
        v = e.value.strip()
        if e.key in _USER_KEYS and v:
            if v.startswith("client."):
                yield RULE.on(lf, e, f"{e.key} = {v!r}: give the id without 'client.' "
                                     f"({v[7:]!r}); librados adds the prefix itself")
            elif _BAD.search(v) or v.startswith("."):
                yield RULE.on(lf, e, f"{e.key} = {v!r} is not a valid cephx user id")
        elif e.key in _POOL_KEYS:
            if not v:
                yield RULE.on(lf, e, f"{e.key} is empty: Ceph has no pool without a name")
            elif _BAD.search(v) or v.startswith("."):
                yield RULE.on(lf, e, f"{e.key} = {v!r}: pool names must not contain '/', '@', "
                                     "spaces or quotes, nor start with '.' (reserved)")


RULE = Rule("CG306", "bad-ceph-name", "error", "pool or cephx user name Ceph cannot use", check)
