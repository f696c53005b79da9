"""CG401: nova and cinder name different libvirt secrets (rbd_secret_uuid): attaching a cinder
volume to an instance then fails to authenticate."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import NOVA, _find


def check(ctx: Context) -> Iterator[Finding]:
    nova, cinder = ctx.files.get("nova.conf"), ctx.files.get("cinder.conf")
    if nova is None or cinder is None:
        return
    ne = _find(nova, NOVA["secret_uuid"])
    if ne is None or not ne.value.strip():
        return
    for sec in ctx.rbd_backends:
        ce = cinder.doc.get(sec, "rbd_secret_uuid")
        if ce is not None and ce.value.strip() and ce.value.strip().lower() != \
                ne.value.strip().lower():
            yield RULE.on(cinder, ce, f"rbd_secret_uuid in [{sec}] ({{value}}) differs "
                                      f"from nova's ({{nova}}, {nova.path}:{ne.line}); "
                                      "volume attachments will fail to authenticate",
                          values={"value": ce.value.strip(), "nova": ne.value.strip()})


RULE = Rule("CG401", "secret-uuid-mismatch", "error",
            "nova and cinder rbd_secret_uuid differ", check)
