"""Edits on the text of a parsed config file, and the atomic writer that puts the result back.

Everything not named by an edit stays byte-for-byte as it was (comments, blank lines, key
order, line endings, a missing final newline). Edits address lines of the *original* text, so a
batch of edits is planned against one parse and applied in one pass.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from confgen.errors import ConfgenError
from confgen.mask import printable
from confgen.parse.document import Document, Entry

if TYPE_CHECKING:
    from confgen.atomicio import Written

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_EOL = re.compile(r"(\r\n|\r|\n)$")


@dataclass(frozen=True)
class Edit:
    """One change to a file.

    kind:
      set     give the entry on `line` the value `value`
      rename  give the entry on `line` the key `key` (same section)
      move    move the entry on `line` (with the comment block just above it) to `section`,
              as `key` when given; the section is created at the end of the file if missing
      delete  remove the entry on `line`
      comment turn the entry on `line` into comment lines, under a `# comment` note (an option
              the release no longer reads stays visible, with why)
      insert  add `key = value` to `section` (created if missing), after a `# comment` if given
    """

    kind: str
    line: int = 0
    section: str | None = None
    key: str | None = None
    value: str | None = None
    comment: str = ""
    rule: str = ""  # finding that asked for it ("" for drift/intent fills)
    reason: str = ""  # one line for the user: what and why; values only as {fields}...
    shown: tuple[tuple[str, str], ...] = ()  # ...filled from here by the masking layer
    secret: bool = False  # the option holds a credential
    carries: tuple = ()  # keep.Carry claims of a structural edit (value moved to another option)

    def describe(self) -> str:
        from confgen import mask

        if not self.reason:
            return f"{self.kind} line {self.line}"
        return mask.fill(self.reason, self.shown, self.secret)


def split_keep(text: str) -> list[str]:
    """Lines with their own line endings: the same lines the parsers number, losslessly."""
    return _LINE.findall(text)


def _eol_of(lines: list[str]) -> str:
    for line in lines:
        m = _EOL.search(line)
        if m:
            return m.group(1)
    return "\n"


@dataclass
class _Plan:
    lines: list[str]
    eol: str
    replace: dict[int, str] = field(default_factory=dict)  # 1-based line -> new text
    deleted: set[int] = field(default_factory=set)
    after: dict[int, list[str]] = field(default_factory=dict)  # insert after line (0: top)
    new_sections: dict[str, list[str]] = field(default_factory=dict)  # appended at the end


def _entry_at(doc: Document, line: int) -> Entry:
    e = doc.entry_at(line)
    if e is None:
        raise ConfgenError(f"{doc.path}:{line}: no setting starts on this line (stale edit)")
    return e


def comment_block(doc: Document, entry: Entry) -> range:
    """Lines of the comment block directly above an entry (no blank line between)."""
    first = entry.line
    n = entry.line - 1
    while n >= 1 and not doc.in_entry(n) and not doc.is_header(n):
        text = doc.lines[n - 1]
        # oslo: an indented '#' continues a value; only column-1 comments are comments
        probe = text.lstrip() if doc.style == "ceph" else text
        if not probe.startswith(("#", ";")):
            break
        first = n
        n -= 1
    return range(first, entry.line)


def _section_anchor(doc: Document, section: str) -> int | None:
    """The line after which a new key of `section` goes: the last setting (or the header) of
    the section's last occurrence; None when the file has no such section."""
    return doc.anchor(section)


def _with_eol(text: str, eol: str) -> str:
    return text if _EOL.search(text) else text + eol


def _rekey(entry: Entry, first_line: str, key: str) -> str:
    start = entry.column - 1
    return first_line[:start] + key + first_line[start + len(entry.key):]


def _place(plan: _Plan, doc: Document, section: str, block: list[str]) -> None:
    anchor = _section_anchor(doc, section)
    if anchor is None:
        plan.new_sections.setdefault(section, []).extend(block)
    else:
        plan.after.setdefault(anchor, []).extend(block)


