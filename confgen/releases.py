"""The only place that knows release names, their order, aliases and component versions.

Everything else asks this module: "is R1 before R2?", "what is the newest release?",
"which releases lie between A and B?". The data itself is release_matrix/releases.toml.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from functools import cache, total_ordering

from confgen.datapath import data_dir
from confgen.errors import UnknownRelease

OPENSTACK = "openstack"
CEPH = "ceph"


@total_ordering
@dataclass(frozen=True)
class Release:
    family: str  # "openstack" or "ceph"
    name: str  # canonical name: "juno", "2023.1", "pacific"
    index: int  # position in the family's order, 0 = oldest
    series: str = ""
    aliases: tuple[str, ...] = ()
    versions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    ceph: str = ""  # OpenStack only: the Ceph release paired with it by default

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Release) or other.family != self.family:
            return NotImplemented
        return self.index < other.index

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Human label: 'juno (2014.2)', '2023.1 (antelope)'."""
        extra = [a for a in (self.series, *self.aliases) if a and a != self.name]
        return f"{self.name} ({', '.join(extra)})" if extra else self.name


@dataclass(frozen=True)
class Family:
    name: str
    releases: tuple[Release, ...]

    @property
    def latest(self) -> Release:
        return self.releases[-1]

    @property
    def oldest(self) -> Release:
        return self.releases[0]

    def names(self) -> list[str]:
        return [r.name for r in self.releases]

    def get(self, text: str) -> Release:
        """Parse a user's release name: codename, series number or alias, any case; 'latest'.
        A blank name is an error, never a default (some releases have no series or alias)."""
        key = text.strip().lower()
        if not key:
            raise UnknownRelease(
                f"the {self.name} release name is empty; give one of {', '.join(self.names())}, "
                "latest"
            )
        if key == "latest":
            return self.latest
        for rel in self.releases:
            if key == rel.name or key == rel.series or key in rel.aliases:
                return rel
        spellings = [s for r in self.releases for s in (r.name, r.series, *r.aliases) if s]
        close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.6)
        hint = f" Did you mean {self._canonical(close[0])}?" if close else ""
        raise UnknownRelease(
            f"unknown {self.name} release {text!r}.{hint} Valid: {', '.join(self.names())}, latest"
        )

    def _canonical(self, spelling: str) -> str:
        rel = self.get(spelling)
        return rel.name if spelling == rel.name else f"{spelling} ({rel.name})"

    def range(self, first: str | Release, last: str | Release | None = None) -> list[Release]:
        """Releases from `first` to `last` inclusive (to the newest when last is None)."""
        a = first if isinstance(first, Release) else self.get(first)
        b = self.latest if last is None else (last if isinstance(last, Release) else self.get(last))
        return [r for r in self.releases if a.index <= r.index <= b.index]

    def next(self, rel: Release) -> Release | None:
        return self.releases[rel.index + 1] if rel.index + 1 < len(self.releases) else None

    def previous(self, rel: Release) -> Release | None:
        return self.releases[rel.index - 1] if rel.index > 0 else None


@cache
def _load() -> dict[str, Family]:
    raw = tomllib.loads((data_dir("release_matrix") / "releases.toml").read_text("utf-8"))
    families: dict[str, Family] = {}
    for fam in (OPENSTACK, CEPH):
        rels = []
        for i, entry in enumerate(raw[fam]):
            versions = {
                k: str(v)
                for k, v in entry.items()
                if k not in ("name", "series", "aliases", "ceph") and v
            }
            rels.append(
                Release(
                    family=fam,
                    name=entry["name"],
                    index=i,
                    series=entry.get("series", ""),
                    aliases=tuple(a.lower() for a in entry.get("aliases", ())),
                    versions=versions,
                    ceph=entry.get("ceph", ""),
                )
            )
        families[fam] = Family(fam, tuple(rels))
    return families


def openstack() -> Family:
    return _load()[OPENSTACK]


def ceph() -> Family:
    return _load()[CEPH]


def family(name: str) -> Family:
    return _load()[name]


def paired_ceph(os_release: Release) -> Release:
    """The Ceph release an OpenStack release is paired with when nothing else says."""
    return ceph().get(os_release.ceph) if os_release.ceph else ceph().latest


def ceph_for(text: str | None, os_release: Release) -> Release | None:
    """A Ceph release as users write it: a name, `latest`, `auto` (the release paired with
    `os_release`), or nothing (None: no Ceph release given; a blank name is an error)."""
    if text is None:
        return None
    if text.strip().lower() == "auto":
        return paired_ceph(os_release)
    return ceph().get(text)


def get(text: str) -> Release:
    """Shorthand for an OpenStack release."""
    return openstack().get(text)
