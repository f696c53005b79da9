"""Which release are these files for? (`--release auto`)

First from the installed service packages (Python metadata of nova/cinder/glance, or the Debian
package versions), else from the files, weighing the evidence (see `from_options`): the
narrowest range of releases it supports, with the clues that decided its ends.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata

from confgen import releases
from confgen.matrix.coverage import vouches
from confgen.matrix.load import load_histories
from confgen.releases import Release

SERVICES = ("nova", "cinder", "glance")
# Debian/Ubuntu package that carries each service's Python code
_DEB_PACKAGES = {"nova": "python3-nova", "cinder": "python3-cinder", "glance": "python3-glance"}


@dataclass
class Detection:
    """What the files prove about their release, and a guess within it.

    `releases` is the proven range: every release no strong clue excludes (files written for
    any release outside it would not load or would name an option that does not exist yet).
    `likely` narrows it with weak clues (options the release no longer reads): deployment tools
    keep writing options for many releases after they are removed (devstack wrote cinder's
    glance_api_version until 2026.1, last read by pike; charms write nova's use_neutron at
    2024.1, last read by train), so it is a guess to lint by, never a proof to edit by."""

    releases: list[Release]  # candidates, oldest first (empty: nothing fits)
    how: str  # "packages" or "files"
    evidence: list[str] = field(default_factory=list)  # human-readable reasons
    likely: list[Release] = field(default_factory=list)  # within `releases` (files only)

    @property
    def possible(self) -> list[Release]:
        """What strong evidence alone allows: a release outside it contradicts the files."""
        return self.releases

    @property
    def best(self) -> Release | None:
        """The release to lint by: the newest likely one (files that fit several releases
        were most likely written for the newest of them: an upgrade keeps old spellings
        alive as aliases)."""
        pick = self.likely or self.releases
        return pick[-1] if pick else None

    def describe(self) -> str:
        if not self.releases:
            return "no release accepts all of these options"
        out = f"{_span(self.releases)} (from {self.how})"
        if self.likely and self.likely != self.releases:
            out += f", likely {_span(self.likely)}"
        return out


def _span(rels: list[Release]) -> str:
    """'pike..rocky', or its runs where strong clues exclude releases inside it
    ('havana, juno..rocky')."""
    runs: list[list[Release]] = []
    for r in rels:
        if runs and runs[-1][-1].index + 1 == r.index:
            runs[-1].append(r)
        else:
            runs.append([r])
    return ", ".join(run[0].name if len(run) == 1 else f"{run[0].name}..{run[-1].name}"
                     for run in runs)


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


# weak clues narrow the likely range only where at least this many options agree (two stale
# options have been seen wrong on real files: data that misses a section an option is read from)
WEAK_QUORUM = 3
# deployment tools keep writing an option for a release or two after the service stops reading
# it (devstack 2026.1 still writes nova's enabled_apis, last read by 2025.1): a removed option
# counts against the likely releases after that lag only
STALE_LAG = 2
# rules whose errors mean the service refuses these files at that release: it does not start
# (a driver path it cannot load, a [DEFAULT] backend, a default store it does not load) or
# rejects a value when it reads the option (not its type, not among its choices, out of its
# range). A working deployment's files cannot have them at their release (strong evidence),
# unlike an option the service ignores
_START_RULES = ("CG305", "CG409", "CG410")  # values: `rejected_values` (CG301-CG303 logic)
# weight of one strong clue; a release is excluded at EXCLUDED. An option that came with its
# section (the release before it read nothing from that section: a new feature's group) weighs
# half where it does not exist yet: a tool may configure a whole feature before the service
# gains it (puppet-nova pike writes [placement_database], which nova reads from rocky), so
# such an option needs a second, independent clue
EXCLUDED = 1.0
_NEW_SECTION = 0.5


@dataclass
class Clue:
    """What one spelling found in a file says about each release."""

    shown: str  # "nova.conf [libvirt] images_type"
    cause: tuple  # clues of one cause (a section's options introduced together) count once
    not_yet: dict[Release, float]  # release -> weight: the option does not exist there yet
    since: Release  # its first release
    unread: set[Release]  # releases whose data vouches that they do not read it (weak)
    last: Release  # the newest release that reads it
    first: Release  # the oldest release that reads it


def clues(options: Mapping[str, Iterable[tuple[str, str]]]) -> list[Clue]:
    """The clues of the (section, name) pairs per file (see `from_options`)."""
    fam = releases.openstack()
    out: list[Clue] = []
    for file, pairs in options.items():
        if file == "ceph.conf":
            continue
        matrix = load_histories(file)
        tokens = {s: {s} for s, _ in pairs if s.startswith("@")}
        # one spelling is one clue: it can be the name of several options over time (auth_uri
        # is keystonemiddleware's own option and an old spelling of www_authenticate_uri); a
        # release is against it only where none of them reads it
        for section, name in sorted(set(pairs)):
            hist = matrix.history(section, name, tokens)
            if not hist:
                continue  # a name no release reads says nothing about the release
            rels = {r for rs in hist.values() for r in rs}
            since = min(matrix.option(k).introduced for k in hist)
            # only the service's own history is read at every release; when a library
            # option first appears depends on which namespaces the generator listed and on
            # the pins (os-vif's options are read long before nova's generator lists them):
            # a library option counts where the release's generator listed its namespace (the
            # data then holds all of that namespace's options at that release)
            own = [matrix.option(k).introduced for k in hist if _own(matrix, k)]
            listed = {matrix.option(k).eras[0].namespace for k in hist} - {""}
            spaces = {e.namespace for k in hist for e in matrix.option(k).eras}
            not_yet: dict[Release, float] = {}
            unread: set[Release] = set()
            before = fam.previous(since)
            weight = (EXCLUDED if before is None or section in _sections(file, before)
                      else _NEW_SECTION)  # the option came with its section
            for r in fam.releases:
                if r < since:
                    if (own and r < min(own)) or (listed and listed <= set(
                            matrix.meta.get("namespaces", {}).get(r.name, ()))):
                        not_yet[r] = weight
                    # else: a library option's first release says nothing (see above)
                elif r not in rels and all(vouches(matrix, ns, r) for ns in spaces):
                    # (a release whose data does not cover the option's library says nothing)
                    unread.add(r)
            out.append(Clue(f"{file} [{section}] {name}", (file, section, since), not_yet,
                            since, unread, max(rels), min(rels)))
    return out


@cache
def _sections(file: str, release: Release) -> frozenset[str]:
    """The sections `release` reads `file`'s options from (its small compact index where one
    is shipped: the full view of a release decodes every option it reads)."""
    from confgen.matrix.compact import load_compact

    compact = load_compact(file, release)
    if compact is not None:
        return frozenset(compact.index.SECTIONS)
    return load_histories(file).sections(release)


def weigh(found: list[Clue], refuse: Mapping[Release, list[str]] | None = None
          ) -> dict[Release, tuple[float, list[str]]]:
    """Per release, the weight of the strong clues against it and what they are."""
    fam = releases.openstack()
    out: dict[Release, tuple[float, list[str]]] = {}
    for r in fam.releases:
        why = [f"{x} (strong)" for x in (refuse or {}).get(r, ())]
        causes: dict[tuple, float] = {}
        for c in found:
            w = c.not_yet.get(r)
            if w is None:
                continue
            causes[c.cause] = max(causes.get(c.cause, 0.0), w)
            why.append(f"{c.shown}: the option exists from {c.since}"
                       + (" (strong)" if w >= EXCLUDED else
                          " (strong with another clue: it came with its section)"))
        out[r] = (len((refuse or {}).get(r, ())) * EXCLUDED + sum(causes.values()), why)
    return out


def from_options(options: Mapping[str, Iterable[tuple[str, str]]],
                 refuse: Mapping[Release, list[str]] | None = None) -> Detection:
    """`options` maps a file name (nova.conf, ...) to the (section, name) pairs found in it;
    `refuse` maps a release to the reasons its services would refuse these files.

    Evidence is about options (an option is one identity whatever spelling it had), weighed:
    - strong (decides `releases`): an option that does not exist yet in release R (a tool
      does not write what does not exist; an option that came with its section needs a
      second clue, see _NEW_SECTION), and what R's services refuse (a driver path R cannot
      load, a [DEFAULT] backend, a default store glance does not load, a value R rejects).
      R is excluded where the clues against it weigh EXCLUDED;
    - weak (decides only `likely`): an option present in spellings none of which R reads.
      Deployment tools keep writing options for many releases after they are removed, so
      this proves nothing; it narrows the likely range where at least WEAK_QUORUM options
      agree.
    Sections named in enabled_backends should already be given as '@backend'/'@store' by the
    caller when it knows them; names no release reads say nothing about the release.
    """
    fam = releases.openstack()
    found = clues(options)
    strong = weigh(found, refuse)
    if not found and not any(w for w, _ in strong.values()):
        return Detection(list(fam.releases), "files", ["no release-specific option found"])
    evidence = []
    allowed = [r for r in fam.releases if strong[r][0] < EXCLUDED]
    if not allowed:
        fewest = min(w for w, _ in strong.values())
        allowed = [r for r in fam.releases if strong[r][0] == fewest]
        evidence.append(f"no release fits every strong clue; best fit ({fewest:g} against)")
    # the weak clues, counted by cause (options of one file that start and stop being read
    # together are one cause: a tool's stale template block, one library change)
    causes: dict[Release, set] = {r: set() for r in allowed}
    weak: dict[Release, list[str]] = {r: [] for r in allowed}
    for c in found:
        for r in allowed:
            if r in c.unread and not (r > c.last and r.index <= c.last.index + STALE_LAG):
                causes[r].add((c.cause[0], c.first, c.last))
                why = f"last read by {c.last}" if r > c.last else f"first read by {c.first}"
                weak[r].append(f"{c.shown} is not read by {r} ({why})")
    least = min(len(causes[r]) for r in allowed)
    likely = [r for r in allowed if len(causes[r]) < least + WEAK_QUORUM]
    for edge in (fam.previous(allowed[0]), fam.next(allowed[-1])):
        if edge is not None:
            evidence.extend(strong[edge][1][:3])
    if likely != allowed:
        for edge in (fam.previous(likely[0]), fam.next(likely[-1])):
            if edge in weak:
                evidence.extend(f"{why} (weak)" for why in weak[edge][:3])
    return Detection(allowed, "files", evidence, likely)


def _own(matrix, key: str) -> bool:
    """The option is the service's own (not a library's) since it first appeared."""
    ns = matrix.option(key).eras[0].namespace
    project = matrix.meta.get("project", "")
    base = ns.split(":", 1)[-1]
    return bool(project) and base != "glance.store" and (
        base == project or base.startswith(project + ".")) or ns == ""


def startup_refusals(files: Mapping) -> dict[Release, list[str]]:
    """Per release, why its services would refuse to start with these files (the errors of
    the start-up rules when linted for that release)."""
    from confgen.rules import by_id
    from confgen.rules.base import Context

    rules = [by_id()[i] for i in _START_RULES]
    out: dict[Release, list[str]] = {}
    for r in releases.openstack().releases:
        ctx = Context(files=dict(files), release=r)
        for rule in rules:
            for f in rule.check(ctx):
                if f.severity == "error":
                    out.setdefault(r, []).append(f"{f.rule} {f.message}")
    return out


def _entries(files: Mapping) -> dict[str, list[tuple[str, str, str]]]:
    """(section, name, value) per file type from parsed files (file type -> LintFile), with
    sections chosen at run time (cinder backends, glance stores) given as their token."""
    from confgen.rules.base import Context

    ctx = Context(files=dict(files), release=None)
    out: dict[str, list[tuple[str, str, str]]] = {}
    for ft, lf in files.items():
        tokens = {s: tok for tok, secs in ctx.dynamic(ft).items() for s in secs}
        triples = []
        for e in lf.doc.entries:
            if e.section is None:
                continue
            sec = lf.doc.norm_section(e.section)
            triples.append((tokens.get(sec, sec), lf.doc.norm_key(e.key), e.value or ""))
        out[ft] = triples
    return out


def options_in(files: Mapping) -> dict[str, list[tuple[str, str]]]:
    """(section, name) pairs per file type from parsed files (file type -> LintFile), with
    sections chosen at run time (cinder backends, glance stores) given as their token."""
    return {ft: [(s, n) for s, n, _v in t] for ft, t in _entries(files).items()}


def rejected_values(entries: Mapping[str, Iterable[tuple[str, str, str]]]
                    ) -> dict[Release, list[str]]:
    """Per release, the values it rejects when it reads the option (not of the option's type,
    not among its choices, outside its min/max there): the CG301-CG303 checks, asked of the
    option histories (one matrix for every release, not one per release)."""
    from confgen import mask
    from confgen.rules.values import number, type_error

    out: dict[Release, list[str]] = {}
    for file, triples in entries.items():
        if file == "ceph.conf":
            continue  # Ceph parses values its own way
        triples = list(triples)
        matrix = load_histories(file)
        tokens = {s: {s} for s, _n, _v in triples if s.startswith("@")}
        for section, name, raw in sorted(set(triples)):
            value = raw.strip()
            if not value:
                continue
            for key, rels in matrix.history(section, name, tokens).items():
                for era in matrix.option(key).eras:  # one check per era, not per release
                    why = type_error(era.type, value)
                    choices = [str(c) for c in era.choices if c is not None]
                    if why is None and choices and value not in choices:
                        why = f"is not one of {', '.join(choices)}"
                    n = number(value) if why is None else None
                    if n is not None and ((era.min is not None and n < era.min) or (
                            era.max is not None and n > era.max)):
                        why = "is outside the option's range"
                    if not why:
                        continue
                    shown = "(secret)" if era.secret else repr(mask.value(value))
                    for r in rels:
                        if era.covers(r):
                            out.setdefault(r, []).append(
                                f"{file} [{section}] {name} = {shown} {why} in {r}")
    return out


def gather(paths: list[str], startup: bool = True
           ) -> tuple[dict[str, list[tuple[str, str]]], dict[Release, list[str]]]:
    """The evidence in the files: (section, name) pairs per file type, and per release what
    its services would refuse (when `startup`)."""
    from confgen.fix import load_group
    from confgen.lint import discover

    options: dict[str, list[tuple[str, str]]] = {}
    refuse: dict[Release, list[str]] = {}
    for group in discover(paths):
        files, _texts = load_group(group, [])
        entries = _entries(files)
        for ft, triples in entries.items():
            options.setdefault(ft, []).extend((s, n) for s, n, _v in triples)
        if startup:  # a broken file proves it is broken, not which release it is for
            for found in (startup_refusals(files), rejected_values(entries)):
                for r, why in found.items():
                    refuse.setdefault(r, []).extend(why)
    return options, refuse


def from_paths(paths: list[str], use_packages: bool = True,
               startup: bool = True) -> Detection:
    """`--release auto`: installed packages first (when asked), else the options in the files."""
    if use_packages:
        found = from_packages()
        if found is not None:
            return found
    return from_options(*gather(paths, startup))
