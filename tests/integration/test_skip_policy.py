"""The component policy of tests/conftest.py: skip with the reason, fail under CI=true, and skip
again when CI itself reported that its apt-get failed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "confgen_tests_root_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
)
assert _spec and _spec.loader
policy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(policy)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONFGEN_COMPONENTS_UNAVAILABLE", raising=False)
    return monkeypatch


def test_missing_component_skips_with_its_reason(env) -> None:
    with pytest.raises(pytest.skip.Exception, match="ceph-mon not installed"):
        policy.missing_component("ceph-mon not installed")


def test_missing_component_fails_under_ci(env) -> None:
    env.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        policy.missing_component("ceph-mon not installed")


def test_ci_apt_failure_turns_failures_back_into_skips(env) -> None:
    env.setenv("CI", "true")
    env.setenv("CONFGEN_COMPONENTS_UNAVAILABLE", "apt-get install failed in .ci/run")
    with pytest.raises(pytest.skip.Exception, match="apt-get install failed"):
        policy.missing_component("ceph-mon not installed")


def test_present_component_does_nothing(env) -> None:
    env.setenv("CI", "true")
    policy._need(True, "never shown")
