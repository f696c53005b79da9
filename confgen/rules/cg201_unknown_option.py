"""CG201: a key no release knows, in a section confgen owns (likely a typo).

In a section confgen does not own ([DEFAULT] of nova.conf holds hundreds of options it does
not model) a key is reported only when it is a near miss of an option confgen knows, as a
warning: `libvirt_live_migration_flag` (a published guide's spelling) is no option of any release.
Where the data is a release's complete option list (ceph.conf: every option Ceph defines),
every unknown key is reported, in any section, with the data's severity (Ceph ignores such a
key: a warning), and a key in another case is pointed at its real spelling (RBD_CACHE_SIZE).
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import MAX_SUGGEST, Context, Finding, Rule, resolved


def check(ctx: Context) -> Iterator[Finding]:
    owned: dict[str, set[str]] = {}
    for lf, e, res, m in resolved(ctx):
        if res.kind != "unknown":
            continue
        if lf.file_type not in owned:
            owned[lf.file_type] = ctx.owned_sections(lf.file_type)
        section = lf.doc.norm_section(e.section)
        complete = bool(m.meta.get("complete"))
        if complete and (e.key.startswith(tuple(m.meta.get("read_elsewhere", ())))
                         or any(p.line == e.line and p.code == "dash-key"
                                for p in lf.doc.problems)):
            continue  # another rule says what this key is (CG207, CG107)
        is_owned = section in owned[lf.file_type] or complete
        if not is_owned and not res.suggestions:
            continue
        hint = f"; did you mean {' or '.join(res.suggestions)}?" if res.suggestions else ""
        severity = m.meta.get("unknown_severity") if complete else None
        yield RULE.on(lf, e, f"unknown option {e.key!r} in [{section}] for "
                             f"{ctx.release_for(lf.file_type)}; the service ignores it{hint}",
                      severity=severity if is_owned else "warning",
                      suggestions=list(res.suggestions))
    for path, n in ctx.__dict__.get("_unsuggested", {}).items():
        yield RULE.at(path, 1, 1, f"{n} more unknown key names were not searched for near "
                                  f"misses of known options (the first {MAX_SUGGEST} were); "
                                  "typos among them are not reported", severity="info")


RULE = Rule("CG201", "unknown-option", "error",
            "option no release knows, in a section confgen owns (typo?)", check)
