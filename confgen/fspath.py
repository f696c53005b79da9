"""Paths as plain strings, spelt and checked exactly as pathlib spells and checks them.

`confgen lint` runs on every commit, and importing pathlib costs it about 4 ms (pathlib pulls
in fnmatch, ntpath, urllib.parse and ipaddress), a third of Python's own start-up. The lint
path (layouts, lint, the rules) keeps paths as `str` and uses these helpers, so every path
it prints is the string `str(Path(...))` would have printed: `a//b/./c/` is `a/b/c`, `` is
`.`, and `..` is kept (pathlib does not resolve it either).
"""

from __future__ import annotations

import errno
import os
import stat

# errors pathlib's exists()/is_dir() answer with False (others are raised, as there)
_IGNORED = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}


def _split(p: str) -> tuple[str, list[str]]:
    """(root, parts) as PurePosixPath parses p: exactly two leading slashes are kept."""
    root = ""
    if p.startswith("/"):
        rest = p.lstrip("/")
        root = "//" if len(p) - len(rest) == 2 else "/"
        p = rest
    return root, [x for x in p.split("/") if x and x != "."]


def norm(p: str | os.PathLike) -> str:
    """str(PurePosixPath(p))."""
    root, parts = _split(os.fspath(p))
    return root + "/".join(parts) if root or parts else "."


def join(base: str | os.PathLike, *parts: str) -> str:
    """str(PurePosixPath(base, *parts)) (an absolute part starts again, as there)."""
    return norm(os.path.join(os.fspath(base), *parts))


def parent(p: str | os.PathLike) -> str:
    """str(PurePosixPath(p).parent): the root and `.` are their own parents."""
    root, parts = _split(os.fspath(p))
    if not parts:
        return root or "."
    return root + "/".join(parts[:-1]) if root or len(parts) > 1 else "."


def name(p: str | os.PathLike) -> str:
    """PurePosixPath(p).name: the last part ('' for the root and for `.`)."""
    parts = _split(os.fspath(p))[1]
    return parts[-1] if parts else ""


def parts(p: str | os.PathLike) -> tuple[str, ...]:
    """PurePosixPath(p).parts: the root first when there is one."""
    root, rest = _split(os.fspath(p))
    return (root, *rest) if root else tuple(rest)


def _stat_ok(p: str, kind: int | None) -> bool:
    try:
        st = os.stat(p)
    except OSError as exc:
        if exc.errno not in _IGNORED:
            raise
        return False
    except ValueError:  # a NUL in the name
        return False
    return kind is None or stat.S_IFMT(st.st_mode) == kind


def exists(p: str) -> bool:
    """Path(p).exists(): follows links; a missing or looping path is False, other errors
    (a directory the user may not search) are raised."""
    return _stat_ok(p, None)


def is_dir(p: str) -> bool:
    """Path(p).is_dir(), with the same errors as exists()."""
    return _stat_ok(p, stat.S_IFDIR)


def is_file(p: str) -> bool:
    """Path(p).is_file(), with the same errors as exists()."""
    return _stat_ok(p, stat.S_IFREG)


def glob(d: str, prefix: str, suffix: str) -> list[str]:
    """sorted(Path(d).glob(prefix + '*' + suffix)) for a pattern with one `*`: every entry
    of d (hidden ones too, as pathlib matches them) whose name has that prefix and suffix;
    [] when d is not a searchable directory."""
    if not is_dir(d):
        return []
    try:
        with os.scandir(d) as it:
            names = [e.name for e in it]
    except PermissionError:
        return []
    n = len(prefix) + len(suffix)
    return sorted(join(d, x) for x in names
                  if len(x) >= n and x.startswith(prefix) and x.endswith(suffix))
