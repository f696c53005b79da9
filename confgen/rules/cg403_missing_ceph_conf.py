"""CG403: a service reads a ceph.conf that is not there.

Paths under /etc are resolved against the linted root (`confgen lint ./etc` checks
./etc/ceph/ceph.conf). A path outside /etc (charms keep ceph.conf under
/var/lib/charm/<service>/) can only be checked on the node itself: linting the live /etc, the
file is looked up where the service looks; in a copy of a node's /etc (a repository, a fleet
fetch) confgen cannot see it, and says so once as info instead of calling it missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from confgen.fspath import exists, join, name, norm, parent
from confgen.fspath import parts as path_parts
from confgen.layouts import ceph_files_seen, etc_candidates
from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import runs_here, uses

DEFAULT = "/etc/ceph/ceph.conf"


def _live(root: str) -> bool:
    """Is the linted root this machine's /etc (so absolute paths can be checked as such)?"""
    try:
        return os.path.realpath(root) == os.path.realpath("/etc")
    except OSError:
        return False


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.root is None:
        return
    live = _live(ctx.root)
    for use in uses(ctx):
        if not runs_here(use):
            continue  # this file's place says the process that connects runs elsewhere
        path = use.ceph_conf.value.strip() if use.ceph_conf else DEFAULT
        if not path.startswith("/") or "$" in path:
            continue
        anchor = use.ceph_conf or use.anchor
        if anchor is None:
            continue
        how = "" if use.ceph_conf else " (the default)"
        parts = path_parts(path)[1:]
        if parts[:1] == ("etc",):
            cands = etc_candidates(ctx.root, use.lf.file_type, use.lf.path, parts[1:])
            if not parts[1:] or any(exists(c) for c in cands):
                continue
            where = parent(cands[0]) if cands else ctx.root
            if not live and parts[1:2] == ("ceph",) and \
                    not ceph_files_seen(ctx.root, use.lf.file_type, use.lf.path):
                yield RULE.on(use.lf, anchor, f"{use.service} reads {path}{how}; the linted "
                                              f"tree has no Ceph client files (no {where}): "
                                              "not checked", severity="info", ceph_conf=path,
                              checked=False)
                continue
            yield RULE.on(use.lf, anchor, f"{use.service} reads {path}{how}, which is not in "
                                          f"{where}; the service cannot reach the cluster",
                          ceph_conf=path)
            continue
        # outside /etc: the node's own filesystem, or a copy next to the copied /etc
        if live:
            if exists(norm(path)):
                continue
            yield RULE.on(use.lf, anchor, f"{use.service} reads {path}{how}, which does not "
                                          "exist on this node; the service cannot reach the "
                                          "cluster", ceph_conf=path)
            continue
        beside = join(parent(ctx.root), *parts) if name(ctx.root) == "etc" else None
        if beside is not None and exists(beside):
            continue
        yield RULE.on(use.lf, anchor, f"{use.service} reads {path}{how}, outside the linted "
                                      f"tree {ctx.root}: not checked (lint the node's own /etc "
                                      "to check it)", severity="info", ceph_conf=path,
                      checked=False)


RULE = Rule("CG403", "missing-ceph-conf", "error",
            "ceph.conf path that does not exist (checked where confgen can see it)", check)
