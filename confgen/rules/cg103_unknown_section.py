"""CG103: a section the release never reads whose name is close to one it does ([libvrit],
[glance-store], [clients]): everything in it is silently ignored.

Where the data is the release's complete inventory (nova.conf, cinder.conf, glance-api.conf)
any other section it does not read is named too, as info: its keys were not judged (an
out-of-tree plugin may read it; confgen knows the service and the libraries its generator
lists, nothing else)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from confgen.rules.base import Context, Finding, Rule

# ceph.conf sections every Ceph release reads (entity types and their instances)
_CEPH_TYPES = ("global", "client", "mon", "osd", "mds", "mgr")


def _known(ctx: Context, file_type: str) -> set[str] | None:
    known = ctx.known_sections(file_type)
    if known is None:
        return set(_CEPH_TYPES) if file_type == "ceph.conf" else None
    if file_type == "ceph.conf":
        known = known | set(_CEPH_TYPES)
    return known


def check(ctx: Context) -> Iterator[Finding]:
    for ft, lf in ctx.files.items():
        known = _known(ctx, ft)
        if not known:
            continue
        targets, lowered = _prepared(frozenset(known))
        for name in lf.doc.sections():
            if name in known or (ft == "ceph.conf" and name.split(".")[0] in _CEPH_TYPES):
                continue
            if ft == "cinder.conf" and name in ctx.cinder_backends():
                continue
            if name.lower() in lowered:
                continue  # only the case differs: CG105 says so
            close = _close(name, targets)
            h = lf.doc.header(name)
            if close:
                yield RULE.at(lf.path, h.line, h.column,
                              f"section [{name}] is not read by {ctx.release_for(ft) or 'Ceph'}; "
                              f"did you mean [{close[0]}]? Its keys are ignored",
                              suggestion=close[0])
            elif ft != "ceph.conf" and ctx.complete(ft):
                n = len(lf.doc.in_section(name))  # the document's index holds them
                yield RULE.at(lf.path, h.line, h.column,
                              f"section [{name}] is not one {ft} reads in "
                              f"{ctx.release_for(ft)} (the service's own options and those of "
                              f"the libraries its sample-config generator lists): of its {n} "
                              "key(s), those that are no option of the service elsewhere were "
                              "not judged", severity="info")


@lru_cache(maxsize=64)
def _prepared(known: frozenset[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """(the names to search near misses in, sorted; every name lower-cased) of a set of known
    sections: the same for every host of a fleet, so sorted once."""
    return tuple(sorted(s for s in known if s != "DEFAULT")), frozenset(s.lower() for s in known)


@lru_cache(maxsize=4096)
def _close(name: str, targets: tuple[str, ...]) -> list[str]:
    """The nearest section name (searched once per name and set of sections: a fleet's
    hosts share them)."""
    import difflib

    return difflib.get_close_matches(name, targets, n=1, cutoff=0.8)


RULE = Rule("CG103", "unknown-section", "warning",
            "section the release never reads, spelled like one it does", check)
