"""Cached virtualenvs holding a real nova/cinder/glance release, for oslo-config-validator.

One venv per service and major version under ~/.cache/confgen/validators/<project>-<version>,
built on first use (about a minute each, from PyPI) and reused; a `.ready` marker is written
only when the install finished, and a lock file keeps parallel test runs from building twice.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "confgen" / "validators"
# Messages pip prints when it cannot reach an index (then the tests skip, except under CI=true).
OFFLINE = ("No matching distribution", "Could not find a version", "Failed to establish")


class Offline(Exception):
    pass


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def service_venv(project: str, version: str, glance_store: str = "") -> Path:
    """The venv with `project==version.*` (and glance_store==X.Y.* for glance) installed."""
    name = f"{project}-{version}" + (f"-store-{glance_store}" if glance_store else "")
    env_dir = CACHE / name
    with _locked(CACHE / f"{name}.lock"):
        if (env_dir / ".ready").is_file():
            return env_dir
        shutil.rmtree(env_dir, ignore_errors=True)
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=300)
        reqs = [f"{project}=={version}.*"]
        if glance_store:
            reqs.append(f"glance_store=={glance_store}.*")
        res = subprocess.run(
            [str(env_dir / "bin/pip"), "install", "-q", "--disable-pip-version-check", *reqs],
            capture_output=True, text=True, timeout=1800,
        )
        if res.returncode != 0:
            shutil.rmtree(env_dir, ignore_errors=True)
            errors = "\n".join(
                line for line in res.stderr.splitlines() if "is ignored: it is neither" not in line
            )
            if any(m in errors for m in OFFLINE):
                raise Offline(f"pip cannot install {' '.join(reqs)}: {errors[-500:]}")
            raise RuntimeError(f"pip install {' '.join(reqs)} failed:\n{errors[-3000:]}")
        (env_dir / ".ready").write_text(f"installed in {time.monotonic() - t0:.0f}s\n")
    return env_dir


def namespaces(env_dir: Path, *dists: str) -> list[str]:
    """The 'oslo.config.opts' entry point names these distributions declare."""
    code = (
        "import sys; from importlib.metadata import distribution as d\n"
        "print('\\n'.join(e.name for n in sys.argv[1:] for e in d(n).entry_points"
        " if e.group == 'oslo.config.opts'))"
    )
    out = subprocess.run([str(env_dir / "bin/python"), "-c", code, *dists], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return sorted(set(out.split()))


def rename_sections(text: str, mapping: dict[str, str]) -> str:
    """Rename [section] headers; services read their dynamic sections (cinder backends, glance
    stores) with the options of a fixed group, which is the group the sample data lists."""
    def sub(m: re.Match[str]) -> str:
        return f"[{mapping.get(m.group(1), m.group(1))}]"

    return re.sub(r"^\[([^\]]+)\]", sub, text, flags=re.M)


def validate(env_dir: Path, conf: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the venv's oslo-config-validator; deprecated options count as failures."""
    cmd = [str(env_dir / "bin/oslo-config-validator"), "--input-file", str(conf),
           "--fatal-warnings"]
    for ns in names:
        cmd += ["--namespace", ns]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)
