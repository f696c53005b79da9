"""oslo-config-validator of the real service release against the rendered files.

For each release whose nova/cinder/glance install from PyPI on this Python, a cached venv per
service holds that release (tests/integration/validators.py); its own oslo-config-validator,
fed the namespaces the service declares under 'oslo.config.opts', must find every rendered
option known and none deprecated. CONFGEN_VALIDATOR_RELEASES=2026.1,2025.1 narrows the set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import service_venvs as validators
from rendered import oslo_values

from confgen import releases

pytestmark = pytest.mark.slow

# Oldest release whose services install on Python 3.11 from PyPI; the newest is the last one
# with a stable branch (2026.2 is master in our data).
FIRST, LAST = "2024.1", "2026.1"
# Libraries are resolved as PyPI offered them on this date (see service_venvs.py): about a month
# after the release's nova X.0.0 tag (openstack/nova tags 29.0.0 2024-03-18, 30.0.0 2024-09-20,
# 31.0.0 2025-03-18, 32.0.0 2025-09-11, 33.0.0 2026-03-12), once the release had shipped.
# 2026.1 is later: on 2026-04-30 PyPI paired cursive 0.2.3 with cryptography 47, which dropped a
# curve cursive imports, so cinder 28 could not even load its options (cursive 0.3 fixed it).
CUTOFF = {"2024.1": "2024-04-30", "2024.2": "2024-10-31", "2025.1": "2025-04-30",
          "2025.2": "2025-10-31", "2026.1": "2026-10-31"}


def _releases() -> list[str]:
    chosen = os.environ.get("CONFGEN_VALIDATOR_RELEASES")
    if chosen:
        return [releases.get(r).name for r in chosen.split(",")]
    return [r.name for r in releases.openstack().range(FIRST, LAST)]


def _venv(need, project: str, release: str) -> Path:
    versions = releases.get(release).versions
    store = versions.get("glance_store", "") if project == "glance" else ""
    try:
        return validators.service_venv(project, versions[project], CUTOFF[release], store)
    except validators.Offline as exc:
        need(False, str(exc))
        raise


def _dynamic_sections(path: Path, project: str) -> dict[str, str]:
    """Backend (cinder) or store (glance) sections, mapped to the group whose options they take."""
    enabled = ",".join(oslo_values(path, "enabled_backends"))
    names = [item.split(":")[0].strip() for item in enabled.split(",") if item.strip()]
    group = {"cinder": "backend_defaults", "glance": "glance_store"}.get(project)
    return {n: group for n in names if group}


FILES = {"nova": "nova/nova.conf", "cinder": "cinder/cinder.conf",
         "glance": "glance/glance-api.conf"}


@pytest.mark.parametrize("project", sorted(FILES))
@pytest.mark.parametrize("release", _releases())
def test_rendered_file_passes_the_service_validator(render, need, tmp_path, release, project):
    out = render(f"oslo-{release}", None, "--release", release, "--only", project)
    conf = out / FILES[project]
    env_dir = _venv(need, project, release)
    dists = [project, "glance_store"] if project == "glance" else [project]
    names = validators.namespaces(env_dir, *dists)
    assert names, f"{project} declares no oslo.config.opts entry points"
    checked = tmp_path / conf.name
    checked.write_text(validators.rename_sections(conf.read_text(),
                                                  _dynamic_sections(conf, project)))
    res = validators.validate(env_dir, checked, names)
    assert res.returncode == 0, f"{release} {project} ({', '.join(names)}):\n{res.stderr}"


def test_validator_catches_an_unknown_option(need, tmp_path) -> None:
    """Control: the same check fails on an option nova no longer reads."""
    env_dir = _venv(need, "nova", LAST)
    bad = tmp_path / "nova.conf"
    bad.write_text("[DEFAULT]\nlibvirt_images_type = rbd\n[libvirt]\nimages_type = rbd\n")
    res = validators.validate(env_dir, bad, validators.namespaces(env_dir, "nova"))
    assert res.returncode == 1
    assert "DEFAULT/libvirt_images_type" in res.stderr
    assert "libvirt/images_type" not in res.stderr
