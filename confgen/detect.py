"""Which release are these files for? (`--release auto`)

First from the installed service packages (Python metadata of nova/cinder/glance, or the Debian
package versions), else from the files: the releases that accept every option present, shown
as a range together with the options that decided its ends.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata

from confgen import releases
from confgen.matrix import load
from confgen.releases import Release

SERVICES = ("nova", "cinder", "glance")
# Debian/Ubuntu package that carries each service's Python code
_DEB_PACKAGES = {"nova": "python3-nova", "cinder": "python3-cinder", "glance": "python3-glance"}
_ACCEPTED = {"current", "alias", "deprecated"}


@dataclass
class Detection:
    releases: list[Release]  # candidates, oldest first (empty: nothing fits)
    how: str  # "packages" or "files"
    evidence: list[str] = field(default_factory=list)  # human-readable reasons

    @property
    def best(self) -> Release | None:
        """The newest candidate: files that fit several releases were most likely written
        for the newest of them (an upgrade keeps old spellings alive as aliases)."""
        return self.releases[-1] if self.releases else None

    def describe(self) -> str:
        if not self.releases:
            return "no release accepts all of these options"
        first, last = self.releases[0], self.releases[-1]
        span = first.name if first == last else f"{first.name}..{last.name}"
        return f"{span} (from {self.how})"


def release_for_version(service: str, version: str) -> Release | None:
    """Map a service version ('29.1.0', '2:29.1.0-0ubuntu1', '2014.2.4') to its release."""
    v = version.split(":", 1)[-1]
    m = re.match(r"(\d+)(?:\.(\d+))?", v)
    if not m:
        return None
    major, minor = m.group(1), m.group(2)
    want = f"{major}.{minor}" if int(major) > 2000 and minor else major
    for rel in releases.openstack().releases:
        if rel.versions.get(service) == want:
            return rel
    return None


def _python_version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _deb_version(pkg: str) -> str | None:
    if not shutil.which("dpkg-query"):
        return None
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}|${Version}", pkg],
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0 or "installed" not in out.stdout.split("|")[0]:
        return None
    return out.stdout.split("|", 1)[1].strip() or None


def from_packages() -> Detection | None:
    found: dict[str, Release] = {}
    evidence = []
    for service in SERVICES:
        for source, version in (
            ("python", _python_version(service)),
            ("dpkg", _deb_version(_DEB_PACKAGES[service])),
        ):
            rel = release_for_version(service, version) if version else None
            if rel is not None:
                found[service] = rel
                evidence.append(f"{service} {version} ({source}) -> {rel.name}")
                break
    if not found:
        return None
    rels = sorted(set(found.values()))
    if len(rels) > 1:
        evidence.append("installed services belong to different releases")
    return Detection(rels, "packages", evidence)


def from_options(options: Mapping[str, Iterable[tuple[str, str]]]) -> Detection:
    """`options` maps a file name (nova.conf, ...) to the (section, name) pairs found in it.

    Sections named in enabled_backends should already be given as '@backend'/'@store' by the
    caller when it knows them; unknown names are ignored (they say nothing about the release).
    """
    fam = releases.openstack()
    accepted: dict[Release, set[tuple[str, str, str]]] = {r: set() for r in fam.releases}
    informative: set[tuple[str, str, str]] = set()
    for file, pairs in options.items():
        if file == "ceph.conf":
            continue
        matrix = load(file)
        # a token given as the section stands for itself (any backend/store section)
        tokens = {s: {s} for s, _ in pairs if s.startswith("@")}
        for section, name in pairs:
            verdicts = {r: matrix.resolve(r, section, name, tokens).kind for r in fam.releases}
            if all(k == "unknown" for k in verdicts.values()):
                continue
            item = (file, section, name)
            informative.add(item)
            for r, kind in verdicts.items():
                if kind in _ACCEPTED:
                    accepted[r].add(item)
    if not informative:
        return Detection(list(fam.releases), "files", ["no release-specific option found"])
    best = max(len(a) for a in accepted.values())
    cands = [r for r in fam.releases if len(accepted[r]) == best]
    evidence = []
    if best < len(informative):
        evidence.append(f"no release accepts all {len(informative)} options; best fit shown")
    lo, hi = fam.previous(cands[0]), fam.next(cands[-1])
    for edge, word in ((lo, "older"), (hi, "newer")):
        if edge is None:
            continue
        for file, section, name in sorted(accepted[cands[0] if word == "older" else cands[-1]]
                                          - accepted[edge]):
            evidence.append(f"{file} [{section}] {name} is not read by {edge.name} ({word})")
            if len(evidence) > 6:
                break
    return Detection(cands, "files", evidence)


def options_in(files: Mapping) -> dict[str, list[tuple[str, str]]]:
    """(section, name) pairs per file type from parsed files (file type -> LintFile), with
    sections chosen at run time (cinder backends, glance stores) given as their token."""
    from confgen.rules.base import Context

    ctx = Context(files=dict(files), release=None)
    out: dict[str, list[tuple[str, str]]] = {}
    for ft, lf in files.items():
        tokens = {s: tok for tok, secs in ctx.dynamic(ft).items() for s in secs}
        pairs = []
        for e in lf.doc.entries:
            if e.section is None:
                continue
            sec = lf.doc.norm_section(e.section)
            pairs.append((tokens.get(sec, sec), lf.doc.norm_key(e.key)))
        out[ft] = pairs
    return out


def from_paths(paths: list[str], use_packages: bool = True) -> Detection:
    """`--release auto`: installed packages first (when asked), else the options in the files."""
    if use_packages:
        found = from_packages()
        if found is not None:
            return found
    from confgen.fix import load_group
    from confgen.lint import discover

    options: dict[str, list[tuple[str, str]]] = {}
    for group in discover(paths):
        files, _texts = load_group(group, [])
        for ft, pairs in options_in(files).items():
            options.setdefault(ft, []).extend(pairs)
    return from_options(options)
