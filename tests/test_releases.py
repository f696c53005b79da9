"""The release registry: order, parsing of names, helpful errors."""

import pytest

from confgen import releases
from confgen.errors import UnknownRelease


def test_openstack_order_is_havana_to_2026_2():
    names = releases.openstack().names()
    assert names[0] == "havana" and names[-1] == "2026.2"
    assert len(names) == 27
    assert names.index("zed") + 1 == names.index("2023.1")


def test_ceph_order_is_dumpling_to_tentacle():
    names = releases.ceph().names()
    assert names[0] == "dumpling" and names[-1] == "tentacle"
    assert names.index("luminous") < names.index("pacific") < names.index("squid")


@pytest.mark.parametrize(
    "text,expected",
    [("juno", "juno"), ("JUNO", "juno"), ("2014.2", "juno"), ("antelope", "2023.1"),
     ("Epoxy", "2025.1"), ("2025.1", "2025.1"), ("latest", "2026.2"), (" kilo ", "kilo")],
)
def test_parse_release_names(text, expected):
    assert releases.get(text).name == expected


def test_releases_compare_in_order():
    assert releases.get("juno") < releases.get("kilo") < releases.get("2023.1")
    assert max(releases.get("zed"), releases.get("yoga")).name == "zed"


def test_unknown_release_suggests_close_match_and_lists_valid_names():
    with pytest.raises(UnknownRelease) as err:
        releases.get("junno")
    msg = str(err.value)
    assert "did you mean juno?" in msg.lower()
    assert "havana" in msg and "2026.2" in msg


def test_ceph_unknown_release():
    with pytest.raises(UnknownRelease, match="pacific"):
        releases.ceph().get("pacifc")


def test_range_and_neighbours():
    fam = releases.openstack()
    assert [r.name for r in fam.range("juno", "liberty")] == ["juno", "kilo", "liberty"]
    assert fam.next(fam.get("2026.2")) is None
    assert fam.previous(fam.get("juno")).name == "icehouse"


def test_component_versions_kept_for_release_detection():
    assert releases.get("2025.1").versions["nova"] == "31"
    assert releases.get("2025.1").versions["cinder"] == "26"
    assert releases.get("2025.1").versions["glance"] == "30"
    assert releases.get("juno").versions["nova"] == "2014.2"
    assert releases.ceph().get("pacific").versions["version"] == "16.2"


def test_each_openstack_release_is_paired_with_a_ceph_release_of_its_time():
    fam = releases.openstack()
    paired = [releases.paired_ceph(r) for r in fam.releases]
    assert [p.name for p in paired[:3]] == ["dumpling", "firefly", "firefly"]
    assert releases.paired_ceph(fam.get("pike")).name == "luminous"
    assert paired == sorted(paired), "pairing must never go back in Ceph history"


def test_ceph_release_text_auto_follows_the_openstack_release():
    juno = releases.get("juno")
    assert releases.ceph_for("auto", juno).name == "firefly"
    assert releases.ceph_for("AUTO", releases.get("2026.1")).name == "tentacle"
    assert releases.ceph_for("reef", juno).name == "reef"
    assert releases.ceph_for(None, juno) is None
    with pytest.raises(UnknownRelease, match="empty"):  # blank is an error, not "no release"
        releases.ceph_for(" ", juno)
