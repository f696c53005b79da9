"""CG407: cinder enabled_backends names a section that does not exist, or a backend section
(one with volume_driver) is never enabled."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, split_list


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("cinder.conf")
    if lf is None:
        return
    doc = lf.doc
    enabled = ctx.cinder_backends()
    eb = doc.get("DEFAULT", "enabled_backends")
    for name in split_list(eb.value) if eb is not None else []:
        if not doc.has_section(name):
            yield RULE.on(lf, eb, f"enabled_backends names {name!r} but there is no [{name}] "
                                  "section; cinder-volume fails to start that backend")
    if eb is None:
        return
    for sec in doc.sections():
        if sec in ("DEFAULT", "backend_defaults") or sec in enabled:
            continue
        drv = doc.get(sec, "volume_driver")
        if drv is not None:
            h = doc.header(sec)
            yield RULE.at(lf.path, h.line, h.column,
                          f"[{sec}] configures a volume_driver but is not in enabled_backends; "
                          "cinder ignores it", severity="warning")


RULE = Rule("CG407", "enabled-backends", "error",
            "enabled_backends and backend sections do not match", check)
