"""The shipped matrix is exactly what the extractor makes from upstream (no hand edits outside
the specs). Needs the upstream mirrors brought by the project's `fetch` (CONFGEN_MIRRORS, default
/work/.mirror); skipped with that reason where they are absent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIRRORS = Path(os.environ.get("CONFGEN_MIRRORS", "/work/.mirror"))
pytestmark = pytest.mark.slow


def _mirror(project: str) -> Path:
    repo = MIRRORS / f"openstack+{project}" / "repo"
    if not repo.is_dir():
        pytest.skip(f"no upstream mirror of openstack/{project} at {repo} (set CONFGEN_MIRRORS)")
    return repo


def _extract(spec: str, project: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "confgen.extract", str(ROOT / "release_matrix/sources" / spec),
         "--repo", str(_mirror(project)), "--out", str(out), "-q"],
        check=True, cwd=ROOT,
    )
    return out


def _shipped(name: str) -> dict:
    return json.loads((ROOT / "release_matrix" / name).read_text())


@pytest.mark.parametrize(("spec", "project"), [("nova.conf.toml", "nova"),
                                               ("cinder.conf.toml", "cinder")])
def test_single_repo_files_regenerate_identically(spec, project, tmp_path):
    out = _extract(spec, project, tmp_path / "out.json")
    assert json.loads(out.read_text()) == _shipped(spec.replace(".toml", ".json"))


def test_glance_regenerates_identically(tmp_path):
    p1 = _extract("glance-api.conf.toml", "glance", tmp_path / "p1.json")
    p2 = _extract("glance-api.conf.store.toml", "glance_store", tmp_path / "p2.json")
    out = tmp_path / "glance.json"
    subprocess.run([sys.executable, "-m", "confgen.extract.glance_merge", str(p1), str(p2),
                    str(out)], check=True, cwd=ROOT, capture_output=True)
    assert json.loads(out.read_text()) == _shipped("glance-api.conf.json")
