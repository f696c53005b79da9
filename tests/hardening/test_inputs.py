"""One reader for every input, and exit codes a script can rely on: a FIFO, a device or a
kernel file is refused (never a hang), bad UTF-8 is a clear error with path and line, an I/O
error is one `confgen: error:` line with exit 2, never a traceback.

Each test is one reproduction of issue 12 ("Hangs and tracebacks", "Exit codes")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import INTENT, cli, proc

from confgen.rulelist import catalogue

NOVA = "[libvirt]\nimages_type = rbd\n"


def _one_error_line(stderr: str) -> str:
    """The one `confgen: error:` line (notes may come before it), no traceback."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("confgen: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], stderr
    assert all(ln.startswith("confgen: ") for ln in lines), stderr
    return errors[0]


# -- only regular files -----------------------------------------------------------------------
def test_intent_on_a_fifo_is_refused_not_a_hang(tmp_path):
    fifo = tmp_path / "intent.ini"
    os.mkfifo(fifo)
    r = proc("render", "--intent", str(fifo), timeout=30)
    assert r.returncode == 2
    assert "not a regular file" in _one_error_line(r.stderr)


def test_intent_on_dev_zero_is_refused_not_a_hang(tmp_path):
    r = proc("render", "--intent", "/dev/zero", timeout=30)
    assert r.returncode == 2
    assert "not a regular file" in _one_error_line(r.stderr)


def test_config_linked_to_proc_kmsg_is_refused_not_a_hang(tmp_path):
    (tmp_path / "nova.conf").symlink_to("/proc/kmsg")
    r = proc("lint", "-r", "2024.1", str(tmp_path / "nova.conf"), timeout=30)
    assert r.returncode == 2
    assert "kernel file" in r.stdout


def test_config_fifo_in_a_tree_is_refused_and_the_rest_linted(tmp_path):
    (tmp_path / "nova").mkdir()
    os.mkfifo(tmp_path / "nova" / "nova.conf")
    (tmp_path / "cinder").mkdir()
    (tmp_path / "cinder" / "cinder.conf").write_text("[DEFAULT]\ndebug = 1\ndebug = 2\n")
    r = proc("lint", "-r", "2024.1", str(tmp_path), timeout=30)
    assert r.returncode == 2
    assert "nova.conf:1:1: CG001 error not a regular file (a FIFO)" in r.stdout
    assert "cinder.conf:2:1: CG101" in r.stdout


def test_settings_file_and_keyring_fifos_are_refused(tmp_path):
    os.mkfifo(tmp_path / "site.ini")
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_text(NOVA)
    r = proc("lint", "-r", "2024.1", "--config", str(tmp_path / "site.ini"), str(tmp_path),
             timeout=30)
    assert r.returncode == 2 and "not a regular file" in _one_error_line(r.stderr)
    (tmp_path / "ceph").mkdir()
    os.mkfifo(tmp_path / "ceph" / "ceph.client.x.keyring")
    r = proc("lint", "-r", "2024.1", str(tmp_path), timeout=30)
    assert r.returncode == 2 and "CG001" in r.stdout and "keyring" in r.stdout


# -- strict UTF-8, clear errors ---------------------------------------------------------------
def test_non_utf8_intent_is_a_clear_error(tmp_path):
    (tmp_path / "i.ini").write_bytes(INTENT.encode() + b"# caf\xe9\n")
    r = cli("render", "--intent", str(tmp_path / "i.ini"))
    assert r.exit_code == 2
    line = _one_error_line(r.stderr)
    assert f"{tmp_path / 'i.ini'}:6:" in line and "0xe9 is not UTF-8" in line


def test_non_utf8_template_is_a_clear_error(tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "nova.conf.j2").write_bytes(b"# \xff\n")
    (tmp_path / "i.ini").write_text(INTENT)
    r = cli("render", "--intent", str(tmp_path / "i.ini"), "--templates", str(tpl))
    assert r.exit_code == 2
    line = _one_error_line(r.stderr)
    assert "nova.conf.j2:1:3" in line and "not UTF-8" in line


def test_default_confgen_ini_in_cwd_goes_through_the_reader(tmp_path):
    (tmp_path / "confgen.ini").write_bytes(b"release = \xff\n")
    r = cli("render", cwd=tmp_path)
    assert r.exit_code == 2 and "confgen.ini:1:11" in _one_error_line(r.stderr)
    r = cli("lint", str(tmp_path), cwd=tmp_path)
    assert r.exit_code == 2 and "confgen.ini:1:11" in _one_error_line(r.stderr)


# -- I/O errors on output ---------------------------------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [
    ("lint", "-r", "2024.1", "{tree}"),
    ("render", "-r", "juno"),
    ("explain", "images_type"),
    ("releases",),
    ("migrate", "--to", "kilo", "--from", "juno", "--dry-run", "{tree}"),
])
def test_writing_to_dev_full_is_one_error_line_exit_2(tmp_path, args):
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_text(NOVA + NOVA.split("\n", 1)[1])
    argv = [a.replace("{tree}", str(tmp_path)) for a in args]
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "confgen", *argv], stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "No space left" in _one_error_line(r.stderr)


def test_a_closed_pipe_is_one_error_line_exit_2(tmp_path):
    """stdout is a pipe whose reader has gone (closed before confgen writes: deterministic)."""
    code = """
import os, sys
r, w = os.pipe()
os.close(r)
os.dup2(w, 1)
from confgen.cli import main
main(sys.argv[1:])
"""
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_text(NOVA)
    for args in (["explain", "images_type"], ["lint", "-r", "2024.1", str(tmp_path)]):
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                           text=True, timeout=60, cwd=tmp_path, stdout=None)
        assert r.returncode == 2, r.stderr
        assert "Broken pipe" in _one_error_line(r.stderr)


