"""CG205: an option the release no longer has: silently ignored, so the setting is lost."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, resolved


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, m in resolved(ctx):
        if res.kind == "removed":
            rel = ctx.release_for(lf.file_type)
            # the release before the removal (an option may come back later)
            last = m.family.previous(res.removed) if res.removed else res.option.last_release
            yield RULE.on(lf, e, f"{e.key} was removed in {res.removed} (last read in {last}); "
                                 f"{rel} silently ignores it", removed_in=str(res.removed))


RULE = Rule("CG205", "option-removed", "warning",
            "option removed before the release (silently ignored)", check)
