"""CG505: glance exposes image locations (show_image_direct_url / show_multiple_locations).
Needed for RBD copy-on-write, but anyone who can call the API learns the storage layout (and
with show_multiple_locations may change locations): keep that endpoint internal."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import glance_rbd, is_true


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("glance-api.conf")
    if lf is None:
        return
    rbd = glance_rbd(lf)
    for key in ("show_image_direct_url", "show_multiple_locations"):
        e = lf.doc.get("DEFAULT", key)
        if not is_true(e):
            continue
        why = " (needed for RBD copy-on-write)" if rbd and key == "show_image_direct_url" else ""
        sev = "info" if why else None
        extra = ("; users can also add or remove image locations"
                 if key == "show_multiple_locations" else "")
        yield RULE.on(lf, e, f"{key} = True shows image storage locations through the API{why}"
                             f"{extra}: do not expose this glance endpoint publicly", sev)


RULE = Rule("CG505", "image-locations-exposed", "warning",
            "glance shows image locations through its API", check)
