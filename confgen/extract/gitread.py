"""Read files of a (bare) git repository at any ref, without a checkout.

One long-lived `git cat-file --batch` process serves every read: nova has hundreds of option
files across 27 releases, and one `git show` per file would be slow.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from confgen.errors import ConfgenError


def glob_regex(pattern: str) -> re.Pattern[str]:
    """Path glob: `*` and `?` stay inside one directory, `**/` spans any number of them."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


class GitRepo:
    def __init__(self, path: str | Path):
        self.path = str(path)
        probe = subprocess.run(
            ["git", "-C", self.path, "rev-parse", "--git-dir"], capture_output=True, text=True
        )
        if probe.returncode != 0:
            raise ConfgenError(f"{self.path} is not a git repository")
        self._batch: subprocess.Popen[bytes] | None = None

    def has_ref(self, ref: str) -> bool:
        r = subprocess.run(
            ["git", "-C", self.path, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            capture_output=True,
        )
        return r.returncode == 0

    @cache  # noqa: B019 - one repo object per run, the cache dies with it
    def files(self, ref: str) -> tuple[str, ...]:
        r = subprocess.run(
            ["git", "-C", self.path, "ls-tree", "-r", "--name-only", ref],
            capture_output=True, text=True,
        )
        if r.returncode != 0:
            raise ConfgenError(f"{self.path}: cannot list ref {ref!r}: {r.stderr.strip()}")
        return tuple(r.stdout.splitlines())

    def glob(self, ref: str, pattern: str) -> list[str]:
        rx = glob_regex(pattern)
        return sorted(f for f in self.files(ref) if rx.match(f))

    def read(self, ref: str, path: str) -> str | None:
        """The file's text at ref, or None when it does not exist there."""
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "-C", self.path, "cat-file", "--batch"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )
        assert self._batch.stdin and self._batch.stdout
        self._batch.stdin.write(f"{ref}:{path}\n".encode())
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().decode().split()
        if len(header) < 3 or header[1] != "blob":
            return None
        data = self._batch.stdout.read(int(header[2]))
        self._batch.stdout.read(1)  # trailing newline
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None
