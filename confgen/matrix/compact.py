"""The compact form of an OpenStack file's matrix that lint loads: one release's index, and the
options' full histories decoded only when asked.

Written by `python -m confgen.compact` from release_matrix/<file>.json into
confgen/compiled/<file>/ (modules of literals, loaded from their compiled bytecode):

- `store.py` (one per file): META (the file's metadata), ROWS (option key -> the option as
  the source JSON holds it, as JSON text, decoded on first use), NAMES (normalised name ->
  keys of the options that ever had that name or old spelling, in data order);
- `r<release>.py` (one per release): ERAS (key -> the era in force in that release and the
  option's first and last release, for every option the release reads, in data order), META,
  FAST
  (`(section, name)` -> (key, kind) for every static placement the release reads, as
  FileMatrix.resolve answers it), LIVE (the names the release reads), SECTIONS.

A lint of release R asks R's index first: a key in a section the release reads it from is
answered there, without any history. Everything else (old spellings, wrong sections, removed
and unknown names, sections decided at run time) goes to FileMatrix.resolve itself, over
options decoded one name at a time, so the answers are the model's own; tests/test_compact.py
checks them against the full matrix for every release.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from functools import cache

from confgen import releases
from confgen.matrix.model import Era, FileMatrix, Option, OptionAt, Placement, Resolution
from confgen.releases import Release

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any


# JSON values are stored frozen (lists as tuples, dicts as a tagged tuple of pairs) so that
# a row is one constant of the compiled module; thaw() gives back the JSON value.
DICT = "\x00dict"


def freeze(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(freeze(x) for x in v)
    if isinstance(v, dict):
        return (DICT, *((k, freeze(x)) for k, x in v.items()))
    return v


def thaw(v: Any) -> Any:
    if isinstance(v, tuple):
        if v and v[0] == DICT:
            return {k: thaw(x) for k, x in v[1:]}
        return [thaw(x) for x in v]
    return v


def module_name(file: str) -> str:
    """nova.conf -> nova_conf (the package under confgen.compiled)."""
    return file.replace(".", "_").replace("-", "_")


def release_module(release: str) -> str:
    """2025.1 -> r2025_1."""
    return "r" + release.replace(".", "_").replace("-", "_")


def era_row(era: Era) -> tuple:
    """An Era as the tuple the compact form stores (see era_from_row)."""
    return (era.first.index, era.last.index, era.section, era.name, era.type,
            freeze(era.default), freeze(list(era.choices)), era.min, era.max, era.secret,
            era.deprecated, era.deprecated_reason, era.replacement, era.also,
            tuple((a.section, a.name) for a in era.aliases), era.source, freeze(era.extra))


def era_from_row(row: tuple, rels: tuple[Release, ...]) -> Era:
    (first, last, section, name, kind, default, choices, lo, hi, secret, deprecated, reason,
     replacement, also, aliases, source, extra) = row
    return Era(rels[first], rels[last], section, name, kind, thaw(default),
               tuple(thaw(choices)), lo, hi, secret, deprecated, reason, replacement, also,
               tuple(Placement(s, n) for s, n in aliases), source, thaw(extra))


class LazyOption(Option):
    """An option as one release's index knows it: its era there and its first and last
    release; its help, notes and other eras are decoded from the store on first use. It
    equals (and hashes as) the full option."""

    def __init__(self, matrix: CompactMatrix, key: str, row: tuple):  # noqa: D107
        first, last, newest, era = row
        d = self.__dict__
        d["key"], d["file"] = key, matrix.file
        d["_m"], d["_row"], d["_newest"] = matrix, era, newest
        rels = matrix.family.releases
        d["_first"], d["_last"] = rels[first], rels[last]

    def full(self) -> Option:
        return self._m.decoded(self.key)

    help = property(lambda self: self.full().help)  # type: ignore[assignment]
    notes = property(lambda self: self.full().notes)  # type: ignore[assignment]
    eras = property(lambda self: self.full().eras)  # type: ignore[assignment]
    span = property(lambda self: self.full().span)  # type: ignore[assignment]

    def era(self, release: Release) -> Era | None:
        if release.index == self._m.the_release.index:
            return self._m.era_at(self.key)
        return self.full().era(release)

    @property
    def name(self) -> str:
        return self._newest

    @property
    def introduced(self) -> Release:
        return self._first

    @property
    def last_release(self) -> Release:
        return self._last

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyOption):
            other = other.full()
        return self.full() == other

    def __hash__(self) -> int:
        return hash(self.full())

    def __repr__(self) -> str:
        return repr(self.full())

    def __reduce__(self):  # pickles as the full option
        return (_identity, (self.full(),))


def _identity(x: Any) -> Any:
    return x


class _Options(Mapping[str, Option]):
    """key -> Option: the release's options as LazyOption, the others decoded on first use."""

    def __init__(self, matrix: CompactMatrix):
        self._m = matrix

    def __getitem__(self, key: str) -> Option:
        m = self._m
        opt = m._built.get(key)
        if opt is None:
            row = m.eras_rows.get(key)
            if row is not None:
                opt = LazyOption(m, key, row)
            elif key in m.store.ROWS:
                opt = m.decoded(key)
            else:
                raise KeyError(key)
            m._built[key] = opt
        return opt

    def __contains__(self, key: object) -> bool:
        return key in self._m.store.ROWS

    def __iter__(self) -> Iterator[str]:
        return iter(self._m.store.ROWS)

    def __len__(self) -> int:
        return len(self._m.store.ROWS)