def apply(text: str, doc: Document, edits: list[Edit]) -> str:
    """The text with `edits` applied; `doc` is the parse of `text`."""
    if any(p.fatal for p in doc.problems):
        raise ConfgenError(f"{doc.path}: cannot be parsed as the service reads it; not rewritten")
    lines = split_keep(text)
    plan = _Plan(lines, _eol_of(lines))
    eol = plan.eol
    for ed in edits:
        if ed.kind == "insert":
            block = [f"# {c}{eol}" for c in ed.comment.splitlines() if ed.comment]
            block.append(f"{ed.key} = {ed.value or ''}" + eol)
            _place(plan, doc, ed.section or "DEFAULT", block)
            continue
        e = _entry_at(doc, ed.line)
        span = range(e.line, e.end_line + 1)
        if ed.kind == "delete":
            plan.deleted.update(span)
        elif ed.kind == "comment":
            for n in span:
                t = plan.replace.get(n, lines[n - 1])
                plan.replace[n] = "#" + (t if t.startswith((" ", "\t")) else " " + t)
            note = [f"# {c}{eol}" for c in ed.comment.splitlines()]
            plan.after.setdefault(e.line - 1, []).extend(note)
        elif ed.kind == "rename":
            plan.replace[e.line] = _rekey(e, plan.replace.get(e.line, lines[e.line - 1]),
                                          ed.key or e.key)
        elif ed.kind == "set":
            first = lines[e.line - 1]
            cut = e.value_column - 1 if e.value_column else len(first.rstrip("\r\n"))
            head = first[:cut]
            if not e.value_column and not head.endswith(" "):
                head += " "
            plan.replace[e.line] = head + (ed.value or "") + eol
            plan.deleted.update(range(e.line + 1, e.end_line + 1))
        elif ed.kind == "move":
            block_lines = [*comment_block(doc, e), *span]
            plan.deleted.update(block_lines)
            moved = []
            for n in block_lines:
                t = plan.replace.get(n, lines[n - 1])
                if n == e.line and ed.key and ed.key != e.key:
                    t = _rekey(e, t, ed.key)
                moved.append(_with_eol(t, eol))
            _place(plan, doc, ed.section or "DEFAULT", moved)
        else:
            raise ValueError(f"unknown edit kind {ed.kind!r}")
    return _render(plan)


def _render(plan: _Plan) -> str:
    out: list[str] = list(plan.after.get(0, []))
    for n, line in enumerate(plan.lines, start=1):
        if n not in plan.deleted:
            out.append(plan.replace.get(n, line))
        extra = plan.after.get(n)
        if extra:
            out.extend(extra)
    if plan.new_sections:
        if out and not _EOL.search(out[-1]):
            out[-1] += plan.eol
        for section, block in plan.new_sections.items():
            if out and out[-1].strip():
                out.append(plan.eol)
            out.append(f"[{section}]{plan.eol}")
            out.extend(block)
    # an insertion after a last line that had no newline needs one between them
    joined: list[str] = []
    for i, chunk in enumerate(out):
        if i + 1 < len(out) and not _EOL.search(chunk):
            chunk += plan.eol
        joined.append(chunk)
    return "".join(joined)


# -- writing ---------------------------------------------------------------------------------
def write_atomic(path: str | Path, text: str, backup: bool = True,
                 expect: str | None = None) -> Path | None:
    """Replace `path` with `text` through confgen's one safe-write path (confgen.atomicio):
    backup first (a hard link: same mode, owner and attributes), temp file, fsync, rename.
    Returns the backup path when one was made. A symlink is followed: the file it points at
    is replaced, the link stays."""
    from confgen.atomicio import replace

    return replace(path, text, backup, expect).backup


# -- fixes from lint findings ----------------------------------------------------------------
@dataclass
class FileFix:
    """What fixing did (or would do) to one file."""

    file_type: str
    path: str
    before: str
    after: str
    applied: list[Edit] = field(default_factory=list)
    refused: str = ""  # why the file was left alone (unparsable, unreadable)
    # edits not made because the proof could not show every value is still read: (edit, why)
    withheld: list[tuple[Edit, str]] = field(default_factory=list)
    losses: list = field(default_factory=list)  # keep.Loss left after editing (reported)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def check(files: dict, release, ceph_release=None, root=None) -> list:
    """Run every rule over in-memory files, honouring `# confgen: ignore=` comments (a finding
    the user silenced is not fixed either)."""
    from confgen.lint import run_rules
    from confgen.rules.base import Context

    return run_rules(Context(files=files, release=release, ceph_release=ceph_release, root=root))


def _dynamic_target(ctx_files: dict, file_type: str, token: str) -> str | None:
    """The one concrete section a dynamic token stands for in these files (None if not one)."""
    from confgen.rules.base import Context

    ctx = Context(files=ctx_files, release=None)
    names = sorted(ctx.dynamic(file_type).get(token, set()))
    if token == "@client" and not names:
        return "client"
    return names[0] if len(names) == 1 else None


