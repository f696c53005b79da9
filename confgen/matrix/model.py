"""Option history as data: an option is a list of eras, each a run of releases in which the
option had the same placement, type, default and status.

Queries answer, for a release R: where does option X go, what is `[S] K`, what did it use to be.
"""

from __future__ import annotations

from confgen import releases as rel_mod
from confgen.record import dataclass, field
from confgen.releases import Family, Release

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

# A section token that starts with "@" names a family of sections chosen at run time:
#   @backend  any cinder section listed in [DEFAULT] enabled_backends
#   @store    any glance section named as a key of [DEFAULT] enabled_backends (multi-store)
#   @client   ceph.conf: [client] or [client.NAME]
DYNAMIC_PREFIX = "@"
# "*": every section (Ceph reads any option from any section of ceph.conf)
ANY_SECTION = "*"


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
    # first and last release of the whole option, when `eras` holds only some of its eras
    # (a one-release view of the matrix carries the era of that release alone)
    span: tuple[Release, Release] | None = None

    def era(self, release: Release) -> Era | None:
        for era in self.eras:
            if era.covers(release):
                return era
        return None

    @property
    def name(self) -> str:
        return self.eras[-1].name if self.eras else self.key.rpartition(".")[2]

    @property
    def introduced(self) -> Release:
        return self.span[0] if self.span else self.eras[0].first

    @property
    def last_release(self) -> Release:
        return self.span[1] if self.span else self.eras[-1].last

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

    The spelling is resolved by option identity first: an old spelling belongs to the option
    whose history holds it (havana's `[DEFAULT] rbd_user` is nova's libvirt user, never the
    `[glance] rbd_user` that appeared in victoria), and only a name no history holds in that
    section falls back to "an option of that name lives elsewhere".

    kind:
      current     the canonical placement of a live option
      alias       an older name/section the release still reads (deprecated spelling)
      deprecated  canonical placement of an option that is itself deprecated
      wrong_section   the release does not read this spelling; the option it belongs to (by
                  history, or else the one live option of that name) is read at `expected`.
                  `until` is the last release that read the spelling (None: never read there)
      ambiguous   the release does not read this spelling and several live options could be
                  meant (`candidates`): no single answer, so nothing may be moved
      removed     the option existed in an earlier release and is gone (ignored by the service)
      not_yet     the option only appears in a later release (see `since`)
      unknown     nothing by that name in any release (see `suggestions`)
      unjudged    the data cannot say: no source was read for this release and its neighbours
                  disagree about the name (rules report nothing but that)
    """

    kind: str
    option: Option | None = None
    at: OptionAt | None = None
    expected: Placement | None = None
    since: Release | None = None
    removed: Release | None = None
    suggestions: tuple[str, ...] = ()
    until: Release | None = None
    candidates: tuple[OptionAt, ...] = ()


_UNKNOWN = Resolution("unknown")  # shared: a huge file of made-up keys needs only one


def _section_matches(token: str, section: str, dynamic: dict[str, set[str]]) -> bool:
    if token == ANY_SECTION:
        return True
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
            names = names or {opt.name}
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

    def drivers(self, release: str | Release) -> frozenset[str]:
        """Every driver the release's options list (cinder's in-tree volume drivers)."""
        return frozenset(d for at in self.at(release) for d in at.era.drivers)

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
        suggest: bool = True,
    ) -> Resolution:
        """Say what `[section] name` means to this release: one answer, or an explicit
        ambiguity (kind "ambiguous") when the spelling could belong to several options.
        `suggest=False` skips the "did you mean" search for unknown names (costly)."""
        r = self.release(release)
        dyn = dynamic or {}
        key = self._norm(name)
        if key in self.meta.get("unjudged", {}).get(r.name, ()):
            return Resolution("unjudged", since=r)
        cands = self._by_name.get(key, [])
        # 1. the release reads this spelling: canonical placement (or `also`) first, then alias
        alias_hit: Resolution | None = None
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
            if self._norm(era.name) == key and any(
                _section_matches(s, section, dyn) for s in era.sections
            ):
                return Resolution("deprecated" if era.deprecated else "current", opt, at)
            if alias_hit is None and any(
                self._norm(a.name) == key and _section_matches(a.section, section, dyn)
                for a in era.aliases
            ):
                alias_hit = Resolution("alias", opt, at, expected=at.placement)
        if alias_hit is not None:
            return alias_hit
        # 2. identity: the options whose history holds exactly this spelling
        owners = [(o, last) for o in cands
                  if (last := self._last_read(o, section, key, dyn)) is not None]
        if owners:
            live = [(o, last) for o, last in owners if o.era(r) is not None]
            if len(live) == 1:
                opt, last = live[0]
                at = OptionAt(opt, opt.era(r), r)  # type: ignore[arg-type]
                return Resolution("wrong_section", opt, at, expected=at.placement,
                                  until=last if last < r else None)
            if len(live) > 1:
                return self._ambiguous([o for o, _ in live], r)
            return self._gone([o for o, _ in owners], r)
        # 3. no history holds it: an option of that name read elsewhere in this release
        live_opts = [o for o in cands if o.era(r) is not None]
        if len(live_opts) == 1:
            opt = live_opts[0]
            at = OptionAt(opt, opt.era(r), r)  # type: ignore[arg-type]
            return Resolution("wrong_section", opt, at, expected=at.placement)
        if len(live_opts) > 1:
            return self._ambiguous(live_opts, r)
        if cands:
            return self._gone(cands, r)
        # 4. unknown: suggest near names that exist in this release
        close = self._close(r, key) if suggest else ()
        return Resolution("unknown", suggestions=close) if close else _UNKNOWN

    def _close(self, r: Release, name: str) -> tuple[str, ...]:
        """Near names live in release `r`: the same name in another case, else difflib's
        close matches (cached: a file repeating one unknown key, or many files of a fleet, ask
        the same question again and again). The release's name index is built once."""
        # made on first use (subclasses with their own __init__ get them too)
        close_cache = self.__dict__.setdefault("_close_cache", {})
        live_cache = self.__dict__.setdefault("_live_cache", {})
        key = (r.index, name)
        hit = close_cache.get(key)
        if hit is None:
            live = live_cache.get(r.index)
            if live is None:  # lower case -> names in that case; length -> names
                lower: dict[str, list[str]] = {}
                by_len: dict[int, list[str]] = {}
                for n in sorted(self.live_names(r)):
                    lower.setdefault(n.lower(), []).append(n)
                    by_len.setdefault(len(n), []).append(n)
                live = live_cache[r.index] = (lower, by_len)
            same = live[0].get(name.lower())  # only the case differs
            if same:
                hit = tuple(same)
            else:
                import difflib

                # only names whose length lets them reach the cutoff: difflib's own first
                # test (real_quick_ratio), so the answer is the same as over every name
                n = len(name)
                near = [x for k, names in live[1].items()
                        if (2.0 * min(k, n) / (k + n) if k + n else 1.0) >= 0.8 for x in names]
                if near and name and "\n" not in name:
                    # an upper bound of difflib's second test (quick_ratio): a name's
                    # characters that `name` lacks cannot match; one C pass over them all
                    # (translate) leaves about one name in eight for difflib, same answer
                    absent = map(len, "\n".join(near).translate(
                        str.maketrans("", "", name)).split("\n"))
                    near = [x for x, a in zip(near, absent, strict=True)
                            if 2.0 * (len(x) - a) / (len(x) + n) >= 0.8]
                hit = tuple(difflib.get_close_matches(name, near, n=3, cutoff=0.8))
            if len(close_cache) < 100_000:
                close_cache[key] = hit
        return hit

    def _last_read(self, opt: Option, section: str, key: str,
                   dyn: dict[str, set[str]]) -> Release | None:
        """Last release in which `opt` was read as `[section] key` (canonical or alias)."""
        last = None
        for era in opt.eras:
            canonical = self._norm(era.name) == key and any(
                _section_matches(s, section, dyn) for s in era.sections)
            alias = any(self._norm(a.name) == key and _section_matches(a.section, section, dyn)
                        for a in era.aliases)
            if canonical or alias:
                last = era.last
        return last

    @staticmethod
    def _ambiguous(opts: list[Option], r: Release) -> Resolution:
        ats = tuple(OptionAt(o, o.era(r), r) for o in opts)  # type: ignore[arg-type]
        return Resolution("ambiguous", candidates=ats)

    def _gone(self, opts: list[Option], r: Release) -> Resolution:
        """None of `opts` exists in `r`: removed (the option whose last era before `r` ends
        latest; an option removed and brought back later is removed in its gap) or not yet
        there (the earliest to come)."""
        ended = [(e.last, o) for o in opts for e in o.eras if e.last < r]
        # a one-release view holds one era: its span still says when the option ended
        ended += [(o.last_release, o) for o in opts if o.last_release < r]
        if ended:
            last, opt = max(ended, key=lambda x: x[0])
            return Resolution("removed", opt, removed=self.family.next(last))
        opt = min(opts, key=lambda o: o.introduced)
        return Resolution("not_yet", opt, since=opt.introduced)

    def history(self, section: str, name: str,
                dynamic: dict[str, set[str]] | None = None) -> dict[str, list[Release]]:
        """Option key -> the releases that read `[section] name` as that option (its
        placement, a further section or an old spelling), oldest first; only options whose
        history holds the spelling."""
        dyn = dynamic or {}
        key = self._norm(name)
        out: dict[str, list[Release]] = {}
        for opt in self._by_name.get(key, []):
            idx: set[int] = set()
            for era in opt.eras:
                canonical = self._norm(era.name) == key and any(
                    _section_matches(s, section, dyn) for s in era.sections)
                alias = any(self._norm(a.name) == key and
                            _section_matches(a.section, section, dyn) for a in era.aliases)
                if canonical or alias:
                    idx.update(range(era.first.index, era.last.index + 1))
            if idx:
                out[opt.key] = [self.family.releases[i] for i in sorted(idx)]
        return out

    def read_in(self, section: str, name: str,
                dynamic: dict[str, set[str]] | None = None) -> list[Release]:
        """Releases that read `[section] name` (as any option), oldest first."""
        idx = {r.index for rels in self.history(section, name, dynamic).values() for r in rels}
        return [self.family.releases[i] for i in sorted(idx)]

    def live_names(self, release: Release) -> set[str]:
        """Every name (and old spelling) the release reads, normalised."""
        eras = [e for e in (o.era(release) for o in self.options.values()) if e is not None]
        live = {self._norm(e.name) for e in eras}
        return live | {self._norm(a.name) for e in eras for a in e.aliases}

    def sections(self, release: str | Release) -> frozenset[str]:
        """Static sections the release reads options from (dynamic tokens included as-is);
        computed once per release."""
        r = self.release(release)
        cache: dict = self.__dict__.setdefault("_sections", {})
        out = cache.get(r.index)
        if out is None:
            out = cache[r.index] = frozenset(s for at in self.at(r) for s in at.era.sections)
        return out
