"""What a rendered INI file holds before a template turns it into text.

A `Want` is a wish in our words ("the pool for nova disks is vms"), named by the option's stable
matrix key. `place()` asks the matrix where (and whether) the release reads it: the section and
name always come from the matrix, never from code that compares releases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from confgen.errors import ConfgenError
from confgen.matrix import FileMatrix, OptionAt
from confgen.releases import CEPH, Release

_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")


@dataclass(frozen=True)
class Want:
    key: str | tuple[str, ...]  # matrix key ("libvirt.images_type"), or keys by preference
    value: Any  # a value, or a function of the OptionAt (forms that differ between releases)
    why: str = ""  # one-line comment in our own words ("" for obvious options)
    asked_by: str = ""  # intent key that asks for it; set => error when the release lacks it
    section: str = ""  # concrete section to use where the release reads the option from...
    dynamic: str = ""  # ...this dynamic token (@backend, @store, @client), e.g. "ceph" for @store
    ignore: str = ""  # lint rule ids the intent deliberately triggers (an advisory it accepted)


@dataclass
class Entry:
    name: str
    value: str
    why: str = ""
    ignore: str = ""


@dataclass
class Doc:
    """One INI file: sections in order, each with entries in order."""

    file: str
    release: Release
    sections: dict[str, list[Entry]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # header lines after the standard header

    def set(self, section: str, name: str, value: str, why: str = "", ignore: str = "") -> None:
        # the intent is validated when read; this is the last guard before text becomes lines
        bad = next((t for t in (section, name, value) if _LINE_BREAKING.search(t)), None)
        if bad is not None:
            raise ConfgenError(f"{self.file}: [{section!r}] {name!r}: a line break or control "
                               "character cannot be written into an INI file")
        entries = self.sections.setdefault(section, [])
        for e in entries:
            if e.name == name:
                e.value, e.why, e.ignore = value, why or e.why, ignore or e.ignore
                return
        entries.append(Entry(name, value, why, ignore))

    def ordered(self) -> list[tuple[str, list[Entry]]]:
        """DEFAULT/global first (services read it first, people look there first), then the
        order the renderer added sections in: stable for the same intent."""
        first = [s for s in self.sections if s in ("DEFAULT", "global")]
        rest = [s for s in self.sections if s not in first]
        return [(s, self.sections[s]) for s in first + rest if self.sections[s]]


def format_value(value: Any, type_: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        sep = ", " if type_ == "addrvec" else ","
        return sep.join(str(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in value.items())
    return str(value)


class Placer:
    """Puts wants into a Doc as one release's matrix says; collects what the release lacks."""

    def __init__(self, matrix: FileMatrix, release: Release, doc: Doc, errors: list[str]):
        self.matrix, self.release, self.doc, self.errors = matrix, release, doc, errors

    def find(self, keys: str | tuple[str, ...]) -> OptionAt | None:
        """The first of `keys` this release has."""
        for key in (keys,) if isinstance(keys, str) else keys:
            at = self.matrix.get(key, self.release)
            if at is not None:
                return at
        return None

    def place(self, want: Want) -> bool:
        at = self.find(want.key)
        if at is None:
            # one message per intent key and file: the first option it needs says enough
            if want.asked_by and not any(e.startswith(f"{want.asked_by}: {self.matrix.file} ")
                                         for e in self.errors):
                self.errors.append(self._cannot(want))
            return False
        value = want.value(at) if isinstance(want.value, Callable) else want.value
        if value is None:
            return False
        era = at.era
        section = era.section
        if want.dynamic and (want.dynamic in era.sections or self._ceph_client(want)):
            section = want.section
        if section.startswith("@"):
            self.errors.append(f"{self.doc.file}: {want.key} needs a concrete {section} section")
            return False
        self.doc.set(section, era.name, format_value(value, era.type), want.why, want.ignore)
        return True

    def _ceph_client(self, want: Want) -> bool:
        # Ceph reads every option from [global], [client] and [client.NAME] alike.
        return want.dynamic == "@client" and self.matrix.family.name == CEPH

    def _cannot(self, want: Want) -> str:
        keys = (want.key,) if isinstance(want.key, str) else want.key
        known = [self.matrix.options[k] for k in keys if k in self.matrix.options]
        # the alternative that comes soonest after this release is the helpful one
        later = [o for o in known if o.introduced > self.release]
        opt = min(later, key=lambda o: o.introduced) if later else (known[0] if known else None)
        name = keys[0].rpartition(".")[2]
        if opt is not None:
            name = opt.key.rpartition(".")[2]
        head = f"{want.asked_by}: {self.matrix.file} in {self.matrix.family.name} {self.release}"
        if opt is None:
            return f"{head} has no {name} (confgen has no data for {keys[0]} yet)"
        if opt.introduced > self.release:
            return f"{head} cannot express it: {name} first exists in {opt.introduced}"
        removed = opt.removed_in(self.matrix.family)
        later = [e for e in opt.eras if e.first > self.release]
        if later:
            return f"{head} cannot express it: {name} is back from {later[0].first}"
        return (f"{head} cannot express it: {name} was removed in {removed} "
                f"(last read in {opt.last_release})")
