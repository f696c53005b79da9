"""Line-preserving model of a parsed config file, shared by the oslo and ceph parsers.

A document keeps every assignment in file order (duplicates included) so rules can say
which value the service uses and where each one is; it never rewrites the text.
"""

from __future__ import annotations

from confgen.record import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One `key = value` assignment as the service reads it."""

    section: str | None  # section header text as written; None before any header
    key: str  # key as written (stripped)
    value: str  # value as the service sees it (quotes stripped, continuations joined)
    line: int  # 1-based line of the key
    column: int  # 1-based column of the key
    end_line: int  # last line of the value (continuations)
    raw: str  # the source text of the assignment line(s)
    value_column: int = 0  # 1-based column where the value starts (0 if empty)
    comment: str = ""  # ceph: inline comment text after the value

    @property
    def norm_key(self) -> str:
        return self.key


@dataclass(frozen=True)
class SectionHeader:
    name: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class Problem:
    """A syntax problem: the service would refuse the file or read it differently."""

    line: int
    column: int
    code: str  # parse-error, outside-section, inline-comment, ...
    message: str
    fatal: bool = False  # the service itself would refuse to start on this


@dataclass
class Document:
    path: str
    style: str  # "oslo" or "ceph"
    lines: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    headers: list[SectionHeader] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    # -- names ---------------------------------------------------------------------------
    def norm_section(self, name: str | None) -> str | None:
        """The name the service looks sections up by."""
        if name is None:
            return None
        if self.style == "oslo":
            # oslo.config lower-cases group names, except DEFAULT which must be upper case
            return name if name == "DEFAULT" else name.lower()
        return name

    def norm_key(self, key: str) -> str:
        if self.style == "ceph":
            return ceph_key(key)
        return key

    # -- queries -------------------------------------------------------------------------
    def sections(self) -> list[str]:
        """Normalised section names in first-seen order (without duplicates)."""
        out: list[str] = []
        for h in self.headers:
            n = self.norm_section(h.name)
            if n is not None and n not in out:
                out.append(n)
        return out

    def has_section(self, name: str) -> bool:
        return self.norm_section(name) in self.sections()

    def header(self, name: str) -> SectionHeader | None:
        want = self.norm_section(name)
        for h in self.headers:
            if self.norm_section(h.name) == want:
                return h
        return None

    def _index(self) -> tuple:
        """(entry count, {(section, key): entries}, {section: entries}), normalised, built
        on the first query (and again if entries were added since): rules ask thousands of
        times, and a scan per question made lint quadratic in the size of the file."""
        idx = self.__dict__.get("_idx")
        if idx is None or idx[0] != len(self.entries):
            by_key: dict[tuple, list[Entry]] = {}
            by_section: dict[str | None, list[Entry]] = {}
            for e in self.entries:
                s = self.norm_section(e.section)
                by_section.setdefault(s, []).append(e)
                by_key.setdefault((s, self.norm_key(e.key)), []).append(e)
            idx = self.__dict__["_idx"] = (len(self.entries), by_key, by_section)
        return idx

    def in_section(self, section: str) -> list[Entry]:
        return list(self._index()[2].get(self.norm_section(section), ()))

    def all(self, section: str, key: str) -> list[Entry]:
        """Every assignment of `key` in `section`, in file order."""
        return list(self._index()[1].get((self.norm_section(section), self.norm_key(key)), ()))

    def get(self, section: str, key: str) -> Entry | None:
        """The assignment the service uses (the last one, for single-valued options)."""
        found = self.all(section, key)
        return found[-1] if found else None

    def value(self, section: str, key: str, default: str | None = None) -> str | None:
        e = self.get(section, key)
        return e.value if e is not None else default


def ceph_key(key: str) -> str:
    """Ceph reads `rbd cache`, `rbd  cache` and `rbd_cache` as one key. Not `rbd-cache`:
    checked with ceph-conf 16.2.15, a dash in a ceph.conf key is kept (another key), whatever
    guides say; rules flag such keys."""
    return "_".join(key.split())
