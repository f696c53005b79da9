"""A baseline: today's accepted findings, so only new ones fail (as ruff and ansible-lint do).

A finding is matched by its rule, its file and the content of the line it points at (blank
space squeezed), never by line number: lines inserted above it do not make it new, while
changing the line itself (another value) does. Several equal findings are counted. The file
stores a hash of that content, not the content, so no value (and no secret) lands in it.

    {"version": 1, "tool": "confgen",
     "findings": [{"rule": "CG204", "name": "deprecated-option", "path": "etc/nova/nova.conf",
                   "fingerprint": "3f1c...", "count": 1}]}

Paths are relative to the baseline file's directory, so the file works from any directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from confgen.errors import ConfgenError
from confgen.rules.base import Finding

VERSION = 1


def _line_text(path: str, line: int, cache: dict[str, list[str] | None]) -> str | None:
    if path not in cache:
        try:
            with open(path, "rb") as fh:
                cache[path] = fh.read(4 * 1024 * 1024).decode("utf-8", "replace").splitlines()
        except OSError:
            cache[path] = None
    lines = cache[path]
    if lines is None or not 1 <= line <= len(lines):
        return None
    return " ".join(lines[line - 1].split())


@dataclass
class Baseline:
    path: Path
    counts: Counter = field(default_factory=Counter)  # (rule, path, fingerprint) -> n
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _cache: dict[str, list[str] | None] = field(default_factory=dict, repr=False)

    def _rel(self, path: str) -> str:
        absolute = os.path.abspath(path)
        base = os.path.abspath(self.path.parent)
        if os.path.commonpath([absolute, base]) == base:
            return Path(os.path.relpath(absolute, base)).as_posix()
        return Path(absolute).as_posix()

    def key(self, f: Finding) -> tuple[str, str, str]:
        content = _line_text(f.path, f.line, self._cache)
        if content is None:  # no line to point at (a missing file): the message says what
            content = "message:" + "".join(c for c in f.message if not c.isdigit())
        digest = hashlib.sha256(f"{f.rule}\0{content}".encode()).hexdigest()[:16]
        return f.rule, self._rel(f.path), digest

    # -- compare ---------------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            rows = data["findings"] if data.get("version") == VERSION else None
            if not isinstance(rows, list):
                raise ValueError(f"not a confgen baseline (version {VERSION})")
            b = cls(path)
            for r in rows:
                k = (str(r["rule"]), str(r["path"]), str(r["fingerprint"]))
                b.counts[k] += int(r.get("count", 1))
                b.names[k] = str(r.get("name", ""))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfgenError(f"{path}: cannot read the baseline: {exc}") from None
        return b

    def new_only(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """The findings the baseline does not hold, and how many it held."""
        left = Counter(self.counts)
        kept: list[Finding] = []
        for f in findings:
            k = self.key(f)
            if left[k] > 0:
                left[k] -= 1
            else:
                kept.append(f)
        return kept, len(findings) - len(kept)

    # -- write -----------------------------------------------------------------------------
    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            k = self.key(f)
            self.counts[k] += 1
            self.names[k] = f.name

    def write(self) -> None:
        import tempfile

        from confgen.atomicio import fsync_dir

        rows = [{"rule": r, "name": self.names.get((r, p, h), ""), "path": p, "fingerprint": h,
                 "count": n} for (r, p, h), n in sorted(self.counts.items())]
        text = json.dumps({"version": VERSION, "tool": "confgen", "findings": rows},
                          indent=2) + "\n"
        tmp = None
        try:  # a new file beside the old one, then a rename: never half-written
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                       dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
            tmp = None
        except OSError as exc:
            raise ConfgenError(f"{self.path}: cannot write the baseline: "
                               f"{exc.strerror or exc}") from None
        finally:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
        fsync_dir(self.path.parent)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
