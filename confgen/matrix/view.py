"""One release of a file's matrix, read from release_matrix/<project>/<release>.json.

ceph.conf has about two thousand options in each of seventeen releases; lint asks about a few
dozen keys of one release. The view file holds that release only (written by
tools/ceph_options.py), and an Option is built when a key asks for it, so a lint run reads
one small file and makes a handful of objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from confgen import releases
from confgen.matrix.compact import thaw
from confgen.matrix.load import FILES
from confgen.matrix.model import ANY_SECTION, Era, FileMatrix, Option
from confgen.releases import Release

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

_SECTIONS = ("global", "client")
_ERA_KEYS = {"choices", "min", "max", "deprecated", "replacement", "secret"}


class _Options(Mapping[str, Option]):
    """key -> Option, each built on first use from its row."""

    def __init__(self, view: ReleaseMatrix):
        self._view = view

    def _name(self, key: str) -> str | None:
        """The option name of a stable key ("global.NAME" / "client.NAME"), None if none."""
        sec, _, name = key.partition(".")
        v = self._view
        row = v.rows.get(name) or v.elsewhere.get(name)
        return name if row is not None and _SECTIONS[row[0]] == sec else None

    def __getitem__(self, key: str) -> Option:
        name = self._name(key)
        if name is None:
            raise KeyError(key)
        return self._view.option_named(name)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._name(key) is not None

    def __iter__(self) -> Iterator[str]:
        v = self._view
        for table in (v.rows, v.elsewhere):
            for name, row in table.items():
                yield f"{_SECTIONS[row[0]]}.{name}"

    def __len__(self) -> int:
        return len(self._view.rows) + len(self._view.elsewhere)


class _ByName(Mapping[str, list[Option]]):
    """normalised name -> [Option] (Ceph has no renamed spellings: one option per name)."""

    def __init__(self, view: ReleaseMatrix):
        self._view = view

    def __getitem__(self, name: str) -> list[Option]:
        if name in self._view.rows or name in self._view.elsewhere:
            return [self._view.option_named(name)]
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield from self._view.rows
        yield from self._view.elsewhere

    def __len__(self) -> int:
        return len(self._view.rows) + len(self._view.elsewhere)


class ReleaseMatrix(FileMatrix):
    """A FileMatrix that knows one release: the era in force there for each of its options,
    and for every other option only the releases it spans."""

    def __init__(self, file: str, release: Release, data: dict[str, Any]):
        self.file = file
        self.family = releases.family(release.family)
        self.the_release = release
        self.rows: dict[str, list[Any]] = data["o"]
        self.elsewhere: dict[str, list[Any]] = data["x"]
        self.source = data.get("src", "")
        self.meta = {**data.get("m", {}), "view": release.name,
                     "unjudged": {release.name: set(data.get("u", ()))}}
        self._built: dict[str, Option] = {}
        self.options = _Options(self)  # type: ignore[assignment]
        self._by_name = _ByName(self)  # type: ignore[assignment]

    def option_named(self, name: str) -> Option:
        opt = self._built.get(name)
        if opt is not None:
            return opt
        rels = self.family.releases
        if name in self.rows:
            sec, first, last, efrom, eto, kind, default, *more = thaw(self.rows[name])
            extra = dict(more[0]) if more else {}
            extra.setdefault("level", "advanced" if rels[efrom] >= _FIRST_LEVELLED() else None)
            if extra["level"] is None:
                del extra["level"]
            era = Era(first=rels[efrom], last=rels[eto], section=_SECTIONS[sec], name=name,
                      type=kind, default=default,
                      choices=tuple(extra.pop("choices", ())),
                      min=extra.pop("min", None), max=extra.pop("max", None),
                      deprecated=bool(extra.pop("deprecated", False)),
                      replacement=extra.pop("replacement", ""),
                      also=(ANY_SECTION,), source=self.source, extra=extra)
            opt = Option(f"{_SECTIONS[sec]}.{name}", self.file, "", (era,),
                         span=(rels[first], rels[last]))
        else:
            sec, first, last = thaw(self.elsewhere[name])
            opt = Option(f"{_SECTIONS[sec]}.{name}", self.file, "", (),
                         span=(rels[first], rels[last]))
        self._built[name] = opt
        return opt

    def at(self, release: str | Release) -> list:
        if self.release(release) != self.the_release:
            raise ValueError(f"this view of {self.file} knows {self.the_release} only")
        return [a for a in (self.get(k, release) for k in self.options) if a is not None]

    def live_names(self, release: Release) -> set[str]:
        return set(self.rows)

    def sections(self, release: str | Release) -> set[str]:
        return {*_SECTIONS, ANY_SECTION}


@cache
def _FIRST_LEVELLED() -> Release:  # noqa: N802 (a constant, computed once)
    """Levels (basic/advanced/dev) exist from luminous, where options.cc began; a view leaves
    out the usual 'advanced' to stay small."""
    return releases.ceph().get("luminous")


@cache
def _read(path: str) -> dict[str, Any]:
    import json

    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_view(file: str, release: Release, path: str) -> ReleaseMatrix:
    if file not in FILES:
        raise KeyError(file)
    return ReleaseMatrix(file, release, _compiled(file, release) or _read(str(path)))


def _compiled(file: str, release: Release) -> dict[str, Any] | None:
    """The view as shipped in compact form (confgen/compiled/, from the same JSON)."""
    from confgen import load_module
    from confgen.matrix.compact import module_name, release_module

    try:
        return load_module(
            f"confgen.compiled.{module_name(file)}.{release_module(release.name)}").VIEW
    except (ModuleNotFoundError, AttributeError):
        return None
