"""CG103: a section the release never reads whose name is close to one it does ([libvrit],
[glance-store], [clients]): everything in it is silently ignored."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from confgen.rules.base import Context, Finding, Rule

# ceph.conf sections every Ceph release reads (entity types and their instances)
_CEPH_TYPES = ("global", "client", "mon", "osd", "mds", "mgr")


def _known(ctx: Context, file_type: str) -> set[str] | None:
    rel = ctx.release_for(file_type)  # no release: no matrix to load
    m = ctx.matrix(file_type) if rel is not None else None
    if m is None or rel is None:
        return set(_CEPH_TYPES) if file_type == "ceph.conf" else None
    known = {s for s in m.sections(rel) if not s.startswith("@")}
    for names in ctx.dynamic(file_type).values():
        known |= names
    known |= ctx.owned_sections(file_type)
    if file_type == "ceph.conf":
        known |= set(_CEPH_TYPES)
    return known


def check(ctx: Context) -> Iterator[Finding]:
    for ft, lf in ctx.files.items():
        known = _known(ctx, ft)
        if not known:
            continue
        targets = tuple(sorted(s for s in known if s != "DEFAULT"))
        for name in lf.doc.sections():
            if name in known or (ft == "ceph.conf" and name.split(".")[0] in _CEPH_TYPES):
                continue
            if ft == "cinder.conf" and name in ctx.cinder_backends():
                continue
            close = _close(name, targets)
            if close:
                h = lf.doc.header(name)
                yield RULE.at(lf.path, h.line, h.column,
                              f"section [{name}] is not read by {ctx.release_for(ft) or 'Ceph'}; "
                              f"did you mean [{close[0]}]? Its keys are ignored",
                              suggestion=close[0])


@lru_cache(maxsize=4096)
def _close(name: str, targets: tuple[str, ...]) -> list[str]:
    """The nearest section name (searched once per name and set of sections: a fleet's
    hosts share them)."""
    import difflib

    return difflib.get_close_matches(name, targets, n=1, cutoff=0.8)


RULE = Rule("CG103", "unknown-section", "warning",
            "section the release never reads, spelled like one it does", check)
