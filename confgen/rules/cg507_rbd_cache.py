"""CG507: rbd cache on with `rbd cache writethrough until flush = false`: a guest that never
sends flushes (old virtio drivers) can lose acknowledged writes on a host crash."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, truthy


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("ceph.conf")
    if lf is None:
        return
    doc = lf.doc
    for sec in doc.sections():
        if sec not in ("global", "client") and not sec.startswith("client."):
            continue
        chain = ["global", "client", sec] if sec.startswith("client.") else (
            ["global", "client"] if sec == "client" else ["global"])
        wt = cache = None
        for s in chain:
            wt = doc.get(s, "rbd_cache_writethrough_until_flush") or wt
            cache = doc.get(s, "rbd_cache") or cache
        if wt is None or wt.section != sec or truthy(wt.value) is not False:
            continue
        if cache is not None and truthy(cache.value) is False:
            continue  # cache off (rbd cache default is on since giant)
        yield RULE.on(lf, wt, "rbd cache writeback without 'writethrough until flush': guests "
                              "that never flush can lose data on a crash; set it to true")


RULE = Rule("CG507", "rbd-cache-unsafe", "warning",
            "rbd cache writeback without writethrough until flush", check)
