"""CG305: a Ceph volume_driver/backup_driver string the cinder release cannot load."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.drivers import BACKUP_DRIVERS, VOLUME_DRIVERS, loadable, valid_for


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("cinder.conf")
    if lf is None:
        return
    for e in lf.doc.entries:
        if e.key == "volume_driver":
            table = VOLUME_DRIVERS
        elif e.key == "backup_driver":
            table = BACKUP_DRIVERS
        else:
            continue
        value = e.value.strip()
        if "ceph" not in value.lower() and "rbd" not in value.lower():
            continue  # only Ceph drivers are confgen's business
        ok = loadable(table, value, ctx.release)
        if ok:
            continue
        right = " or ".join(valid_for(table, ctx.release))
        what = "cannot load" if ok is False else "has no Ceph driver named"
        yield RULE.on(lf, e, f"cinder {ctx.release} {what} {e.key} = {{value!r}}; the service "
                             f"fails to start: use {right}", values={"value": value},
                      valid=valid_for(table, ctx.release))


RULE = Rule("CG305", "driver-not-loadable", "error",
            "volume_driver/backup_driver the cinder release cannot import", check)
