"""Intents the snapshot and real-parser tests render (beyond the embedded default)."""

from __future__ import annotations

from confgen import intent

FSID = "4b5fd580-360c-4f8c-abb5-c83bb9a3f964"
_BASE = f"""[ceph]
fsid = {FSID}
mon_host = 10.0.0.1, 10.0.0.2, 10.0.0.3
public_network = 10.0.0.0/24
osd_count = 24
"""

RICH = {
    # two Ceph pools (fast/slow volume types) plus LVM, side by side
    "multi_backend": _BASE + """[cinder]
default_backend = fast
[[backends]]
[[[fast]]]
pool = volumes-ssd
[[[slow]]]
pool = volumes-hdd
[[[local]]]
driver = lvm
[nova]
secret_uuid = 5e3a9f2c-1b7d-4c2e-8a9f-0d1e2f3a4b5c
""",
    "no_cephx": _BASE + "cephx = false\n",
    "glance_multistore": _BASE + "[glance]\nmultistore = true\nstore_name = rbd1\n",
    # nova keeps local disks; still attaches cinder RBD volumes
    "nova_not_ephemeral": _BASE + "[nova]\nephemeral = false\n[features]\nrbd_cache = false\n",
    # nova does not touch Ceph at all: local disks, cinder volumes on LVM
    "nova_without_ceph": _BASE + "[nova]\nephemeral = false\n[cinder]\n[[backends]]\n"
    "[[[lvm]]]\ndriver = lvm\n",
}
# (intent, OpenStack release, Ceph release) rendered for the rich snapshots
RICH_CASES = [
    ("multi_backend", "juno", "firefly"),
    ("multi_backend", "2024.1", "reef"),
    ("no_cephx", "mitaka", "jewel"),
    ("glance_multistore", "2023.1", "quincy"),
    ("nova_not_ephemeral", "queens", "luminous"),
    ("nova_without_ceph", "2025.1", "squid"),
]


def rich(name: str, release: str, ceph: str) -> intent.Intent:
    text = f"release = {release}\n" + RICH[name].replace("[ceph]\n", f"[ceph]\nrelease = {ceph}\n")
    return intent.parse(text, f"{name}.ini")
