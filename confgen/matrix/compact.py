"""The compact form of an OpenStack file's matrix that lint loads: a small per-release index
over rows shared by every release, option histories decoded only when asked.

Written by `python -m confgen.compact` from release_matrix/<file>.json into
confgen/compiled/<file>/ (modules of literals, loaded from their compiled bytecode). Options
are numbered in data order (their position, `pos`); the eras of every option, in data order,
are numbered too (`eid`):

- `base.py` (one per file, read when a query leaves the release's slice): META, KEYS
  (pos -> stable key), FIRST / LAST (pos -> index of the option's first and last release),
  NEWEST (pos -> newest name, where it is not the key's last part), E0 (pos -> first eid of
  the option; its eras are E0[pos]..E0[pos + 1] - 1), OFF (eid -> byte offset of the era's
  line in eras.txt), LISTS (list id -> JSON text of a `drivers` / `store_types` /
  `auth_plugins` list many eras share);
- `names.py` (one per file, read for questions beyond the release's index): NAMES
  (normalised name -> positions of the options that ever had that name or old spelling, in
  data order), HELP / NOTES (pos -> text);
- `eras.txt`: every era exactly as the source JSON holds it, one JSON text a line (long lists
  are ids into LISTS), read a line at a time and decoded on first use;
- `meta.py`: META alone (what every lint of the file reads first);
- `r<release>.py` (one per release): the release's slice, enough for a lint that stays in
  the release: O (positions of the options the release reads, in data order) and, row by
  row, EI (the eid in force), EB / EZ (that era's bytes in eras.txt), K (the stable key),
  FI / LA (first and last release), NW (row -> newest name, where it is not the key's last
  part); LS (the LISTS texts its eras name); FS / FV ("section" NUL "name" -> position of
  the option FileMatrix.resolve answers for that static placement), DS / DV (the same for
  run-time families: `@backend`, `@store`); LN (the names it reads), SECTIONS, DRIVERS
  (every driver its eras list).

A lint of release R asks R's index first: a key in a section the release reads it from (or
in a section of a run-time family that reads it) is answered there, from one era decoded.
Everything else (old spellings, wrong sections, removed and unknown names) goes to
FileMatrix.resolve itself over options decoded one name at a time, so the answers are the
model's own; tests/test_compact.py checks them against the full matrix for every release.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from confgen import load_module, releases
from confgen.matrix.model import Era, FileMatrix, Option, OptionAt, Resolution
from confgen.releases import Release

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

ERAS_FILE = "eras.txt"  # confgen.compact writes it: every era of the file, one a line

# era fields whose (long, often repeated) lists are stored once in LISTS and named by id
LISTED = ("drivers", "store_types", "auth_plugins")

# JSON values are stored frozen (lists as tuples, dicts as a tagged tuple of pairs) so that
# a row is one constant of the compiled module; thaw() gives back the JSON value (ceph views).
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


class Rows:
    """One file's shared rows (base.py), with the eras decoded on first use; one per file
    and process, whatever the release."""

    def __init__(self, file: str):
        pkg = f"confgen.compiled.{module_name(file)}"
        self.file, self.pkg = file, pkg
        self.meta: dict[str, Any] = load_module(f"{pkg}.meta").META
        self.family = releases.family(self.meta.get("family", releases.OPENSTACK))
        self.any_section = bool(self.meta.get("any_section"))
        self._eras: dict[int, Era] = {}
        self._lists: dict[int, tuple] = {}
        self._options: dict[int, Option] = {}

    @property
    def base(self) -> Any:
        """base.py: every release's rows (read when a query leaves the release's slice)."""
        mod = self.__dict__.get("_base")
        if mod is None:
            mod = self.__dict__["_base"] = load_module(f"{self.pkg}.base")
        return mod

    @property
    def names(self) -> Any:
        """names.py: the name index, help and notes (read when a query needs them)."""
        mod = self.__dict__.get("_names")
        if mod is None:
            mod = self.__dict__["_names"] = load_module(f"{self.pkg}.names")
        return mod

    @property
    def pos(self) -> dict[str, int]:
        """stable key -> position."""
        p = self.__dict__.get("_pos")
        if p is None:
            keys = self.base.KEYS
            p = self.__dict__["_pos"] = dict(zip(keys, range(len(keys)), strict=True))
        return p

    def era(self, eid: int, at: int = -1, size: int = 0, lists: Any = None) -> Era:
        """Era `eid`, decoded once; `at`, `size` (its bytes in eras.txt) and `lists` (the
        LISTS texts it names) come from a release's slice and spare reading base.py."""
        era = self._eras.get(eid)
        if era is None:
            from confgen.matrix.load import era_from_dict

            if at < 0:
                off = self.base.OFF
                at, size = off[eid], off[eid + 1] - off[eid] - 1
            raw = _json_loads(self._read(at, size))
            for f in LISTED:
                if f in raw:
                    raw[f] = self._list(raw[f], lists)
            era = self._eras[eid] = era_from_dict(raw, self.family, self.any_section)
        return era

    def _read(self, at: int, size: int) -> str:
        """Bytes at..at+size of eras.txt (the file stays open: a lint reads a few hundred
        eras of it, a fleet's workers many more; pread keeps forked workers apart)."""
        fd = self.__dict__.get("_fd")
        if fd is None:
            import os
            import sys

            path = os.path.join(sys.modules[self.pkg].__path__[0], ERAS_FILE)
            fd = self.__dict__["_fd"] = os.open(path, os.O_RDONLY)
        return _pread(fd, size, at).decode("utf-8")

    def _list(self, lid: int, lists: Any = None) -> tuple:
        lst = self._lists.get(lid)
        if lst is None:
            text = lists[lid] if lists is not None else self.base.LISTS[lid]
            lst = self._lists[lid] = tuple(_json_loads(text))
        return lst

    def option(self, pos: int) -> Option:
        """The option with its whole history."""
        opt = self._options.get(pos)
        if opt is None:
            b, n = self.base, self.names
            opt = self._options[pos] = Option(
                key=b.KEYS[pos], file=self.file, help=n.HELP.get(pos, ""),
                notes=n.NOTES.get(pos, ""),
                eras=tuple(self.era(e) for e in range(b.E0[pos], b.E0[pos + 1])))
        return opt


