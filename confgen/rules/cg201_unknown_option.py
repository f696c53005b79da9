"""CG201: a key no release knows, in a section confgen owns (likely a typo)."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, resolved


def check(ctx: Context) -> Iterator[Finding]:
    owned: dict[str, set[str]] = {}
    for lf, e, res, _m in resolved(ctx):
        if res.kind != "unknown":
            continue
        if lf.file_type not in owned:
            owned[lf.file_type] = ctx.owned_sections(lf.file_type)
        section = lf.doc.norm_section(e.section)
        if section not in owned[lf.file_type]:
            continue
        hint = f"; did you mean {' or '.join(res.suggestions)}?" if res.suggestions else ""
        yield RULE.on(lf, e, f"unknown option {e.key!r} in [{section}] for "
                             f"{ctx.release_for(lf.file_type)}; the service ignores it{hint}",
                      suggestions=list(res.suggestions))


RULE = Rule("CG201", "unknown-option", "error",
            "option no release knows, in a section confgen owns (typo?)", check)
