"""CG302: a value outside the option's allowed choices in this release."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import LIVE, Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, LIVE, ceph=False):
        if lf.file_type == "ceph.conf":
            continue  # Ceph parses values its own way: CG310
        if res.kind not in ("current", "alias", "deprecated") or not res.at.era.choices:
            continue
        choices = [str(c) for c in res.at.era.choices if c is not None]
        value = e.value.strip()
        if not value or value in choices:
            continue
        hint = next((c for c in choices if c.lower() == value.lower()), None)
        extra = f" (choices are case-sensitive: {hint!r})" if hint else ""
        yield RULE.on(lf, e, f"{e.key} = {{value!r}} is not allowed in "
                             f"{ctx.release_for(lf.file_type)}; choose one of "
                             f"{', '.join(choices)}{extra}", values={"value": value},
                      choices=choices)


RULE = Rule("CG302", "bad-choice", "error",
            "value not among the option's choices for the release", check)