def plan_fixes(files: dict, findings: list, release, ceph_release=None,
               source=None, live: set | None = None) -> dict[str, list[Edit]]:
    """Edits per path for the findings a rule knows how to fix; other findings are left.
    Migrating from `source`, a line `source` did not read either (a stale or overridden
    spelling: not in `live`, see read_lines) is commented out instead of moved: moving it
    would make the target read a value the deployment never used."""
    from confgen.rules.base import Context, multi_valued

    by_path = {lf.path: lf for lf in files.values()}
    multi = multi_valued(Context(files=files, release=release, ceph_release=ceph_release))
    edits: dict[str, list[Edit]] = {}
    used: dict[str, set[int]] = {}
    order = {"CG101": 0, "CG305": 1, "CG204": 2, "CG202": 3}
    for f in sorted(findings, key=lambda f: (order.get(f.rule, 9), f.path, f.line)):
        lf = by_path.get(f.path)
        if lf is None or f.line in used.setdefault(f.path, set()):
            continue
        ed = _edit_for(f, lf, files, (f.path, f.line) in multi)
        if ed is not None and live is not None and ed.kind in ("move", "rename") \
                and _line_id(lf, ed.line) not in live:
            _, sec, key, _ = _line_id(lf, ed.line)
            ed = Edit("comment", ed.line, rule=f.rule,
                      comment=f"confgen: not read by {source} either (another spelling or line "
                              "was); move it by hand if it is meant",
                      reason=f"line {ed.line}: [{sec}] {key} commented out: {source} did not "
                             "read it either")
        if ed is not None and not (ed.line and ed.line in used[f.path]):
            edits.setdefault(f.path, []).append(ed)
            used[f.path].update({f.line, ed.line} - {0})
    return edits


def _line_id(lf, line: int) -> tuple[str, str | None, str, str]:
    e = _entry_at(lf.doc, line)
    return (lf.path, lf.doc.norm_section(e.section), lf.doc.norm_key(e.key), e.value.strip())


def read_lines(files: dict, release) -> set[tuple[str, str | None, str, str]]:
    """(path, section, key, value) of every line whose value the service of `release` reads
    (by content, so it still names the line after other lines moved)."""
    from confgen.keep import reads
    from confgen.rules.base import Context

    ctx = Context(files=files, release=release)
    out: set[tuple[str, str | None, str, str]] = set()
    for ft, lf in files.items():
        m = ctx.matrix(ft)
        if m is None or m.family.name != release.family:
            continue
        for r in reads(ft, lf.doc, release, m, ctx.dynamic(ft)).values():
            out.update(_line_id(lf, e.line) for e in r.entries)
    return out


def _edit_for(f, lf, files: dict, multi: bool = False) -> Edit | None:
    doc = lf.doc
    try:
        e = _entry_at(doc, f.line)
    except ConfgenError:
        return None
    here = doc.norm_section(e.section) or ""
    if f.rule == "CG101":
        if multi:
            return None  # every line of a multi-valued option is a value
        return Edit("delete", e.line, rule=f.rule,
                    reason=f"line {e.line}: dropped [{here}] {e.key} = {{value!r}}, the service "
                           f"uses line {f.extra.get('winner_line')}", **_shown(lf, e))
    if f.rule == "CG305":
        return _driver_form(f, e)
    if f.rule == "CG409":
        return _load_default_store(f, lf)
    target = None
    if f.rule == "CG202":
        target = f.extra.get("expected")
    elif f.rule == "CG204" and isinstance(f.extra.get("replacement"), dict):
        target = f.extra["replacement"]
    if not target:
        return None
    section, name = target["section"], target["name"]
    if section.startswith("@"):
        section = _dynamic_target(files, lf.file_type, section)
        if section is None:
            return None
    if doc.norm_section(section) == here:
        if doc.norm_key(name) == doc.norm_key(e.key):
            return None
        if doc.get(section, name) is not None and not multi:
            return _conflict(doc, e, section, name, f.rule)
        return Edit("rename", e.line, key=name, rule=f.rule,
                    reason=f"line {e.line}: [{here}] {e.key} renamed {name}")
    if doc.get(section, name) is not None and not multi:
        return _conflict(doc, e, section, name, f.rule)
    return Edit("move", e.line, section=section, key=name, rule=f.rule,
                reason=f"line {e.line}: [{here}] {e.key} moved to [{section}] {name}")


