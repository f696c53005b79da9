"""An edit never loses a value: the one proof every --fix and migrate edit must pass.

`reads(...)` says what a service of one release reads from a parsed file: for each option it
knows (by stable key, so a moved or renamed option keeps its identity) and each instance of it
(a cinder backend section, a glance store section, a second static section it is read from),
the value the service uses (oslo: the current spelling before older ones, the last line of that
spelling) or, for a multi-valued option, every value. A line the data has no option for is
kept as it stands: `[section] key` with all its values, since confgen cannot say how it is read.

`losses(before, after, ...)` compares what was read before (at the source release) with what is
read after (at the target release) and lists every value that is no longer read, with why.
A value may legitimately stop being read only when the option no longer exists in the target
(`gone`: the caller must report it); everything else is a loss and the edit is refused.
Structural edits that move a value to another option or instance say so with `Carry` entries,
and the proof still checks the value arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from confgen.parse.document import Document, Entry

Ident = tuple[str, str, str, str]  # (file type, "opt"|"raw", key or section, instance or key)


@dataclass
class Read:
    """One value (or, multi-valued, every value) a service reads."""

    ident: Ident
    values: tuple[str, ...]
    entries: list[Entry] = field(default_factory=list)
    multi: bool = False
    label: str = ""  # "[libvirt] rbd_user" as written

    @property
    def shown(self) -> str:
        """The values as they may appear in output (a credential is masked)."""
        from confgen import mask

        secret = mask.secret_name(self.ident[3] if self.ident[1] == "raw" else
                                  self.ident[2].rpartition(".")[2], self.ident[0])
        return ", ".join(repr(mask.value(v, secret)) for v in self.values)


@dataclass(frozen=True)
class Loss:
    ident: Ident
    before: Read
    after: Read | None
    gone: bool  # the option does not exist in the target release (must be reported)
    why: str
    in_file: bool = False  # the line that set it is still in the file (a human can act on it)


@dataclass(frozen=True)
class Carry:
    """A structural edit's claim: the value read as `src` before is read as `dst` after,
    equal once `same(before_value, after_value, after_reads)` says so (default: equal)."""

    src: Ident
    dst: Ident
    same: Callable[[str, str, dict[Ident, Read]], bool] | None = None


def _value(v: str) -> str:
    return v.strip()


def reads(file_type: str, doc: Document, release: Any, matrix: Any = None,
          dynamic: dict[str, set[str]] | None = None) -> dict[Ident, Read]:
    """What the service of `release` reads from `doc` (see module doc). Without a matrix or a
    release every line counts as `[section] key`, last value wins (Ceph's and oslo's rule)."""
    groups: dict[Ident, list[tuple[int, Entry]]] = {}
    multi: dict[Ident, bool] = {}
    labels: dict[Ident, str] = {}
    for e in doc.entries:
        if e.section is None:
            continue
        section = doc.norm_section(e.section) or ""
        key = doc.norm_key(e.key)
        idents: list[tuple[Ident, int]] = []
        if matrix is not None and release is not None:
            res = matrix.resolve(release, section, key, dynamic or {}, suggest=False)
            # every option that reads this spelling takes the line (oslo.config gives it to
            # each: kilo's [DEFAULT] rabbit_durable_queues is the old spelling of both
            # [oslo_messaging_rabbit] and [oslo_messaging_qpid] amqp_durable_queues)
            for opt, era, rank in _readers(matrix, release, section, key, dynamic or {},
                                           res, doc):
                instance = _instance(era, section, key, doc, rank > 0, dynamic or {})
                ident = (file_type, "opt", opt.key, instance)
                multi[ident] = era.type == "multistring"
                idents.append((ident, rank))
            if not idents and res.kind not in ("unknown", "unjudged"):
                continue  # the release does not read this line at all
        if not idents:
            ident = (file_type, "raw", section, key)
            multi[ident] = True  # unknown: keep every line as it is
            idents.append((ident, 0))
        for ident, rank in idents:
            groups.setdefault(ident, []).append((rank, e))
            label = f"[{section}] {e.key}"
            if len(idents) > 1:  # say which of the options reading the line would lose it
                sec, _, name = ident[2].rpartition(".")
                label += f" (as [{ident[3] or sec}] {name})"
            labels.setdefault(ident, label)
    out: dict[Ident, Read] = {}
    for ident, items in groups.items():
        if multi[ident]:
            values = tuple(sorted(_value(e.value) for _, e in items))
            out[ident] = Read(ident, values, [e for _, e in items], True, labels[ident])
        else:
            best = min(r for r, _ in items)
            winner = [e for r, e in items if r == best][-1]
            out[ident] = Read(ident, (_value(winner.value),), [winner], False, labels[ident])
    return out


def _readers(matrix: Any, release: Any, section: str, key: str, dynamic: dict[str, set[str]],
             res: Any, doc: Document) -> list[tuple[Any, Any, int]]:
    """(option, era, rank) for every option of `release` that reads `[section] key`: rank 0
    for its own spelling (its placement or a further section), 1 + i for its i-th old
    spelling (oslo.config tries the current spelling first, then the old ones in order).
    Sections compare as the service looks them up (oslo.config lower-cases group names:
    havana's old spelling `[DATABASE] sql_max_pool_size` is read from `[database]` too)."""
    from confgen.matrix.model import _section_matches

    norm = matrix._norm

    def here(token: str) -> bool:
        if not token.startswith(("@", "*")):
            token = doc.norm_section(token) or token
        return _section_matches(token, section, dynamic)

    out: list[tuple[Any, Any, int]] = []
    seen: set[str] = set()
    for opt in matrix.find(key):
        if opt.key in seen:
            continue
        seen.add(opt.key)
        era = opt.era(release)
        if era is None:
            continue
        if norm(era.name) == key and any(here(t) for t in era.sections):
            out.append((opt, era, 0))
            continue
        rank = next((1 + i for i, a in enumerate(era.aliases)
                     if norm(a.name) == key and here(a.section)),
                    0)
        if rank:
            out.append((opt, era, rank))
    if res.kind in ("current", "deprecated", "alias") and not any(
            o.key == res.option.key for o, _, _ in out):  # the resolver's own answer
        rank = 0 if res.kind != "alias" else 1 + next(
            (i for i, a in enumerate(res.at.era.aliases) if norm(a.name) == key), 0)
        out.append((res.option, res.at.era, rank))
    return out


def _instance(era: Any, section: str, key: str, doc: Document, via_alias: bool,
              dynamic: dict[str, set[str]]) -> str:
    """Which copy of an option a line sets: "" for its main placement (or an old spelling of
    it), else the section (a backend/store section, or a further static section it is read
    from, such as [backend_defaults])."""
    if via_alias:
        return ""
    if era.section.startswith("@"):
        return section
    if doc.norm_section(era.section) == section:
        return ""
    return section


def losses(before: dict[Ident, Read], after: dict[Ident, Read], target: Any = None,
           matrices: dict[str, Any] | None = None, carries: Iterable[Carry] = (),
           same: Callable[[str, str, str], bool] | None = None,
           after_doc: Document | None = None) -> list[Loss]:
    """Every value read before that is not read after (see module doc). `same(key, old, new)`
    accepts known equal spellings of one value (a driver's module and class path)."""
    carry = {c.src: c for c in carries}
    lines: set[tuple[str | None, str, str]] = set()
    if after_doc is not None:
        lines = {(after_doc.norm_section(e.section), after_doc.norm_key(e.key), _value(e.value))
                 for e in after_doc.entries}
    out: list[Loss] = []
    for ident, was in before.items():
        c = carry.get(ident)
        dst = c.dst if c else ident
        now = after.get(dst)
        if now is not None and _kept(was, now, c, after, same):
            continue
        gone = False
        if ident[1] == "opt" and target is not None and matrices is not None:
            m = matrices.get(ident[0])
            gone = m is not None and ident[2] in m.options and \
                m.get(ident[2], target) is None
        if now is None:
            why = (f"{was.label} = {was.shown} is no longer read"
                   + (f" (the option does not exist in {target})" if gone else ""))
        else:
            why = f"{was.label} = {was.shown} would be read as {now.shown}"
        in_file = after_doc is not None and all(
            (after_doc.norm_section(e.section), after_doc.norm_key(e.key), _value(e.value))
            in lines for e in was.entries)
        out.append(Loss(ident, was, now, gone and now is None, why, in_file))
    return out


def _kept(was: Read, now: Read, c: Carry | None, after: dict[Ident, Read],
          same: Callable[[str, str, str], bool] | None) -> bool:
    if was.multi or now.multi:
        # every value still there (an exact duplicate line may go: it was one more line, but
        # a multi-valued option's repeated value is a value of its own, so counts must hold)
        return _counts_kept(was.values, now.values)
    old, new = was.values[0], now.values[0]
    if old == new:
        return True
    if c is not None and c.same is not None:
        return c.same(old, new, after)
    return same is not None and same(was.ident[2], old, new)


def _counts_kept(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    rest = list(new)
    for v in old:
        if v not in rest:
            return False
        rest.remove(v)
    return True


def equal_spellings(key: str, old: str, new: str) -> bool:
    """Two spellings the service reads as one value: a cinder driver's module, legacy and
    class paths (rewritten to the form a release loads)."""
    if key.rpartition(".")[2] in ("volume_driver", "backup_driver"):
        from confgen.rules.drivers import same_driver

        return same_driver(old, new)
    return False


class Proof:
    """The values one file's service read before any edit, to check each edit against."""

    def __init__(self, file_type: str, doc: Document, source: Any, target: Any):
        from confgen.matrix import load

        self.file_type = file_type
        self.source, self.target = source, target
        try:
            self.matrix = load(file_type) if source is not None else None
        except KeyError:
            self.matrix = None
        self.before = self._reads(doc, source)

    def _reads(self, doc: Document, release: Any) -> dict[Ident, Read]:
        from confgen.rules.base import Context, LintFile

        dyn = Context(files={self.file_type: LintFile(self.file_type, doc.path, doc)},
                      release=release).dynamic(self.file_type)
        return reads(self.file_type, doc, release, self.matrix if release else None, dyn)

    def losses(self, text: str, carries: Iterable[Carry] = ()) -> list[Loss]:
        from confgen.parse import parse

        return self.losses_of(parse(text, self.file_type, "<edit>"), carries)

    def losses_of(self, doc: Document, carries: Iterable[Carry] = ()) -> list[Loss]:
        """`losses` of a parsed document (a file read together with others: their merge)."""
        after = self._reads(doc, self.target)
        return losses(self.before, after, self.target,
                      {self.file_type: self.matrix} if self.matrix else None,
                      carries, equal_spellings, doc)
