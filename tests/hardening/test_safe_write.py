"""One safe-write path (confgen.atomicio) for fix, migrate and render: the backup exists, with
the original's mode and owner, before any byte is written; never world-readable on the way; an
existing backup is never replaced; one run at a time per directory; kill -9 at any step leaves
the old or the new file and an intact backup; hard links and extended attributes kept or the
edit refused with a reason.

Kill and failure tests are deterministic: a hook between the steps (atomicio._step) kills the
process or raises at exactly that step.

Each test is one reproduction of issue 12 ("Backups and edits")."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import INTENT, cli

from confgen import atomicio

DUP = "[libvirt]\nimages_type = rbd\n# password = hunter2\nimages_type = rbd\n"
FIXED = "[libvirt]\n# password = hunter2\nimages_type = rbd\n"
STEPS = ("backup-made", "new-staged", "replaced")


def tree(root: Path, text: str = DUP, mode: int = 0o600) -> Path:
    nova = root / "nova" / "nova.conf"
    nova.parent.mkdir(parents=True, exist_ok=True)
    nova.write_text(text)
    nova.chmod(mode)
    return nova


def fix(root: Path, *extra: str):
    return cli("lint", "-r", "2024.1", "--select", "CG1", "--fix", *extra, str(root))


def temps(d: Path) -> list[str]:
    return [p.name for p in d.iterdir() if ".confgen-" in p.name]


def run_py(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=timeout)


# -- backups ----------------------------------------------------------------------------------
def test_backup_is_never_readable_by_others_on_the_way(tmp_path):
    """`.bak` files of 0600 files were 0644 while being written (copy2, then chmod)."""
    nova = tree(tmp_path)
    code = """
        import os, stat, sys
        from confgen.cli import main
        d, bad, busy = sys.argv[1], [], [False]
        def hook(event, args):
            if busy[0] or not event.startswith(("open", "os.")):
                return
            busy[0] = True
            try:
                for n in os.listdir(d):
                    if n != "nova.conf":
                        m = os.lstat(os.path.join(d, n)).st_mode
                        if m & 0o077:
                            bad.append((event, n, oct(m)))
            finally:
                busy[0] = False
        sys.addaudithook(hook)
        try:
            main(["lint", "-r", "2024.1", "--fix", sys.argv[2]])
        except SystemExit:
            pass
        print("BAD", bad)
    """
    r = run_py(code, str(nova.parent), str(tmp_path))
    assert "BAD []" in r.stdout, r.stdout + r.stderr
    assert nova.read_text() == FIXED
    assert stat.S_IMODE(os.stat(str(nova) + ".bak").st_mode) == 0o600


def test_backup_keeps_mode_owner_and_xattrs(tmp_path):
    """A `.bak` was owned by root, not by the file's owner; user.* attributes were dropped."""
    nova = tree(tmp_path, mode=0o640)
    os.chown(nova, 1234, 2345)
    try:
        os.setxattr(nova, "user.origin", b"puppet")
    except OSError as exc:
        pytest.skip(f"no user xattrs here: {exc}")
    r = fix(tmp_path)
    assert r.exit_code == 0, r.output
    bak = Path(str(nova) + ".bak")
    for p, text in ((nova, FIXED), (bak, DUP)):
        st = os.stat(p)
        assert p.read_text() == text
        assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o640, 1234, 2345), p
        assert os.getxattr(p, "user.origin") == b"puppet", p
    assert "backup" in r.stderr and ".bak" in r.stderr


def test_an_existing_backup_is_never_replaced(tmp_path):
    """Two `--fix` runs lost the original backup (every `.bak` held the fixed text)."""
    nova = tree(tmp_path)
    assert fix(tmp_path).exit_code == 0
    bak = Path(str(nova) + ".bak")
    assert bak.read_text() == DUP
    nova.write_text(FIXED + "images_type = rbd\n")  # someone edits, then fixes again
    r = fix(tmp_path)
    assert r.exit_code == 0, r.output
    assert bak.read_text() == DUP  # the first backup is kept
    assert Path(str(nova) + ".bak.1").read_text() == FIXED + "images_type = rbd\n"
    assert "nova.conf.bak already existed and was kept" in r.stderr
    assert fix(tmp_path).exit_code == 0  # nothing to fix: no third backup
    assert not Path(str(nova) + ".bak.2").exists()


