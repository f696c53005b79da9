"""Cached virtualenvs holding a real nova/cinder/glance release, for oslo-config-validator.

One venv per service, major version and cut-off date under ~/.cache/confgen/validators, built
on first use and reused; a `.ready` marker is written only when the install finished, and a
lock file keeps parallel test runs from building twice.

Installing an old service with today's libraries breaks (oslo.utils and os-brick dropped names
that 2024.x services import), and OpenStack's upper-constraints are not reachable from here.
So the install resolves as of a cut-off date: uv's --exclude-newer ignores every upload after
it, which reproduces the libraries of the release's own time (e.g. oslo.utils 7.1.0 for
2024.1, as its constraints had). uv comes from PyPI into the cache too; installs take seconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
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


def _check(res: subprocess.CompletedProcess[str], what: str) -> None:
    if res.returncode == 0:
        return
    errors = "\n".join(
        line for line in res.stderr.splitlines() if "is ignored: it is neither" not in line
    )
    if any(m in errors for m in OFFLINE):
        raise Offline(f"cannot install {what}: {errors[-500:]}")
    raise RuntimeError(f"installing {what} failed:\n{errors[-3000:]}")


def _build(env_dir: Path, install: list[str], what: str) -> Path:
    """Create env_dir and run `install` (argv; {python} is the venv's python) once, cached."""
    with _locked(env_dir.with_name(env_dir.name + ".lock")):
        if (env_dir / ".ready").is_file():
            return env_dir
        shutil.rmtree(env_dir, ignore_errors=True)
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=300)
        python = str(env_dir / "bin/python")
        res = subprocess.run([a.replace("{python}", python) for a in install],
                             capture_output=True, text=True, timeout=1800)
        if res.returncode != 0:
            shutil.rmtree(env_dir, ignore_errors=True)
        _check(res, what)
        (env_dir / ".ready").write_text(f"installed in {time.monotonic() - t0:.1f}s\n")
    return env_dir


def _uv() -> str:
    env_dir = _build(CACHE / "_uv", ["{python}", "-m", "pip", "install", "-q", "uv>=0.4"], "uv")
    return str(env_dir / "bin/uv")


def service_venv(project: str, version: str, cutoff: str, glance_store: str = "") -> Path:
    """The venv with `project==version.*` (and glance_store==X.Y.* for glance) installed as
    PyPI offered them on `cutoff` (YYYY-MM-DD)."""
    reqs = [f"{project}=={version}.*"]
    if glance_store:
        # glance_store lists (and so the validator knows) a driver's options only when the
        # driver imports; its cinder driver needs the 'cinder' extra (os-brick, cinderclient).
        reqs.append(f"glance_store[cinder]=={glance_store}.*")
    name = f"{project}-{version}" + (f"-store-{glance_store}-cinder" if glance_store else "")
    install = [_uv(), "pip", "install", "--quiet", "--python", "{python}",
               "--exclude-newer", cutoff, *reqs]
    return _build(CACHE / f"{name}-{cutoff}", install, " ".join(reqs))


ANSIBLE_CORE = "ansible-core==2.19.*"  # the newest series whose controller runs on Python 3.11


def ansible_venv() -> Path:
    """A venv with the real ansible-core from PyPI, apart from the project's venv (Ansible's
    controller and confgen usually live in different environments; the collection only
    needs the `confgen` program)."""
    name = "ansible-" + re.sub(r"[^0-9.]", "", ANSIBLE_CORE).strip(".")
    install = ["{python}", "-m", "pip", "install", "-q", ANSIBLE_CORE]
    return _build(CACHE / name, install, ANSIBLE_CORE)


def install_seconds(env_dir: Path) -> str:
    return (env_dir / ".ready").read_text().strip()


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


DUMP_OPTS = Path(__file__).with_name("dump_opts.py")


def dump_options(env_dir: Path, names: list[str]) -> list[dict[str, object]]:
    """The real option definitions of these namespaces (and MODULE:ATTR=GROUP lists), read by
    the venv's own python with dump_opts.py; cached in the venv per script version and names."""
    key = hashlib.sha256("\n".join([DUMP_OPTS.read_text(), *names]).encode()).hexdigest()[:16]
    cached = env_dir / f"opts-{key}.json"
    if not cached.is_file():
        res = subprocess.run([str(env_dir / "bin/python"), str(DUMP_OPTS), *names],
                             capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            raise RuntimeError(f"dump_opts.py {' '.join(names)} failed:\n{res.stderr[-3000:]}")
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(res.stdout)
        tmp.replace(cached)
    return json.loads(cached.read_text())
