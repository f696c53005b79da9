"""Shared test fixtures: the skip policy for tests that need real components.

A test that needs something outside Python (a Ceph daemon, virt-xml-validate, PyPI) calls
`need(ok, what)`. When `what` is missing the test is skipped with that reason, except under
CI=true, where CI has installed the components and a missing one is a failure. If CI's own
apt-get failed, .ci/run puts the reason in CONFGEN_COMPONENTS_UNAVAILABLE and tests skip with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

Need = Callable[[bool, str], None]


def missing_component(what: str) -> None:
    """Skip (or, under CI=true, fail) because `what` is missing."""
    unavailable = os.environ.get("CONFGEN_COMPONENTS_UNAVAILABLE")
    if unavailable:
        pytest.skip(f"{what} ({unavailable})")
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}, but CI=true and CI installs it: the CI set-up is broken")
    pytest.skip(what)


def _need(ok: bool, what: str) -> None:
    if not ok:
        missing_component(what)


@pytest.fixture(scope="session")
def need() -> Need:
    """`need(ok, "ceph-mon not installed")`: skip/fail per the policy above when not ok."""
    return _need
