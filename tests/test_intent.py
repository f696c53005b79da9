"""The intent file: typing, defaults, and one message per problem with its line."""

from __future__ import annotations

import re

import pytest

from confgen import intent
from confgen.errors import ConfgenError

FSID = "4b5fd580-360c-4f8c-abb5-c83bb9a3f964"
BASE = f"""release = juno
[ceph]
release = firefly
fsid = {FSID}
mon_host = 10.0.0.1, 10.0.0.2
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfgenError) as exc:
        intent.parse(text, "t.ini")
    return [m.strip() for m in str(exc.value).splitlines()[1:]]


def test_embedded_default_is_the_documented_set_up():
    it = intent.read()
    assert it.release.name == "2026.2" and it.ceph_release.name == "tentacle"
    assert (it.glance.pool, it.glance.user) == ("images", "glance")
    assert [(b.name, b.driver, b.pool, b.user) for b in it.backends] == [
        ("ceph", "rbd", "volumes", "cinder")
    ]
    assert (it.backup.pool, it.backup.user) == ("backups", "cinder-backup")
    assert (it.nova.pool, it.nova.user, it.nova.enabled) == ("vms", "cinder", True)
    assert it.cephx and it.copy_on_write and not it.file_injection


def test_secret_uuid_is_derived_stably_and_the_user_is_told():
    a, b = intent.parse(BASE), intent.parse(BASE)
    assert a.secrets == b.secrets
    derived = a.secrets["cinder"]
    assert derived == intent.derive_secret_uuid(FSID, "cinder")
    assert any(derived in n and "secret_uuid" in n for n in a.notices)
    other = intent.parse(BASE.replace(FSID, "11111111-2222-3333-4444-555555555555"))
    assert other.secrets["cinder"] != derived


def test_pinned_secret_uuid_is_used_without_notice():
    u = "0f9e8d7c-6b5a-4321-8765-43210fedcba9"
    it = intent.parse(BASE + f"[nova]\nsecret_uuid = {u}\n")
    assert it.secrets == {"cinder": u} and it.notices == ()


def test_types_and_releases_are_parsed():
    it = intent.parse(BASE + "osd_count = 12\ncephx = false\n[features]\ndiscard = yes\n")
    assert it.release.name == "juno" and it.ceph_release.name == "firefly"
    assert it.osd_count == 12 and it.cephx is False and it.discard is True
    assert it.live_migration is None  # unset: where the release can express it
    assert it.mon_host == ("10.0.0.1", "10.0.0.2")


def test_every_problem_is_reported_with_its_line():
    text = BASE.replace("juno", "junoo") + "cephx = maybe\n[glance]\npol = images\npool = a/b\n"
    msgs = problems(text)
    assert len(msgs) == 4
    assert msgs[0].startswith("t.ini:1: release:") and "Did you mean juno" in msgs[0]
    assert msgs[1].startswith("t.ini:6: [ceph] cephx:") and "boolean" in msgs[1]
    assert msgs[2].startswith("t.ini:8: [glance] pol: unknown key") and "'pool'" in msgs[2]
    assert msgs[3].startswith("t.ini:9: [glance] pool:")


@pytest.mark.parametrize("pool", [".hidden", "a@b", "x y", "a/b"])
def test_pool_names_ceph_or_rbd_refuse(pool):
    (msg,) = problems(BASE + f'[nova]\npool = "{pool}"\n')
    assert "[nova] pool" in msg


def test_uuid_and_network_are_checked():
    msgs = problems(BASE.replace(FSID, "nope") + "public_network = 10.0.0/33\n")
    assert "is not a UUID" in msgs[0] and "fsid" in msgs[0]
    assert "public_network" in msgs[1]


def test_user_with_client_prefix_gets_a_hint():
    (msg,) = problems(BASE + "[glance]\nuser = client.glance\n")
    assert "without 'client.'" in msg


def test_shared_user_with_conflicting_pools_and_secrets():
    text = BASE + (
        "[nova]\npool = volumes\nsecret_uuid = 0f9e8d7c-6b5a-4321-8765-43210fedcba9\n"
        "[cinder]\n[[backends]]\n[[[ceph]]]\n"
        "secret_uuid = 1f9e8d7c-6b5a-4321-8765-43210fedcba9\n"
    )
    msgs = problems(text)
    assert any("pool 'volumes'" in m and "nova disks" in m for m in msgs)
    assert any("one libvirt secret" in m for m in msgs)


def test_lint_section_is_accepted_untouched_and_extra_passes_through():
    it = intent.parse(
        BASE + "[lint]\nselect = R1, R2\nanything = goes\n"
        "[extra]\n[[nova.conf]]\n[[[DEFAULT]]]\ndebug = true\n"
    )
    assert it.extra == {"nova.conf": {"DEFAULT": {"debug": "true"}}}


def test_extra_for_an_unknown_file_is_an_error():
    (msg,) = problems(BASE + "[extra]\n[[nova.cnf]]\n[[[DEFAULT]]]\ndebug = true\n")
    assert "nova.conf" in msg


def test_several_backends_side_by_side():
    it = intent.parse(
        BASE + "[cinder]\ndefault_backend = fast\n[[backends]]\n"
        "[[[fast]]]\npool = ssd\n[[[slow]]]\npool = hdd\nbackend_name = bulk\n"
        "[[[local]]]\ndriver = lvm\n"
    )
    assert [(b.name, b.driver, b.pool, b.backend_name) for b in it.backends] == [
        ("fast", "rbd", "ssd", "fast"), ("slow", "rbd", "hdd", "bulk"),
        ("local", "lvm", "volumes", "local"),
    ]
    assert [b.name for b in it.rbd_backends] == ["fast", "slow"]


def test_backend_named_like_a_section_the_service_uses():
    (msg,) = problems(BASE + "[cinder]\n[[backends]]\n[[[backend_defaults]]]\npool = v\n")
    assert "backend_defaults" in msg and "section name" in msg


def test_unknown_default_backend():
    (msg,) = problems(BASE + "[cinder]\ndefault_backend = nope\n")
    assert re.search(r"t.ini:\d+: \[cinder\] default_backend", msg)


def test_missing_intent_file_is_a_user_error(tmp_path):
    with pytest.raises(ConfgenError, match="intent .*nope.ini: cannot read"):
        intent.read(tmp_path / "nope.ini")
