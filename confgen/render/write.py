"""Write rendered files all or nothing: refuse to overwrite unless forced, stage every file as a
temp file in its own directory (fsync'd), and only then rename them into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from confgen.atomicio import fsync_dir
from confgen.errors import ConfgenError

_EXECUTABLE = (".sh",)


def write_all(files: Mapping[str, str], outdir: Path, force: bool = False) -> list[Path]:
    targets = {outdir / rel: text for rel, text in files.items()}
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise ConfgenError(
            "refusing to overwrite (use --force): " + ", ".join(str(p) for p in existing)
        )
    dirs = [p for p in targets if p.exists() and not p.is_file()]
    if dirs:
        raise ConfgenError("not a regular file: " + ", ".join(str(p) for p in dirs))
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o755 if path.suffix in _EXECUTABLE else 0o644)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise ConfgenError(f"cannot write {exc.filename}: {exc.strerror}") from None
    for d in {p.parent for p in targets}:
        fsync_dir(d)
    return list(targets)

