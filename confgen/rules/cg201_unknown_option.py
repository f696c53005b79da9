"""CG201: a key the release does not read, in a section it reads (likely a typo).

The data is each release's complete option list: nova.conf, cinder.conf and glance-api.conf
hold every option the service and the libraries its sample-config generator lists read, in
every section; ceph.conf every option Ceph defines. So every unknown key of a section the
release reads is reported: an error in the sections the Ceph integration depends on
([libvirt], [glance_store], RBD backend sections: a typo there loses the integration), a
warning elsewhere (the service ignores the key), with near misses as suggestions; Ceph's
severity comes from its data, and a key in another case is pointed at its real spelling
(RBD_CACHE_SIZE). Keys of a section the release does not read at all are not judged here
(CG103 names the section).
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import MAX_SUGGEST, Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    owned: dict[str, set[str]] = {}
    foreign: dict[str, dict[str, str]] = {}
    for lf, e, res, m in resolved_as(ctx, ("unknown",)):
        if res.kind != "unknown":
            continue
        ft = lf.file_type
        if ft not in owned:
            owned[ft] = ctx.owned_sections(ft)
        section = lf.doc.norm_section(e.section)
        ceph = bool(m.meta.get("complete"))  # ceph.conf: every option, read in any section
        if ceph and lf.doc.norm_key(e.key) in m.meta.get("file_keys", ()):
            continue  # read from the file by name, outside Ceph's option table (`mon addr`)
        if ceph and (e.key.startswith(tuple(m.meta.get("read_elsewhere", ())))
                     or any(p.line == e.line and p.code == "dash-key"
                            for p in lf.doc.problems)):
            continue  # another rule says what this key is (CG207, CG107)
        complete = ceph or ctx.complete(ft)
        if complete and not ceph:
            known = ctx.known_sections(ft)
            if known is not None and section not in known:
                continue  # a section the release does not read: not judged (CG103)
            if ft == "cinder.conf":
                if "backends" not in foreign:  # found once per run
                    foreign["backends"] = _foreign_backends(ctx, m)
                if section in foreign["backends"]:
                    continue  # an out-of-tree driver's options: not judged (said once below)
        is_owned = section in owned[ft]
        if not (is_owned or complete) and not res.suggestions:
            continue
        hint = f"; did you mean {' or '.join(res.suggestions)}?" if res.suggestions else ""
        if ceph:
            severity = m.meta.get("unknown_severity")
        else:
            severity = None if is_owned else "warning"
        yield RULE.on(lf, e, f"unknown option {e.key!r} in [{section}] for "
                             f"{ctx.release_for(ft)}; the service ignores it{hint}",
                      severity=severity, suggestions=list(res.suggestions))
    lf = ctx.files.get("cinder.conf")
    for section, driver in sorted(foreign.get("backends", {}).items()):
        h = lf.doc.header(section) if lf is not None else None
        if h is not None:
            yield RULE.at(lf.path, h.line, h.column,
                          f"[{section}] uses volume_driver {driver}, which is not an in-tree "
                          f"driver of cinder {ctx.release}: its keys were not judged",
                          severity="info")
    for path, n in ctx.__dict__.get("_unsuggested", {}).items():
        yield RULE.at(path, 1, 1, f"{n} more unknown key names were not searched for near "
                                  f"misses of known options (the first {MAX_SUGGEST} were): "
                                  "their findings carry no \"did you mean\"", severity="info")


def _foreign_backends(ctx: Context, m) -> dict[str, str]:
    """Enabled backend sections whose volume_driver no in-tree driver of the release is
    (their options are the driver's own, which the inventory cannot know) -> the driver."""
    from confgen.rules.drivers import same_driver

    doc = ctx.doc("cinder.conf")
    if doc is None or ctx.release is None:
        return {}
    drivers = m.drivers(ctx.release)
    if not drivers:  # data without driver facts: nothing to tell in-tree drivers by
        return {}
    out = {}
    for sec in ctx.cinder_backends():
        driver = (doc.value(sec, "volume_driver") or "").strip()
        if driver and driver not in drivers and not any(same_driver(driver, d)
                                                        for d in drivers):
            out[sec] = driver
    return out


RULE = Rule("CG201", "unknown-option", "error",
            "option the release does not read in a section it reads (typo?)", check)