def _pread(fd: int, size: int, at: int) -> bytes:
    import os

    if hasattr(os, "pread"):
        return os.pread(fd, size, at)
    os.lseek(fd, at, os.SEEK_SET)  # no pread (Windows): one reader per process
    return os.read(fd, size)


@cache
def _decoder() -> Any:
    """json.loads for our own rows, without importing the json package: its import compiles
    regular expressions (1-3 ms of every lint); the C scanner it wraps needs none of them."""
    try:
        from _json import make_scanner
    except ImportError:  # another Python: the package it is
        import json

        return json.loads

    class Context:  # what json.decoder.JSONDecoder gives the scanner, with its defaults
        strict = True
        object_hook = object_pairs_hook = None
        parse_float, parse_int, parse_constant = float, int, float
        memo: dict = {}

    scan = make_scanner(Context())
    return lambda text: scan(text, 0)[0]


def _json_loads(text: str) -> Any:
    return _decoder()(text)


@cache
def rows(file: str) -> Rows:
    return Rows(file)


class LazyOption(Option):
    """An option as one release's index knows it: its era there and its first and last
    release; its help, notes and other eras are decoded on first use. It equals (and hashes
    as) the full option."""

    def __init__(self, matrix: CompactMatrix, pos: int):  # noqa: D107
        d = self.__dict__
        i = matrix.local[pos]  # its row in the release's slice
        d["key"], d["file"], d["_m"], d["_pos"], d["_i"] = \
            matrix.index.K[i], matrix.file, matrix, pos, i

    def full(self) -> Option:
        return self._m.rows.option(self._pos)

    help = property(lambda self: self.full().help)  # type: ignore[assignment]
    notes = property(lambda self: self.full().notes)  # type: ignore[assignment]
    eras = property(lambda self: self.full().eras)  # type: ignore[assignment]
    span = property(lambda self: self.full().span)  # type: ignore[assignment]

    def era(self, release: Release) -> Era | None:
        if release.index == self._m.the_release.index:
            return self._m.era_in(self._pos)
        return self.full().era(release)

    @property
    def name(self) -> str:
        return self._m.index.NW.get(self._i) or self.key.rpartition(".")[2]

    @property
    def introduced(self) -> Release:
        return self._m.family.releases[self._m.index.FI[self._i]]

    @property
    def last_release(self) -> Release:
        return self._m.family.releases[self._m.index.LA[self._i]]

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
        return self._m.option_at(self._m.key_pos(key))

    def __contains__(self, key: object) -> bool:
        return key in self._m.keys or key in self._m.rows.pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._m.rows.base.KEYS)

    def __len__(self) -> int:
        return len(self._m.rows.base.KEYS)


class _ByName(Mapping[str, list[Option]]):
    """normalised name -> options that ever had it, in data order (as FileMatrix builds it)."""

    def __init__(self, matrix: CompactMatrix):
        self._m = matrix

    def __getitem__(self, name: str) -> list[Option]:
        return [self._m.option_at(p) for p in self._m.rows.names.NAMES[name]]

    def __contains__(self, name: object) -> bool:
        return name in self._m.rows.names.NAMES

    def __iter__(self) -> Iterator[str]:
        return iter(self._m.rows.names.NAMES)

    def __len__(self) -> int:
        return len(self._m.rows.names.NAMES)


