"""What a rule is, what it yields, and what it sees (the lint context)."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property

from confgen import mask
from confgen.parse.document import Document, Entry
from confgen.record import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

SEVERITIES = ("info", "warning", "error")


def severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev)


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict. Values read from files never sit in `text`: the text names them as
    `{field}` / `{field!r}` and `values` holds them; `message` fills them in through the one
    masking layer (confgen.mask), so a report cannot print a secret."""

    path: str
    line: int
    column: int
    rule: str
    severity: str
    text: str
    name: str = ""  # the rule's name
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    values: tuple[tuple[str, str], ...] = ()  # (field, raw value from a file)
    secret: bool = False  # the option holds a credential: every value is masked

    @property
    def message(self) -> str:
        return mask.filled(self.text, self.values, self.secret) if self.values else self.text

    def public_extra(self) -> dict[str, Any]:
        """`extra` as reports may show it (raw values of the finding masked)."""
        raw = {v for _, v in self.values}
        return {k: mask.value(v, self.secret) if isinstance(v, str) and v in raw else v
                for k, v in self.extra.items()}

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.text, self.values)


@dataclass(frozen=True)
class Rule:
    id: str  # CGnnn
    name: str  # kebab-case
    severity: str  # default severity
    summary: str  # one line
    check: Callable[[Context], Iterable[Finding]]

    def at(self, path: str, line: int, column: int, message: str,
           severity: str | None = None, *, values: dict[str, str] | None = None,
           secret: bool = False, **extra: Any) -> Finding:
        """A finding; values read from files go in `values` and appear in `message` only as
        `{name}` fields (masked when `secret`, or when they look like a credential)."""
        return Finding(path, line, column, self.id, severity or self.severity, _shared(message),
                       self.name, _shared_extra(extra), _shared(tuple((values or {}).items())),
                       secret)

    def on(self, lf: LintFile, entry: Entry, message: str, severity: str | None = None,
           *, values: dict[str, str] | None = None, **extra: Any) -> Finding:
        """A finding on `entry`: its values are secret when the entry's option is."""
        secret = bool(values) and mask.secret_name(entry.key, lf.file_type)
        return self.at(lf.path, entry.line, entry.column, message, severity, values=values,
                       secret=secret, **extra)


# Findings of one kind often carry the same values and extra (every duplicate of a key names
# the same winning line and value): share those objects instead of holding a copy per finding,
# so a file with a million findings costs a finding's own fields only. Read-only by contract.
_SHARED: dict[Any, Any] = {}
# kept small: findings whose text names their host's path (CG401) never repeat in a fleet, so
# each worker's table fills to this size and starts over (a larger one is memory that grows
# with the number of hosts a worker lints, up to the cap)
_SHARED_MAX = 512


def _shared(obj: Any) -> Any:
    hit = _SHARED.get(obj)
    if hit is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        hit = _SHARED[obj] = obj
    return hit


def _shared_extra(extra: dict[str, Any]) -> dict[str, Any]:
    try:
        key = ("extra", *extra.items())
        hit = _SHARED.get(key)
    except TypeError:  # an unhashable value (a list): this finding keeps its own
        return extra
    if hit is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        hit = _SHARED[key] = extra
    return hit


@dataclass
class LintFile:
    file_type: str  # nova.conf, cinder.conf, glance-api.conf, ceph.conf
    path: str  # as shown to the user
    doc: Document
    # when the service reads further files after this one (confgen.layouts.read_together):
    # which lines of `doc` come from which file; such a file is never rewritten
    segments: list = field(default_factory=list)


@dataclass
class Keyring:
    path: str
    mode: int | None  # st_mode, None if unknown
    text: str | None  # None if unreadable

    @property
    def world_readable(self) -> bool:
        return self.mode is not None and bool(self.mode & stat.S_IROTH)


