"""CG203: an option newer than the release: the service ignores it."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.matrix.coverage import vouches
from confgen.rules.base import Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, m in resolved_as(ctx, ("not_yet",)):
        if res.kind == "not_yet":
            rel = ctx.release_for(lf.file_type)
            # a one-release view (ceph.conf) holds no era of an option it does not read
            ns = res.option.eras[0].namespace if res.option.eras else ""
            if not vouches(m, ns, rel):  # a library the release's generator did not list
                yield RULE.on(lf, e, f"{e.key} is an option of {ns} (first in the data from "
                                     f"{res.since}); the data for {rel} does not cover {ns}, "
                                     "so whether it reads it was not judged", severity="info")
                continue
            yield RULE.on(lf, e, f"{e.key} does not exist in {rel} (first in {res.since}); "
                                 f"{rel} ignores it", since=str(res.since))


RULE = Rule("CG203", "option-not-yet", "error",
            "option introduced after the release (ignored)", check)
