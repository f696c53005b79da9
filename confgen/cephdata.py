"""What a Ceph release understands for RBD client users and pools (data: release_matrix/cephx.toml).

The renderer asks three questions, each for one Ceph release:

    caps_for("nautilus", {"volumes": "rw", "images": "ro"})
        -> {"mon": "profile rbd",
            "osd": "profile rbd pool=volumes, profile rbd-read-only pool=images",
            "mgr": "profile rbd pool=volumes"}
    auth_command("jewel", "cinder", {"volumes": "rw"})
        -> one line: ceph auth get-or-create client.cinder mon '...' osd '...'
    pool_commands("hammer", "volumes", osd_count=9, size=3)
        -> ["ceph osd pool create volumes 512 512"]

Old cephx (and people pasting into old shells) choke on caps split over lines, so every command
is returned as a single line.
"""

from __future__ import annotations

import math
import re
import shlex
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from confgen import releases
from confgen.datapath import data_dir
from confgen.errors import ConfgenError
from confgen.releases import Release

RW, RO = "rw", "ro"
# Pool and user names we are willing to put in a shell line unquoted (Ceph allows more, but
# OpenStack deployments use these; anything else is most likely a typo).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Feature:
    name: str
    since: Release
    until: Release | None
    data: dict[str, Any]

    def covers(self, rel: Release) -> bool:
        return self.since <= rel and (self.until is None or rel <= self.until)


@cache
def _raw() -> dict[str, Any]:
    return tomllib.loads((data_dir("release_matrix") / "cephx.toml").read_text("utf-8"))


@cache
def features() -> dict[str, Feature]:
    fam = releases.ceph()
    out = {}
    for name, d in _raw()["feature"].items():
        until = fam.get(d["until"]) if d.get("until") else None
        out[name] = Feature(name, fam.get(d["since"]), until, d)
    return out


def _rel(ceph_release: str | Release) -> Release:
    if isinstance(ceph_release, Release):
        return ceph_release
    return releases.ceph().get(ceph_release)


def has(feature: str, ceph_release: str | Release) -> bool:
    """Does this release have the feature named in cephx.toml ([feature.NAME])?"""
    try:
        return features()[feature].covers(_rel(ceph_release))
    except KeyError:
        raise KeyError(f"cephx.toml has no feature {feature!r}") from None


def since(feature: str) -> Release:
    return features()[feature].since


def blocklist_word(ceph_release: str | Release) -> str:
    """'blacklist' or 'blocklist': how the release spells the mon command and its cap."""
    f = features()["blocklist_word"]
    return f.data["value"] if f.covers(_rel(ceph_release)) else f.data["before"]


def _check_pools(pools: Mapping[str, str]) -> None:
    if not pools:
        raise ConfgenError("a Ceph client user needs at least one pool")
    for pool, access in pools.items():
        if not _NAME.match(pool):
            raise ConfgenError(f"invalid Ceph pool name {pool!r}")
        if access not in (RW, RO):
            raise ConfgenError(f"pool {pool!r}: access must be 'rw' or 'ro', not {access!r}")


def caps_for(
    ceph_release: str | Release, pools: Mapping[str, str], style: str = "auto"
) -> dict[str, str]:
    """Caps for an RBD client of `pools` ({pool: "rw" | "ro"}), as {daemon: cap}.

    style "auto" uses `profile rbd` where the release has it, else the legacy allow-form;
    "legacy" forces the allow-form (e.g. to match an existing deployment's convention).
    Keys come in the order mon, osd[, mgr].
    """
    rel = _rel(ceph_release)
    _check_pools(pools)
    if style not in ("auto", "legacy"):
        raise ConfgenError(f"caps style must be 'auto' or 'legacy', not {style!r}")
    rw = [p for p, a in pools.items() if a == RW]
    if style == "auto" and has("profile_rbd", rel):
        osd = ", ".join(
            f"profile rbd pool={p}" if a == RW else f"profile rbd-read-only pool={p}"
            for p, a in pools.items()
        )
        caps = {"mon": "profile rbd", "osd": osd}
        if has("mgr_profile_rbd", rel) and rw:
            caps["mgr"] = ", ".join(f"profile rbd pool={p}" for p in rw)
        return caps
    legacy = features()["legacy_osd_caps"].data
    parts = [legacy["prefix"]]
    parts += [(legacy["rw"] if a == RW else legacy["ro"]).format(pool=p) for p, a in pools.items()]
    mon = features()["legacy_mon_caps"].data["value"]
    if has("exclusive_lock_default", rel):
        mon += f', allow command "osd {blocklist_word(rel)}"'
    return {"mon": mon, "osd": ", ".join(parts)}


def auth_command(
    ceph_release: str | Release, user: str, pools: Mapping[str, str], style: str = "auto"
) -> str:
    """`ceph auth get-or-create client.USER <daemon> '<cap>' ...` on one line."""
    name = user.removeprefix("client.")
    if not _NAME.match(name):
        raise ConfgenError(f"invalid Ceph user name {user!r}")
    caps = caps_for(ceph_release, pools, style)
    words = " ".join(f"{d} {shlex.quote(c)}" for d, c in caps.items())
    return f"ceph auth get-or-create {shlex.quote('client.' + name)} {words}"


def default_pool_size(ceph_release: str | Release) -> int:
    rel = _rel(ceph_release)
    table = {k: v for k, v in _raw()["pool_size_default"].items() if k != "source"}
    best = max(releases.ceph().get(k) for k in table if releases.ceph().get(k) <= rel)
    return int(table[best.name])


def pg_count(osd_count: int, size: int, pool_count: int = 1) -> int:
    """PGs for one pool by the pre-autoscaler rule of thumb in cephx.toml [pg_rule]:
    (OSDs * target per OSD / size) shared by `pool_count` pools, rounded up to a power of two."""
    if osd_count < 1 or size < 1 or pool_count < 1:
        raise ConfgenError("osd_count, size and pool_count must be positive integers")
    rule = _raw()["pg_rule"]
    raw = osd_count * rule["target_per_osd"] / size / pool_count
    return max(int(rule["min_pg"]), 1 << math.ceil(math.log2(max(raw, 1))))


def pool_commands(
    ceph_release: str | Release,
    pool: str,
    osd_count: int,
    size: int | None = None,
    pool_count: int = 1,
) -> list[str]:
    """Commands that create and prepare one RBD pool, one per line, in order.

    Releases with the autoscaler on by default get no PG count; older ones get the rule-of-thumb
    count (nautilus too: its autoscaler only warns unless enabled). `size` is set only when it
    differs from the release's default replica count.
    """
    rel = _rel(ceph_release)
    _check_pools({pool: RW})
    eff_size = size if size is not None else default_pool_size(rel)
    q = shlex.quote(pool)  # a no-op for the names _check_pools lets through; never a 2nd word
    if has("pg_autoscaler_on", rel):
        cmds = [f"ceph osd pool create {q}"]
    else:
        pgs = pg_count(osd_count, eff_size, pool_count)
        cmds = [f"ceph osd pool create {q} {pgs} {pgs}"]
    if size is not None and size != default_pool_size(rel):
        cmds.append(f"ceph osd pool set {q} size {int(size)}")
    if has("rbd_pool_init", rel):
        cmds.append(f"rbd pool init {q}")  # also tags the pool with the rbd application
    return cmds
