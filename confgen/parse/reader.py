"""Read a config file's text safely: any unreadable input becomes a ReadError with a reason,
never a traceback (binary data, bad UTF-8, huge files, permission problems, symlink loops)."""

from __future__ import annotations

import os
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024  # real config files are a few hundred KB at most


class ReadError(Exception):
    """`os`: the file could not be read at all; `content`: read, but not a text config file."""

    def __init__(self, path: str, message: str, line: int = 1, column: int = 1,
                 kind: str = "content"):
        super().__init__(message)
        self.path, self.message, self.line, self.column = path, message, line, column
        self.kind = kind


def read_text(path: str | Path) -> str:
    p = str(path)
    try:
        st = os.stat(p)
        if not os.path.isfile(p):
            raise ReadError(p, "not a regular file", kind="os")
        if st.st_size > MAX_BYTES:
            raise ReadError(p, f"file is {st.st_size} bytes, larger than the {MAX_BYTES} byte "
                               "limit for a config file; not linted")
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(p, f"cannot read: {exc.strerror or exc}", kind="os") from None
    return decode(p, data)


def decode(path: str, data: bytes) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ReadError(path, "binary data (NUL byte); not a text config file", line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(path, f"byte 0x{data[exc.start]:02x} is not UTF-8; the service cannot "
                              "decode the file (save it as UTF-8)", line, col) from None
