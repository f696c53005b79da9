"""CG404: glance and cinder/nova all use RBD, but glance hides image locations
(show_image_direct_url off): every volume/instance is a full copy instead of a clone."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import is_true, uses


def check(ctx: Context) -> Iterator[Finding]:
    all_uses = uses(ctx)
    glance = [u for u in all_uses if u.service.startswith("glance")]
    clients = [u for u in all_uses if u.service == "nova" or u.service.startswith("cinder [")]
    if not glance or not clients:
        return
    lf = glance[0].lf
    e = lf.doc.get("DEFAULT", "show_image_direct_url")
    if is_true(e):
        return
    who = ", ".join(u.service for u in clients)
    msg = (f"glance stores images in RBD and {who} use RBD, but show_image_direct_url is not "
           "true: copy-on-write clones are impossible and every image is copied in full")
    if e is not None:
        yield RULE.on(lf, e, msg)
    elif glance[0].anchor is not None:
        yield RULE.on(lf, glance[0].anchor, msg + " (set [DEFAULT] show_image_direct_url = True)")


RULE = Rule("CG404", "cow-impossible", "warning",
            "RBD everywhere but glance hides image locations (no copy-on-write)", check)
