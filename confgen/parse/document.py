"""Line-preserving model of a parsed config file, shared by the oslo and ceph parsers.

A document keeps every assignment in file order (duplicates included) so rules can say
which value the service uses and where each one is; it never rewrites the text.
"""

from __future__ import annotations

from confgen.record import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no import cost on the lint path
    from collections.abc import Iterator


@dataclass(frozen=True, slots=True)
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
    message: str  # values from the file only as {fields} (see rules.base.Finding)
    fatal: bool = False  # the service itself would refuse to start on this
    key: str = ""  # the key the problem is about (decides whether its values are secret)
    values: tuple[tuple[str, str], ...] = ()


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
        if self.style == "oslo" and name is not None:
            # oslo.config lower-cases group names, except DEFAULT which must be upper case
            return name if name == "DEFAULT" else name.lower()
        return name

    def norm_key(self, key: str) -> str:
        if self.style == "ceph":
            return ceph_key(key)
        return key

    # -- queries (answered from an index built on first use: linear in the file, so a
    # rule asking about every key of a 1M-line file does not turn quadratic) -------------
    _index: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def _idx(self) -> tuple[list[str], dict, dict, dict]:
        """(sections in first-seen order, section -> entries, (section, key) -> entries,
        section -> first header); rebuilt if the parser added anything since."""
        # rules ask thousands of times per host: the check that the index is current is two
        # len() calls, no tuple built
        idx = self._index
        if idx is not None and idx[0] == len(self.entries) and idx[1] == len(self.headers):
            return idx[2]
        order: dict[str, None] = {}
        first: dict[str, SectionHeader] = {}
        for h in self.headers:
            n = self.norm_section(h.name)
            if n is not None:
                order.setdefault(n, None)
                first.setdefault(n, h)
        by_sec: dict[str | None, list[Entry]] = {}
        by_key: dict[tuple[str | None, str], list[Entry]] = {}
        # a file has few sections and (oslo) keys as written: normalise each spelling once
        secs: dict[str | None, str | None] = {}
        oslo = self.style != "ceph"
        for e in self.entries:
            raw = e.section
            sec = secs[raw] if raw in secs else secs.setdefault(raw, self.norm_section(raw))
            k = (sec, e.key if oslo else ceph_key(e.key))
            found = by_key.get(k)
            if found is None:
                by_key[k] = [e]
            else:
                found.append(e)
            found = by_sec.get(sec)
            if found is None:
                by_sec[sec] = [e]
            else:
                found.append(e)
        self._index = (len(self.entries), len(self.headers),
                       (list(order), by_sec, by_key, first))
        return self._index[2]

    def sections(self) -> list[str]:
        """Normalised section names in first-seen order (without duplicates)."""
        return list(self._idx()[0])

    def has_section(self, name: str) -> bool:
        return self.norm_section(name) in self._idx()[3]

    def header(self, name: str) -> SectionHeader | None:
        return self._idx()[3].get(self.norm_section(name))

    def in_section(self, section: str) -> list[Entry]:
        return list(self._idx()[1].get(self.norm_section(section), ()))

    def all(self, section: str, key: str) -> list[Entry]:
        """Every assignment of `key` in `section`, in file order."""
        return list(self._idx()[2].get((self.norm_section(section), self.norm_key(key)), ()))

    def assignments(self) -> Iterator[tuple[tuple[str | None, str], list[Entry]]]:
        """((normalised section, key), its assignments in file order) for every key, from the
        shared index (rules that look at every key do not build their own)."""
        return iter(self._idx()[2].items())

    def get(self, section: str, key: str) -> Entry | None:
        """The assignment the service uses (the last one, for single-valued options)."""
        found = self._idx()[2].get((self.norm_section(section), self.norm_key(key)))
        return found[-1] if found else None

    def value(self, section: str, key: str, default: str | None = None) -> str | None:
        e = self.get(section, key)
        return e.value if e is not None else default

    # -- line queries (for edits; same index idea) ---------------------------------------
    _lines_index: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def _lidx(self) -> tuple[dict[int, Entry], set[int], set[int], dict[str, int]]:
        """(first line -> entry, lines inside entries, header lines, normalised section ->
        the line after which a new key of its last occurrence goes)."""
        stamp = (len(self.entries), len(self.headers))
        if self._lines_index is None or self._lines_index[0] != stamp:
            at = {e.line: e for e in self.entries}
            covered = {n for e in self.entries for n in range(e.line, e.end_line + 1)}
            heads = sorted(self.headers, key=lambda h: h.line)
            anchors: dict[str, int] = {}
            ends = sorted((e.line, e.end_line) for e in self.entries)
            j = 0
            for i, h in enumerate(heads):
                stop = heads[i + 1].line if i + 1 < len(heads) else len(self.lines) + 1
                last = h.line
                while j < len(ends) and ends[j][0] < stop:
                    if ends[j][0] > h.line:
                        last = max(last, ends[j][1])
                    j += 1
                name = self.norm_section(h.name)
                if name is not None:
                    anchors[name] = last  # the section's last occurrence wins
            self._lines_index = (stamp, (at, covered, {h.line for h in heads}, anchors))
        return self._lines_index[1]

    def entry_at(self, line: int) -> Entry | None:
        """The assignment that starts on `line`."""
        return self._lidx()[0].get(line)

    def in_entry(self, line: int) -> bool:
        return line in self._lidx()[1]

    def is_header(self, line: int) -> bool:
        return line in self._lidx()[2]

    def anchor(self, section: str) -> int | None:
        """The line after which a new key of `section` goes: the last setting (or the
        header) of the section's last occurrence; None when there is no such section."""
        return self._lidx()[3].get(self.norm_section(section))


def ceph_key(key: str) -> str:
    """Ceph reads `rbd cache`, `rbd  cache` and `rbd_cache` as one key. Not `rbd-cache`:
    checked with ceph-conf 16.2.15, a dash in a ceph.conf key is kept (another key), whatever
    guides say; rules flag such keys."""
    return "_".join(key.split())