@dataclass
class Context:
    files: dict[str, LintFile]
    release: Any  # confgen.releases.Release (OpenStack)
    ceph_release: Any = None  # Release (Ceph) or None when not given
    root: str | None = None  # the linted /etc-like directory, if any (as pathlib spells it)
    keyrings: list[Keyring] = field(default_factory=list)
    matrices: dict[str, Any] = field(default_factory=dict)  # injected (tests) or lazily loaded

    # -- matrix --------------------------------------------------------------------------
    def matrix(self, file_type: str):
        """The FileMatrix for a file type, or None when confgen has no data for it yet."""
        if file_type not in self.matrices:
            from confgen.matrix.load import load_for

            try:  # the release's own view where the data has one (ceph.conf)
                self.matrices[file_type] = load_for(file_type, self.release_for(file_type))
            except (FileNotFoundError, KeyError):
                self.matrices[file_type] = None
        return self.matrices[file_type]

    def release_for(self, file_type: str):
        return self.ceph_release if file_type == "ceph.conf" else self.release

    def dynamic(self, file_type: str) -> dict[str, set[str]]:
        """Run-time section families (see SCHEMA.md) as this set of files defines them."""
        lf = self.files.get(file_type)
        if lf is None:
            return {}
        doc = lf.doc
        if file_type == "cinder.conf":
            return {"@backend": set(self.cinder_backends())}
        if file_type == "glance-api.conf":
            return {"@store": set(glance_stores(doc))}
        if file_type == "ceph.conf":
            return {"@client": {s for s in doc.sections() if s == "client"
                                or s.startswith("client.")}}
        return {}

    def complete(self, file_type: str) -> bool:
        """The data is every option the release reads from this file (ceph.conf: every option
        Ceph defines; the OpenStack files: the service's own options and those of every library
        namespace its generator lists), so an unknown key in a section it reads is a finding."""
        m = self.matrix(file_type)
        return m is not None and bool(m.meta.get("complete") or m.meta.get("namespaces"))

    def known_sections(self, file_type: str) -> set[str] | None:
        """Sections the release reads from this file, run-time sections (cinder backends,
        glance stores) named as this set of files names them; None without data."""
        cache = self.__dict__.setdefault("_known_sections", {})
        if file_type in cache:
            return cache[file_type]
        rel = self.release_for(file_type)  # no release: no matrix to load
        m = self.matrix(file_type) if rel is not None else None
        known: set[str] | None = None
        if m is not None and rel is not None:
            known = {s for s in m.sections(rel) if not s.startswith("@")}
            for names in self.dynamic(file_type).values():
                known |= names
            known |= self.owned_sections(file_type)
        cache[file_type] = known
        return known

    def owned_sections(self, file_type: str) -> set[str]:
        m = self.matrix(file_type)
        if m is None:
            return set()
        dyn = self.dynamic(file_type)
        out: set[str] = set()
        for tok in m.meta.get("owned_sections", []):
            if tok == "@backend" and file_type == "cinder.conf":
                out |= set(self.rbd_backends)  # the backends the Ceph integration is
                continue
            out |= dyn.get(tok, set()) if tok.startswith("@") else {tok}
        return out

    # -- values --------------------------------------------------------------------------
    def doc(self, file_type: str) -> Document | None:
        lf = self.files.get(file_type)
        return lf.doc if lf else None

    def peer(self, file_type: str) -> Document | None:
        """A file's document for context: the linted one, else the one on disk under the root
        (pre-commit passes only staged files; their unchanged neighbours still count)."""
        doc = self.doc(file_type)
        if doc is not None or self.root is None:
            return doc
        from confgen.fspath import exists, join
        from confgen.parse import LAYOUT, parse
        from confgen.parse.reader import ReadError, read_text

        path = join(self.root, LAYOUT[file_type])
        try:
            return parse(read_text(path), file_type, path) if exists(path) else None
        except ReadError:
            return None

    def find(self, file_type: str, *spellings: tuple[str, str]) -> Entry | None:
        """The effective entry among the spellings an option had over time (first found)."""
        doc = self.doc(file_type)
        if doc is None:
            return None
        for section, key in spellings:
            e = doc.get(section, key)
            if e is not None:
                return e
        return None

    def read(self, file_type: str, key: str, section: str | None = None,
             spellings: tuple[tuple[str, str], ...] = ()) -> Entry | None:
        """The entry the release reads for the option with stable key `key`: its placement in
        this release first, then the older spellings the release still reads (oslo reads the
        current name first). `section` names the instance of a section family (a cinder
        backend, a glance store). Without a release or data for it, the first of `spellings`
        found stands in (the value counts, whichever spelling it is under)."""
        doc = self.doc(file_type)
        if doc is None:
            return None
        m, rel = self.matrix(file_type), self.release_for(file_type)
        at = m.get(key, rel) if m is not None and rel is not None else None
        if at is None:
            if m is not None and rel is not None and key in m.options:
                return None  # the release has no such option: nothing is read
            if not spellings:  # no data about it yet: the key says where it is
                sec, _, name = key.rpartition(".")
                spellings = ((section if sec.startswith("@") else sec, name),) if sec else ()
            return self.find(file_type, *(s for s in spellings if s[0]))
        era = at.era
        here = [(section if section and s.startswith("@") else s, era.name)
                for s in era.sections if not s.startswith("@") or section]
        here += [(a.section, a.name) for a in era.aliases]
        for sec, name in here:
            e = doc.get(sec, name)
            if e is not None:
                return e
        return None

    def setting(self, file_type: str, key: str,
                section: str | None = None) -> tuple[Any, Entry | None]:
        """(value, entry) of an option as the release reads it: the entry's value when set,
        else the release's default (entry None). (None, None) when the release lacks it or
        the file is not there."""
        if self.doc(file_type) is None:
            return None, None
        e = self.read(file_type, key, section)
        if e is not None:
            return e.value.strip(), e
        m, rel = self.matrix(file_type), self.release_for(file_type)
        at = m.get(key, rel) if m is not None and rel is not None else None
        return (at.era.default, None) if at is not None else (None, None)

    def cinder_backends(self) -> list[str]:
        doc = self.doc("cinder.conf")
        if doc is None:
            return []
        e = doc.get("DEFAULT", "enabled_backends")
        # each name is an oslo.config group, looked up lower-cased like the file's sections
        # (oslo_config/cfg.py _normalize_group_name, 1.2.0..9.x): enabled_backends = BACKEND_1
        # reads [BACKEND_1], [backend_1] or [Backend_1]
        return [doc.norm_section(n) or n for n in split_list(e.value)] if e else []

    @cached_property
    def rbd_backends(self) -> list[str]:
        """Cinder backend sections (or DEFAULT for a single legacy backend) using RBD."""
        doc = self.doc("cinder.conf")
        if doc is None:
            return []
        secs = self.cinder_backends() or ["DEFAULT"]
        return [s for s in secs if "rbd" in (doc.value(s, "volume_driver") or "").lower()]


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]


