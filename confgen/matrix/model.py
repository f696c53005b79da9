"""Option history as data: an option is a list of eras, each a run of releases in which the
option had the same placement, type, default and status.

Queries answer, for a release R: where does option X go, what is `[S] K`, what did it use to be.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from confgen import releases as rel_mod
from confgen.releases import Family, Release

# A section token that starts with "@" names a family of sections chosen at run time:
#   @backend  any cinder section listed in [DEFAULT] enabled_backends
#   @store    any glance section named as a key of [DEFAULT] enabled_backends (multi-store)
#   @client   ceph.conf: [client] or [client.NAME]
DYNAMIC_PREFIX = "@"


@dataclass(frozen=True)
class Placement:
    section: str
    name: str

    def __str__(self) -> str:
        return f"[{self.section}] {self.name}"


@dataclass(frozen=True)
class Era:
    first: Release
    last: Release
    section: str
    name: str
    type: str = "string"
    default: Any = None
    choices: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    secret: bool = False
    deprecated: bool = False
    deprecated_reason: str = ""
    replacement: str = ""  # option key that replaces this one, when deprecated for a successor
    also: tuple[str, ...] = ()  # further sections the option is read from (may be dynamic)
    aliases: tuple[Placement, ...] = ()  # older section/name pairs still read in this era
    source: str = ""  # "repo:path@firstref..lastref" where this era was checked
    # complete-inventory facts (SCHEMA.md); empty = no restriction
    namespace: str = ""  # generator namespace the option came from ("nova.conf", "oslo.log")
    item_type: str = ""  # multistring: the type of each value ("dict"), "" = string
    drivers: tuple[str, ...] = ()  # @backend: volume_driver class paths that read it
    store_types: tuple[str, ...] = ()  # @store: store types that read it (rbd, file, ...)
    auth_plugins: tuple[str, ...] = ()  # keystoneauth sections: auth_type values that read it
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def covers(self, release: Release) -> bool:
        return self.first.index <= release.index <= self.last.index

    @property
    def sections(self) -> tuple[str, ...]:
        return (self.section, *self.also)


@dataclass(frozen=True)
class Option:
    key: str  # stable id: "section.name" of its newest placement
    file: str
    help: str
    eras: tuple[Era, ...]
    notes: str = ""  # curated remarks (why a fact was fixed by hand, guide disagreements)

    def era(self, release: Release) -> Era | None:
        for era in self.eras:
            if era.covers(release):
                return era
        return None

    @property
    def introduced(self) -> Release:
        return self.eras[0].first

    @property
    def last_release(self) -> Release:
        return self.eras[-1].last

    def removed_in(self, family: Family) -> Release | None:
        """First release without the option after it existed (None if it still exists)."""
        return family.next(self.last_release)

    def deprecated_since(self) -> Release | None:
        for era in self.eras:
            if era.deprecated:
                return era.first
        return None


@dataclass(frozen=True)
class OptionAt:
    """An option as one release sees it."""

    option: Option
    era: Era
    release: Release

    @property
    def placement(self) -> Placement:
        return Placement(self.era.section, self.era.name)

    @property
    def status(self) -> str:
        return "deprecated" if self.era.deprecated else "current"


@dataclass(frozen=True)
class Resolution:
    """What `[section] name` means in one release.

    kind:
      current     the canonical placement of a live option
      alias       an older name/section the release still reads (deprecated spelling)
      deprecated  canonical placement of an option that is itself deprecated
      wrong_section   the name exists in this release but in another section (see `expected`)
      removed     the option existed in an earlier release and is gone (ignored by the service)
      not_yet     the option only appears in a later release (see `since`)
      unknown     nothing by that name in any release (see `suggestions`)
    """

    kind: str
    option: Option | None = None
    at: OptionAt | None = None
    expected: Placement | None = None
    since: Release | None = None
    removed: Release | None = None
    suggestions: tuple[str, ...] = ()


def _section_matches(token: str, section: str, dynamic: dict[str, set[str]]) -> bool:
    if token.startswith(DYNAMIC_PREFIX):
        return section in dynamic.get(token, set())
    # exact: oslo.config does not treat [default] as [DEFAULT] (lint rule CG105 says so)
    return token == section


class FileMatrix:
    """All options of one config file across releases."""

    def __init__(self, file: str, family: Family, options: list[Option], meta: dict[str, Any]):
        self.file = file
        self.family = family
        self.options: dict[str, Option] = {o.key: o for o in options}
        self.meta = meta
        # name -> options that ever used that name (canonical or alias), for fast lookup
        self._by_name: dict[str, list[Option]] = {}
        for opt in options:
            names = {e.name for e in opt.eras} | {a.name for e in opt.eras for a in e.aliases}
            for n in names:
                self._by_name.setdefault(self._norm(n), []).append(opt)

    def _norm(self, name: str) -> str:
        # ceph.conf treats spaces and underscores in keys alike (dashes are NOT folded:
        # checked with ceph-conf 16.2, `rbd-cache` is not `rbd_cache`)
        if self.family.name == rel_mod.CEPH:
            return "_".join(name.split())  # case matters (ceph-conf 16.2)
        return name.strip()

    def release(self, text: str | Release) -> Release:
        return text if isinstance(text, Release) else self.family.get(text)

    def at(self, release: str | Release) -> list[OptionAt]:
        """Every option the release has, in data order."""
        r = self.release(release)
        out = []
        for opt in self.options.values():
            era = opt.era(r)
            if era is not None:
                out.append(OptionAt(opt, era, r))
        return out

    def option(self, key: str) -> Option:
        return self.options[key]

    def get(self, key: str, release: str | Release) -> OptionAt | None:
        """The option with stable key `key` in a release, or None if it does not exist there."""
        opt = self.options.get(key)
        if opt is None:
            return None
        r = self.release(release)
        era = opt.era(r)
        return OptionAt(opt, era, r) if era else None

    def find(self, name: str) -> list[Option]:
        """Options that ever had this name (as canonical name or alias), or this key."""
        if name in self.options:
            return [self.options[name]]
        if "." in name and not name.startswith("."):
            sec, _, nm = name.rpartition(".")
            hits = [
                o
                for o in self._by_name.get(self._norm(nm), [])
                if any(e.section == sec or any(a.section == sec for a in e.aliases) for e in o.eras)
            ]
            if hits:
                return hits
        return list(self._by_name.get(self._norm(name), []))

    def resolve(
        self,
        release: str | Release,
        section: str,
        name: str,
        dynamic: dict[str, set[str]] | None = None,
    ) -> Resolution:
        """Say what `[section] name` means to this release."""
        r = self.release(release)
        dyn = dynamic or {}
        cands = self._by_name.get(self._norm(name), [])
        # 1. live canonical placement, then alias, in this release (an old spelling can still
        #    be an option of its own, e.g. [keystone_authtoken] auth_uri: the live one wins)
        wrong: OptionAt | None = None
        for opt in cands:
            era = opt.era(r)
            if era is not None and self._norm(era.name) == self._norm(name) and any(
                    _section_matches(s, section, dyn) for s in era.sections):
                return Resolution("deprecated" if era.deprecated else "current", opt,
                                  OptionAt(opt, era, r))
        for opt in cands:
            era = opt.era(r)
            if era is None:
                continue
            at = OptionAt(opt, era, r)
            for alias in era.aliases:
                if self._norm(alias.name) == self._norm(name) and _section_matches(
                    alias.section, section, dyn
                ):
                    return Resolution("alias", opt, at, expected=at.placement)
            if wrong is None:
                wrong = at
        if wrong is not None:
            return Resolution("wrong_section", wrong.option, wrong, expected=wrong.placement)
        # 2. existed before (removed) or only later (not yet)
        for opt in cands:
            if opt.last_release < r:
                return Resolution("removed", opt, removed=opt.removed_in(self.family))
        for opt in cands:
            if opt.introduced > r:
                return Resolution("not_yet", opt, since=opt.introduced)
        # 3. unknown: suggest near names that exist in this release
        eras = [e for e in (o.era(r) for o in self.options.values()) if e is not None]
        live = {self._norm(e.name) for e in eras}
        live |= {self._norm(a.name) for e in eras for a in e.aliases}
        close = difflib.get_close_matches(self._norm(name), sorted(live), n=3, cutoff=0.8)
        return Resolution("unknown", suggestions=tuple(close))

    def sections(self, release: str | Release) -> set[str]:
        """Static sections the release reads options from (dynamic tokens included as-is)."""
        out: set[str] = set()
        for at in self.at(release):
            out.update(at.era.sections)
        return out
