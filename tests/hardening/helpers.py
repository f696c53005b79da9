"""Shared by the hardening tests: run confgen in-process (CliRunner) or as a real process
(for hangs, /dev/full and kill -9), and a sandbox that runs a generated shell script with fake
`ceph`/`rbd` commands that only log their arguments."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from confgen.cli import main

FSID = "4b5fd580-360c-4f8c-abb5-c83bb9a3f964"
INTENT = f"release = 2024.1\n[ceph]\nrelease = reef\nfsid = {FSID}\nmon_host = 10.0.0.1\n"
CEPH_KEY = "AQBvaBFZAAAAABAA2bYPn8ZL1JzPV8ynsXRyMw=="


def cli(*args: str, cwd: Path | None = None):
    """confgen in-process; result has .exit_code, .stdout, .stderr, .output."""
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def proc(*args: str, cwd: Path | None = None, timeout: float = 60, **kw):
    """confgen as a real process (its own stdin/stdout), with a timeout: a hang fails."""
    return subprocess.run([sys.executable, "-m", "confgen", *args], cwd=cwd, timeout=timeout,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)


FAKE = """#!/bin/sh
printf '%s' "${0##*/}" >> "$CONFGEN_FAKE_LOG"
for a in "$@"; do printf ' [%s]' "$a" >> "$CONFGEN_FAKE_LOG"; done
printf '\\n' >> "$CONFGEN_FAKE_LOG"
"""


def run_sandboxed(script: Path, work: Path) -> tuple[subprocess.CompletedProcess, list[str],
                                                      list[str]]:
    """Run `script` with /bin/sh -x in `work`, with a PATH holding only fake ceph and rbd.
    Returns (process, argv lines the fakes logged, commands the shell traced)."""
    bin_dir = work / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ("ceph", "rbd"):
        p = bin_dir / name
        p.write_text(FAKE)
        p.chmod(p.stat().st_mode | stat.S_IXUSR)
    log = work / "fake.log"
    log.write_text("")
    env = {"PATH": str(bin_dir), "CONFGEN_FAKE_LOG": str(log), "HOME": str(work)}
    res = subprocess.run(["/bin/sh", "-x", str(script)], cwd=work, env=env, timeout=60,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    traced = [ln[2:] for ln in res.stderr.splitlines() if ln.startswith("+ ")]
    return res, log.read_text().splitlines(), traced


def only_ceph_and_rbd(traced: list[str]) -> list[str]:
    """Traced commands other than `set -e`, ceph ... and rbd ... (should be none)."""
    return [c for c in traced if c != "set -e" and not c.startswith(("ceph ", "rbd "))]
