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
        from confgen.parse.reader import MAX_BYTES, ReadError, read_bytes

        try:  # the one input reader: a FIFO or /proc file is refused, never waited on
            cache[path] = read_bytes(path, MAX_BYTES).decode("utf-8", "replace").splitlines()
        except ReadError:
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
        from confgen.parse.reader import ReadError, read_text

        try:
            data = json.loads(read_text(path, what="baseline"))
            rows = data["findings"] if data.get("version") == VERSION else None
            if not isinstance(rows, list):
                raise ValueError(f"not a confgen baseline (version {VERSION})")
            b = cls(path)
            for r in rows:
                k = (str(r["rule"]), str(r["path"]), str(r["fingerprint"]))
                b.counts[k] += int(r.get("count", 1))
                b.names[k] = str(r.get("name", ""))
        except ReadError as exc:
            raise ConfgenError(f"baseline {exc.describe()}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
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
        from confgen.atomicio import write_new

        rows = [{"rule": r, "name": self.names.get((r, p, h), ""), "path": p, "fingerprint": h,
                 "count": n} for (r, p, h), n in sorted(self.counts.items())]
        text = json.dumps({"version": VERSION, "tool": "confgen", "findings": rows},
                          indent=2) + "\n"
        # the one safe-write path: a staged temp file renamed in, never half-written
        write_new({self.path: text}, force=True)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
