"""CG406: two services write into one pool (defaults counted): their images can collide and
their caps cannot be separated."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import uses


def check(ctx: Context) -> Iterator[Finding]:
    by_pool: dict[str, list] = {}
    for use in uses(ctx):
        by_pool.setdefault(use.pool, []).append(use)
    for pool, group in by_pool.items():
        services = {u.service.split(" ")[0] for u in group}
        if len(services) < 2:
            continue
        names = ", ".join(u.service for u in group)
        for u in group:
            anchor = u.pool_entry or u.anchor
            if anchor is None:
                continue
            default = "" if u.pool_entry else " (by default)"
            yield RULE.on(u.lf, anchor, f"pool {pool!r}{default} is written by {names}; give "
                                        "each service its own pool", pool=pool)


RULE = Rule("CG406", "shared-pool", "warning", "two services write into one pool", check)
