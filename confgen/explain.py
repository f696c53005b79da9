"""`confgen explain` and `confgen releases`: the matrix shown to a person (or a script)."""

from __future__ import annotations

import json
import re
from typing import Any

from confgen import releases
from confgen.errors import ConfgenError, UnknownRelease
from confgen.matrix import FILES, FileMatrix, Option, load
from confgen.matrix.model import Era
from confgen.releases import Release


def list_releases(fmt: str = "text") -> str:
    os_fam, ceph_fam = releases.openstack(), releases.ceph()
    if fmt == "json":
        data = {
            fam.name: [
                {"name": r.name, "series": r.series, "aliases": list(r.aliases), **r.versions,
                 **({"ceph": r.ceph} if r.ceph else {})}
                for r in fam.releases
            ]
            for fam in (os_fam, ceph_fam)
        }
        return json.dumps(data, indent=2) + "\n"
    lines = ["OpenStack releases (oldest first):"]
    lines.append(f"  {'release':<22}{'nova':<9}{'cinder':<9}{'glance':<9}{'glance_store':<14}"
                 "ceph (paired by default)")
    for r in os_fam.releases:
        v = r.versions
        lines.append(
            f"  {r.label:<22}{v.get('nova', ''):<9}{v.get('cinder', ''):<9}"
            f"{v.get('glance', ''):<9}{v.get('glance_store', ''):<14}{r.ceph}"
        )
    lines.append("")
    lines.append("Ceph releases (oldest first):")
    for r in ceph_fam.releases:
        lines.append(f"  {r.name:<22}{r.versions.get('version', '')}")
    lines.append("")
    lines.append("'latest' names the newest release of each family.")
    return "\n".join(lines) + "\n"


def _span(era: Era) -> str:
    return era.first.name if era.first == era.last else f"{era.first.name}..{era.last.name}"


