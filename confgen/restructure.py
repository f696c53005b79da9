"""Structural changes a release requires, as edits migrate proposes each round (every edit
still has to pass the value-keeping proof, confgen.keep, so each carries its claim of where
a value goes):

- cinder: a volume driver configured in [DEFAULT] without enabled_backends, where the target
  refuses it (cinder-volume exits since ocata), moves into a backend section named in
  enabled_backends;
- glance: single-store ([glance_store] default_store / stores) becomes multi-store
  (enabled_backends, default_backend, one section per store) where the target deprecates
  single-store and multi-store is no longer experimental (train on);
- options the target no longer has are commented out, with a note saying since when.

A planner gets the files as they stand (file type -> LintFile), the source and target releases
and returns edits per path; it plans nothing once its change is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from confgen.fix import Edit
from confgen.keep import Carry, Ident, Read
from confgen.matrix import behaviour
from confgen.rules.base import Context, LintFile, split_list

Planner = Callable[[dict, object, object], dict[str, list[Edit]]]

CINDER, GLANCE = "cinder.conf", "glance-api.conf"
_SECTION_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
# glance_store driver modules -> the store type users write in stores / enabled_backends
_STORE_TYPE = {"filesystem": "file", "vmware_datastore": "vmware"}


def _ctx(files: dict, release) -> Context:
    return Context(files=dict(files), release=release)


# -- cinder: [DEFAULT] backend -> enabled_backends section -----------------------------------
def cinder_backend_section(files: dict, source, target) -> dict[str, list[Edit]]:
    lf: LintFile | None = files.get(CINDER)
    fact = behaviour.cinder_default_backend(target)
    if lf is None or fact is None or fact.get("status") != "refused":
        return {}
    doc = lf.doc
    if doc.get("DEFAULT", "enabled_backends") is not None:
        return {}
    ctx = _ctx(files, target)
    m = ctx.matrix(CINDER)
    if m is None:
        return {}
    moving = []
    for e in doc.in_section("DEFAULT"):
        res = m.resolve(target, "DEFAULT", doc.norm_key(e.key), ctx.dynamic(CINDER))
        if res.at is not None and res.at.era.section == "@backend":
            moving.append((e, res.option.key))
    if not any(key == "@backend.volume_driver" for _, key in moving):
        return {}  # no driver configured in [DEFAULT]: nothing cinder-volume would run
    name = _backend_name(doc, moving)
    why = (f"cinder {target} refuses a volume driver in [DEFAULT] (cinder-volume exits "
           f"without enabled_backends, since ocata): the backend moves to [{name}]")
    edits = [Edit("insert", section="DEFAULT", key="enabled_backends", value=name,
                  comment=f"confgen: the [DEFAULT] volume backend moved to [{name}]",
                  rule="migrate", reason=why)]
    for e, key in moving:
        edits.append(Edit("move", e.line, section=name, key=e.key, rule="migrate",
                          reason=f"line {e.line}: [DEFAULT] {e.key} moved to [{name}] (backend "
                                 "section)",
                          carries=(Carry((CINDER, "opt", key, "DEFAULT"),
                                         (CINDER, "opt", key, name)),)))
    return {lf.path: edits}


def _backend_name(doc, moving) -> str:
    taken = set(doc.sections())
    named = next((e.value.strip() for e, k in moving if k == "@backend.volume_backend_name"),
                 "")
    driver = next((e.value for e, k in moving if k == "@backend.volume_driver"), "").lower()
    for cand in (named, "ceph" if "rbd" in driver else "", "lvm" if "lvm" in driver else "",
                 "backend1"):
        if cand and _SECTION_NAME.match(cand) and cand not in taken and cand != "DEFAULT":
            return cand
    n = 2
    while f"backend{n}" in taken:
        n += 1
    return f"backend{n}"


# -- glance: single-store -> multi-store ------------------------------------------------------
def _store_type(era) -> str | None:
    """The store type whose driver reads an option (from the option's data)."""
    types = era.extra.get("store_types")
    if types:
        return types[0] if len(types) == 1 else None
    path = era.source.split(":", 1)[-1].split("@", 1)[0]
    parts = path.replace(".py", "").split("/")
    if "_drivers" in parts and parts.index("_drivers") + 1 < len(parts):
        mod = parts[parts.index("_drivers") + 1]
        return _STORE_TYPE.get(mod, mod)
    return None


def _scheme(store: str) -> str:
    name = store.split(".")[-2] if store.count(".") >= 2 else store.strip()
    return _STORE_TYPE.get(name, name)


def glance_multistore(files: dict, source, target) -> dict[str, list[Edit]]:
    lf: LintFile | None = files.get(GLANCE)
    if lf is None:
        return {}
    ctx = _ctx(files, target)
    m = ctx.matrix(GLANCE)
    if m is None:
        return {}
    single = m.get("glance_store.default_store", target)
    multi = m.get("DEFAULT.enabled_backends", target)
    support = behaviour.glance_multistore(target)
    if single is None or multi is None or not single.era.deprecated or support is None \
            or support.get("status") != "supported":
        return {}  # single-store until it is deprecated and multi-store is fully supported
    doc = lf.doc
    if doc.get("DEFAULT", "enabled_backends") is not None:
        return {}
    default = ctx.read(GLANCE, "glance_store.default_store")
    if default is None or not default.value.strip():
        return {}
    stores = ctx.read(GLANCE, "glance_store.stores")
    schemes = [_scheme(s) for s in split_list(stores.value)] if stores is not None else []
    want = _scheme(default.value)
    if want not in schemes:
        schemes.insert(0, want)
    names = {s: ("ceph" if s == "rbd" else s) for s in schemes}
    pairs = ", ".join(f"{names[s]}:{s}" for s in schemes)
    why = (f"glance {target} deprecates single-store ([glance_store] default_store/stores): "
           f"multi-store with enabled_backends = {pairs}")
    d_ident: Ident = (GLANCE, "opt", "glance_store.default_store", "")
    s_ident: Ident = (GLANCE, "opt", "glance_store.stores", "")
    eb_ident: Ident = (GLANCE, "opt", "DEFAULT.enabled_backends", "")
    db_ident: Ident = (GLANCE, "opt", "glance_store.default_backend", "")
    edits = [
        Edit("insert", section="DEFAULT", key="enabled_backends", value=pairs, rule="migrate",
             comment="confgen: multi-store (store name:type); replaces [glance_store] stores",
             reason=why,
             carries=(Carry(s_ident, eb_ident, _same_stores),) if stores is not None else ()),
        Edit("insert", section="glance_store", key="default_backend", value=names[want],
             rule="migrate", reason=f"[glance_store] default_backend = {names[want]} (was "
                                    f"default_store = {default.value.strip()})",
             carries=(Carry(d_ident, db_ident, _same_default),)),
        Edit("comment", default.line, comment="confgen: single-store spelling, replaced by "
             "default_backend (multi-store)", rule="migrate",
             reason=f"line {default.line}: [{default.section}] {default.key} commented out "
                    "(replaced by default_backend)"),
    ]
    if stores is not None:
        edits.append(Edit("comment", stores.line, rule="migrate",
                          comment="confgen: single-store spelling, replaced by [DEFAULT] "
                                  "enabled_backends",
                          reason=f"line {stores.line}: [{stores.section}] {stores.key} "
                                 "commented out (replaced by enabled_backends)"))
    dyn = ctx.dynamic(GLANCE)
    # older spellings of the two single-store options (a tool that wrote both): not read
    # any more, and never to be moved back in
    done = {default.line, stores.line if stores is not None else 0}
    for e in doc.entries:
        if e.section is None or e.line in done:
            continue
        res = m.resolve(target, doc.norm_section(e.section), doc.norm_key(e.key), dyn,
                        suggest=False)
        if res.option is not None and res.option.key in (d_ident[2], s_ident[2]):
            edits.append(Edit("comment", e.line, rule="migrate",
                              comment="confgen: old single-store spelling (multi-store now)",
                              reason=f"line {e.line}: [{doc.norm_section(e.section)}] {e.key} "
                                     "commented out (old single-store spelling)"))
    for e in doc.in_section("glance_store"):
        res = m.resolve(target, "glance_store", doc.norm_key(e.key), dyn)
        if res.at is None or "@store" not in res.at.era.sections:
            continue
        stype = _store_type(res.at.era)
        if stype not in names:
            continue
        sec = names[stype]
        edits.append(Edit("move", e.line, section=sec, key=e.key, rule="migrate",
                          reason=f"line {e.line}: [glance_store] {e.key} moved to [{sec}] "
                                 "(its store's section)",
                          carries=(Carry((GLANCE, "opt", res.option.key, ""),
                                         (GLANCE, "opt", res.option.key, sec)),)))
    return {lf.path: edits}


def _pairs(value: str) -> dict[str, str]:
    out = {}
    for item in split_list(value):
        name, _, kind = item.partition(":")
        out[name.strip()] = kind.strip()
    return out


def _same_stores(old: str, new: str, after: dict[Ident, Read]) -> bool:
    """Every store glance loaded before is a store type in enabled_backends after."""
    return {_scheme(s) for s in split_list(old)} <= set(_pairs(new).values())


def _same_default(old: str, new: str, after: dict[Ident, Read]) -> bool:
    """default_backend names a store whose type is the old default_store."""
    eb = after.get((GLANCE, "opt", "DEFAULT.enabled_backends", ""))
    return eb is not None and _pairs(eb.values[0]).get(new) == _scheme(old)


# -- options the target no longer has -----------------------------------------------------------
def comment_removed(files: dict, source, target) -> dict[str, list[Edit]]:
    out: dict[str, list[Edit]] = {}
    ctx = _ctx(files, target)
    for ft, lf in files.items():
        m = ctx.matrix(ft)
        if m is None or m.family.name != target.family:
            continue
        dyn = ctx.dynamic(ft)
        for e in lf.doc.entries:
            if e.section is None:
                continue
            sec = lf.doc.norm_section(e.section)
            res = m.resolve(target, sec, lf.doc.norm_key(e.key), dyn)
            if res.kind != "removed":
                continue
            last = m.family.previous(res.removed) if res.removed else res.option.last_release
            succ = res.option.eras[-1].replacement if res.option.eras else ""
            then = ""
            if succ and m.get(succ, target) is not None:
                at = m.get(succ, target)
                then = f"; what replaces it: [{at.era.section}] {at.era.name}"
            out.setdefault(lf.path, []).append(Edit(
                "comment", e.line, rule="migrate",
                comment=f"confgen: not read since {res.removed} (last read by {last}){then}",
                reason=f"line {e.line}: [{sec}] {e.key} commented out: removed in "
                       f"{res.removed} (last read by {last}){then}"))
    return out


PLANNERS: tuple[Planner, ...] = (cinder_backend_section, glance_multistore, comment_removed)
