"""Drift: how existing files differ from what `confgen render` writes for an intent.

The intended files come from the renderer (so Jinja2 is imported, but only when --intent is
used). Both sides are parsed with the same line-preserving parsers and compared option by
option, values normalised by the option's type in the release (`True`/`true`/`1` are one bool;
list order does not count). Each difference is a finding with file and line, and an edit that
brings the existing file to the intent without touching anything else in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from confgen import fspath, mask
from confgen.fix import Edit, FileFix, apply, comment_block, load_group
from confgen.mask import printable
from confgen.parse import parse
from confgen.rules.base import Context, Finding, LintFile, split_list, truthy
from confgen.rules.cg600_drift_missing_file import RULE as MISSING_FILE
from confgen.rules.cg601_drift_missing_option import RULE as MISSING
from confgen.rules.cg602_drift_value import RULE as VALUE
from confgen.rules.cg603_drift_wrong_place import RULE as PLACE
from confgen.rules.cg604_drift_unexplained import RULE as UNEXPLAINED

INI_FILES = ("glance-api.conf", "cinder.conf", "nova.conf", "ceph.conf")
RULES = (MISSING_FILE, MISSING, VALUE, PLACE, UNEXPLAINED)


@dataclass
class Drift:
    findings: list[Finding] = field(default_factory=list)
    fixes: list[FileFix] = field(default_factory=list)  # existing text -> intended text


def intended(it, release=None, ceph_release=None) -> dict[str, str]:
    """file type -> the text render writes for the intent (INI files only)."""
    from confgen.render.files import render

    out = {}
    for rel, text in render(it.retarget(release, ceph_release)).items():
        ft = rel.rpartition("/")[2]
        if ft in INI_FILES:
            out[ft] = text
    return out


# -- value comparison -------------------------------------------------------------------------
_NUMERIC = {"int", "uint", "port", "float", "size"}
_SPLIT = re.compile(r"[\s,;]+")


def normalise(value: str, type_: str, key: str = ""):
    """A value in a form where two spellings the service reads alike compare equal."""
    v = value.strip()
    if type_ == "bool":
        b = truthy(v)
        return v if b is None else b
    if type_ in _NUMERIC:
        try:
            return float(v)
        except ValueError:
            return v
    if type_ in ("list", "multistring"):
        return frozenset(split_list(v))
    if type_ == "dict":
        return frozenset(tuple(p.strip() for p in item.split(":", 1)) for item in split_list(v))
    if key in ("mon_host", "mon host"):
        return frozenset(x for x in _SPLIT.split(v) if x)
    if type_ == "uuid":
        return v.lower()
    return v


def _type_of(ctx: Context, ft: str, section: str, key: str) -> tuple[str, str | None]:
    """(type, option key) of [section] key in the file's release ("str", None if unknown)."""
    m, rel = ctx.matrix(ft), ctx.release_for(ft)
    if m is None or rel is None:
        return "str", None
    res = m.resolve(rel, section, key, ctx.dynamic(ft))
    if res.at is not None:
        return res.at.era.type, res.option.key
    return "str", res.option.key if res.option else None


# -- comparison -------------------------------------------------------------------------------
def compare(actual: LintFile, want_text: str, ctx: Context, want_ctx: Context) -> tuple[
        list[Finding], list[Edit]]:
    """Findings and edits for one existing file against its intended text."""
    ft, doc = actual.file_type, actual.doc
    want = parse(want_text, ft, f"<intended {ft}>")

    def secret(key: str) -> bool:
        return mask.secret_name(key, ft)

    findings: list[Finding] = []
    edits: list[Edit] = []
    # option key -> entries of the existing file, to find an option set under another spelling
    by_option: dict[str, list] = {}
    for e in doc.entries:
        if e.section is not None:
            _t, okey = _type_of(ctx, ft, doc.norm_section(e.section), doc.norm_key(e.key))
            if okey:
                by_option.setdefault(okey, []).append(e)
    explained: set[int] = set()
    for w in want.entries:
        section = want.norm_section(w.section) or ""
        type_, okey = _type_of(want_ctx, ft, section, want.norm_key(w.key))
        have = doc.get(section, w.key)
        if have is not None:
            explained.update(x.line for x in doc.all(section, w.key))
            if normalise(have.value, type_, w.key) != normalise(w.value, type_, w.key):
                shown = {"value": have.value, "want": w.value}
                findings.append(VALUE.on(actual, have, f"[{section}] {have.key} is "
                                         "{value!r}; the intent gives {want!r}", values=shown,
                                         expected=w.value))
                edits.append(Edit("set", have.line, value=w.value, reason=f"line {have.line}: "
                                  f"[{section}] {have.key} = {{want}} (from the intent)",
                                  shown=tuple(shown.items()), secret=secret(have.key)))
            continue
        elsewhere = [e for e in by_option.get(okey or "", []) if e.line not in explained]
        if elsewhere:
            e = elsewhere[-1]
            explained.update(x.line for x in elsewhere)
            findings.append(PLACE.on(actual, e, f"[{doc.norm_section(e.section)}] {e.key} is "
                                     f"read from [{section}] {w.key} in {ctx.release_for(ft)}",
                                     expected={"section": section, "name": w.key}))
            edits.append(Edit("move", e.line, section=section, key=w.key,
                              reason=f"line {e.line}: [{doc.norm_section(e.section)}] {e.key} "
                                     f"moved to [{section}] {w.key}"))
            continue
        hdr = doc.header(section)
        line = hdr.line if hdr else max(len(doc.lines), 1)
        findings.append(MISSING.at(actual.path, line, 1, f"[{section}] {w.key} is not set; the "
                                   "intent gives {value!r}", values={"value": w.value},
                                   secret=secret(w.key), section=section, name=w.key,
                                   value=w.value))
        note = "\n".join(want.lines[n - 1].lstrip("#; ").rstrip()
                         for n in comment_block(want, w))
        edits.append(Edit("insert", section=section, key=w.key, value=w.value, comment=note,
                          reason=f"[{section}] {w.key} = {{value}} added (from the intent)",
                          shown=(("value", w.value),), secret=secret(w.key)))
    owned = ctx.owned_sections(ft)
    for e in doc.entries:
        sec = doc.norm_section(e.section)
        if sec in owned and e.line not in explained:
            findings.append(UNEXPLAINED.on(actual, e, f"[{sec}] {e.key} is set but the intent "
                                           "does not ask for it (keep it under [extra] in the "
                                           "intent if it is meant)"))
    return findings, edits


