"""CG208: a ceph.conf key confgen cannot judge for the linted Ceph release. For a release
whose option definitions could not be read (see `confgen releases` and the data's refs),
confgen knows only what the releases on either side agree on; an option one of them has and
the other has not may or may not exist in between. Rather than guess, confgen says so."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, ("unjudged",)):
        if res.kind == "unjudged":
            rel = ctx.release_for(lf.file_type)
            yield RULE.on(lf, e, f"{e.key}: not judged for {rel}: no source of {rel}'s option "
                                 "definitions was read, and the releases before and after "
                                 "disagree on this option")


RULE = Rule("CG208", "not-judged", "info",
            "key whose existence the data cannot tell for the release (no readable source)",
            check)
