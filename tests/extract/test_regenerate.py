"""The shipped matrix is exactly what the extractor makes from upstream (no hand edits outside
the specs): byte for byte, the output of `python -m confgen.extract --all`. Needs the upstream
mirrors brought by the project's `fetch` (CONFGEN_MIRRORS, default /work/.mirror: the services,
openstack/requirements and the libraries); skipped with that reason where they are absent.
A first run reads every release of every library (minutes); results are cached per release
under ~/.cache/confgen/extract, keyed by the extractor's code and every commit read."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIRRORS = Path(os.environ.get("CONFGEN_MIRRORS", "/work/.mirror"))
pytestmark = pytest.mark.slow


def _needed() -> list[str]:
    """Every repository the three specs and the library spec name."""
    lib = tomllib.loads((ROOT / "release_matrix/sources/libraries.toml").read_text())
    return ["openstack/nova", "openstack/cinder", "openstack/glance", lib["requirements"],
            *lib["repos"].values()]


@pytest.mark.parametrize("name", ["nova.conf", "cinder.conf", "glance-api.conf"])
def test_shipped_file_regenerates_byte_for_byte(name, tmp_path):
    missing = [r for r in _needed() if not (MIRRORS / r.replace("/", "+") / "repo").is_dir()]
    if missing:
        pytest.skip(f"no upstream mirror of {', '.join(missing[:3])}"
                    f"{' ...' if len(missing) > 3 else ''} under {MIRRORS} (set CONFGEN_MIRRORS)")
    out = tmp_path / f"{name}.json"
    subprocess.run(
        [sys.executable, "-m", "confgen.extract", f"release_matrix/sources/{name}.toml",
         "--mirrors", str(MIRRORS), "--out", str(out), "-q"],
        check=True, cwd=ROOT, timeout=3600,
    )
    assert out.read_bytes() == (ROOT / "release_matrix" / f"{name}.json").read_bytes()
