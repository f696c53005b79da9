"""Queries of the matrix model on a small hand-made matrix (independent of the shipped data)."""

from confgen.matrix.load import from_dict

DATA = {
    "file": "nova.conf",
    "family": "openstack",
    "owned_sections": ["libvirt"],
    "options": [
        {
            "key": "libvirt.images_type",
            "help": "where instance disks live",
            "eras": [
                {"from": "havana", "to": "havana", "section": "DEFAULT",
                 "name": "libvirt_images_type", "default": "default"},
                {"from": "icehouse", "to": "2026.2", "section": "libvirt", "name": "images_type",
                 "default": "default", "choices": ["raw", "rbd", "default"],
                 "aliases": [["DEFAULT", "libvirt_images_type"]]},
            ],
        },
        {
            "key": "libvirt.live_migration_flag",
            "eras": [
                {"from": "juno", "to": "mitaka", "section": "libvirt",
                 "name": "live_migration_flag", "type": "string"},
                {"from": "newton", "to": "pike", "section": "libvirt",
                 "name": "live_migration_flag", "deprecated": True,
                 "replacement": "libvirt.live_migration_tunnelled"},
            ],
        },
        {
            "key": "libvirt.hw_disk_discard",
            "eras": [{"from": "kilo", "to": "2026.2", "section": "libvirt",
                      "name": "hw_disk_discard", "choices": ["ignore", "unmap"]}],
        },
        {
            "key": "@backend.rbd_pool",
            "eras": [{"from": "havana", "to": "2026.2", "section": "@backend", "name": "rbd_pool"}],
        },
    ],
}


def m():
    return from_dict(DATA)


def test_resolve_current_and_alias():
    mx = m()
    assert mx.resolve("juno", "libvirt", "images_type").kind == "current"
    alias = mx.resolve("juno", "DEFAULT", "libvirt_images_type")
    assert alias.kind == "alias"
    assert str(alias.expected) == "[libvirt] images_type"
    assert mx.resolve("havana", "DEFAULT", "libvirt_images_type").kind == "current"


def test_resolve_wrong_section_names_the_right_one():
    r = m().resolve("juno", "DEFAULT", "images_type")
    assert r.kind == "wrong_section" and r.expected.section == "libvirt"


def test_resolve_removed_not_yet_and_deprecated():
    mx = m()
    removed = mx.resolve("queens", "libvirt", "live_migration_flag")
    assert removed.kind == "removed" and removed.removed.name == "queens"
    not_yet = mx.resolve("juno", "libvirt", "hw_disk_discard")
    assert not_yet.kind == "not_yet" and not_yet.since.name == "kilo"
    dep = mx.resolve("ocata", "libvirt", "live_migration_flag")
    assert dep.kind == "deprecated" and dep.at.era.replacement == "libvirt.live_migration_tunnelled"


def test_resolve_unknown_suggests_near_names():
    r = m().resolve("kilo", "libvirt", "images_typ")
    assert r.kind == "unknown" and "images_type" in r.suggestions


def test_dynamic_backend_section():
    mx = m()
    assert mx.resolve("juno", "ceph", "rbd_pool", dynamic={"@backend": {"ceph"}}).kind == "current"
    assert mx.resolve("juno", "ceph", "rbd_pool", dynamic={}).kind == "wrong_section"


def test_find_by_old_name_and_key():
    mx = m()
    assert [o.key for o in mx.find("libvirt_images_type")] == ["libvirt.images_type"]
    assert [o.key for o in mx.find("libvirt.images_type")] == ["libvirt.images_type"]
    assert mx.option("libvirt.live_migration_flag").deprecated_since().name == "newton"


def test_get_placement_per_release():
    mx = m()
    assert mx.get("libvirt.images_type", "havana").placement.section == "DEFAULT"
    assert mx.get("libvirt.images_type", "2026.2").placement.name == "images_type"
    assert mx.get("libvirt.hw_disk_discard", "juno") is None


IDENTITY = {
    "file": "nova.conf",
    "family": "openstack",
    "options": [
        {"key": "libvirt.rbd_user", "eras": [
            {"from": "havana", "to": "havana", "section": "DEFAULT", "name": "rbd_user"},
            {"from": "icehouse", "to": "icehouse", "section": "libvirt", "name": "rbd_user",
             "aliases": [["DEFAULT", "rbd_user"]]},
            {"from": "juno", "to": "2026.2", "section": "libvirt", "name": "rbd_user"}]},
        # a different option that happens to share the name from victoria on
        {"key": "glance.rbd_user", "eras": [
            {"from": "victoria", "to": "2026.2", "section": "glance", "name": "rbd_user"}]},
        {"key": "old.gone", "eras": [
            {"from": "havana", "to": "juno", "section": "DEFAULT", "name": "gone"}]},
    ],
}


def test_old_spelling_resolves_to_the_option_whose_history_holds_it():
    mx = from_dict(IDENTITY)
    for rel in ("juno", "ussuri", "victoria", "2025.1"):
        r = mx.resolve(rel, "DEFAULT", "rbd_user")
        assert r.kind == "wrong_section", (rel, r.kind)
        assert r.option.key == "libvirt.rbd_user" and str(r.expected) == "[libvirt] rbd_user"
        assert r.until.name == "icehouse"
    assert mx.resolve("icehouse", "DEFAULT", "rbd_user").kind == "alias"


def test_a_spelling_no_history_holds_is_ambiguous_between_live_namesakes():
    mx = from_dict(IDENTITY)
    r = mx.resolve("2025.1", "workarounds", "rbd_user")
    assert r.kind == "ambiguous" and r.expected is None
    assert sorted(c.option.key for c in r.candidates) == ["glance.rbd_user", "libvirt.rbd_user"]
    # before victoria only one option has the name: a plain wrong section
    assert mx.resolve("ussuri", "workarounds", "rbd_user").option.key == "libvirt.rbd_user"


def test_removed_spelling_by_history():
    mx = from_dict(IDENTITY)
    r = mx.resolve("kilo", "DEFAULT", "gone")
    assert r.kind == "removed" and r.removed.name == "kilo"


def test_an_option_removed_and_brought_back_is_removed_in_its_gap():
    mx = from_dict({"file": "glance-api.conf", "family": "openstack", "options": [
        {"key": "glance_store.s3_store_host", "eras": [
            {"from": "havana", "to": "pike", "section": "glance_store", "name": "s3_store_host"},
            {"from": "ussuri", "to": "2026.2", "section": "glance_store",
             "name": "s3_store_host"}]}]})
    r = mx.resolve("train", "glance_store", "s3_store_host")
    assert r.kind == "removed" and r.removed.name == "queens"
    assert mx.resolve("ussuri", "glance_store", "s3_store_host").kind == "current"
