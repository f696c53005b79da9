"""CG502: cephx switched off (auth_*_required = none, or the old `auth supported = none`)."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule

_KEYS = ("auth_cluster_required", "auth_service_required", "auth_client_required",
         "auth_supported")


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("ceph.conf")
    if lf is None:
        return
    for e in lf.doc.entries:
        if lf.doc.norm_key(e.key) in _KEYS and e.value.strip().lower() == "none":
            yield RULE.on(lf, e, f"{e.key} = none turns cephx authentication off: anyone who "
                                 "reaches the monitors can read and delete data")


RULE = Rule("CG502", "auth-none", "error", "cephx authentication disabled", check)