def drift(paths: list[str], it, release=None, ceph_release=None,
          file_type: str | None = None, rounds: int = 3) -> Drift:
    from confgen.lint import discover

    rel = release or it.release
    ceph = ceph_release or it.ceph_release
    wanted = intended(it, rel, ceph)
    want_files = {ft: LintFile(ft, f"<intended {ft}>", parse(t, ft)) for ft, t in wanted.items()}
    want_ctx = Context(files=want_files, release=rel, ceph_release=ceph)
    out = Drift()
    for group in discover(paths, file_type):
        files, texts = load_group(group, out.fixes)
        if group.root is not None:
            for ft in wanted:
                if ft not in files and not any(t == ft for t, _ in group.files):
                    out.findings.append(MISSING_FILE.at(
                        fspath.join(group.root, ft), 1, 1, f"the intent implies {ft} (expected "
                        f"under {group.root}); `confgen render` writes it"))
        ctx = Context(files=files, release=rel, ceph_release=ceph, root=group.root)
        for ft, lf in files.items():
            if ft not in wanted:
                continue
            found, edits = compare(lf, wanted[ft], ctx, want_ctx)
            out.findings.extend(found)
            ff = FileFix(ft, lf.path, texts[lf.path], texts[lf.path])
            if any(p.fatal for p in lf.doc.problems):
                ff.refused = "cannot be parsed as the service reads it; not rewritten"
                edits = []
            cur = lf
            for _ in range(rounds):
                if not edits:
                    break
                ff.after = apply(ff.after, cur.doc, edits)
                ff.applied.extend(edits)
                cur = LintFile(ft, lf.path, parse(ff.after, ft, lf.path))
                ctx.files[ft] = cur
                _f, edits = compare(cur, wanted[ft], ctx, want_ctx)
                edits = [e for e in edits if e.kind != "insert" or not _inserted(ff, e)]
            ctx.files[ft] = lf
            out.fixes.append(ff)
    out.findings.sort(key=Finding.sort_key)
    return out


def _inserted(ff: FileFix, ed: Edit) -> bool:
    return any(a.kind == "insert" and (a.section, a.key) == (ed.section, ed.key)
               for a in ff.applied)


def run_cli(paths: list[str], intent_path: str, release, ceph_release, file_type: str | None,
            show_diff: bool, fix: bool, dry_run: bool, backup: bool) -> list[Finding]:
    """`confgen lint --intent FILE [--diff] [--fix]`: drift findings (added to lint's)."""
    from pathlib import Path

    import click

    from confgen import intent
    from confgen.fix import unified, write

    it = intent.read(Path(intent_path))
    d = drift(paths, it, release, ceph_release, file_type)
    if show_diff:
        for ff in d.fixes:
            click.echo(unified(ff), nl=False)
    if fix and not (dry_run or show_diff):
        for path, w in write(d.fixes, backup):
            click.echo(f"brought {printable(path)} to the intent"
                       + (f" ({w.describe()})" if w.backup else ""), err=True)
        for ff in d.fixes:
            if ff.refused and ff.changed:
                click.echo(f"confgen: not fixed: {printable(ff.path)}: {ff.refused}", err=True)
        d = drift(paths, it, release, ceph_release, file_type)
    return d.findings


def intent_release(intent_path: str):
    """The OpenStack release an intent file names (for lint --intent without --release)."""
    from pathlib import Path

    from confgen import intent

    return intent.read(Path(intent_path)).release
