"""The compact forms lint loads at start-up are exactly what the sources in release_matrix/
give (`python -m confgen.compact` rewrites them)."""

from confgen import compact, releases
from confgen.compiled.releases import RELEASES


def test_every_compact_file_is_what_the_sources_give():
    stale = [str(p) for p, text in compact.expected().items()
             if not p.exists() or p.read_text("utf-8") != text]
    assert not stale, f"stale compact forms (run python -m confgen.compact): {stale}"


def test_release_registry_equals_the_toml():
    raw = compact.releases_raw()
    for fam in ("openstack", "ceph"):
        assert [{k: list(v) if isinstance(v, tuple) else v for k, v in e.items()}
                for e in RELEASES[fam]] == raw[fam]
        names = [e["name"] for e in raw[fam]]
        assert releases.family(fam).names() == names
    juno = releases.get("juno")
    assert juno.versions == {"nova": "2014.2", "cinder": "2014.2", "glance": "2014.2",
                             "glance_store": "0.1"} and juno.ceph == "firefly"
