"""CG408: two enabled backends share volume_backend_name: a volume type pointing at that name
lands on either of them."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("cinder.conf")
    if lf is None:
        return
    seen: dict[str, str] = {}
    for sec in ctx.cinder_backends():
        e = lf.doc.get(sec, "volume_backend_name")
        if e is None or not e.value.strip():
            continue
        name = e.value.strip()
        if name in seen:
            yield RULE.on(lf, e, f"volume_backend_name {name!r} is also used by [{seen[name]}]; "
                                 "volume types for it are scheduled to either backend")
        else:
            seen[name] = sec


RULE = Rule("CG408", "duplicate-backend-name", "warning",
            "two enabled backends share a volume_backend_name", check)
