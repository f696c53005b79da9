"""CG207: a manager module option (`mgr/MODULE/OPTION`) in ceph.conf. Ceph's daemons take
from ceph.conf only the options of their own option table; module options are not in it and
are read only from the monitors' configuration database (mimic on; luminous kept them in the
monitors' config-key store). The line does nothing; the finding gives the command that sets
the value where Ceph reads it."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("ceph.conf")
    if lf is None or ctx.ceph_release is None:
        return
    from confgen import releases

    rel = ctx.ceph_release
    for e in lf.doc.entries:
        key = lf.doc.norm_key(e.key)
        if not key.startswith("mgr/") or key.count("/") < 2:
            continue
        if rel < releases.ceph().get("luminous"):
            continue  # no manager before luminous: an unknown key (CG201 has nothing to add)
        value = e.value if " " not in e.value else f"'{e.value}'"
        if rel < releases.ceph().get("mimic"):
            cmd = f"ceph config-key set {key} {value}"
        else:
            cmd = f"ceph config set mgr {key} {value}"
        yield RULE.on(lf, e, f"{key} is a manager module option: Ceph {rel} reads it only from "
                             f"the monitors' configuration database, never from ceph.conf; "
                             f"run: {cmd}", command=cmd)


RULE = Rule("CG207", "ceph-mon-config-only", "info",
            "ceph.conf key Ceph reads only from the monitors' config database (with the "
            "command that sets it there)", check)
