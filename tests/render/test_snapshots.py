"""Snapshots of the rendered files, on the real release matrix.

The default intent for every OpenStack release (each of the four config files), plus richer
intents. When the matrix data changes on purpose, review and refresh with
`pytest tests/render --snapshot-update`.
"""

from __future__ import annotations

import pytest
from intents import RICH_CASES, rich

from confgen import intent, releases
from confgen.render.files import render

FILES = ["glance/glance-api.conf", "cinder/cinder.conf", "nova/nova.conf", "ceph/ceph.conf",
         "ceph/cephx-users.sh"]


def _default(release: str) -> intent.Intent:
    # as `confgen render --release R` does it: the Ceph release follows (auto pairing)
    return intent.read().retarget(releases.get(release))


@pytest.mark.parametrize("release", releases.openstack().names())
@pytest.mark.parametrize("path", FILES)
def test_default_intent(release, path, snapshot):
    assert render(_default(release))[path] == snapshot


@pytest.mark.parametrize(("name", "release", "ceph"), RICH_CASES)
def test_rich_intents(name, release, ceph, snapshot):
    assert render(rich(name, release, ceph)) == snapshot
