"""CG206: an option only Ceph daemons read, set in [client] or [client.NAME]. Clients (QEMU,
cinder, glance, the rbd and rados tools) never look at it, so the line changes nothing for
them; it belongs where the daemon reads it ([global], [osd], [mon], ...), or, from mimic, in
the monitors' configuration database. Which services read an option is part of Ceph's own
definition from luminous on; earlier releases do not say, and are not judged."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import LIVE, Context, Finding, Rule, resolved_as

DAEMONS = {"mon", "osd", "mds", "mgr"}


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, LIVE, ceph=True):
        if lf.file_type != "ceph.conf" or res.kind not in LIVE:
            continue
        section = lf.doc.norm_section(e.section) or ""
        if section != "client" and not section.startswith("client."):
            continue
        era = res.at.era
        services = era.extra.get("services") or []
        if not services or "services" in era.extra.get("unknown", ()) \
                or not set(services) <= DAEMONS:
            continue
        who = ", ".join(sorted(services))
        yield RULE.on(lf, e, f"{e.key} is read only by Ceph daemons ({who}) in "
                             f"{ctx.release_for(lf.file_type)}; in [{section}] no client reads "
                             f"it: set it in [global] or [{sorted(services)[0]}] on the daemons' "
                             "hosts (or with ceph config set)", services=services)


RULE = Rule("CG206", "ceph-daemon-option-in-client", "info",
            "daemon-only Ceph option in [client] / [client.NAME]: clients ignore it", check)
