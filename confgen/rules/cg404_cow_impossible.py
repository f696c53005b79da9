"""CG404: glance keeps images in RBD and nova or cinder use RBD too, but the release's nova or
cinder cannot find the image's RBD location, so every instance disk or volume made from an
image is a full copy instead of a copy-on-write clone.

Where each service looks is the release's own behaviour (confgen.matrix.behaviour, read from
nova's and cinder's source): nova (from juno) takes the image record's locations list and
direct_url; cinder takes direct_url (and the locations list from liberty), needs glance API v2
before queens (CG405 says so), and from 2025.2 first asks glance's location API as its
[glance] service user. glance shows direct_url with show_image_direct_url, the locations list
with show_multiple_locations, and has the location API from 2024.2.
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.matrix import behaviour
from confgen.rules.base import Context, Finding, Rule, truthy
from confgen.rules.services import uses
from confgen.rules.values import number

GLANCE = "glance-api.conf"
_WHAT = {"direct_url": "direct_url", "locations": "the locations list",
         "location_api": "the location API"}


def _shown(ctx: Context, what: str, client_file: str, needs: str) -> bool:
    """Does glance (as configured) give this client `what`?"""
    fact = behaviour.glance_shows(ctx.release).get(what)
    if fact is None:
        return False
    if what == "location_api":  # a service-role identity of the client, not a glance switch
        value, _ = ctx.setting(client_file, needs) if needs else (None, None)
        return bool(value)
    option = fact.get("option", "")
    if not option:
        return True
    value, _ = ctx.setting(GLANCE, option)
    return truthy(str(value)) is True


def _v1_only(ctx: Context) -> bool:
    value, _ = ctx.setting("cinder.conf", "DEFAULT.glance_api_version")
    n = number(str(value)) if value is not None else None
    return n is not None and n < 2


def check(ctx: Context) -> Iterator[Finding]:
    all_uses = uses(ctx)
    glance = [u for u in all_uses if u.service.startswith("glance")]
    if not glance or ctx.release is None:
        return
    blind: list[str] = []
    hints: set[str] = set()
    for service, file in (("nova", "nova.conf"), ("cinder", "cinder.conf")):
        clients = [u.service for u in all_uses
                   if u.service == "nova" or u.service.startswith("cinder [")
                   if u.service.split(" ")[0] == service]
        look = behaviour.image_location(service, ctx.release)
        if not clients or look is None or not look.clones:
            continue  # this release never clones from glance: not glance's doing
        if look.needs_glance_v2 and _v1_only(ctx):
            continue  # CG405: cinder uses glance API v1
        if any(_shown(ctx, w, file, look.location_api_needs) for w in look.reads):
            continue
        blind.append(", ".join(clients))
        hints |= {w for w in look.reads}
        if look.location_api_needs and "location_api" in look.reads:
            hints.add(f"service:{look.location_api_needs}")
    if not blind:
        return
    lf = glance[0].lf
    fix = "set [DEFAULT] show_image_direct_url = True"
    svc = [h.split(":", 1)[1] for h in hints if h.startswith("service:")]
    if svc:
        sec, _, name = svc[0].partition(".")
        fix += f" (cinder can also use glance's location API as its [{sec}] service user: set " \
               f"[{sec}] {name} and its credentials in cinder.conf)"
    looked = " or ".join(_WHAT[w] for w in ("direct_url", "locations", "location_api")
                         if w in hints)
    msg = (f"glance stores images in RBD and {' and '.join(blind)} use RBD, but in "
           f"{ctx.release} they find an image's RBD location only through {looked}, which "
           f"glance does not give them: no copy-on-write clones, every image is copied in full; "
           f"{fix}")
    _, e = ctx.setting(GLANCE, "DEFAULT.show_image_direct_url")
    anchor = e or glance[0].anchor
    if anchor is not None:
        yield RULE.on(lf, anchor, msg)


RULE = Rule("CG404", "cow-impossible", "warning",
            "RBD everywhere but nova/cinder cannot find image locations (no copy-on-write)",
            check)
