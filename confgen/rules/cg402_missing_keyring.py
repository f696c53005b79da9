"""CG402: a service's Ceph user has no keyring: neither ceph/<cluster>.client.USER.keyring (or
the default keyring names) under the linted root, nor a `keyring` setting in ceph.conf."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.fspath import exists, join, name
from confgen.layouts import ceph_files_seen
from confgen.parse.ceph import effective
from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import runs_here, uses


def _has_keyring(ctx: Context, user: str) -> bool:
    """Asked once per user and node (nova and cinder often share one user)."""
    seen = ctx.__dict__.setdefault("_has_keyring", {})
    if user not in seen:
        seen[user] = _look(ctx, user)
    return seen[user]


def _look(ctx: Context, user: str) -> bool:
    names = {f"ceph.client.{user}.keyring", "ceph.keyring", "keyring", "keyring.bin"}
    if any(name(k.path) in names for k in ctx.keyrings):
        return True
    if ctx.root is not None and any(exists(join(ctx.root, "ceph", n)) for n in names):
        return True
    ceph = ctx.peer("ceph.conf")
    return ceph is not None and effective(ceph, "keyring", f"client.{user}") is not None


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.root is None and not ctx.keyrings:
        return  # loose files: we cannot see the keyrings
    for use in uses(ctx):
        if use.user is None or not use.user.value.strip() or not runs_here(use):
            continue
        user = use.user.value.strip().removeprefix("client.")
        if _has_keyring(ctx, user):
            continue
        if not ctx.keyrings and not ceph_files_seen(ctx.root, use.lf.file_type, use.lf.path) \
                and ctx.peer("ceph.conf") is None:
            yield RULE.on(use.lf, use.user,
                          f"{use.service} connects as client.{user}; its keyring is not in "
                          "the linted tree (no Ceph client files there): not checked",
                          severity="info", user=user, checked=False)
            continue
        yield RULE.on(use.lf, use.user,
                      f"{use.service} connects as client.{user} but there is no "
                      f"ceph/ceph.client.{user}.keyring and no keyring setting for it in "
                      "ceph.conf; the connection will fail", user=user)


RULE = Rule("CG402", "missing-keyring", "warning",
            "Ceph user without a keyring file or keyring setting", check)
