"""Per-release behaviour of the services that the options alone do not tell
(release_matrix/behaviour.toml): how nova and cinder find an image's location to clone it,
which libvirt secret nova uses for volumes and disks, what cinder requires to start.

Rules ask these questions with a release; only this module (through confgen.releases) knows
which releases a fact covers.
"""

from __future__ import annotations

from functools import cache

from confgen import releases
from confgen.record import dataclass
from confgen.releases import Release

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class Fact:
    """One fact for a run of releases, with where it was read."""

    first: Release
    last: Release
    data: dict[str, Any]
    source: str

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@cache
def _facts() -> dict[str, tuple[Fact, ...]]:
    # the compact form of release_matrix/behaviour.toml (python -m confgen.compact): lint
    # start-up parses no TOML
    from confgen.compiled.behaviour import BEHAVIOUR as raw

    fam = releases.openstack()
    out: dict[str, tuple[Fact, ...]] = {}
    for table, rows in raw.items():
        out[table] = tuple(
            Fact(fam.get(r["from"]), fam.get(r["to"]),
                 {k: v for k, v in r.items() if k not in ("from", "to", "source")},
                 r.get("source", ""))
            for r in rows)
    return out


def facts(table: str, release: Release, **match: Any) -> list[Fact]:
    """The facts of a table that cover `release` (and whose fields equal `match`)."""
    return [f for f in _facts().get(table, ())
            if f.first <= release <= f.last
            and all(f.data.get(k) == v for k, v in match.items())]


def fact(table: str, release: Release, **match: Any) -> Fact | None:
    found = facts(table, release, **match)
    return found[0] if found else None


# -- copy-on-write ------------------------------------------------------------------------
@dataclass(frozen=True)
class LocationLookup:
    """How one service of one release finds an image's RBD location."""

    service: str
    reads: tuple[str, ...]  # direct_url / locations / location_api, in the order tried
    needs_glance_v2: bool
    location_api_needs: str  # option key ("glance.auth_type") or ""
    source: str

    @property
    def clones(self) -> bool:
        return bool(self.reads)


def image_location(service: str, release: Release) -> LocationLookup | None:
    f = fact("image_location", release, service=service)
    if f is None:
        return None
    return LocationLookup(service, tuple(f.get("reads", ())), bool(f.get("needs_glance_v2")),
                          f.get("location_api_needs", ""), f.source)


def glance_shows(release: Release) -> dict[str, Fact]:
    """What glance of `release` can show a client, by kind (direct_url, locations,
    location_api); a fact's `option` is the glance option that turns it on ("" = always)."""
    return {f.get("what"): f for f in facts("glance_shows", release)}


# -- libvirt secrets -----------------------------------------------------------------------
def volume_secret_rule(release: Release) -> Fact | None:
    """`rule` is nova_first or cinder_first (see behaviour.toml)."""
    return fact("volume_secret", release)


def disk_secret(release: Release) -> Fact | None:
    return fact("disk_secret", release)


def cinder_secret_default(release: Release) -> Fact | None:
    """`default` is "none" (no secret handed over) or "fsid" (the cluster's fsid)."""
    return fact("cinder_secret_default", release)


# -- start-up --------------------------------------------------------------------------------
def cinder_default_backend(release: Release) -> Fact | None:
    """`status` of a volume driver in [DEFAULT] without enabled_backends: accepted,
    deprecated or refused."""
    return fact("cinder_default_backend", release)


def glance_multistore(release: Release) -> Fact | None:
    """`status` of glance multi-store: experimental or supported (None: not there)."""
    return fact("glance_multistore", release)
