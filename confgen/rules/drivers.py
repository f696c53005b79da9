"""Which Ceph driver strings each cinder release can load (facts, with where they were checked).

volume_driver / backup_driver are import paths; a string the release cannot import stops the
service. Ranges are inclusive OpenStack release names (None = newest); order comes from
confgen.releases.
"""

from __future__ import annotations

from confgen import releases

# (value, first, last, how the release loads it, source)
VOLUME_DRIVERS = [
    ("cinder.volume.drivers.rbd.RBDDriver", "havana", None, "class",
     "openstack/cinder:cinder/volume/drivers/rbd.py@havana-eol..master"),
    ("cinder.volume.driver.RBDDriver", "havana", "havana", "old path mapped to the new one",
     "openstack/cinder:cinder/volume/manager.py@havana-eol (MAPPING)"),
]
BACKUP_DRIVERS = [
    ("cinder.backup.drivers.ceph", "havana", "rocky", "module (deprecated from queens)",
     "openstack/cinder:cinder/backup/manager.py@havana-eol..rocky-eol (import_module)"),
    ("cinder.backup.services.ceph", "havana", "queens", "legacy name mapped to the module",
     "openstack/cinder:cinder/backup/manager.py@havana-eol..queens-eol (mapper)"),
    ("cinder.backup.drivers.ceph.CephBackupDriver", "queens", None, "class",
     "openstack/cinder:cinder/backup/manager.py@queens-eol..master (import_class)"),
]


def loadable(table: list[tuple], value: str, release) -> bool | None:
    """True/False for a known Ceph driver string, None when the string is not in the table."""
    fam = releases.openstack()
    for val, first, last, _how, _src in table:
        if val == value:
            return release in fam.range(first, last)
    return None


def valid_for(table: list[tuple], release) -> list[str]:
    fam = releases.openstack()
    return [v for v, first, last, _h, _s in table if release in fam.range(first, last)]


# Spellings of one driver across releases (class path, module path, legacy name): a release
# loads one of them, and they all mean the same driver (sources: the tables above).
SAME_DRIVER: tuple[frozenset[str], ...] = (
    frozenset({"cinder.volume.drivers.rbd.RBDDriver", "cinder.volume.driver.RBDDriver"}),
    frozenset({"cinder.backup.drivers.ceph", "cinder.backup.services.ceph",
               "cinder.backup.drivers.ceph.CephBackupDriver"}),
)


def same_driver(a: str, b: str) -> bool:
    return any(a.strip() in g and b.strip() in g for g in SAME_DRIVER)