class _ByName(Mapping[str, list[Option]]):
    """normalised name -> options that ever had it, in data order (as FileMatrix builds it)."""

    def __init__(self, matrix: CompactMatrix):
        self._m = matrix

    def __getitem__(self, name: str) -> list[Option]:
        keys = self._m.store.NAMES[name]
        return [self._m.options[k] for k in keys]

    def __contains__(self, name: object) -> bool:
        return name in self._m.store.NAMES

    def __iter__(self) -> Iterator[str]:
        return iter(self._m.store.NAMES)

    def __len__(self) -> int:
        return len(self._m.store.NAMES)


class CompactMatrix(FileMatrix):
    """A FileMatrix read from the compact form, for one release (other releases work too,
    through the decoded histories, at the full matrix's cost)."""

    def __init__(self, file: str, release: Release, index: Any):
        self.file = file
        self.family = releases.family(release.family)
        self.the_release = release
        self.meta = index.META
        self.eras_rows: dict[str, tuple] = index.ERAS
        self._fast: dict[tuple[str, str], tuple[str, str]] = index.FAST
        self._live = index.LIVE
        self._sections = {release.index: index.SECTIONS}
        self._built: dict[str, Option] = {}
        self._full: dict[str, Option] = {}
        self._eras: dict[str, Era] = {}
        self._answers: dict[tuple, Resolution] = {}
        self.options = _Options(self)  # type: ignore[assignment]
        self._by_name = _ByName(self)  # type: ignore[assignment]

    @property
    def store(self) -> Any:
        """The file's histories and name index (loaded when a query needs them)."""
        store = self.__dict__.get("_store")
        if store is None:
            store = self.__dict__["_store"] = importlib.import_module(
                f"confgen.compiled.{module_name(self.file)}.store")
        return store

    # -- decoding -------------------------------------------------------------------------
    def decoded(self, key: str) -> Option:
        """The option with its whole history, from the store."""
        opt = self._full.get(key)
        if opt is None:
            import json

            from confgen.matrix.load import option_from_dict

            opt = self._full[key] = option_from_dict(
                json.loads(self.store.ROWS[key]), self.file, self.family,
                bool(self.meta.get("any_section")))
        return opt

    def era_at(self, key: str) -> Era:
        """The era in force in this release of one of its options."""
        era = self._eras.get(key)
        if era is None:
            era = self._eras[key] = era_from_row(self.eras_rows[key][3],
                                                 self.family.releases)
        return era

    # -- queries ------------------------------------------------------------------------------
    def resolve(self, release: str | Release, section: str, name: str,
                dynamic: dict[str, set[str]] | None = None, **kw: Any) -> Resolution:
        """FileMatrix.resolve's answer, remembered: it depends only on the section, the
        normalised name and which run-time families hold the section, so a key asked again
        (the next host of a fleet) costs a dictionary look-up."""
        r = release if isinstance(release, Release) else self.release(release)
        if r.index != self.the_release.index or (kw and kw.keys() - {"suggest"}):
            return super().resolve(release, section, name, dynamic, **kw)
        families: tuple = ()
        if dynamic:
            held = [t for t, names in dynamic.items() if section in names]
            families = tuple(sorted(held)) if len(held) > 1 else tuple(held)
        norm = self._norm(name)
        asked = (section, norm, families, kw.get("suggest", True))
        res = self._answers.get(asked)
        if res is None:
            hit = None if families else self._fast.get((section, norm))
            if hit is not None:  # read there: the release's index answers
                key, kind = hit
                opt = self.options[key]
                res = Resolution(kind, opt, OptionAt(opt, self.era_at(key), r))
            else:
                res = super().resolve(release, section, name, dynamic, **kw)
            self._answers[asked] = res
        return res

    def at(self, release: str | Release) -> list[OptionAt]:
        r = self.release(release)
        if r.index != self.the_release.index:
            return super().at(r)
        return [OptionAt(self.options[k], self.era_at(k), r) for k in self.eras_rows]

    def live_names(self, release: Release) -> set[str]:
        if release.index == self.the_release.index:
            return set(self._live)
        return super().live_names(release)


@cache
def load_compact(file: str, release: Release) -> CompactMatrix | None:
    """The compact matrix of `file` for `release`, or None when none is shipped."""
    try:
        index = importlib.import_module(
            f"confgen.compiled.{module_name(file)}.{release_module(release.name)}")
    except ModuleNotFoundError:
        return None
    return CompactMatrix(file, release, index) if hasattr(index, "ERAS") else None
