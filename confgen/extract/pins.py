"""Library versions per release, from openstack/requirements (format: sources/libraries.toml).

upper-constraints.txt pins `name===version` (liberty on); for the releases the spec lists as
`ranged` the pin is the highest release tag of the library's repository inside the range
global-requirements.txt gives (cut at the date of the requirements ref when the range has no
upper bound). Every pin says how it was found (`Pin.how`), which ends up in the data's meta.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from confgen import releases
from confgen.errors import ConfgenError
from confgen.extract.gitread import GitRepo
from confgen.releases import Release


@dataclass(frozen=True)
class Pin:
    library: str  # distribution name as requirements spells it, normalised: "oslo.log"
    version: str  # the tag of the library's repository that is read
    how: str  # "upper-constraints.txt@stable/2025.1", "global-requirements.txt@juno-eol: <1.5"
    pinned: str = ""  # the version requirements named, when that tag is not in the mirror


@dataclass
class LibrarySpec:
    requirements: str
    ranged: set[str]
    refs: dict[Release, str]
    repos: dict[str, str]  # normalised distribution name -> "openstack/oslo.log"


def normalise(name: str) -> str:
    """Requirements spell names several ways (glance_store, glance-store, oslo_db): one form."""
    return re.sub(r"[-_]+", "-", name.strip().lower()).replace("oslo-", "oslo.")


def load_library_spec(path: str | Path) -> LibrarySpec:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfgenError(f"cannot read library spec {path}: {exc}") from exc
    fam = releases.openstack()
    return LibrarySpec(
        requirements=raw["requirements"],
        ranged=set(raw.get("ranged", [])),
        refs={fam.get(k): v for k, v in raw["refs"].items()},
        repos={normalise(k): v for k, v in raw["repos"].items()},
    )


_LINE = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;#]*?)\s*(?:;([^#]*))?(?:#.*)?$"
)


def parse_requirements(text: str) -> dict[str, list[tuple[str, str]]]:
    """name -> [(specifier, marker)], comments and blank lines skipped."""
    out: dict[str, list[tuple[str, str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "-")):
            continue
        m = _LINE.match(line)
        if m:
            out.setdefault(normalise(m.group(1)), []).append(
                (m.group(2).strip(), (m.group(3) or "").strip()))
    return out


def _py_key(marker: str) -> tuple[int, ...]:
    """Order of python_version markers: no marker first? No: the newest Python wins."""
    m = re.search(r"python_version\s*[=<>!]=?\s*['\"]([\d.]+)['\"]", marker)
    return tuple(int(x) for x in m.group(1).split(".")) if m else (99,)


def constraint(entries: list[tuple[str, str]]) -> str | None:
    """The `===version` of an upper-constraints entry; the newest Python's where several."""
    best = max(entries, key=lambda e: _py_key(e[1]))
    spec = best[0]
    return spec[3:].strip() if spec.startswith("===") else None


@cache
def _tag_versions(repo_path: str) -> tuple[tuple[Version, str, int], ...]:
    """(version, tag, tagger/commit unix time) of every release tag of a repository."""
    r = subprocess.run(
        ["git", "-C", repo_path, "for-each-ref", "refs/tags",
         "--format=%(refname:short) %(creatordate:unix)"],
        capture_output=True, text=True, check=True,
    )
    out = []
    for line in r.stdout.splitlines():
        tag, _, when = line.partition(" ")
        try:
            v = Version(tag)
        except InvalidVersion:
            continue
        # 2012.1-style tags predate the libraries' semantic versions: never a pin
        if not v.is_prerelease and not v.is_devrelease and v.major < 2000:
            out.append((v, tag, int(when or 0)))
    return tuple(sorted(out))


def best_tag(repo_path: str, spec: str, before: int | None) -> str | None:
    """Highest release tag inside `spec`; with no upper bound, only tags made before `before`."""
    try:
        ss = SpecifierSet(spec.replace(" ", ""))
    except InvalidSpecifier:
        return None
    capped = any(s.operator in ("<", "<=", "==", "===", "~=") for s in ss)
    hits = [(v, t) for v, t, when in _tag_versions(repo_path)
            if v in ss and (capped or before is None or when <= before)]
    return hits[-1][1] if hits else None


def commit_time(repo: GitRepo, ref: str) -> int:
    r = subprocess.run(["git", "-C", repo.path, "log", "-1", "--format=%ct", ref],
                       capture_output=True, text=True, check=True)
    return int(r.stdout.strip())


class Pins:
    """Pins of every release, computed once per run."""

    def __init__(self, spec: LibrarySpec, requirements: GitRepo, repo_path):
        """`repo_path(repo_name)` -> local git dir of "openstack/x", or None when not fetched."""
        self.spec, self.req, self.repo_path = spec, requirements, repo_path
        self._cache: dict[Release, dict[str, Pin]] = {}

    def of(self, rel: Release) -> dict[str, Pin]:
        if rel not in self._cache:
            self._cache[rel] = self._compute(rel)
        return self._cache[rel]

    def _compute(self, rel: Release) -> dict[str, Pin]:
        ref = self.spec.refs.get(rel)
        if ref is None:
            return {}
        out: dict[str, Pin] = {}
        if rel.name in self.spec.ranged:
            text = self.req.read(ref, "global-requirements.txt") or ""
            before = commit_time(self.req, ref)
            for name, entries in parse_requirements(text).items():
                repo = self.spec.repos.get(name)
                local = self.repo_path(repo) if repo else None
                if local is None:
                    continue
                spec = entries[0][0]
                tag = best_tag(local, spec, before)
                if tag:
                    out[name] = Pin(name, tag, f"global-requirements.txt@{ref}: {spec or 'any'}")
        else:
            text = self.req.read(ref, "upper-constraints.txt") or ""
            for name, entries in parse_requirements(text).items():
                if name in self.spec.repos:
                    v = constraint(entries)
                    if v:
                        out[name] = self._present(Pin(name, v, f"upper-constraints.txt@{ref}"))
        return out

    def _present(self, pin: Pin) -> Pin:
        """The pin, or the highest older tag when the mirror lacks the pinned one (a snapshot
        taken before that release was tagged): said in `pinned`."""
        local = self.repo_path(self.spec.repos[pin.library])
        if local is None:
            return pin
        tags = _tag_versions(local)
        if any(t == pin.version for _, t, _ in tags):
            return pin
        try:
            want = Version(pin.version)
        except InvalidVersion:
            return pin
        older = [t for v, t, _ in tags if v <= want]
        if not older:
            return pin
        return Pin(pin.library, older[-1], pin.how, pinned=pin.version)
