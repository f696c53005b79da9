"""CG203: an option newer than the release: the service ignores it."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, resolved


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved(ctx):
        if res.kind == "not_yet":
            rel = ctx.release_for(lf.file_type)
            yield RULE.on(lf, e, f"{e.key} does not exist in {rel} (first in {res.since}); "
                                 f"{rel} ignores it", since=str(res.since))


RULE = Rule("CG203", "option-not-yet", "error",
            "option introduced after the release (ignored)", check)
