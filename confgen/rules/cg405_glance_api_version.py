"""CG405: cinder talks to glance with API v1 ([DEFAULT] glance_api_version below 2, set or by
the release's default) while both use RBD: cinder then cannot see image locations and cannot
clone. Judged only in releases that have the option (it is gone from queens on, where cinder
always uses v2); the default is 1 up to ocata."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import glance_rbd
from confgen.rules.values import number

KEY = "DEFAULT.glance_api_version"


def check(ctx: Context) -> Iterator[Finding]:
    cinder = ctx.files.get("cinder.conf")
    if cinder is None or not ctx.rbd_backends or ctx.release is None:
        return
    m = ctx.matrix("cinder.conf")
    if m is None:
        return
    at = m.get(KEY, ctx.release)
    if at is None:
        return  # the release has no such option: cinder uses v2, whatever the file says
    glance = ctx.files.get("glance-api.conf")
    if glance is not None and not glance_rbd(glance):
        return
    value, e = ctx.setting("cinder.conf", KEY)
    if e is None:
        # the release's default: judged only when glance is known to hold images in RBD
        n = number(str(value)) if value is not None else None
        anchor = cinder.doc.get(ctx.rbd_backends[0], "volume_driver")
        if glance is None or n is None or n >= 2 or anchor is None:
            return
        yield RULE.on(cinder, anchor, f"[DEFAULT] glance_api_version is not set and "
                                      f"defaults to {value} in {ctx.release}: cinder cannot see "
                                      "image locations and copies every image instead of "
                                      "cloning it; set [DEFAULT] glance_api_version = 2")
    # every spelling present is judged where it stands (a backend section is not read)
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
