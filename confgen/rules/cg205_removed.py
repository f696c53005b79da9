"""CG205: an option the release no longer has: silently ignored, so the setting is lost."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.matrix.coverage import vouches
from confgen.rules.base import Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, m in resolved_as(ctx, ("removed",)):
        if res.kind == "removed":
            rel = ctx.release_for(lf.file_type)
            # a one-release view (ceph.conf) holds no era of an option it does not read
            ns = res.option.eras[-1].namespace if res.option.eras else ""
            if not vouches(m, ns, rel):  # a library the release's generator did not list
                yield RULE.on(lf, e, f"{e.key} is an option of {ns} (last in the data in "
                                     f"{m.family.previous(res.removed) if res.removed else '?'});"
                                     f" the data for {rel} does not cover {ns}, so whether it "
                                     "reads it was not judged", severity="info")
                continue
            # the release before the removal (an option may come back later)
            last = m.family.previous(res.removed) if res.removed else res.option.last_release
            yield RULE.on(lf, e, f"{e.key} was removed in {res.removed} (last read in {last}); "
                                 f"{rel} silently ignores it", removed_in=str(res.removed))


RULE = Rule("CG205", "option-removed", "warning",
            "option removed before the release (silently ignored)", check)
