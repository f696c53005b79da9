"""Migration between releases: apply every fix a rule knows and every structural change the
target requires (confgen.restructure), each edit proven to keep every value the service read
(confgen.keep); then say what changed, what is only worth knowing, and what needs a human.

- notes: options the target no longer has (commented out, with since when), defaults that
  change for options the files leave unset, deprecations to plan for; they do not make the
  migration fail;
- needs a human: what the target would still misread after the migration (findings left,
  values no longer read, edits that could not be proven); `breaks` names what can break the
  Ceph setup (an error of a Ceph rule, or a value of an option confgen curates for Ceph), and
  only those make the exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confgen.errors import ConfgenError
from confgen.fix import FileFix, check, fix_group, load_group
from confgen.releases import Release

# findings that mean "this file is not right for the target yet" (structure/values/cross-file
# findings that existed before the migration are lint's business, not the migration's, except
# errors: the migration must not leave the target unable to use Ceph)
MIGRATION_RULES = ("CG2", "CG305")
# rules whose errors are about how the services use Ceph together (always Ceph-breaking);
# other errors break the Ceph setup when they are about a Ceph setting
CROSS_FILE_RULES = ("CG4", "CG305")
CEPH_RULES = ("CG3", "CG4")


@dataclass(frozen=True)
class Attention:
    path: str
    line: int  # 0 when about the file as a whole
    message: str
    breaks: str = ""  # why this can break the Ceph setup ("" = it cannot)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tail = f" ({self.breaks})" if self.breaks else ""
        return f"{where}: {self.message}{tail}"


@dataclass
class Migration:
    source: Release | None
    target: Release
    source_how: str  # "given", "packages", "files", "" (unknown)
    fixes: list[FileFix] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    notes: list[Attention] = field(default_factory=list)

    @property
    def breaks(self) -> list[Attention]:
        return [a for a in self.attention if a.breaks]

    @property
    def exit_code(self) -> int:
        return 1 if self.breaks else 0


def check_direction(source: Release, target: Release, allow_downgrade: bool) -> None:
    if target < source and not allow_downgrade:
        raise ConfgenError(
            f"--to {target} is older than --from {source}: a downgrade rewrites files for a "
            "release that may not read what they say; pass --allow-downgrade if that is meant")


def check_source(paths: list[str], source: Release) -> None:
    """--from must be a release the files can be for (release detection, strong evidence)."""
    from confgen.detect import from_paths

    # only what cannot be at `source` counts here (an option that does not exist yet): files
    # that would stop a service at start are broken files of their release, worth migrating
    det = from_paths(paths, use_packages=False, startup=False)
    possible = det.possible or det.releases
    if possible and source not in possible:
        why = "; ".join(det.evidence[:3])
        raise ConfgenError(
            f"--from {source} contradicts the files: they can only be for "
            f"{possible[0].name}..{possible[-1].name}"
            + (f" ({why})" if why else "") + "; give --from within that range or --from auto")


def migrate(paths: list[str], target: Release, source: Release | None = None,
            source_how: str = "given", ceph_release=None) -> Migration:
    from confgen.lint import discover
    from confgen.restructure import PLANNERS

    mig = Migration(source, target, source_how if source else "")
    for group in discover(paths):
        refused: list[FileFix] = []
        files, texts = load_group(group, refused)
        mig.fixes.extend(refused)
        mig.attention.extend(Attention(f.path, 0, f"not migrated: {f.refused}",
                                       "the file was not migrated") for f in refused)
        fixed = fix_group(files, texts, target, ceph_release, group.root, rounds=8,
                          source=source, planners=PLANNERS if source is not None else ())
        mig.fixes.extend(fixed.values())
        after = _reparse(files, fixed)
        for ff in fixed.values():
            if ff.refused:
                mig.attention.append(Attention(ff.path, 0, f"not migrated: {ff.refused}",
                                               "the file was not migrated"))
            _kept(mig, ff, after)
        src = source or target
        already = {_mark(f, files, src) for f in check(files, src, ceph_release, group.root)}
        for f in check(after, target, ceph_release, group.root):
            _finding(mig, f, after, f.rule.startswith(CEPH_RULES)
                     and _mark(f, after, target) in already)
        if source is not None:
            mig.notes.extend(default_changes(after, source, target))
            mig.notes.extend(_structural_notes(fixed.values(), after))
    return mig


def _ceph_setting(after: dict, path: str, key: str) -> bool:
    """An option confgen curates for Ceph (the data carries our own help for it) that the
    files' Ceph use reads (not an export-target option of a backend, not a store glance does
    not load)."""
    from confgen.matrix import load

    ft, lf = next(((t, x) for t, x in after.items() if x.path == path), (None, None))
    if ft is None:
        return False
    try:
        opt = load(ft).options.get(key)
    except KeyError:
        return False
    if opt is None or not opt.help:
        return False
    era = opt.eras[-1]
    stores = _stores_in_use(lf.doc) if ft == "glance-api.conf" else None
    return _matters(ft, era, lf.doc, stores)


def _kept(mig: Migration, ff: FileFix, after: dict) -> None:
    """Values the proof found no longer read, and edits it withheld."""
    for loss in ff.losses:
        line = loss.before.entries[-1].line if loss.before.entries else 0
        key = loss.ident[2] if loss.ident[1] == "opt" else ""
        if loss.gone:
            mig.notes.append(Attention(ff.path, 0, f"{loss.why}; commented out"
                                       if not loss.in_file else loss.why))
            continue
        ceph = key and _ceph_setting(after, ff.path, key)
        mig.attention.append(Attention(
            ff.path, 0, f"{loss.why} in {mig.target} (original line {line})",
            f"{key} is a Ceph setting" if ceph else ""))
    for ed, why in ff.withheld:
        mig.attention.append(Attention(ff.path, 0, f"not done: {ed.describe()}: it cannot be "
                                                   f"shown to keep every value ({why})"))


def _mark(f, files: dict, release) -> tuple[str, str]:
    """What makes two findings, before and after, the same problem: the rule and the file
    (a cross-file finding's line moves with the option it anchors on)."""
    return (f.rule, f.path)


def _option_at(f, after: dict, release) -> str:
    """The option (stable key) of the line a finding is on, by identity ("" when none)."""
    key = f.extra.get("option", "")
    if key:
        return key
    from confgen.rules.base import Context

    lf = next((x for x in after.values() if x.path == f.path), None)
    e = next((x for x in lf.doc.entries if x.line == f.line), None) if lf else None
    if lf is None or e is None or e.section is None:
        return ""
    ctx = Context(files=after, release=release)
    m, rel = ctx.matrix(lf.file_type), ctx.release_for(lf.file_type)
    if m is None or rel is None:
        return ""
    res = m.resolve(rel, lf.doc.norm_section(e.section), lf.doc.norm_key(e.key),
                    ctx.dynamic(lf.file_type), suggest=False)
    return res.option.key if res.option is not None else ""


def _finding(mig: Migration, f, after: dict, already: bool) -> None:
    if already:
        if f.severity == "error":
            mig.notes.append(Attention(f.path, f.line, f"{f.rule} {f.message} (so before the "
                                                       "migration too: `confgen lint` says more)"))
        return
    if f.severity == "error":
        key = _option_at(f, after, mig.target)
        ceph = f.rule.startswith(CROSS_FILE_RULES) or (key and _ceph_setting(after, f.path, key))
        mig.attention.append(Attention(f.path, f.line, f"{f.rule} {f.message}",
                                       f"{f.rule} is an error for {mig.target}" if ceph else ""))
    elif f.rule.startswith(MIGRATION_RULES):
        mig.notes.append(Attention(f.path, f.line, f"{f.rule} {f.message}"))


def _structural_notes(fixes, after: dict) -> list[Attention]:
    out = []
    for ff in fixes:
        for ed in ff.applied:
            if ed.rule == "migrate" and ed.kind == "insert" and ed.key == "enabled_backends" \
                    and ff.file_type == "cinder.conf":
                out.append(Attention(ff.path, 0, (
                    f"{ed.reason}; existing volumes are registered on host HOST, now served as "
                    f"HOST@{ed.value}: run `cinder-manage volume update_host --currenthost HOST "
                    f"--newhost HOST@{ed.value}` after the upgrade")))
    return out


def _reparse(files: dict, fixed: dict[str, FileFix]) -> dict:
    from confgen.parse import parse
    from confgen.rules.base import LintFile

    return {ft: LintFile(ft, lf.path, parse(fixed[lf.path].after, ft, lf.path))
            for ft, lf in files.items()}


def default_changes(files: dict, source: Release, target: Release) -> list[Attention]:
    """Options in a section the file uses, not set there, whose default differs between the
    two releases (the behaviour changes with no line changed)."""
    from confgen.rules.base import Context, glance_stores

    ctx = Context(files=files, release=target)
    out: list[Attention] = []
    for ft, lf in files.items():
        m = ctx.matrix(ft)
        if m is None or m.family.name != target.family:
            continue
        doc = lf.doc
        present = set(doc.sections())
        dyn = ctx.dynamic(ft)
        in_use = _stores_in_use(doc) if ft == "glance-api.conf" else None
        # multi-store glance does not read the single-store options
        skip = {"glance_store.stores", "glance_store.default_store"} \
            if ft == "glance-api.conf" and glance_stores(doc) else set()
        for opt in m.options.values():
            if opt.key in skip:
                continue
            old, new = opt.era(source), opt.era(target)
            if old is None or new is None or str(old.default) == str(new.default):
                continue
            if not _matters(ft, new, doc, in_use):
                continue
            if _set_anywhere(doc, new, dyn):
                continue  # set in one of the sections it is read from (a store section)
            secs = dyn.get(new.section, set()) if new.section.startswith("@") else {new.section}
            unset = [s for s in sorted(secs & present) if doc.get(s, new.name) is None
                     and not any(doc.get(s, a.name) for a in new.aliases)]
            for s in unset:
                out.append(Attention(lf.path, 0, f"[{s}] {new.name} is not set: its default "
                                     f"changes from {old.default!r} ({source}) to "
                                     f"{new.default!r} ({target})"))
    return out


def _set_anywhere(doc, era, dyn: dict[str, set[str]]) -> bool:
    """Is the option set in a section other than its main one that it is also read from?"""
    for tok in era.also:
        for sec in (dyn.get(tok, set()) if tok.startswith("@") else {tok}):
            if doc.get(sec, era.name) is not None:
                return True
    return False


# glance store types as users name them -> the driver module that defines their options
_STORE_MODULE = {"file": "filesystem", "vsphere": "vmware_datastore", "vmware": "vmware_datastore"}
# cinder per-backend options that configure an export target (iSCSI, iSER, NVMe-oF): an RBD
# backend is attached by librbd/libvirt directly and never reads them
_TARGET_PREFIXES = ("iscsi_", "iser_", "nvmet_", "target_", "chap_", "lio_", "scst_", "spdk_",
                    "volume_clear", "volumes_dir", "num_volume_device_scan_tries")


def _stores_in_use(doc) -> set[str] | None:
    """Store driver modules glance will load (None: cannot tell, so everything matters)."""
    names: list[str] = []
    for sec, key in (("glance_store", "stores"), ("DEFAULT", "known_stores"),
                     ("glance_store", "default_store"), ("DEFAULT", "default_store")):
        e = doc.get(sec, key)
        if e is not None:
            names += [v.strip() for v in e.value.split(",") if v.strip()]
    e = doc.get("DEFAULT", "enabled_backends")
    if e is not None:
        names += [v.split(":", 1)[-1].strip() for v in e.value.split(",") if ":" in v]
    if not names:
        return None
    # "glance.store.rbd.Store" (old class spelling) -> "rbd"
    mods = {n.split(".")[-2] if n.count(".") >= 2 else n for n in names}
    return {_STORE_MODULE.get(n, n) for n in mods}


def _matters(file_type: str, era, doc, stores: set[str] | None) -> bool:
    """Is a default change of this option worth a note for a Ceph deployment?"""
    path = era.source.split(":", 1)[-1].split("@", 1)[0]
    if file_type == "glance-api.conf" and stores is not None:
        parts = path.replace(".py", "").split("/")
        for marker in ("_drivers", "store"):
            if marker in parts[:-1] and parts[0] in ("glance_store", "glance"):
                module = parts[parts.index(marker) + 1]
                if module not in ("__init__",):
                    return module in stores
    if file_type == "cinder.conf" and era.section == "@backend":
        return not era.name.startswith(_TARGET_PREFIXES)
    return True


def report(mig: Migration, written: dict[str, object] | None = None) -> str:
    """Plain text: what changed per file, notes, then what needs a human."""
    src = f"{mig.source} ({mig.source_how})" if mig.source else "an unknown release"
    lines = [f"migration from {src} to {mig.target}"]
    changed = [ff for ff in mig.fixes if ff.changed]
    for ff in changed:
        tail = ""
        if written is not None and ff.path in written:
            w = written[ff.path]
            tail = f" ({w.describe()})" if getattr(w, "backup", None) else " (no backup)"
        elif written is not None and ff.refused:
            tail = " (not written)"
        lines.append(f"changed {ff.path}{tail}:")
        lines.extend(f"  {e.describe()}" for e in ff.applied)
    if not changed:
        lines.append("nothing to change")
    if mig.notes:
        lines.append(f"notes ({len(mig.notes)}):")
        lines.extend(f"  {a}" for a in mig.notes)
    human = [a for a in mig.attention if not a.breaks]
    if human:
        lines.append(f"needs a human ({len(human)}):")
        lines.extend(f"  {a}" for a in human)
    if mig.breaks:
        lines.append(f"can break the Ceph setup ({len(mig.breaks)}):")
        lines.extend(f"  {a}" for a in mig.breaks)
    if not mig.attention:
        lines.append("nothing needs a human")
    return "\n".join(lines) + "\n"
