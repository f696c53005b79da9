"""One node's check, shared by `confgen lint PATH...` and each host of a fleet: resolve the
release, apply the edits asked for (--fix, --intent), lint, filter, and say whether file
modes were judged.

Nothing here prints: diffs and notes come back in the Outcome, so a fleet can lint its hosts
in worker processes and still print each host's output in one piece, in host order.
"""

from __future__ import annotations

import os

from confgen.record import dataclass, field
from confgen.rules.base import Finding, severity_rank


@dataclass(frozen=True)
class Options:
    """What the user asked for (picklable: fleet workers receive it)."""

    release: str  # a release name or "auto"
    ceph_release: str | None = None
    file_type: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str = "info"
    intent: str | None = None
    fix: bool = False
    diff: bool = False
    dry_run: bool = False
    backup: bool = True
    file_modes: bool | None = None  # None: judged unless the files are a git checkout

    @property
    def edits(self) -> bool:
        return self.fix or self.diff or self.intent is not None


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unreadable: bool = False
    release: str = ""  # as used (with how it was found, for auto)
    ceph_release: str | None = None
    diffs: list[str] = field(default_factory=list)  # unified diffs (--diff)
    notes: list[str] = field(default_factory=list)  # what was fixed / refused (stderr)
    file_modes: bool = True

    @property
    def modes_skipped(self) -> bool:
        return not self.file_modes and any(f.endswith(".keyring") for f in self.files)


def in_checkout(paths: list[str]) -> bool:
    """Whether the files are a git work tree (a config repository) rather than a node's live
    files: git keeps no file modes (a keyring comes back 0644 on every clone), so mode
    checks there would judge the clone, not the node. /etc kept by etckeeper is a git work
    tree too, but it is the live node (and etckeeper restores modes): judged."""
    for raw in paths:
        d = os.path.abspath(raw)
        while True:  # d and its parents up to the root (os.path: pathlib costs start-up)
            if os.path.lexists(os.path.join(d, ".git")):
                if not os.path.lexists(os.path.join(d, ".etckeeper")):
                    return True
                break
            up = os.path.dirname(d)
            if up == d:
                break
            d = up
    return False


def keep(findings: list[Finding], select: tuple[str, ...] | list[str],
         ignore: tuple[str, ...] | list[str], floor: str) -> list[Finding]:
    def hit(f: Finding, pats) -> bool:
        return any(f.rule.startswith(p.upper()) or f.name == p.lower() for p in pats)

    rank = severity_rank(floor)
    return [f for f in findings if (not select or hit(f, select)) and not hit(f, ignore)
            and severity_rank(f.severity) >= rank]


def resolve_release(opts: Options, paths: list[str], use_packages: bool = True):
    """(OpenStack release, Ceph release or None, the detection for `auto` or None)."""
    from confgen import releases
    from confgen.errors import ConfgenError

    det = None
    if opts.release == "auto":
        from confgen.detect import from_paths

        det = from_paths(paths, use_packages=use_packages)
        if det.best is None:
            raise ConfgenError(f"--release auto: {det.describe()}; pass --release")
        if opts.fix and len(det.releases) > 1:
            raise ConfgenError(
                f"--fix with --release auto: the files fit {det.describe()}, not one release, "
                "and a fix right for one of them can break another (a driver path, a moved "
                "option); nothing was changed: pass --release RELEASE")
        rel = det.best
    else:
        rel = releases.openstack().get(opts.release)
    return rel, releases.ceph_for(opts.ceph_release, rel), det


def check(paths: list[str], opts: Options, rel, ceph_rel, on_files=None) -> Outcome:
    """`on_files`, if given, sees each group's parsed files (file type -> LintFile) once
    linted (the fleet takes its key values from them instead of reading the files again)."""
    from confgen.lint import lint

    out = Outcome(release=rel.name, ceph_release=ceph_rel.name if ceph_rel else None)
    out.file_modes = opts.file_modes if opts.file_modes is not None else not in_checkout(paths)
    write_it = not (opts.dry_run or opts.diff)
    if opts.fix and write_it:
        with _write_lock(paths, opts.file_type):
            drift_findings = _edit(paths, opts, rel, ceph_rel, out, write_it)
    else:  # nothing is written: nothing to hold (and no contextlib to import for a lint)
        drift_findings = _edit(paths, opts, rel, ceph_rel, out, write_it)
    res = lint(paths, rel, ceph_rel, opts.file_type, select=list(opts.select) or None,
               ignore=list(opts.ignore), min_severity=opts.min_severity,
               file_modes=out.file_modes, on_files=on_files)
    out.findings = (sorted(set(res.findings) | set(drift_findings), key=Finding.sort_key)
                    if drift_findings else res.findings)  # lint's are sorted and unique
    out.files, out.unreadable = res.files, res.unreadable
    return out


def _write_lock(paths: list[str], file_type: str | None):
    """--fix holds the directories it reads and writes in from the first read to the last
    write (another confgen run waits)."""
    from confgen.atomicio import locked
    from confgen.fix import write_dirs

    return locked(write_dirs(paths, file_type))


def _edit(paths: list[str], opts: Options, rel, ceph_rel, out: Outcome,
          write_it: bool) -> list[Finding]:
    """--fix and --intent: plan, show (--diff), write through the one safe-write path; the
    drift findings left afterwards."""
    from confgen.mask import printable

    if opts.fix:
        from confgen.fix import fix_paths, unified, write

        fixes = fix_paths(paths, rel, ceph_rel, opts.file_type)
        for ff in fixes:
            if opts.diff and unified(ff):
                out.diffs.append(unified(ff))
        written = dict(write(fixes, opts.backup)) if write_it else {}
        for ff in fixes:
            for ed, why in ff.withheld:
                out.notes.append(f"confgen: not fixed: {printable(ff.path)}: {ed.describe()}: "
                                 f"it cannot be shown to keep every value ({why})")
            if ff.refused:
                out.notes.append(f"confgen: not fixed: {printable(ff.path)}: {ff.refused}")
            elif ff.changed:
                w = written.get(ff.path)
                out.notes.append(f"{'fixed' if write_it else 'would fix'} {printable(ff.path)}"
                                 + (f" ({w.describe()})" if w is not None and w.backup else "")
                                 + ":")
                out.notes.extend(f"  {e.describe()}" for e in ff.applied)
    if not opts.intent:
        return []
    from pathlib import Path

    from confgen import intent
    from confgen.drift import drift
    from confgen.fix import unified, write

    it = intent.read(Path(opts.intent))
    d = drift(paths, it, rel, ceph_rel, opts.file_type)
    if opts.diff:
        out.diffs.extend(u for u in map(unified, d.fixes) if u)
    if opts.fix and write_it:
        for path, w in write(d.fixes, opts.backup):
            out.notes.append(f"brought {printable(path)} to the intent"
                             + (f" ({w.describe()})" if w.backup else ""))
        out.notes.extend(f"confgen: not fixed: {printable(ff.path)}: {ff.refused}"
                         for ff in d.fixes if ff.refused and ff.changed)
        d = drift(paths, it, rel, ceph_rel, opts.file_type)
    return keep(d.findings, opts.select, opts.ignore, opts.min_severity)