# -- drift rules are rules --------------------------------------------------------------------
def test_drift_rules_are_in_the_registry_and_explained():
    rules = {r.id for r in catalogue()}
    for rid in ("CG600", "CG601", "CG602", "CG603", "CG604"):
        assert rid in rules
    r = cli("explain", "CG602")
    assert r.exit_code == 0 and "CG602 drift-value" in r.stdout


def test_lint_intent_sarif_with_drift(tmp_path):
    """`lint --intent ... --format sarif` with any drift raised KeyError: 'CG602'."""
    (tmp_path / "i.ini").write_text(INTENT)
    out = tmp_path / "out"
    assert cli("render", "--intent", str(tmp_path / "i.ini"), "-o", str(out)).exit_code == 0
    nova = out / "nova" / "nova.conf"
    nova.write_text(nova.read_text().replace("images_rbd_pool = vms", "images_rbd_pool = x"))
    r = cli("lint", "--intent", str(tmp_path / "i.ini"), "--format", "sarif", str(out))
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    run = doc["runs"][0]
    ids = [x["id"] for x in run["tool"]["driver"]["rules"]]
    res = [x for x in run["results"] if x["ruleId"] == "CG602"]
    assert res and ids[res[0]["ruleIndex"]] == "CG602"


# -- exit codes -------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"[libvirt]\n\x00\x01", "[DEFAULT]\n".encode("utf-16")])
@pytest.mark.parametrize("flags", [(), ("--select", "CG5"), ("--ignore", "CG001"),
                                   ("--min-severity", "error", "--ignore", "CG0")])
def test_unreadable_input_is_exit_2_whatever_the_selection(tmp_path, content, flags):
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_bytes(content)
    r = cli("lint", "-r", "2024.1", *flags, str(tmp_path))
    assert r.exit_code == 2, r.output
    assert "CG001" in r.stdout


def test_missing_config_file_is_reported(tmp_path):
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_text(NOVA)
    r = cli("lint", "-r", "2024.1", "--config", str(tmp_path / "nope.ini"), str(tmp_path))
    assert r.exit_code == 2
    assert "nope.ini" in _one_error_line(r.stderr)
    # the default ./confgen.ini is optional
    r = cli("lint", "-r", "2024.1", "--select", "CG1", str(tmp_path), cwd=tmp_path)
    assert r.exit_code == 0, r.output


def test_fleet_host_with_an_unreadable_file_exits_2(tmp_path):
    for host in ("a", "b"):
        (tmp_path / host / "etc" / "nova").mkdir(parents=True)
        (tmp_path / host / "etc" / "nova" / "nova.conf").write_text(NOVA)
    (tmp_path / "b" / "etc" / "nova" / "nova.conf").write_bytes(b"\xff\xfe[\x00")
    r = cli("lint", "-r", "2024.1", str(tmp_path))
    assert r.exit_code == 2, r.output
    r = cli("lint", "-r", "2024.1", "--format", "json", str(tmp_path))
    assert r.exit_code == 2, r.output


def test_unreadable_intent_for_lint_is_exit_2(tmp_path):
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_text(NOVA)
    (tmp_path / "i.ini").write_bytes(b"\xff")
    r = cli("lint", "-r", "2024.1", "--intent", str(tmp_path / "i.ini"), str(tmp_path))
    assert r.exit_code == 2 and "not UTF-8" in _one_error_line(r.stderr)


def test_reader_refuses_what_is_not_a_regular_file(tmp_path):
    from confgen.parse.reader import ReadError, read_text

    for p in ("/dev/null", "/dev/zero", "/proc/self/status", str(tmp_path)):
        with pytest.raises(ReadError):
            read_text(p)
    big = tmp_path / "big"
    big.write_bytes(b"a" * 11)
    with pytest.raises(ReadError, match="larger than the 10 byte limit"):
        read_text(big, limit=10)
    assert read_text(big, limit=11) == "a" * 11


def test_file_name_with_a_newline_is_never_printed_raw(tmp_path):
    odd = tmp_path / "x\nCG999 error fake"
    odd.mkdir()
    (odd / "nova").mkdir()
    (odd / "nova" / "nova.conf").write_bytes(b"\xff")
    r = cli("lint", "-r", "2024.1", str(odd))
    assert r.exit_code == 2
    assert not any(ln.startswith("CG999") for ln in r.stdout.splitlines())


def test_paths_are_shown_as_given(tmp_path):
    Path(tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").write_bytes(b"\xff")
    r = cli("lint", "-r", "2024.1", "nova/nova.conf", cwd=tmp_path)
    assert "nova/nova.conf:1:1: CG001" in r.stdout


def test_baseline_with_a_fifo_config_is_not_a_hang(tmp_path):
    (tmp_path / "nova").mkdir()
    os.mkfifo(tmp_path / "nova" / "nova.conf")
    r = proc("lint", "-r", "2024.1", "--baseline", str(tmp_path / "base.json"), str(tmp_path),
             timeout=30)
    assert r.returncode == 2 and "baseline" in r.stderr
    os.mkfifo(tmp_path / "b2.json")
    r = proc("lint", "-r", "2024.1", "--baseline", str(tmp_path / "b2.json"), str(tmp_path),
             timeout=30)
    assert r.returncode == 2 and "not a regular file" in r.stderr
