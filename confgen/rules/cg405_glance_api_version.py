"""CG405: cinder talks to glance with API v1 (glance_api_version < 2) while both use RBD:
cinder then cannot see image locations and cannot clone."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import glance_rbd
from confgen.rules.values import number


def check(ctx: Context) -> Iterator[Finding]:
    cinder = ctx.files.get("cinder.conf")
    if cinder is None or not ctx.rbd_backends:
        return
    glance = ctx.files.get("glance-api.conf")
    if glance is not None and not glance_rbd(glance):
        return
    for sec in ["DEFAULT", *ctx.rbd_backends]:
        e = cinder.doc.get(sec, "glance_api_version")
        if e is None:
            continue
        n = number(e.value)
        if n is not None and n < 2:
            where = "" if sec == "DEFAULT" else " (and it belongs in [DEFAULT])"
            yield RULE.on(cinder, e, "glance_api_version = {value}: copy-on-write "
                                     f"cloning of RBD images needs glance API v2{where}",
                          values={"value": e.value.strip()})


RULE = Rule("CG405", "glance-api-version", "warning",
            "cinder uses glance API v1 with RBD (no cloning)", check)