def glance_stores(doc: Document) -> list[str]:
    """Multi-store sections: keys of [DEFAULT] enabled_backends = name:type,..."""
    e = doc.get("DEFAULT", "enabled_backends")
    if e is None:
        return []
    # store names are oslo.config groups too: normalised like the sections (cinder_backends)
    return [doc.norm_section(item.split(":", 1)[0].strip()) or ""
            for item in split_list(e.value)]


def truthy(value: str | None) -> bool | None:
    """oslo.config / Ceph boolean spelling, None if not a boolean."""
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("true", "yes", "on", "1"):
        return True
    if v in ("false", "no", "off", "0"):
        return False
    return None


def entries(ctx: Context, *file_types: str) -> Iterator[tuple[LintFile, Entry]]:
    for ft in file_types or tuple(ctx.files):
        lf = ctx.files.get(ft)
        if lf is not None:
            for e in lf.doc.entries:
                yield lf, e


def problems(ctx: Context, rule: Rule, code: str) -> Iterator[Finding]:
    """Findings for the parser's own problems of one kind."""
    for lf in ctx.files.values():
        for p in lf.doc.problems:
            if p.code == code:
                secret = bool(p.values) and mask.secret_name(p.key, lf.file_type)
                yield rule.at(lf.path, p.line, p.column, p.message, values=dict(p.values),
                              secret=secret)


def resolved(ctx: Context) -> Iterator[tuple[LintFile, Entry, Any, Any]]:
    """(file, entry, Resolution, FileMatrix) for every key of every file confgen has data for;
    resolved once per run and shared by the matrix and value rules (kept as one resolution
    per entry, the tuples made while iterating: a million-line file holds no million tuples;
    files of ordinary size keep the tuples, which a dozen rules then iterate at C speed)."""
    flat = ctx.__dict__.get("_resolved_flat")
    if flat is not None:
        return iter(flat)
    cached = ctx.__dict__.get("_resolved")
    if cached is None:
        cached = ctx.__dict__["_resolved"] = _resolve_all(ctx)
    if sum(len(entries) for _lf, _m, entries, _r in cached) <= FLAT_ENTRIES:
        flat = ctx.__dict__["_resolved_flat"] = list(_each(cached))
        return iter(flat)
    return _each(cached)


def resolved_as(ctx: Context, kinds: tuple[str, ...],
                ceph: bool | None = None) -> Iterable[tuple[LintFile, Entry, Any, Any]]:
    """resolved(ctx) narrowed to the resolutions of `kinds` (and to ceph.conf, or to the other
    files, when `ceph` says so), in the same order. Most keys of a real file are `current`
    and a dozen rules each look at one or two other kinds: each walks its own short list
    (made once per run and asked-for narrowing) instead of every key."""
    items = resolved(ctx)
    if "_resolved_flat" not in ctx.__dict__:  # a huge file: filter while iterating
        return (t for t in items if t[2].kind in kinds
                and (ceph is None or (t[0].file_type == "ceph.conf") == ceph))
    cache = ctx.__dict__.setdefault("_resolved_as", {})
    hit = cache.get((kinds, ceph))
    if hit is None:
        hit = cache[(kinds, ceph)] = [
            t for t in items if t[2].kind in kinds
            and (ceph is None or (t[0].file_type == "ceph.conf") == ceph)]
    return hit


LIVE = ("current", "alias", "deprecated")  # kinds whose option the release reads


