"""CG204: a deprecated option or an old spelling: name the replacement and when it stops
working."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.auth import excluded_by
from confgen.rules.base import Context, Finding, Rule, alias_until, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, m in resolved_as(ctx, ("alias", "deprecated")):
        rel = ctx.release_for(lf.file_type)
        section = lf.doc.norm_section(e.section)
        if res.kind in ("alias", "deprecated") and excluded_by(ctx, lf, e, res, m):
            continue  # not read at all with this section's auth_type (CG209 says so)
        if res.kind == "alias":
            new = res.expected
            until = alias_until(res.option, section, e.key, m.family)
            when = f"; the old spelling stops working in {until}" if until else ""
            yield RULE.on(lf, e, f"[{section}] {e.key} is an old spelling in {rel}: use "
                                 f"[{new.section}] {new.name}{when}",
                          replacement={"section": new.section, "name": new.name},
                          stops_in=str(until) if until else None)
        elif res.kind == "deprecated":
            era = res.at.era
            gone = res.option.removed_in(m.family)
            repl = f"; use {era.replacement} instead" if era.replacement else ""
            why = f" ({era.deprecated_reason})" if era.deprecated_reason else ""
            when = f"; removed in {gone}" if gone else ""
            yield RULE.on(lf, e, f"{e.key} is deprecated in {rel}{why}{repl}{when}",
                          replacement=era.replacement or None,
                          removed_in=str(gone) if gone else None)


RULE = Rule("CG204", "deprecated-option", "warning",
            "deprecated option or old name/section (replacement and end of support named)", check)
