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
