"""Migration between releases: lint for the target release, apply every fix a rule knows,
then say what changed and what still needs a human.

What needs a human: findings left after fixing (an option removed without a replacement, a
deprecated option whose successor works differently, a conflict between two spellings), and
options the files do not set whose default changed between the two releases (the service
behaves differently although no line changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confgen.fix import FileFix, check, fix_group, load_group
from confgen.releases import Release

# findings that mean "this file is not right for the target yet" (structure/values/cross-file
# findings that existed before the migration are lint's business, not the migration's)
MIGRATION_RULES = ("CG2", "CG305")


@dataclass(frozen=True)
class Attention:
    path: str
    line: int  # 0 when about the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else \
            f"{self.path}: {self.message}"


@dataclass
class Migration:
    source: Release | None
    target: Release
    source_how: str  # "given", "packages", "files", "" (unknown)
    fixes: list[FileFix] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)


def migrate(paths: list[str], target: Release, source: Release | None = None,
            source_how: str = "given", ceph_release=None) -> Migration:
    from confgen.lint import discover

    mig = Migration(source, target, source_how if source else "")
    for group in discover(paths):
        refused: list[FileFix] = []
        files, texts = load_group(group, refused)
        mig.fixes.extend(refused)
        mig.attention.extend(Attention(f.path, 0, f"not migrated: {f.refused}") for f in refused)
        fixed = fix_group(files, texts, target, ceph_release, group.root)
        mig.fixes.extend(fixed.values())
        after = _reparse(files, fixed)
        for ff in fixed.values():
            if ff.refused:
                mig.attention.append(Attention(ff.path, 0, f"not migrated: {ff.refused}"))
        for f in check(after, target, ceph_release, group.root):
            if f.rule.startswith(MIGRATION_RULES):
                mig.attention.append(Attention(f.path, f.line, f"{f.rule} {f.message}"))
        if source is not None:
            mig.attention.extend(default_changes(after, source, target))
    return mig


def _reparse(files: dict, fixed: dict[str, FileFix]) -> dict:
    from confgen.parse import parse
    from confgen.rules.base import LintFile

    return {ft: LintFile(ft, lf.path, parse(fixed[lf.path].after, ft, lf.path))
            for ft, lf in files.items()}


def default_changes(files: dict, source: Release, target: Release) -> list[Attention]:
    """Options in a section the file uses, not set there, whose default differs between the
    two releases (the behaviour changes with no line changed)."""
    from confgen.rules.base import Context

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
        for opt in m.options.values():
            old, new = opt.era(source), opt.era(target)
            if old is None or new is None or str(old.default) == str(new.default):
                continue
            if not _matters(ft, new, doc, in_use):
                continue
            secs = dyn.get(new.section, set()) if new.section.startswith("@") else {new.section}
            unset = [s for s in sorted(secs & present) if doc.get(s, new.name) is None
                     and not any(doc.get(s, a.name) for a in new.aliases)]
            for s in unset:
                out.append(Attention(lf.path, 0, f"[{s}] {new.name} is not set: its default "
                                     f"changes from {old.default!r} ({source}) to "
                                     f"{new.default!r} ({target})"))
    return out


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
    """Is a default change of this option worth a human's attention for a Ceph deployment?"""
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
    """Plain text: what changed per file, then what needs a human."""
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
    if mig.attention:
        lines.append(f"needs a human ({len(mig.attention)}):")
        lines.extend(f"  {a}" for a in mig.attention)
    else:
        lines.append("nothing needs a human")
    return "\n".join(lines) + "\n"
