"""Migrated files pass the target release's own oslo-config-validator.

The step-by-step juno -> ... -> 2026.1 chain (from rendered juno files and from a hand-written
havana-era node) is validated at the first and the last release whose services install here
(2024.1 and 2026.1, cached venvs, see service_venvs.py; CONFGEN_VALIDATOR_RELEASES picks
others), and the one-shot havana -> 2025.1 result at 2025.1: no option unknown to the real
service, none deprecated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import service_venvs as validators
from test_migrate_chain import R, havana_node, rendered, step
from test_oslo_validator import CUTOFF, FILES, _dynamic_sections, _releases, _venv

pytestmark = pytest.mark.slow


def _validate(need, etc: Path, release: str) -> list[str]:
    bad = []
    for project, rel in FILES.items():
        conf = etc / rel
        if not conf.is_file():
            continue
        env_dir = _venv(need, project, release)
        dists = [project, "glance_store"] if project == "glance" else [project]
        names = validators.namespaces(env_dir, *dists)
        checked = conf.with_name(conf.name + ".validated")
        checked.write_text(validators.rename_sections(conf.read_text(),
                                                      _dynamic_sections(conf, project)))
        res = validators.validate(env_dir, checked, names)
        checked.unlink()
        if res.returncode != 0:
            bad.append(f"{release} {project}:\n{res.stderr}")
    return bad


@pytest.mark.parametrize("start", ["rendered", "havana_node"])
def test_chain_passes_each_installable_release(need, tmp_path: Path, start: str):
    etc = rendered(tmp_path / "etc", "juno") if start == "rendered" else \
        havana_node(tmp_path / "etc")
    first = "juno" if start == "rendered" else "havana"
    check = set(_releases()) & set(CUTOFF)
    if not os.environ.get("CONFGEN_VALIDATOR_RELEASES"):
        check &= {"2024.1", "2026.1"}  # each validator run takes seconds: both ends
    chain = R.range(first, "2026.1")
    bad = []
    for src, dst in zip(chain, chain[1:], strict=False):
        step(etc, src, dst)
        if dst.name in check:
            bad += _validate(need, etc, dst.name)
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize("start", ["rendered", "havana_node"])
def test_one_shot_havana_to_2025_1_passes_the_validator(need, tmp_path: Path, start: str):
    etc = rendered(tmp_path / "etc", "havana") if start == "rendered" else \
        havana_node(tmp_path / "etc")
    step(etc, R.get("havana"), R.get("2025.1"))
    assert _validate(need, etc, "2025.1") == []