FLAT_ENTRIES = 50_000  # up to this many keys, the (file, entry, resolution, matrix) tuples stay


def _each(cached: list) -> Iterator[tuple[LintFile, Entry, Any, Any]]:
    for lf, m, entries, results in cached:
        for e, res in zip(entries, results, strict=True):
            yield lf, e, res, m


def _resolve_all(ctx: Context) -> list[tuple[LintFile, Any, list[Entry], list[Any]]]:
    out = []
    for ft, lf in ctx.files.items():
        rel = ctx.release_for(ft)  # no release, nothing to resolve: no matrix to load either
        m = ctx.matrix(ft) if rel is not None else None
        if m is None or rel is None:
            continue
        dyn = ctx.dynamic(ft)
        seen = _spellings(m, rel, lf.doc.style, dyn)
        # unknown names of this file, normalised: a repeat gets the first answer, and only
        # the first MAX_SUGGEST distinct ones are searched for near misses
        unknown: dict[tuple[str, str], Any] = {}
        norm_section, norm_key = lf.doc.norm_section, lf.doc.norm_key
        entries = [e for e in lf.doc.entries if e.section is not None]
        results = []
        for e in entries:
            res = seen.get((e.section, e.key))
            if res is None or res.kind == "unknown":
                asked = (norm_section(e.section), norm_key(e.key))
                first = unknown.get(asked)
                if first is not None:
                    res = first
                else:
                    # near-miss search costs ~0.2 ms a name: bounded per file, so a huge file
                    # of made-up keys stays linear (CG201 says what was not searched)
                    suggest = len(unknown) < MAX_SUGGEST
                    if res is None or not suggest:
                        res = m.resolve(rel, *asked, dyn, suggest=suggest)
                        if (suggest or res.kind != "unknown") and len(seen) < _SPELLINGS_MAX:
                            seen[(e.section, e.key)] = res
                    if res.kind == "unknown":
                        unknown[asked] = res
            results.append(res)
        out.append((lf, m, entries, results))
        if len(unknown) > MAX_SUGGEST:
            ctx.__dict__.setdefault("_unsuggested", {})[lf.path] = len(unknown) - MAX_SUGGEST
    return out


MAX_SUGGEST = 2000  # unknown key names per file searched for near misses
_SPELLINGS: dict[tuple, tuple[Any, dict[tuple[str, str], Any]]] = {}
_SPELLINGS_MAX = 20_000  # spellings remembered per (matrix, release, run-time sections)


def _spellings(m: Any, rel: Any, style: str,
               dyn: dict[str, set[str]]) -> dict[tuple[str, str], Any]:
    """(section, key) as written -> resolution, shared by every file this process lints with
    the same matrix, release and run-time sections (the hosts of a fleet): resolving is a
    pure function of exactly these (the normalised section and key come from the spelling
    and the style, the families from `dyn`), so the next host's keys cost one look-up
    each. Only answers given with near-miss search on are kept."""
    key = (id(m), rel, style, tuple(sorted((t, frozenset(n)) for t, n in dyn.items())))
    hit = _SPELLINGS.get(key)
    if hit is None or hit[0] is not m:  # the entry holds m: its id cannot be reused meanwhile
        if len(_SPELLINGS) >= 64:  # a fleet of many releases or backend sets: start over
            _SPELLINGS.clear()
        hit = _SPELLINGS[key] = (m, {})
    return hit[1]


def multi_valued(ctx: Context) -> set[tuple[str, int]]:
    """(path, line) of every entry that sets a multi-valued option (oslo MultiStrOpt: each line
    is one more value) as the release resolves it."""
    out = set()
    if "_resolved" in ctx.__dict__:
        items = resolved(ctx)
    else:  # no lint run shares this context: resolve without "did you mean" searches
        items = []
        for ft, lf in ctx.files.items():
            m, rel = ctx.matrix(ft), ctx.release_for(ft)
            if m is None or rel is None:
                continue
            dyn = ctx.dynamic(ft)
            items += [(lf, e, m.resolve(rel, lf.doc.norm_section(e.section),
                                        lf.doc.norm_key(e.key), dyn, suggest=False), m)
                      for e in lf.doc.entries if e.section is not None]
    for lf, e, res, _m in items:
        era = res.at.era if res.at is not None else (
            res.option.eras[-1] if res.option is not None and res.option.eras else None)
        if era is not None and era.type == "multistring":
            out.add((lf.path, e.line))
    return out


def alias_until(option: Any, section: str, name: str, family: Any) -> Any:
    """First release that no longer reads the old spelling [section] name (None: still read)."""
    last = None
    for era in option.eras:
        if any(a.section == section and a.name == name for a in era.aliases):
            last = era.last
    return family.next(last) if last is not None else None
