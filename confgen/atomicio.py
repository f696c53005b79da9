"""The one way confgen writes files (fix, migrate, drift --fix, render): nothing lost, nothing
half-written, nothing exposed.

- `locked(dirs)`: an exclusive lock (flock) on every directory confgen reads and writes in,
  held from the first read to the last write: a second confgen run on the same files waits
  (then gives up with a clear error) instead of fixing stale text or backing up fixed text.
- `replace(path, text, backup=...)`: the backup is a hard link to the original's inode, made
  before any byte is written: the same mode, owner, ACLs and extended attributes, never
  readable by anyone who could not read the original, complete or absent (one link() call).
  An existing backup is never replaced: the next free `NAME.bak.N` is used and the result
  says so. The new text is written to a temp file (mode 0600, same directory), fsync'd, given
  the original's owner, mode and extended attributes, then renamed over the original: a kill
  at any moment leaves the old file or the new one. A file with other hard links, or whose
  owner or attributes cannot be kept, is refused with the reason; so is a file that changed
  since it was read.
- `write_new(files, force)`: render's output, all files staged first, then renamed in.
- Temp files are removed on any error; one left by a killed run is removed by the next run
  (under the lock nobody else can be writing it). `_step` is a hook between the steps, for
  tests that kill or fail the process at each of them.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from confgen.errors import ConfgenError
from confgen.mask import printable

LOCK_WAIT = 10.0  # seconds a run waits for another one to finish with the same directory
_TMP_TAG = ".confgen-"
_MAX_BACKUPS = 100
_step: Callable[[str], None] = lambda name: None  # noqa: E731  (tests: fail or kill here)


class Refused(ConfgenError):
    """A file confgen will not rewrite; `reason` says why. Nothing was changed."""

    def __init__(self, shown: str, reason: str):
        super().__init__(f"{shown}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Written:
    path: Path
    backup: Path | None = None
    note: str = ""  # e.g. that an existing backup was kept and another name used

    def describe(self) -> str:
        if self.backup is None:
            return ""
        return f"backup {printable(str(self.backup))}" + (f"; {self.note}" if self.note else "")


# -- locking ----------------------------------------------------------------------------------
@contextmanager
def locked(dirs: Iterable[str | Path], wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on each directory (in a fixed order: no deadlock between runs)."""
    limit = LOCK_WAIT if wait is None else wait
    fds: list[int] = []
    try:
        for d in sorted({os.path.realpath(d) for d in dirs}):
            try:
                fd = os.open(d, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
            except OSError as exc:
                raise ConfgenError(f"{printable(d)}: cannot lock: {exc.strerror}") from None
            fds.append(fd)
            deadline = time.monotonic() + limit
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise ConfgenError(
                            f"{printable(d)}: another confgen run is writing here (waited "
                            f"{limit:g}s); nothing written, try again when it is done") from None
                    time.sleep(0.05)
            _clean_stale(d)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # closing the descriptor releases its lock


def _clean_stale(directory: str) -> None:
    """Temp files a killed run left behind (we hold the lock: nobody is writing them)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(".") and _TMP_TAG in name and name.endswith(".tmp"):
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass


# -- replacing an existing file ---------------------------------------------------------------
def replace(path: str | Path, text: str, backup: bool = True,
            expect: str | None = None) -> Written:
    """Replace the file at `path` (a symlink is followed; the link stays) with `text`.
    `expect`: the text the edit was planned against; a file that no longer holds it is
    refused. Raises Refused (nothing changed) or ConfgenError (an I/O error; the original is
    intact)."""
    shown = printable(str(path))
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except OSError as exc:
        raise ConfgenError(f"{shown}: cannot stat: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused(shown, "not a regular file; not rewritten")
    own = _own_backup(target, st)
    if st.st_nlink > 1 and own is None:
        raise Refused(shown, f"has {st.st_nlink} hard links; replacing it would leave the other "
                      "names with the old text; not rewritten (fix it by hand, or remove the "
                      "other links)")
    _check_owner(shown, st)
    attrs = _xattrs(target, shown)
    if expect is not None:
        from confgen.parse.reader import ReadError, read_text

        try:
            now = read_text(target)
        except ReadError as exc:
            raise Refused(shown, f"{exc.message}; not rewritten") from None
        if now != expect:
            raise Refused(shown, "changed since it was read; not rewritten (run again)")
    # the new text first (every check that can refuse happens here), then the backup, then
    # the rename: a refusal leaves no backup of an unchanged file behind
    staged: Path | None = _stage(target, text.encode("utf-8"), st, attrs, shown)
    written = Written(target)
    try:
        _step("new-staged")
        if backup:
            written = own if own is not None else _backup(target, st, attrs, shown)
        os.replace(staged, target)
        staged = None
        _step("replaced")
        fsync_dir(target.parent)
    except OSError as exc:
        raise ConfgenError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    finally:
        if staged is not None:
            _unlink(staged)
    return written


def _own_backup(target: Path, st: os.stat_result) -> Written | None:
    """A backup of this very inode left by a run killed before its rename: it is complete (a
    hard link is) and holds the current text, so it is this run's backup too."""
    if st.st_nlink != 2:
        return None
    for n in range(_MAX_BACKUPS):
        bak = _backup_name(target, n)
        try:
            b = os.stat(bak)
        except OSError:
            continue
        if (b.st_dev, b.st_ino) == (st.st_dev, st.st_ino):
            return Written(target, bak, "left by an interrupted run, kept")
    return None


def _backup_name(target: Path, n: int) -> Path:
    return target.with_name(target.name + (".bak" if n == 0 else f".bak.{n}"))


def _backup(target: Path, st: os.stat_result, attrs: dict[str, bytes], shown: str) -> Written:
    """Link the original's inode to the first free NAME.bak[.N] (link() never replaces)."""
    first = _backup_name(target, 0)
    for n in range(_MAX_BACKUPS):
        bak = _backup_name(target, n)
        try:
            os.link(target, bak)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
                raise ConfgenError(f"{shown}: cannot make the backup {printable(str(bak))}: "
                                   f"{exc.strerror}; not rewritten") from None
            # no hard links on this file system: a copy, staged and linked the same way
            if not _copy_backup(target, bak, st, attrs, shown):
                continue
        _step("backup-made")
        fsync_dir(target.parent)
        note = "" if n == 0 else f"{printable(first.name)} already existed and was kept"
        return Written(target, bak, note)
    raise Refused(shown, f"{_MAX_BACKUPS} backups exist already; not rewritten (remove old "
                  "ones)")


def _copy_backup(target: Path, bak: Path, st: os.stat_result, attrs: dict[str, bytes],
                 shown: str) -> bool:
    with open(target, "rb") as fh:
        data = fh.read()
    staged = _stage(target, data, st, attrs, shown)
    try:
        os.link(staged, bak)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        raise ConfgenError(f"{shown}: cannot make the backup {printable(str(bak))}: "
                           f"{exc.strerror}; not rewritten") from None
    finally:
        _unlink(staged)


def _check_owner(shown: str, st: os.stat_result) -> None:
    if os.geteuid() != 0 and st.st_uid != os.geteuid():
        raise Refused(shown, f"owned by uid {st.st_uid}; confgen could not give the new file "
                      "that owner (run as root or as the owner); not rewritten")


def _xattrs(target: Path, shown: str) -> dict[str, bytes]:
    try:
        names = os.listxattr(target)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.ENOSYS):
            return {}
        raise Refused(shown, f"cannot read its extended attributes ({exc.strerror}); not "
                      "rewritten") from None
    out = {}
    for name in names:
        try:
            out[name] = os.getxattr(target, name)
        except OSError as exc:
            raise Refused(shown, f"cannot read extended attribute {name} ({exc.strerror}); "
                          "not rewritten") from None
    return out


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{_TMP_TAG}{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _stage(target: Path, data: bytes, like: os.stat_result | None, attrs: dict[str, bytes],
           shown: str, mode: int = 0o644) -> Path:
    """A complete, fsync'd temp file next to `target` with `like`'s owner, mode and `attrs`
    (or `mode` for a new file). Created 0600, so never readable by others on the way."""
    tmp = _temp_path(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise ConfgenError(f"{shown}: cannot write: {exc.strerror}") from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            if like is not None and (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(fd, like.st_uid, like.st_gid)
                except PermissionError:
                    raise Refused(shown, f"cannot keep its owner {like.st_uid}:{like.st_gid} "
                                  "(run as root or as the owner); not rewritten") from None
            os.fchmod(fd, stat.S_IMODE(like.st_mode) if like is not None else mode)
            for name, value in attrs.items():
                try:
                    os.setxattr(fd, name, value)
                except OSError as exc:
                    raise Refused(shown, f"cannot keep extended attribute {name} "
                                  f"({exc.strerror}); not rewritten") from None
        finally:
            os.close(fd)
    except OSError as exc:
        _unlink(tmp)
        raise ConfgenError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(p: Path) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


# -- writing a set of new files (render) ------------------------------------------------------
EXECUTABLE = (".sh",)


def write_new(files: Mapping[Path, str], force: bool = False) -> list[Path]:
    """Write every file or none: refuse existing ones unless `force` (an overwritten file
    keeps its owner, mode and attributes; new ones get 0644, scripts 0755), stage them all,
    then rename them all into place."""
    existing = [p for p in files if os.path.lexists(p)]
    if existing and not force:
        raise ConfgenError("refusing to overwrite (use --force): "
                           + ", ".join(printable(str(p)) for p in existing))
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            shown = printable(str(path))
            target = Path(os.path.realpath(path))
            like, attrs = None, {}
            if os.path.lexists(target):
                like = os.stat(target)
                if not stat.S_ISREG(like.st_mode):
                    raise ConfgenError(f"not a regular file: {shown}")
                if like.st_nlink > 1:
                    raise Refused(shown, f"has {like.st_nlink} hard links; not overwritten")
                attrs = _xattrs(target, shown)
            target.parent.mkdir(parents=True, exist_ok=True)
            mode = 0o755 if target.suffix in EXECUTABLE else 0o644
            staged.append((_stage(target, text.encode("utf-8"), like, attrs, shown, mode),
                           target))
            _step("new-staged")
        for tmp, target in staged:
            os.replace(tmp, target)
            _step("replaced")
    except OSError as exc:
        raise ConfgenError(f"cannot write {printable(str(exc.filename or ''))}: "
                           f"{exc.strerror}") from None
    finally:
        for tmp, _ in staged:
            _unlink(tmp)
    for d in {t.parent for _, t in staged}:
        fsync_dir(d)
    return list(files)


def fsync_dir(d: Path) -> None:
    """Make renames inside `d` durable (not every platform lets a directory be opened)."""
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