def _load_default_store(f, lf) -> Edit | None:
    """glance must load the store default_store names: add it to the stores it loads (a list
    that only grows keeps every store glance loaded before)."""
    from confgen.keep import Carry

    value, where = f.extra.get("stores_value"), f.extra.get("stores_at")
    if not value or not where:
        return None
    line = f.extra.get("stores_line") or 0
    reason = f"[{where['section']}] {where['name']} = {{value}} (glance loads the default store)"
    shown = {"shown": (("value", value),)}
    if not line:
        return Edit("insert", section=where["section"], key=where["name"], value=value,
                    rule=f.rule, reason=reason, **shown)
    ident = (lf.file_type, "opt", "glance_store.stores", "")
    return Edit("set", line, value=value, rule=f.rule, reason=f"line {line}: {reason}",
                carries=(Carry(ident, ident, _grown),), **shown)


def _grown(old: str, new: str, after) -> bool:
    from confgen.rules.base import split_list

    return set(split_list(old)) <= set(split_list(new))


def _shown(lf, e: Entry, **more: str) -> dict:
    """Edit fields that show `e`'s value (and `more` values of the same option), masked by the
    one masking layer when the option holds a credential."""
    from confgen import mask

    return {"shown": (("value", e.value), *more.items()),
            "secret": mask.secret_name(e.key, lf.file_type)}


def _driver_form(f, e: Entry) -> Edit | None:
    """The loadable spelling of the same driver: the module path with its class added, or the
    class path without it (the form a release loads changed in queens)."""
    valid = [v for v in f.extra.get("valid") or [] if v != e.value]
    same = [v for v in valid if v.startswith(e.value + ".") or e.value.startswith(v + ".")]
    pick = same[0] if len(same) == 1 else (valid[0] if len(valid) == 1 else None)
    if pick is None:
        return None
    return Edit("set", e.line, value=pick, rule=f.rule,
                reason=f"line {e.line}: {e.key} {{value}} -> {pick} (the form the release "
                       "loads)", shown=(("value", e.value),))


def _conflict(doc: Document, e: Entry, section: str, name: str, rule: str) -> Edit | None:
    """The right place already has a value: drop the misplaced one only when it says the same
    (otherwise a human decides which value is meant)."""
    there = doc.get(section, name)
    if there is not None and there.value == e.value:
        return Edit("delete", e.line, rule=rule,
                    reason=f"line {e.line}: dropped [{doc.norm_section(e.section)}] {e.key}, "
                           f"[{section}] {name} (line {there.line}) already says the same")
    return None


def fix_group(files: dict, texts: dict[str, str], release, ceph_release=None, root=None,
              rounds: int = 4, source=None, ceph_source=None,
              planners: tuple = ()) -> dict[str, FileFix]:
    """Fix in memory until no rule has anything more to fix; nothing is written here.
    `files` maps file type -> LintFile, `texts` path -> the text it was parsed from.

    Every edit must pass the proof (confgen.keep): each value the service read before (at
    `source`, default `release`) is still read after (at `release`); an edit that cannot be
    shown to keep them is withheld and listed in FileFix.withheld. `planners` (migrate's
    structural changes, confgen.restructure) add their edits to the rules' each round."""
    from confgen.keep import Proof
    from confgen.parse import parse
    from confgen.rules.base import LintFile

    out = {lf.path: FileFix(lf.file_type, lf.path, texts[lf.path], texts[lf.path])
           for lf in files.values()}
    for lf in files.values():
        if any(p.fatal for p in lf.doc.problems):
            out[lf.path].refused = "cannot be parsed as the service reads it; not rewritten"
        elif lf.segments:
            others = ", ".join(s.path for s in lf.segments[1:])
            out[lf.path].refused = (f"the service reads it together with {others}; edit them "
                                    "by hand (confgen rewrites one file at a time)")
    cur = {ft: lf for ft, lf in files.items() if not out[lf.path].refused}
    # a file read together with others is not edited, but what the target would no longer
    # read of it, left as it is, is still reported (only an unparseable file has no proof)
    proofs = {
        lf.path: Proof(ft, lf.doc,
                       (ceph_source or ceph_release) if ft == "ceph.conf" else (source or release),
                       ceph_release if ft == "ceph.conf" else release)
        for ft, lf in files.items() if not any(p.fatal for p in lf.doc.problems)}
    live = read_lines(cur, source) if source is not None and source != release else None
    for _ in range(rounds):
        edits = plan_fixes(cur, check(cur, release, ceph_release, root), release, ceph_release,
                           source, live)
        # a structural change goes first and alone in its file: the rules' fixes are planned
        # again on its result next round (a stores list for a glance about to be multi-store
        # would only be in the way)
        structural: dict[str, list[Edit]] = {}
        for planner in planners:
            for path, extra in planner(cur, source or release, release).items():
                taken = {e.line for e in structural.get(path, []) if e.line}
                structural.setdefault(path, []).extend(
                    e for e in extra if not e.line or e.line not in taken)
        edits.update({p: eds for p, eds in structural.items() if eds})
        progress = False
        for path, eds in edits.items():
            ff = out[path]
            lf = next(x for x in cur.values() if x.path == path)
            accepted = proven(ff, lf.doc, eds, proofs[path])
            if accepted:
                ff.after = apply(ff.after, lf.doc, accepted)
                ff.applied.extend(accepted)
                cur[lf.file_type] = LintFile(lf.file_type, path, parse(ff.after, lf.file_type,
                                                                       path))
                progress = True
        if not progress:
            break
    for lf in files.values():
        proof = proofs.get(lf.path)
        if proof is None:
            continue
        if out[lf.path].refused:  # left as it is: the document the service reads, unchanged
            out[lf.path].losses = proof.losses_of(lf.doc)
        else:
            out[lf.path].losses = proof.losses(out[lf.path].after,
                                               _carries(out[lf.path].applied))
    return out