def test_concurrent_fix_runs_keep_the_original_backup(tmp_path):
    """Whatever the interleaving, the backup holds the original text and one run fixed it."""
    for trial in range(4):
        root = tmp_path / str(trial)
        nova = tree(root)
        cmd = [sys.executable, "-m", "confgen", "lint", "-r", "2024.1", "--select", "CG1",
               "--fix", str(root)]
        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(lambda c: subprocess.run(c, capture_output=True, text=True,
                                                          timeout=120), [cmd, cmd]))
        assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
        assert nova.read_text() == FIXED
        assert Path(str(nova) + ".bak").read_text() == DUP
        assert not Path(str(nova) + ".bak.1").exists()
        assert temps(nova.parent) == []


def test_a_locked_tree_is_not_written(tmp_path, monkeypatch):
    nova = tree(tmp_path)
    monkeypatch.setattr(atomicio, "LOCK_WAIT", 0.2)
    fd = os.open(nova.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r = fix(tmp_path)
    finally:
        os.close(fd)
    assert r.exit_code == 2 and "another confgen run is writing here" in r.stderr
    assert nova.read_text() == DUP and not Path(str(nova) + ".bak").exists()


# -- kill -9 and failures at every step --------------------------------------------------------
KILL = """
    import os, signal, sys
    from confgen import atomicio
    from confgen.cli import main
    def step(name):
        if name == sys.argv[1]:
            os.kill(os.getpid(), signal.SIGKILL)
    atomicio._step = step
    main(sys.argv[2:])
"""


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_every_step_leaves_old_or_new_and_an_intact_backup(tmp_path, step):
    nova = tree(tmp_path)
    old_bak = Path(str(nova) + ".bak")
    old_bak.write_text("an earlier backup\n")
    old_bak.chmod(0o600)
    r = run_py(KILL, step, "lint", "-r", "2024.1", "--fix", str(tmp_path))
    assert r.returncode == -9, r.stderr
    assert nova.read_text() in (DUP, FIXED)
    assert old_bak.read_text() == "an earlier backup\n"
    baks = sorted(p for p in nova.parent.iterdir() if ".bak." in p.name)
    assert [p.read_text() for p in baks] in ([], [DUP])
    # the next run finishes the job and leaves no temp file behind
    r = fix(tmp_path)
    assert r.exit_code == 0, r.output
    assert nova.read_text() == FIXED and temps(nova.parent) == []
    assert [p.read_text() for p in sorted(nova.parent.glob("nova.conf.bak.*"))] == [DUP]
    assert old_bak.read_text() == "an earlier backup\n"


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_during_render_leaves_old_or_new_files(tmp_path, step):
    (tmp_path / "i.ini").write_text(INTENT)
    out = tmp_path / "out"
    assert cli("render", "--intent", str(tmp_path / "i.ini"), "-o", str(out)).exit_code == 0
    before = {p: p.read_text() for p in out.rglob("*") if p.is_file()}
    new = INTENT.replace("10.0.0.1", "10.0.0.9")
    (tmp_path / "i.ini").write_text(new)
    r = run_py(KILL, step if step != "backup-made" else "replaced", "render", "--intent",
               str(tmp_path / "i.ini"), "-o", str(out), "--force")
    assert r.returncode == -9
    for p, text in before.items():
        assert p.read_text() in (text, text.replace("10.0.0.1", "10.0.0.9")), p
    assert cli("render", "--intent", str(tmp_path / "i.ini"), "-o", str(out),
               "--force").exit_code == 0
    assert not [p for p in out.rglob("*") if ".confgen-" in p.name]


def test_full_disk_keeps_the_original_and_the_earlier_backup(tmp_path, monkeypatch):
    """On a full disk a truncated `.bak` replaced an earlier good one."""
    nova = tree(tmp_path)
    old_bak = Path(str(nova) + ".bak")
    old_bak.write_text("an earlier backup\n")
    real_write = os.write

    def full(fd, data):
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".nova.conf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    r = fix(tmp_path)
    assert r.exit_code == 2 and "No space left on device" in r.stderr
    assert r.stderr.count("confgen: error:") == 1
    assert nova.read_text() == DUP and old_bak.read_text() == "an earlier backup\n"
    assert temps(nova.parent) == []


def test_failure_after_backup_keeps_original_and_cleans_temps(tmp_path, monkeypatch):
    nova = tree(tmp_path)

    def boom(name):
        if name == "backup-made":
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomicio, "_step", boom)
    r = fix(tmp_path)
    assert r.exit_code == 2 and "Input/output error" in r.stderr
    assert nova.read_text() == DUP and temps(nova.parent) == []
    assert Path(str(nova) + ".bak").read_text() == DUP