def _fmt_default(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "(empty)"
    return str(value) if value != "" else "(empty)"


def _short(text: str, width: int = 36) -> str:
    # keep the history table readable; the full value is in --format json and the last line
    return text if len(text) <= width else text[: width - 3] + "..."


def _status_at(opt: Option, rel: Release) -> str:
    era = opt.era(rel)
    if era is not None:
        return "deprecated" if era.deprecated else "current"
    return "removed" if opt.last_release < rel else "absent"


def _describe(opt: Option, matrix: FileMatrix, rel: Release | None) -> dict[str, Any]:
    out: dict[str, Any] = {"file": opt.file, "key": opt.key, "help": opt.help}
    if rel is not None:
        era = opt.era(rel)
        out["release"] = rel.name
        out["status"] = _status_at(opt, rel)
        if era is not None:
            out.update(
                section=era.section,
                also_sections=list(era.also),
                name=era.name,
                type=era.type,
                default=era.default,
                choices=list(era.choices),
                aliases=[{"section": a.section, "name": a.name} for a in era.aliases],
                deprecated_reason=era.deprecated_reason,
                replacement=era.replacement,
                source=era.source,
            )
        else:
            out.update(section=None, name=None, type=None, default=None, aliases=[])
            if out["status"] == "removed":
                out["removed_in"] = (opt.removed_in(matrix.family) or rel).name
                out["last_release"] = opt.last_release.name
            else:
                out["introduced_in"] = opt.introduced.name
    out["history"] = [
        {
            "from": e.first.name,
            "to": e.last.name,
            "section": e.section,
            "name": e.name,
            "type": e.type,
            "default": e.default,
            "status": "deprecated" if e.deprecated else "current",
            "aliases": [{"section": a.section, "name": a.name} for a in e.aliases],
            "source": e.source,
        }
        for e in opt.eras
    ]
    removed = opt.removed_in(matrix.family)
    out["removed_in"] = removed.name if removed else out.get("removed_in")
    if opt.notes:
        out["notes"] = opt.notes
    return out


def _changes(prev: Era | None, era: Era) -> str:
    """What differs from the previous era beyond the table's own columns (choices, limits,
    extra sections, old spellings, where the code lives), so no row looks like a repeat."""
    if prev is None:
        return "introduced"
    out = []
    if prev.choices != era.choices:
        added = [str(c) for c in era.choices if c not in prev.choices]
        gone = [str(c) for c in prev.choices if c not in era.choices]
        out.append("choices " + ",".join([f"+{c}" for c in added] + [f"-{c}" for c in gone])
                   if prev.choices and era.choices else "choices " + ("set" if era.choices
                                                                    else "unrestricted"))
    if (prev.min, prev.max) != (era.min, era.max):
        out.append(f"range {era.min}..{era.max}")
    if prev.also != era.also:
        out.append("also in " + (",".join(era.also) or "no other section"))
    if prev.aliases != era.aliases:
        out.append("old spellings " + ("kept" if era.aliases else "no longer read"))
    if prev.secret != era.secret:
        out.append("secret" if era.secret else "not secret")
    path = era.source.split(":", 1)[-1].split("@", 1)[0]
    if path != prev.source.split(":", 1)[-1].split("@", 1)[0]:
        out.append(f"defined in {path}")
    return "; ".join(out)


def _text(d: dict[str, Any], opt: Option, matrix: FileMatrix) -> str:
    lines = [f"{d['file']}: {d['key']}"]
    if d["help"]:
        lines.append(f"  {d['help']}")
    rows = [("releases", "section", "name", "type", "default", "status", "what changed")]
    prev: Era | None = None
    for e in opt.eras:
        rows.append(
            (_span(e), f"[{e.section}]", e.name, e.type, _short(_fmt_default(e.default)),
             "deprecated" if e.deprecated else "current", _changes(prev, e))
        )
        prev = e
    if d.get("removed_in"):
        rows.append((f"{d['removed_in']}..", "", "", "", "", "removed", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    for e in opt.eras:
        if e.aliases:
            old = ", ".join(f"[{a.section}] {a.name}" for a in e.aliases)
            lines.append(f"  {_span(e)}: still reads the old spelling {old}")
    if "release" in d:
        rel = d["release"]
        if d["status"] in ("current", "deprecated"):
            lines.append(
                f"In {rel}: [{d['section']}] {d['name']} = {_fmt_default(d['default'])}"
                f"  (type {d['type']}{', DEPRECATED' if d['status'] == 'deprecated' else ''})"
            )
            if d.get("also_sections"):
                lines.append(f"  also read from: {', '.join(d['also_sections'])}")
            if d.get("choices"):
                lines.append(f"  allowed values: {', '.join(map(str, d['choices']))}")
            if d.get("deprecated_reason"):
                lines.append(f"  deprecated: {d['deprecated_reason']}")
            if d.get("replacement"):
                lines.append(f"  use instead: {d['replacement']}")
        elif d["status"] == "removed":
            lines.append(
                f"In {rel}: removed (last read in {d['last_release']}); "
                "the service ignores it silently."
            )
        else:
            lines.append(f"In {rel}: does not exist yet (first in {d['introduced_in']}).")
    if opt.notes:
        lines.append(f"  note: {opt.notes}")
    sources = sorted({e.source for e in opt.eras if e.source})
    if sources:
        lines.append("  checked in: " + "; ".join(sources))
    return "\n".join(lines) + "\n"


def _release_for(matrix: FileMatrix, release: str | None) -> Release | None:
    """The release in this file's family; None when it names the other family's release
    (a Ceph option asked about with --release juno shows its history only)."""
    if not release:
        return None
    try:
        return matrix.release(release)
    except UnknownRelease:
        is_os = matrix.family.name == releases.OPENSTACK
        other = releases.ceph() if is_os else releases.openstack()
        try:
            other.get(release)
        except UnknownRelease:
            # unknown everywhere: the error of the OpenStack family is the helpful one
            releases.openstack().get(release)
        return None


def explain_rule(rule_id: str, fmt: str = "text") -> str | None:
    """`confgen explain CG402`: what a lint rule checks and why (None if no such rule)."""
    import inspect
    import sys

    from confgen.rulelist import lookup

    rule = lookup(rule_id)
    if rule is None:
        return None
    doc = (sys.modules[rule.check.__module__].__doc__ or "").strip()
    if not rule.check.__module__.startswith("confgen.rules.") and rule.check.__doc__:
        doc = inspect.cleandoc(rule.check.__doc__)  # a rule defined beside other code
    if fmt == "json":
        return json.dumps({"rule": rule.id, "name": rule.name, "severity": rule.severity,
                           "summary": rule.summary, "details": doc}, indent=2) + "\n"
    doc = re.sub(r"^CG\d{3}:\s*", "", doc)
    body = "\n".join("  " + ln if ln else "" for ln in doc.splitlines())
    out = f"{rule.id} {rule.name} (default severity: {rule.severity})\n  {rule.summary}\n"
    return out + (f"\n{body}\n" if body else "")


def explain_option(name: str, release: str | None, file: str | None, fmt: str = "text") -> str:
    if re.fullmatch(r"(?i)CG\d{3}", name) or re.fullmatch(r"[a-z]+(-[a-z]+)+", name):
        text = explain_rule(name, fmt)
        if text is not None:
            return text
    files = [file] if file else list(FILES)
    found: list[tuple[FileMatrix, Option]] = []
    for f in files:
        try:
            matrix = load(f)
        except FileNotFoundError:
            continue
        found.extend((matrix, o) for o in matrix.find(name))
    if not found:
        raise ConfgenError(
            f"no option {name!r} in {', '.join(files)} for any release"
            " (try a shorter name, or --file)"
        )
    results = []
    for matrix, opt in found:
        rel = _release_for(matrix, release)
        results.append((_describe(opt, matrix, rel), opt, matrix))
    if fmt == "json":
        payload = [d for d, _, _ in results]
        return json.dumps(payload[0] if len(payload) == 1 else payload, indent=2) + "\n"
    return "\n".join(_text(d, o, m) for d, o, m in results)