def _carries(edits: list[Edit]) -> list:
    return [c for e in edits for c in e.carries]


def proven(ff: FileFix, doc: Document, edits: list[Edit], proof) -> list[Edit]:
    """The edits (planned against `doc`, the parse of ff.after) that keep every value read:
    taken one at a time, each must add no loss to those of the edits accepted so far, and must
    not take out of the file a line whose value the target no longer reads (a human still has
    to act on it) unless it comments out an option the target does not have."""
    accepted: list[Edit] = []
    known = {x.describe() for x, _ in ff.withheld}
    base = {loss.ident: loss for loss in proof.losses(ff.after, _carries(ff.applied))}
    if len(edits) > 1:
        # the common case first, in one proof (one at a time is a parse and a read of the whole
        # file per edit: quadratic on a file of many duplicates): when all the edits together
        # lose nothing the file did not already lose, they are proven together
        got = proof.losses(apply(ff.after, doc, edits), _carries(ff.applied + edits))
        if not [loss for loss in got if loss.ident not in base
                or (base[loss.ident].in_file and not loss.in_file)]:
            return list(edits)
    for ed in edits:
        trial = accepted + [ed]
        got = proof.losses(apply(ff.after, doc, trial), _carries(ff.applied + trial))
        new = [loss for loss in got if loss.ident not in base or (
            base[loss.ident].in_file and not loss.in_file
            and not (loss.gone and ed.kind == "comment"))]
        if new:
            if ed.describe() not in known:
                ff.withheld.append((ed, "; ".join(loss.why for loss in new)))
                known.add(ed.describe())
            continue
        accepted.append(ed)
        base = {loss.ident: loss for loss in got}
    return accepted


def load_group(group, refused: list[FileFix]) -> tuple[dict, dict[str, str]]:
    """(file type -> LintFile, path -> text) for one lint.Group; unreadable files go to
    `refused` (they are never rewritten)."""
    from confgen.layouts import read_together
    from confgen.parse import parse
    from confgen.parse.reader import ReadError, read_text
    from confgen.rules.base import LintFile

    files, texts = {}, {}
    for ft, path in group.files:
        shown = str(path)
        try:
            texts[shown] = read_text(path)
            also = [(str(x), read_text(x)) for x in getattr(group, "also", {}).get(ft, ())]
        except ReadError as exc:
            refused.append(FileFix(ft, shown, "", "", refused=exc.message))
            continue
        if also:  # read with further files: judged together, never rewritten
            text, segs = read_together([(shown, texts[shown]), *also])
            files[ft] = LintFile(ft, shown, parse(text, ft, shown), segs)
            continue
        files[ft] = LintFile(ft, shown, parse(texts[shown], ft, shown))
    return files, texts


def fix_paths(paths: list[str], release, ceph_release=None,
              file_type: str | None = None) -> list[FileFix]:
    """Plan fixes for files/directories as `confgen lint` finds them (nothing is written)."""
    from confgen.lint import discover

    out: list[FileFix] = []
    for group in discover(paths, file_type):
        files, texts = load_group(group, out)
        out.extend(fix_group(files, texts, release, ceph_release, group.root).values())
    return out