def test_attribute_that_cannot_be_kept_refuses_the_edit_without_a_backup(tmp_path,
                                                                       monkeypatch):
    nova = tree(tmp_path)
    try:
        os.setxattr(nova, "user.origin", b"puppet")
    except OSError as exc:
        pytest.skip(f"no user xattrs here: {exc}")

    def denied(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "setxattr", denied)
    r = fix(tmp_path)
    assert "not fixed" in r.stderr and "cannot keep extended attribute user.origin" in r.stderr
    assert nova.read_text() == DUP and os.getxattr(nova, "user.origin") == b"puppet"
    assert sorted(p.name for p in nova.parent.iterdir()) == ["nova.conf"]


# -- hard links, changed files ----------------------------------------------------------------
def test_hard_linked_file_is_refused_not_split(tmp_path):
    """A hard-linked config file was split."""
    nova = tree(tmp_path)
    other = tmp_path / "nova.conf.puppet"
    os.link(nova, other)
    r = fix(tmp_path)
    assert "not fixed" in r.stderr and "hard links" in r.stderr
    assert nova.read_text() == DUP and other.read_text() == DUP
    assert os.stat(nova).st_ino == os.stat(other).st_ino
    assert not Path(str(nova) + ".bak").exists()


def test_migrate_refuses_hard_links_too(tmp_path):
    glance = tmp_path / "glance" / "glance-api.conf"
    glance.parent.mkdir()
    glance.write_text("[DEFAULT]\ndefault_store = rbd\nrbd_store_pool = images\n")
    os.link(glance, tmp_path / "copy")
    r = cli("migrate", "--from", "icehouse", "--to", "kilo", str(tmp_path))
    assert r.exit_code == 1 and "hard links" in r.stdout
    assert glance.read_text() == "[DEFAULT]\ndefault_store = rbd\nrbd_store_pool = images\n"


def test_file_changed_since_read_is_refused(tmp_path):
    nova = tree(tmp_path)
    with pytest.raises(atomicio.Refused, match="changed since it was read"):
        atomicio.replace(nova, FIXED, expect="something else")
    assert nova.read_text() == DUP and temps(nova.parent) == []


def test_symlinked_file_is_replaced_behind_the_link(tmp_path):
    real = tmp_path / "real.conf"
    real.write_text(DUP)
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova" / "nova.conf").symlink_to(real)
    assert fix(tmp_path).exit_code == 0
    assert (tmp_path / "nova" / "nova.conf").is_symlink() and real.read_text() == FIXED
    assert (tmp_path / "real.conf.bak").read_text() == DUP


def test_no_backup_writes_none(tmp_path):
    nova = tree(tmp_path)
    assert fix(tmp_path, "--no-backup").exit_code == 0
    assert nova.read_text() == FIXED and sorted(p.name for p in nova.parent.iterdir()) == [
        "nova.conf"]


def test_render_force_keeps_owner_and_mode_new_files_get_defaults(tmp_path):
    (tmp_path / "i.ini").write_text(INTENT)
    out = tmp_path / "out"
    assert cli("render", "--intent", str(tmp_path / "i.ini"), "-o", str(out)).exit_code == 0
    sh, conf = out / "ceph" / "cephx-users.sh", out / "nova" / "nova.conf"
    assert stat.S_IMODE(os.stat(sh).st_mode) == 0o755
    assert stat.S_IMODE(os.stat(conf).st_mode) == 0o644
    os.chown(conf, 1234, 1234)
    conf.chmod(0o640)
    assert cli("render", "--intent", str(tmp_path / "i.ini"), "-o", str(out),
               "--force").exit_code == 0
    st = os.stat(conf)
    assert (stat.S_IMODE(st.st_mode), st.st_uid) == (0o640, 1234)
