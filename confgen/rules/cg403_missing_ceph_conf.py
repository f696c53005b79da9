"""CG403: a service reads a ceph.conf that is not there (paths under /etc are resolved
against the linted root, so `confgen lint ./etc` checks ./etc/ceph/ceph.conf)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import uses

DEFAULT = "/etc/ceph/ceph.conf"


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.root is None:
        return
    for use in uses(ctx):
        path = use.ceph_conf.value.strip() if use.ceph_conf else DEFAULT
        p = PurePosixPath(path)
        if not p.is_absolute() or "$" in path:
            continue
        parts = p.parts[1:]
        if parts[:1] == ("etc",):
            parts = parts[1:]
        if not parts or (ctx.root.joinpath(*parts)).exists():
            continue
        anchor = use.ceph_conf or use.anchor
        if anchor is None:
            continue
        how = "" if use.ceph_conf else " (the default)"
        yield RULE.on(use.lf, anchor, f"{use.service} reads {path}{how}, which is not in "
                                      f"{ctx.root}; the service cannot reach the cluster",
                      ceph_conf=path)


RULE = Rule("CG403", "missing-ceph-conf", "error",
            "ceph.conf path that does not exist under the linted root", check)