def unified(ff: FileFix) -> str:
    """A unified diff of what fixing changes in one file ('' when nothing). Lines are compared
    as they are and shown as the masking layer allows: a changed password shows as a changed
    line whose value is ***."""
    import difflib

    if not ff.changed:
        return ""
    a, b = split_keep(ff.before), split_keep(ff.after)
    shown_a, shown_b = _masked(ff.before, a, ff.file_type), _masked(ff.after, b, ff.file_type)
    out = [f"--- a/{ff.path}\n", f"+++ b/{ff.path}\n"]
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
        (_, i1, _, j1, _), (_, _, i2, _, j2) = group[0], group[-1]
        out.append(f"@@ -{_span(i1, i2)} +{_span(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.extend(" " + ln for ln in shown_a[a1:a2])
                continue
            out.extend("-" + ln for ln in shown_a[a1:a2])
            out.extend("+" + ln for ln in shown_b[b1:b2])
    return "".join(ln if ln.endswith(("\n", "\r")) else ln + "\n" for ln in out)


def _span(start: int, stop: int) -> str:
    """difflib's unified range: 'line,count' (1-based; an empty range names the line before)."""
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _masked(text: str, lines: list[str], file_type: str) -> list[str]:
    """`lines` (of `text`) with the value of every secret setting replaced by ***."""
    from confgen import mask
    from confgen.parse import parse

    out = list(lines)
    for e in parse(text, file_type).entries:
        secret = mask.secret_name(e.key, file_type)
        shown = mask.value(e.value, secret)
        if shown == e.value or not e.value_column or e.line > len(out):
            continue
        first = out[e.line - 1]
        eol = _EOL.search(first)
        end = eol.start() if eol else len(first)
        out[e.line - 1] = first[:e.value_column - 1] + shown + first[end:]
        for n in range(e.line + 1, min(e.end_line, len(out)) + 1):  # continuation lines
            line = out[n - 1]
            eol = _EOL.search(line)
            indent = line[:len(line) - len(line.lstrip())]
            out[n - 1] = indent + mask.MASK + (eol.group(1) if eol else "")
    return out


def write(fixes: list[FileFix], backup: bool = True) -> list[tuple[str, Written]]:
    """Write every changed file through the one safe-write path; (path, what was written)
    per file. A file the writer refuses (hard links, attributes it cannot keep, changed since
    it was read) gets `refused` set and is left as it was. Call it under `locked(...)`."""
    from confgen.atomicio import Refused, replace

    done = []
    for ff in fixes:
        if ff.changed and not ff.refused:
            try:
                done.append((ff.path, replace(ff.path, ff.after, backup, expect=ff.before)))
            except Refused as exc:
                ff.refused = exc.reason
    return done


def write_dirs(paths: list[str], file_type: str | None = None) -> list[Path]:
    """The directories a fix of `paths` reads and writes in (to lock them first)."""
    from confgen.lint import discover

    dirs: set[Path] = set()
    for group in discover(paths, file_type):
        dirs.update(Path(os.path.realpath(p)).parent for _, p in group.files)
    return sorted(dirs)


def run_cli(paths: list[str], release, ceph_release, file_type: str | None, show_diff: bool,
            dry_run: bool, backup: bool) -> None:
    """`confgen lint --fix [--diff|--dry-run] [--no-backup]`: fix, say what, then lint goes on."""
    import click

    fixes = fix_paths(paths, release, ceph_release, file_type)
    write_it = not (dry_run or show_diff)
    if show_diff:
        for ff in fixes:
            click.echo(unified(ff), nl=False)
    written = dict(write(fixes, backup)) if write_it else {}
    for ff in fixes:
        for ed, why in ff.withheld:
            click.echo(f"confgen: not fixed: {printable(ff.path)}: {ed.describe()}: it cannot "
                       f"be shown to keep every value ({why})", err=True)
        if ff.refused:
            click.echo(f"confgen: not fixed: {printable(ff.path)}: {ff.refused}", err=True)
            continue
        if not ff.changed:
            continue
        verb = "fixed" if write_it else "would fix"
        w = written.get(ff.path)
        tail = f" ({w.describe()})" if w is not None and w.backup else ""
        click.echo(f"{verb} {printable(ff.path)}{tail}:", err=True)
        for e in ff.applied:
            click.echo(f"  {e.describe()}", err=True)
