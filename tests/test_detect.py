"""Release detection from package versions and from the options present in files."""

import pytest

from confgen import detect
from confgen.matrix import load


@pytest.mark.parametrize(
    "service,version,expected",
    [("nova", "29.1.0", "2024.1"), ("nova", "2:33.0.2-0ubuntu1", "2026.1"),
     ("cinder", "26.3.0", "2025.1"), ("glance", "2014.2.4", "juno"), ("nova", "12.0.0", "liberty"),
     ("glance", "11.0.1", "liberty")],
)
def test_release_for_version(service, version, expected):
    assert detect.release_for_version(service, version).name == expected


def test_release_for_unknown_version():
    assert detect.release_for_version("nova", "999.0") is None
    assert detect.release_for_version("nova", "garbage") is None


def test_from_options_range_contains_the_true_release():
    nova = load("nova.conf")
    # the options any release writes for images_type: take their own placement in each release
    for rel in nova.family.releases:
        at = nova.get("libvirt.images_type", rel)
        if at is None:
            continue
        got = detect.from_options({"nova.conf": [(at.era.section, at.era.name)]})
        assert rel in got.releases, (rel, got.describe())


def test_old_default_section_names_pin_an_old_release():
    got = detect.from_options({"nova.conf": [("DEFAULT", "libvirt_images_type")]})
    assert got.releases[0].name == "havana"


def test_fix_refuses_a_detected_range(tmp_path):
    """--fix with --release auto edits only when the files fit one release."""
    from click.testing import CliRunner

    from confgen.cli import main

    (tmp_path / "cinder").mkdir()
    conf = tmp_path / "cinder" / "cinder.conf"
    text = ("[DEFAULT]\nenabled_backends = ceph\n[ceph]\n"
            "volume_driver = cinder.volume.drivers.rbd.RBDDriver\nrbd_pool = volumes\n"
            "rbd_pool = volumes\n")
    conf.write_text(text)
    res = CliRunner().invoke(main, ["lint", "-r", "auto", "--fix", str(tmp_path)])
    assert res.exit_code == 2 and "not one release" in res.stderr, res.output
    assert conf.read_text() == text and not list(tmp_path.rglob("*.bak"))


def test_strong_and_weak_evidence():
    # introduced late: strong, excludes every release before it
    got = detect.from_options({"nova.conf": [("libvirt", "hw_disk_discard")]})
    assert got.releases[0].name == "juno"
    # a stale spelling (read until icehouse) next to one first read in newton: the stale one
    # is weak and does not pull the range below newton
    got = detect.from_options({"nova.conf": [("DEFAULT", "libvirt_images_type"),
                                             ("libvirt", "live_migration_permit_post_copy")]})
    assert got.releases[0].name == "newton", got.describe()
    assert any("(strong)" in e for e in got.evidence)
    # a driver path the release cannot load is strong evidence
    got = detect.from_options({}, {r: ["CG305"] for r in load("cinder.conf").family.releases
                                   if r.name not in ("queens", "rocky")})
    assert [r.name for r in got.releases] == ["queens", "rocky"]


def test_stale_options_narrow_only_the_likely_range():
    """Tools write options long after a release stops reading them (charms write nova's
    use_neutron at 2024.1, last read by train): stale options never cap the proven range,
    they only narrow the guess lint uses."""
    stale = [("DEFAULT", "libvirt_images_type"), ("DEFAULT", "verbose"),
             ("DEFAULT", "network_api_class"), ("DEFAULT", "dhcpbridge")]
    got = detect.from_options({"nova.conf": stale, "cinder.conf": [("DEFAULT", "verbose")]})
    fam = load("nova.conf").family
    assert got.releases[-1] == fam.latest, got.describe()
    assert got.likely and got.likely[-1] < fam.get("rocky"), got.describe()
    assert got.best == got.likely[-1] and "likely" in got.describe()
    assert any("(weak)" in e for e in got.evidence)


def test_an_option_that_came_with_its_section_needs_a_second_clue():
    """puppet-nova pike writes [placement_database] connection (nova reads that section from
    rocky): an option that arrived with its section may be configured ahead of the service,
    so alone it does not exclude pike; with another clue against a release it does."""
    fam = load("nova.conf").family
    alone = detect.from_options({"nova.conf": [("placement_database", "connection")]})
    assert fam.get("pike") in alone.releases, alone.describe()
    both = detect.from_options({"nova.conf": [("placement_database", "connection"),
                                              ("libvirt", "hw_disk_discard")]})
    assert both.releases[0].name == "juno", both.describe()
    assert any("came with its section" in e for e in both.evidence)
    # an option new in a section the release before it already read excludes on its own
    got = detect.from_options({"nova.conf": [("scheduler", "workers")]})
    assert got.releases[0].name == "rocky", got.describe()


def test_a_value_the_release_rejects_is_strong(tmp_path):
    """A value outside an option's choices (or type, or range) at a release is a value that
    release rejects when it reads the option: the files are not for it."""
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_text(
        "[DEFAULT]\nforce_config_drive = always\n[libvirt]\nimages_type = rbd\n")
    got = detect.from_paths([str(tmp_path)], use_packages=False)
    fam = load("nova.conf").family
    # force_config_drive became a boolean in mitaka: 'always' is rejected from then on
    assert got.releases[-1] < fam.get("mitaka"), got.describe()
    assert any("force_config_drive = 'always' is not a boolean" in e
               for e in got.evidence), got.evidence


def test_value_evidence_never_prints_a_secret():
    """A rejected value of an option the data marks secret is named, never shown."""
    entries = {"cinder.conf": [("DEFAULT", "enabled_backends", "ceph"),
                               ("@backend", "hitachi_group_request", "hunter2-not-a-bool")]}
    got = detect.rejected_values(entries)
    said = [why for whys in got.values() for why in whys]
    assert said and all("hunter2" not in why and "(secret)" in why for why in said), said
    # a credential in a URL is masked whatever the option
    got = detect.rejected_values({"nova.conf": [("DEFAULT", "force_config_drive",
                                                 "http://admin:s3cretpw@example.org/x")]})
    said = [why for whys in got.values() for why in whys]
    assert said and all("s3cretpw" not in why for why in said), said
