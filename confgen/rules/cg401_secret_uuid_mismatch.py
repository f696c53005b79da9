"""CG401: the libvirt secrets on compute nodes do not fit the cephx users they serve.

A libvirt secret holds one key. What the release's nova hands libvirt for its own disks and
for cinder's volumes (confgen.rules.secrets, from nova's and cinder's source per release):
- one secret uuid used for two different cephx users: one of them cannot authenticate (error;
  a published 2024 guide shares one uuid between client.nova and client.cinder);
- one user with two secret uuids: both secrets must be defined, with the same key, on every
  compute node (info: confgen cannot see which secrets libvirt holds; kolla-ansible defines
  both, the guides define one).
A separate nova user with its own secret, and cinder's user with its own, is fine.
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.secrets import FSID, SecretUse, secret_uses


def _where(u: SecretUse) -> str:
    a = u.anchor
    return f"{u.what}, {a[0].path}:{a[1].line}" if a else u.what


def _uuid(u: SecretUse) -> str:
    return "the cluster fsid" if u.uuid == FSID else u.uuid


def check(ctx: Context) -> Iterator[Finding]:
    uses = [u for u in secret_uses(ctx) if u.anchor is not None]
    by_uuid: dict[str, list[SecretUse]] = {}
    for u in uses:
        if u.uuid != FSID:
            by_uuid.setdefault(u.uuid, []).append(u)
    reported: set[tuple[str, int]] = set()
    for uuid, group in by_uuid.items():
        users = sorted({u.user for u in group})
        if len(users) < 2:
            continue
        last = group[-1]
        first = next(u for u in group if u.user != last.user)
        lf, e = last.anchor  # type: ignore[misc]
        reported.add((lf.path, e.line))
        why = f" ({last.note})" if last.note else ""
        yield RULE.on(lf, e, f"libvirt secret {{uuid}} is used for client.{{a}} "
                             f"({_where(first)}) and for client.{{b}} ({_where(last)}"
                             f"){why}: a libvirt secret holds one key, so one of them cannot "
                             "authenticate; give each cephx user its own secret uuid",
                      values={"uuid": uuid, "a": first.user, "b": last.user},
                      users=users)
    by_user: dict[str, list[SecretUse]] = {}
    for u in uses:
        by_user.setdefault(u.user, []).append(u)
    for user, group in by_user.items():
        uuids = {u.uuid for u in group}
        if len(uuids) < 2 or FSID in uuids:
            continue
        last = group[-1]
        first = next(u for u in group if u.uuid != last.uuid)
        lf, e = last.anchor  # type: ignore[misc]
        if (lf.path, e.line) in reported:
            continue
        why = f" ({last.note})" if last.note else ""
        yield RULE.on(lf, e, f"client.{{user}} is used with libvirt secret {{a}} "
                             f"({_where(first)}) and with {{b}} ({_where(last)}){why}: "
                             "both secrets must be defined with client.{user}'s key on every "
                             "compute node (not checked: confgen cannot see libvirt's secrets)",
                      severity="info", values={"user": user, "a": _uuid(first),
                                               "b": _uuid(last)})


RULE = Rule("CG401", "secret-uuid-mismatch", "error",
            "a libvirt secret shared by two cephx users, or one user with two secrets", check)
