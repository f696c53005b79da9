"""`confgen lint` orchestration: find the files, parse them, run the rules, filter findings.

Kept free of Jinja2 and the renderer (pre-commit runs this on every commit); the matrix of a
file type is loaded only when a file of that type is linted.
"""

from __future__ import annotations

import os

from confgen import fspath, layouts
from confgen.errors import ConfgenError
from confgen.layouts import Group
from confgen.lazyre import lazy
from confgen.parse import LAYOUT, STYLE, parse
from confgen.parse.reader import ReadError, read_text
from confgen.record import dataclass
from confgen.rules import all_rules
from confgen.rules.base import Context, Finding, Keyring, LintFile, severity_rank

KEYRING = "keyring"
_DIRECTIVE = lazy(r"confgen:\s*ignore(-file)?\s*=\s*([A-Za-z0-9_,\- ]+)")


@dataclass
class Result:
    findings: list[Finding]
    files: list[str]
    unreadable: bool = False  # some input could not be read at all (exit 2)


def file_type_of(path: str, forced: str | None) -> str:
    if forced:
        return forced
    if fspath.name(path) in LAYOUT:
        return fspath.name(path)
    if fspath.name(path).endswith(".keyring"):
        return KEYRING
    raise ConfgenError(
        f"{path}: cannot tell which config file this is from its name; "
        f"pass --file-type ({', '.join(LAYOUT)})"
    )


def discover(paths: list[str], forced: str | None = None) -> list[Group]:
    groups: list[Group] = []
    loose = Group(root=None)
    by_root: list[Group] = []
    for raw in paths or ["/etc"]:
        p = fspath.norm(raw)  # as pathlib spells it: messages and findings show this path
        if fspath.is_dir(p):
            found = layouts.tree(p)
            if not found:
                raise ConfgenError(
                    f"{p}: none of {', '.join(LAYOUT.values())} (or ceph/*.keyring, or "
                    "kolla-ansible's <container>/ directories) is there; give the directory "
                    "that holds them (like /etc or /etc/kolla) or the files themselves"
                )
            groups.extend(found)
        elif os.path.lexists(p):
            ft = file_type_of(p, forced)
            # a file sitting in an /etc-like layout (pre-commit passes etc/nova/nova.conf)
            # is linted with that root, so paths and keyrings resolve against it
            expected = "ceph" if ft == KEYRING else LAYOUT.get(ft, "").split("/")[0]
            here = fspath.parent(p)
            root = fspath.parent(here) if expected and fspath.name(here) == expected else None
            g = next((x for x in by_root if x.root == root), None) if root else loose
            if g is None:
                g = Group(root=root)
                by_root.append(g)
            if ft == KEYRING:
                g.keyrings.append(p)
            elif any(t == ft for t, _ in g.files):
                groups.append(Group(root=g.root, files=[(ft, p)]))  # a second file of a type
            else:
                g.files.append((ft, p))
        else:
            raise ConfgenError(f"{p}: no such file or directory")
    groups.extend(by_root)
    if loose.files or loose.keyrings:
        groups.append(loose)
    return groups


def _ignores(lines: list[str]) -> tuple[dict[int, set[str]], set[str]]:
    """Inline suppressions: `# confgen: ignore=CG101,CG204` on its own line applies to the next
    setting line (and at the end of a ceph.conf line, to that line); `ignore-file=` to all."""
    per_line: dict[int, set[str]] = {}
    whole: set[str] = set()
    # a directive needs the word: a file without it (nearly all) is answered in one C-speed
    # search instead of a Python loop over its lines ("confgen" has no newline, so a hit in
    # the joined text is a hit in one line)
    if "confgen" not in "\n".join(lines):
        return per_line, whole
    carry: set[str] = set()
    for n, line in enumerate(lines, start=1):
        s = line.strip()
        m = _DIRECTIVE.search(line) if "confgen" in line else None
        ids = {i.strip().upper() for i in m.group(2).split(",") if i.strip()} if m else set()
        if m and m.group(1):
            whole |= ids
            continue
        if s.startswith(("#", ";")):
            carry |= ids
            if ids:
                per_line.setdefault(n, set()).update(ids)
            continue
        if not s:
            continue
        here = carry | ids
        if here:
            per_line.setdefault(n, set()).update(here)
        carry = set()
    return per_line, whole


def _matches(f: Finding, patterns: list[str]) -> bool:
    return any(f.rule.startswith(p.upper()) or f.name == p.lower() for p in patterns)


