"""Build an /etc-like tree from text and lint it; small matrices for the matrix rules."""

from __future__ import annotations

from pathlib import Path

from confgen import releases
from confgen.lint import lint
from confgen.matrix.load import from_dict

ALL = ["raw", "qcow2", "rbd", "default"]

# A small nova.conf history that exercises every resolution kind:
#   images_type moved from [DEFAULT] libvirt_images_type (havana) to [libvirt] (icehouse), the
#   old spelling read until kilo; old_knob removed after juno; new_knob from 2025.1;
#   dep_knob deprecated from 2024.1 with a replacement, gone in 2026.1.
NOVA = {
    "file": "nova.conf",
    "owned_sections": ["libvirt"],
    "options": [
        {"key": "libvirt.images_type", "eras": [
            {"from": "havana", "to": "havana", "section": "DEFAULT",
             "name": "libvirt_images_type", "choices": ALL},
            {"from": "icehouse", "to": "kilo", "section": "libvirt", "name": "images_type",
             "choices": ALL, "aliases": [["DEFAULT", "libvirt_images_type"]]},
            {"from": "liberty", "to": "2026.2", "section": "libvirt", "name": "images_type",
             "choices": ALL}]},
        {"key": "libvirt.rbd_user", "eras": [
            {"from": "icehouse", "to": "2026.2", "section": "libvirt", "name": "rbd_user"}]},
        {"key": "libvirt.rbd_secret_uuid", "eras": [
            {"from": "icehouse", "to": "2026.2", "section": "libvirt",
             "name": "rbd_secret_uuid"}]},
        {"key": "libvirt.inject_partition", "eras": [
            {"from": "icehouse", "to": "2026.2", "section": "libvirt",
             "name": "inject_partition", "type": "int", "min": -2}]},
        {"key": "libvirt.inject_key", "eras": [
            {"from": "icehouse", "to": "2026.2", "section": "libvirt", "name": "inject_key",
             "type": "bool"}]},
        {"key": "libvirt.old_knob", "eras": [
            {"from": "havana", "to": "juno", "section": "libvirt", "name": "old_knob"}]},
        {"key": "libvirt.new_knob", "eras": [
            {"from": "2025.1", "to": "2026.2", "section": "libvirt", "name": "new_knob"}]},
        {"key": "libvirt.dep_knob", "eras": [
            {"from": "icehouse", "to": "2023.2", "section": "libvirt", "name": "dep_knob"},
            {"from": "2024.1", "to": "2025.2", "section": "libvirt", "name": "dep_knob",
             "deprecated": True, "replacement": "libvirt.new_knob"}]},
    ],
}


def nova_matrix():
    return from_dict(NOVA)


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        if p.suffix == ".keyring":
            p.chmod(0o600)
    return root


def run(root: Path, files: dict[str, str], release: str = "2024.1", ceph: str | None = None,
        select: str | None = None, matrices: dict | None = None, **kw):
    tree(root, files)
    rel = releases.openstack().get(release)
    crel = releases.ceph().get(ceph) if ceph else None
    res = lint([str(root)], rel, crel, select=[select] if select else None,
               matrices=matrices if matrices is not None else {"nova.conf": nova_matrix()},
               **kw)
    return res


def hits(res, rule: str | None = None) -> list[tuple[str, int, str]]:
    return [(Path(f.path).name, f.line, f.rule) for f in res.findings
            if rule is None or f.rule == rule]
