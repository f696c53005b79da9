"""Write rendered files all or nothing through confgen's one safe-write path
(confgen.atomicio): refuse to overwrite unless forced, stage every file as a temp file in its
own directory (fsync'd, mode set before it has a name), then rename them all into place, with
the output directory locked against a second run."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from confgen.atomicio import locked, write_new
from confgen.errors import ConfgenError
from confgen.mask import printable


def write_all(files: Mapping[str, str], outdir: Path, force: bool = False) -> list[Path]:
    targets = {outdir / rel: text for rel, text in files.items()}
    existing = [p for p in targets if os.path.lexists(p)]
    if existing and not force:  # said before any directory is created
        raise ConfgenError("refusing to overwrite (use --force): "
                           + ", ".join(printable(str(p)) for p in existing))
    dirs = {outdir, *(p.parent for p in targets)}
    for d in sorted(dirs):
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfgenError(f"{printable(str(d))}: cannot create: {exc.strerror}") from None
    with locked(dirs):
        return write_new(targets, force)