def run_rules(ctx: Context, rules: list | None = None) -> list[Finding]:
    """Every rule over one group of files, minus what `# confgen: ignore=` comments silence
    (shared by lint and fix: a finding the user silenced is not fixed either)."""
    silenced = {lf.path: _ignores(lf.doc.lines) for lf in ctx.files.values()}
    out: list[Finding] = []
    for rule in rules if rules is not None else all_rules():
        for f in rule.check(ctx):
            per_line, whole = silenced.get(f.path, ({}, set()))
            if f.rule in whole or f.rule in per_line.get(f.line, set()):
                continue
            out.append(f)
    return out


def _placed(findings: list[Finding], files: dict[str, LintFile]) -> list[Finding]:
    """Findings on files read together, moved to the file and line each is really in."""
    from confgen.record import replace

    segs = {lf.path: lf.segments for lf in files.values() if lf.segments}
    if not segs:
        return findings
    out = []
    for f in findings:
        at = layouts.where(segs[f.path], f.line) if f.path in segs else None
        out.append(replace(f, path=at[0], line=at[1]) if at else f)
    return out


def forget_memos() -> None:
    """Empty the per-process memos that let a fleet worker reuse one host's work for the next
    (parsed texts and lines, key meanings, shared finding texts), so that what follows costs
    what a first lint costs: the scaling tests compare cold runs."""
    import confgen.parse as parse_pkg
    import confgen.parse.oslo as oslo
    import confgen.rules.base as base

    for memo in (parse_pkg._PARSED, oslo._ASSIGNMENTS, oslo._ENTRIES, base._SPELLINGS,
                 base._SHARED):
        memo.clear()


def lint(
    paths: list[str],
    release,
    ceph_release=None,
    file_type: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    min_severity: str = "info",
    matrices: dict | None = None,
    file_modes: bool = True,
    on_files=None,
) -> Result:
    findings: list[Finding] = []
    linted: list[str] = []
    unreadable = False
    rules = all_rules()
    read_error_rule = next(r for r in rules if r.id == "CG001")
    for group in discover(paths, file_type):
        files: dict[str, LintFile] = {}
        for ft, path in group.files:
            shown = str(path)
            parts = [(shown, path), *((str(x), x) for x in group.also.get(ft, ()))]
            texts = []
            for name, p in parts:
                linted.append(name)
                try:
                    texts.append((name, read_text(p)))
                except ReadError as exc:
                    unreadable = True
                    findings.append(read_error_rule.at(name, exc.line, exc.column, exc.message))
            if not texts or texts[0][0] != shown:
                continue
            text, segments = layouts.read_together(texts)
            doc = parse(text, ft, shown)
            files[ft] = LintFile(ft, shown, doc, segments if len(segments) > 1 else [])
        keyrings = []
        for kp in group.keyrings:
            linted.append(str(kp))
            mode, text = None, None
            try:
                # a git checkout keeps no modes: judging them would judge the clone
                mode = os.stat(kp).st_mode if file_modes else None
                text = read_text(kp)
            except (OSError, ReadError) as exc:
                # a keyring the linting user may not read is normal (mode 600, owned by the
                # service); one that is not a file at all is unreadable input
                if isinstance(exc, OSError) or exc.kind == "os":
                    unreadable = True
                    msg = exc.message if isinstance(exc, ReadError) else \
                        f"cannot read: {exc.strerror or exc}"
                    findings.append(read_error_rule.at(str(kp), 1, 1, msg))
            keyrings.append(Keyring(str(kp), mode, text))
        ctx = Context(files=files, release=release, ceph_release=ceph_release, root=group.root,
                      keyrings=keyrings, matrices=dict(matrices or {}))
        findings.extend(_placed(run_rules(ctx, rules), files))
        if on_files is not None:
            on_files(files)
        ctx = files = None  # type: ignore[assignment]  # the documents go before the next
    # an input that could not be read is not a verdict to select or silence: it is always
    # reported, and the run exits 2 whatever --select/--ignore/--min-severity say
    kept = [f for f in findings if f.rule == read_error_rule.id]
    findings = [f for f in findings if f.rule != read_error_rule.id]
    if select:
        findings = [f for f in findings if _matches(f, select)]
    if ignore:
        findings = [f for f in findings if not _matches(f, ignore)]
    floor = severity_rank(min_severity)
    findings = kept + [f for f in findings if severity_rank(f.severity) >= floor]
    return Result(sorted(set(findings), key=Finding.sort_key), linted, unreadable)


__all__ = ["LAYOUT", "STYLE", "Group", "Result", "discover", "lint", "run_rules"]
