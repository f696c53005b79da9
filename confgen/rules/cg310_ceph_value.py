"""CG310: a ceph.conf value Ceph does not take for the option, in the linted Ceph release:
wrong type (`rbd cache = yes`: Ceph's booleans are true, false or a number), not one of the
choices (`rbd cache policy = bogus`), below the minimum or above the maximum. Ceph does not
stop on it: it logs "parse error setting ..." and keeps the default, so the setting silently
does nothing. The finding names the value the option stays at."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import LIVE, Context, Finding, Rule, resolved_as
from confgen.rules.ceph_values import check as value_problem


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, LIVE, ceph=True):
        if lf.file_type != "ceph.conf" or res.kind not in LIVE:
            continue
        era = res.at.era
        why = value_problem(era, e.value)
        if why is None:
            continue
        default = era.default
        if "default" in era.extra.get("unknown", ()):
            stays = "at its default (not known for this release)"
        elif default in ("", None):
            stays = "unset"
        else:
            stays = f"at its default {_show(default)}"
        rel = ctx.release_for(lf.file_type)
        yield RULE.on(lf, e, f"{e.key} = {e.value!r} {why}: Ceph {rel} ignores the line "
                             f"(it logs 'parse error setting {era.name}') and the option stays "
                             f"{stays}", type=era.type, choices=list(era.choices) or None,
                      min=era.min, max=era.max)


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


RULE = Rule("CG310", "ceph-value-ignored", "error",
            "ceph.conf value Ceph does not take (type, choice or range): the default stays",
            check)