class CompactMatrix(FileMatrix):
    """A FileMatrix read from the compact form, for one release (other releases work too,
    through the decoded histories, at the full matrix's cost)."""

    def __init__(self, file: str, release: Release, index: Any):
        self.file = file
        self.rows = rows(file)
        self.family = self.rows.family
        self.the_release = release
        self.meta = self.rows.meta
        self.index = index
        # "section\0name" -> position of the option read there; "token\0name" likewise
        self._fast: dict[str, int] = dict(zip(index.FS, index.FV, strict=True))
        self._dyn: dict[str, int] = dict(zip(index.DS, index.DV, strict=True))
        self._unjudged = frozenset(self.meta.get("unjudged", {}).get(release.name, ()))
        if self.family.name == releases.OPENSTACK:  # FileMatrix._norm, without its test
            self._norm = str.strip  # type: ignore[method-assign]
        self._sections = {release.index: index.SECTIONS}
        self._built: dict[int, Option] = {}
        self._answers: dict[tuple, Resolution] = {}
        self._unsuggested: dict[tuple, Resolution] = {}  # unknown, asked with suggest=False
        self.options = _Options(self)  # type: ignore[assignment]
        self._by_name = _ByName(self)  # type: ignore[assignment]

    @property
    def local(self) -> dict[int, int]:
        """position -> row of the release's slice, for the options it reads."""
        loc = self.__dict__.get("_local")
        if loc is None:
            o = self.index.O
            loc = self.__dict__["_local"] = dict(zip(o, range(len(o)), strict=True))
        return loc

    @property
    def keys(self) -> dict[str, int]:
        """stable key -> position, for the options the release reads."""
        k = self.__dict__.get("_keys")
        if k is None:
            k = self.__dict__["_keys"] = dict(zip(self.index.K, self.index.O, strict=True))
        return k

    def key_pos(self, key: str) -> int:
        """Position of an option by stable key (KeyError for none)."""
        pos = self.keys.get(key)
        return self.rows.pos[key] if pos is None else pos

    def era_in(self, pos: int) -> Era | None:
        """The era in force in this release of the option at `pos` (None: not read)."""
        i = self.local.get(pos)
        if i is None:
            return None
        ix = self.index
        return self.rows.era(ix.EI[i], ix.EB[i], ix.EZ[i], ix.LS)

    def get(self, key: str, release: str | Release) -> OptionAt | None:
        r = self.release(release)
        if r.index != self.the_release.index:
            return super().get(key, r)
        pos = self.keys.get(key)  # not read by the release: None, whatever its history
        if pos is None:
            return None
        era = self.era_in(pos)
        return OptionAt(self.option_at(pos), era, r) if era is not None else None

    def drivers(self, release: Release) -> frozenset[str]:
        if release.index == self.the_release.index:
            return self.index.DRIVERS
        return super().drivers(release)

    def option_at(self, pos: int) -> Option:
        opt = self._built.get(pos)
        if opt is None:
            opt = self._built[pos] = (LazyOption(self, pos) if pos in self.local
                                      else self.rows.option(pos))
        return opt

    def decoded(self, key: str) -> Option:
        """The option with its whole history."""
        return self.rows.option(self.key_pos(key))

    def era_at(self, key: str) -> Era:
        """The era in force in this release of one of its options."""
        era = self.era_in(self.keys[key])
        assert era is not None
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
        asked = (section, norm, families)
        suggest = kw.get("suggest", True)
        # only an unknown name's answer depends on `suggest` (its "did you mean" list)
        res = self._answers.get(asked) or (None if suggest else self._unsuggested.get(asked))
        if res is None:
            pos = None if norm in self._unjudged else self._read_at(section, norm, families)
            if pos is not None:  # read there: the release's index answers
                opt = self.option_at(pos)
                era = self.era_in(pos)
                res = Resolution("deprecated" if era.deprecated else "current", opt,
                                 OptionAt(opt, era, r))
            else:
                res = super().resolve(release, section, name, dynamic, **kw)
            (self._answers if suggest or res.kind != "unknown" else self._unsuggested)[
                asked] = res
        return res

    def _read_at(self, section: str, norm: str, families: tuple) -> int | None:
        """Position of the first option (data order) the release reads as `[section] norm`,
        the section itself or one of its run-time families naming it; None if none."""
        pos = self._fast.get(f"{section}\0{norm}")
        for tok in families:
            p = self._dyn.get(f"{tok}\0{norm}")
            if p is not None and (pos is None or p < pos):
                pos = p
        return pos

    def at(self, release: str | Release) -> list[OptionAt]:
        r = self.release(release)
        if r.index != self.the_release.index:
            return super().at(r)
        ix, era = self.index, self.rows.era
        return [OptionAt(self.option_at(p), era(e, b, z, ix.LS), r)
                for p, e, b, z in zip(ix.O, ix.EI, ix.EB, ix.EZ, strict=True)]

    def live_names(self, release: Release) -> set[str]:
        if release.index == self.the_release.index:
            return set(self.index.LN)
        return super().live_names(release)


@cache
def load_compact(file: str, release: Release) -> CompactMatrix | None:
    """The compact matrix of `file` for `release`, or None when none is shipped."""
    try:
        index = load_module(
            f"confgen.compiled.{module_name(file)}.{release_module(release.name)}")
    except ModuleNotFoundError:
        return None
    return CompactMatrix(file, release, index) if hasattr(index, "FS") else None
