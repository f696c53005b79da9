"""The one reader of every input confgen takes: config files, keyrings, intents, templates and
settings files. Any unreadable input becomes a ReadError with a reason (and a line where there
is one), never a traceback and never a hang:

- only regular files: a FIFO, a device, a socket or a directory is refused before a byte is
  read (the file is opened non-blocking, so even opening a FIFO cannot wait for a writer), and
  so are kernel files under /proc and /sys (reading /proc/kmsg blocks and consumes messages);
- at most `limit` bytes (5 MiB for a config file), however the file grows while it is read;
- strict UTF-8, no NUL byte: the error names the line and column of the first bad byte.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:  # pathlib costs lint's start-up; paths may be str or Path here
    from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024  # real config files are a few hundred KB at most
_KERNEL = ("/proc", "/sys")
_CHUNK = 1 << 16


class ReadError(Exception):
    """`os`: the file could not be read at all (`denied`: for lack of permission);
    `content`: read, but not a text file."""

    def __init__(self, path: str, message: str, line: int = 1, column: int = 1,
                 kind: str = "content"):
        super().__init__(message)
        self.path, self.message, self.line, self.column = path, message, line, column
        self.kind = kind

    def describe(self) -> str:
        """`path:line:col: message` (line and column only when they mean something)."""
        where = f"{self.path}:{self.line}:{self.column}" if self.kind == "content" else self.path
        return f"{where}: {self.message}"


def _shown(path: str) -> str:
    # a file name can hold a newline or an escape sequence: never print it raw
    return path if path.isprintable() else repr(path)[1:-1]


def read_bytes(path: str | Path, limit: int = MAX_BYTES, what: str = "config file") -> bytes:
    p = str(path)
    shown = _shown(p)
    real = os.path.realpath(p)
    if any(real == k or real.startswith(k + "/") for k in _KERNEL):
        raise ReadError(shown, f"{_shown(real)} is a kernel file, not a {what}; not read",
                        kind="os")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        denied = exc.errno in (errno.EACCES, errno.EPERM)
        raise ReadError(shown, f"cannot read: {exc.strerror or exc}",
                        kind="denied" if denied else "os") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO"
                    if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                    or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                    else "special")
            raise ReadError(shown, f"not a regular file ({kind}); not read", kind="os")
        if st.st_size > limit:
            raise ReadError(shown, f"file is {st.st_size} bytes, larger than the {limit} byte "
                                   f"limit for a {what}; not read")
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except BlockingIOError:
                raise ReadError(shown, f"reading would block; not a {what}", kind="os") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ReadError(shown, f"file grew past the {limit} byte limit for a {what} "
                                       "while it was read; not read")
        return b"".join(chunks)
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(shown, f"cannot read: {exc.strerror or exc}", kind="os") from None
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int = MAX_BYTES, what: str = "config file") -> str:
    p = str(path)
    return decode(_shown(p), read_bytes(p, limit, what), what)


def decode(path: str, data: bytes, what: str = "config file") -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise ReadError(path, f"binary data (NUL byte); not a text {what}", line, col)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(path, f"byte 0x{data[exc.start]:02x} is not UTF-8; the service cannot "
                              "decode the file (save it as UTF-8)", line, col) from None
