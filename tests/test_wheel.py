"""Packaging proof: the wheel alone (no checkout, no editable install) runs the commands.

Builds the wheel from a copy of the source tree (so parallel runs never share build/ dirs),
installs it into a fresh virtualenv and runs `confgen` from a temporary working directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
_SKIP_COPY = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", "out", "tests",
)


def _run(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


class Installed:
    def __init__(self, venv_dir: Path, cwd: Path):
        self.bin = venv_dir / "bin"
        self.cwd = cwd

    def confgen(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run([str(self.bin / "confgen"), *args], cwd=self.cwd, timeout=120)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, need) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_SKIP_COPY)
    dist = tmp / "dist"
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)], tmp)
    if built.returncode != 0 and "Could not find a version" in built.stdout + built.stderr:
        need(False, "PyPI unreachable: the isolated wheel build cannot fetch setuptools")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("confgen-*.whl")

    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    pip = _run([str(env_dir / "bin/python"), "-m", "pip", "install", "-q", str(wheel)], tmp)
    if pip.returncode != 0 and "No matching distribution" in pip.stderr:
        need(False, "PyPI unreachable: cannot install the wheel's dependencies")
    assert pip.returncode == 0, pip.stderr[-3000:]
    cwd = tmp / "cwd"
    cwd.mkdir()
    return Installed(env_dir, cwd)


def test_wheel_imports_from_the_venv_not_the_checkout(installed: Installed) -> None:
    res = _run(
        [str(installed.bin / "python"), "-c", "import confgen; print(confgen.__file__)"],
        installed.cwd,
    )
    assert res.returncode == 0, res.stderr
    where = Path(res.stdout.strip())
    assert where.is_relative_to(installed.bin.parent), where
    assert not where.is_relative_to(ROOT)


def test_wheel_releases(installed: Installed) -> None:
    res = installed.confgen("releases")
    assert res.returncode == 0, res.stderr
    assert "juno (2014.2)" in res.stdout
    assert "pacific" in res.stdout


def test_wheel_explain_carries_the_matrix(installed: Installed) -> None:
    res = installed.confgen("explain", "images_type", "--release", "juno")
    assert res.returncode == 0, res.stderr
    assert "In juno: [libvirt] images_type" in res.stdout


def test_wheel_unknown_release_is_a_user_error(installed: Installed) -> None:
    res = installed.confgen("explain", "images_type", "--release", "junoo")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("confgen: error:")


def test_wheel_render_then_lint_clean(installed: Installed) -> None:
    out = installed.cwd / "out-juno"
    res = installed.confgen("render", "--release", "juno", "--output", str(out))
    assert res.returncode == 0, res.stderr
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert {"nova.conf", "cinder.conf", "glance-api.conf", "ceph.conf"} <= set(written), written
    lint = installed.confgen("lint", "--release", "juno", str(out))
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_wheel_carries_the_ansible_collection(installed: Installed) -> None:
    res = installed.confgen("ansible-path")
    assert res.returncode == 0, res.stderr
    coll = Path(res.stdout.strip()) / "ansible_collections" / "confgen" / "openstack_ceph"
    assert coll.is_relative_to(installed.bin.parent), coll
    for rel in ("galaxy.yml", "meta/runtime.yml", "plugins/action/lint.py",
                "plugins/action/fleet_summary.py", "plugins/modules/lint.py",
                "plugins/modules/fleet_summary.py", "plugins/plugin_utils/confgen.py"):
        assert (coll / rel).is_file(), rel
    rules = installed.confgen("rules", "--format", "json")
    assert rules.returncode == 0 and '"CG701"' in rules.stdout
