"""CG303: a number outside the option's min/max."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import LIVE, Context, Finding, Rule, resolved_as
from confgen.rules.values import number


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, LIVE, ceph=False):
        if lf.file_type == "ceph.conf":
            continue  # Ceph parses values its own way: CG310
        if res.kind not in ("current", "alias", "deprecated"):
            continue
        era = res.at.era
        if era.min is None and era.max is None:
            continue
        n = number(e.value)
        if n is None:
            continue
        if (era.min is not None and n < era.min) or (era.max is not None and n > era.max):
            lo = "" if era.min is None else f">= {era.min}"
            hi = "" if era.max is None else f"<= {era.max}"
            yield RULE.on(lf, e, f"{e.key} = {{value}} is out of range; it must be "
                                 f"{' and '.join(x for x in (lo, hi) if x)}",
                          values={"value": e.value.strip()}, min=era.min, max=era.max)


RULE = Rule("CG303", "out-of-range", "error", "number outside the option's min/max", check)
