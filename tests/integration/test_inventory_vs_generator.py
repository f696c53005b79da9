"""The complete inventory against the real `oslo-config-generator --format json`.

For every release whose services install here (service_venvs.py: nova, cinder, glance with
glance_store[cinder], resolved by uv as PyPI stood on a cut-off date), the venv's own
oslo-config-generator lists the namespaces the service's generator config names, at the
library versions the venv holds. Those versions are not the release's pins (PyPI on the
cut-off date, not upper-constraints), so the facts compared are extracted *at the venv's
versions*: the same extractor and spec, with the service read at the tag of its installed
version and every library at its installed version. Then, section by section:

* every option the generator lists must be ours, with the same type, default, choices, min,
  max, secret flag, deprecation flag and old spellings;
* every option we have beyond the generator's list must be explained: keystoneauth plugin
  options (the generator samples the password plugins; any auth_type registers its own),
  options registered at import that no namespace lists (the spec's [[inventory.scan]]),
  backend/store options the drivers read (families.py), reserved store sections;
* known disagreements are in ALLOWED with the reason.

The agreement per release is printed (run with -s); CONFGEN_GENERATOR_RELEASES=2025.1,2024.1
narrows the releases.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import service_venvs as validators
from generator_json import Rec, generator_records, make_rec, run_generator

from confgen import releases
from confgen.extract.build import Extractor, Fact
from confgen.extract.gitread import GitRepo
from confgen.extract.inventory import Inventory, InventorySpec, Mirrors
from confgen.extract.pins import Pin, Pins, load_library_spec, normalise
from confgen.extract.spec import load_spec

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
MIRRORS = Path(os.environ.get("CONFGEN_MIRRORS", "/work/.mirror"))
PROJECT = {"nova.conf": "nova", "cinder.conf": "cinder", "glance-api.conf": "glance"}
# the cut-off dates: about a month after each release's nova X.0.0 tag (test_oslo_validator.py
# explains 2026.1's later date). zed, 2023.1 and 2023.2 install on this Python 3.11 too; yoga
# does not (PyPI of 2022-04 has no greenlet/yappi wheels for 3.11 and their sources do not
# build against it), nor anything older.
CUTOFF = {"zed": "2022-10-31", "2023.1": "2023-04-30", "2023.2": "2023-10-31",
          "2024.1": "2024-04-30",
          "2024.2": "2024-10-31", "2025.1": "2025-04-30", "2025.2": "2025-10-31",
          "2026.1": "2026-10-31"}

# Known disagreements: (release or "*", file, "[group] name", field) -> why.
ALLOWED: dict[tuple[str, str, str, str], str] = {}


def _releases() -> list[str]:
    chosen = os.environ.get("CONFGEN_GENERATOR_RELEASES")
    names = [releases.get(r).name for r in chosen.split(",")] if chosen else list(CUTOFF)
    return [n for n in names if n in CUTOFF]


def _venv(need, project: str, release: str) -> Path:
    versions = releases.get(release).versions
    store = versions.get("glance_store", "") if project == "glance" else ""
    try:
        return validators.service_venv(project, versions[project], CUTOFF[release], store)
    except validators.Offline as exc:
        need(False, str(exc))
        raise


def _installed(venv: Path) -> dict[str, str]:
    code = ("import json, importlib.metadata as m\n"
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))")
    out = subprocess.run([str(venv / "bin/python"), "-c", code], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    return {normalise(k): v for k, v in json.loads(out).items()}


class VenvPins(Pins):
    """Pins that are the versions installed in a validator venv (tag <= version if absent)."""

    def __init__(self, spec, requirements, repo_path, installed: dict[str, str]):
        super().__init__(spec, requirements, repo_path)
        self.installed = installed

    def _compute(self, rel):  # noqa: ARG002 - one release per instance
        out = {}
        for name in self.spec.repos:
            v = self.installed.get(name)
            if v:
                out[name] = self._present(Pin(name, v, "installed in the validator venv"))
        return out

    def newer_than_mirror(self, rel) -> dict[str, tuple[str, str]]:
        """dist -> (installed version, tag read instead): the venv is newer than the mirror."""
        return {k: (p.pinned, p.version) for k, p in self.of(rel).items() if p.pinned}


_PROBE = r"""
import importlib, importlib.metadata as md, json, sys
names, dists, modules = json.loads(sys.stdin.read())
found = {}
for d in dists:
    try:
        files = md.distribution(d).files or []
    except md.PackageNotFoundError:
        continue
    for f in files:
        if not str(f).endswith(".py"):
            continue
        try:
            text = f.read_text()
        except (OSError, UnicodeDecodeError):
            continue
        for n in names:
            if n not in found and (f"'{n}'" in text or f'"{n}"' in text):
                found[n] = d
bad = []
for m in modules:
    try:
        importlib.import_module(m)
    except Exception:
        bad.append(m)
print(json.dumps([found, bad]))
"""


def _probe(venv: Path, names: list[str], dists: list[str], modules: list[str]):
    """In the venv: which of `dists` defines each option name (a quoted literal in its
    source), and which `modules` fail to import there."""
    if not (names and dists) and not modules:
        return {}, set()
    res = subprocess.run([str(venv / "bin/python"), "-c", _PROBE],
                         input=json.dumps([names, dists, modules]), capture_output=True,
                         text=True, timeout=600, check=True)
    found, bad = json.loads(res.stdout)
    return found, set(bad)


def _service_tag(repo: GitRepo, version: str, fallback: str) -> str:
    r = subprocess.run(["git", "-C", repo.path, "rev-parse", "--verify", "--quiet",
                        f"refs/tags/{version}"], capture_output=True)
    return version if r.returncode == 0 else fallback


@dataclasses.dataclass
class Ours:
    facts: dict[tuple[str, str], Fact]
    namespaces: list[str]
    versions: dict[str, str]
    service_ref: str
    newer: dict[str, tuple[str, str]]  # venv library newer than the mirror: (installed, read)


def _extract_at_venv(file: str, release: str, venv: Path) -> Ours:
    spec = load_spec(ROOT / "release_matrix/sources" / f"{file}.toml")
    assert spec.inventory is not None
    mirrors = Mirrors(MIRRORS)
    rel = releases.get(release)
    installed = _installed(venv)
    repo = mirrors.repo(spec.repo)
    assert repo is not None
    tag = _service_tag(repo, installed[PROJECT[file]], spec.refs[rel])
    libspec = load_library_spec(ROOT / "release_matrix/sources/libraries.toml")
    pins = VenvPins(libspec, mirrors.repo(libspec.requirements), mirrors.path, installed)
    conf = spec.inventory
    inv = Inventory(spec.repo, {rel: tag}, {}, InventorySpec(
        generator=conf.generator, package=conf.package, namespace_aliases=conf.namespace_aliases,
        own=conf.own, extra=conf.extra, drop=conf.drop, scan=conf.scan, ksa=conf.ksa,
        families=conf.families), pins, mirrors, spec.constants)
    ex = Extractor(dataclasses.replace(spec, refs={rel: tag}), repo, inv)
    try:
        facts = ex.release_facts(rel, tag)
    finally:
        mirrors.close()
    info = ex.release_info[rel]
    return Ours(facts, info.namespaces,
                {k: p.version for k, p in info.libraries.items()}, tag,
                pins.newer_than_mirror(rel))


def _real(venv: Path, namespaces: list[str]) -> tuple[dict[tuple[str, str], Rec], str]:
    key = hashlib.sha256("\n".join(namespaces).encode()).hexdigest()[:16]
    cached = venv / f"generator-{key}.json"
    err = venv / f"generator-{key}.stderr"
    if not cached.is_file():
        data, stderr = run_generator(venv, namespaces, cached.with_suffix(".tmp"))
        cached.with_suffix(".tmp").replace(cached)
        err.write_text(stderr)
    data = json.loads(cached.read_text())
    return generator_records(data), err.read_text()


def _rec(f: Fact) -> Rec:
    return make_rec(f.section, f.name, f.namespace, f.item_type or f.type, f.default,
                    f.choices, f.min, f.max, f.secret, f.deprecated,
                    [(s, n) for s, n in f.aliases])


@dataclasses.dataclass
class Verdict:
    key: str
    field: str
    ours: Any = None
    real: Any = None
    why: str = ""  # "" = unexplained

    def row(self) -> str:
        return f"{self.key:<58} {self.field:<9} ours={self.ours!r:<30.30} real={self.real!r:.50}"


def _candidates(file: str, group: str, name: str, store_groups: set[str]) -> list[tuple[str, str]]:
    """Our (section, name) for a group the generator lists (see the module doc)."""
    out = [(group, name)]
    if file == "cinder.conf" and group in ("backend_defaults", "backend", "DEFAULT"):
        out.append(("@backend", name))
    if file == "glance-api.conf" and group in store_groups:
        out += [("@store", name), ("glance_store", name)]
    return out


def compare(file: str, release: str, ours: Ours, real: dict[tuple[str, str], Rec],
            stderr: str) -> tuple[list[Verdict], Counter]:
    stats: Counter = Counter()
    verdicts: list[Verdict] = []
    by_lower = {(s.lower(), n): (s, n) for s, n in ours.facts}  # groups: case-insensitive
    store_groups = {g for (g, _), r in real.items() if r.namespace == "glance.multi_store"
                    and g != "glance_store"}
    seen: set[tuple[str, str]] = set()
    for (group, name), r in sorted(real.items()):
        stats["generator"] += 1
        hit = None
        for i, cand in enumerate(_candidates(file, group, name, store_groups)):
            k = by_lower.get((cand[0].lower(), cand[1]))
            if k is not None:
                fact = ours.facts[k]
                if i and cand[0] == "glance_store" and "@store" not in fact.also:
                    continue  # a store group's option is ours only where stores read it
                hit = (k, fact)
                break
        key = f"[{group}] {name}"
        if hit is None:
            verdicts.append(Verdict(key, "missing", None, r.namespace))
            continue
        k, fact = hit
        seen.add(k)
        if file == "cinder.conf" and group == "DEFAULT" and k[0] == "@backend" \
                and "DEFAULT" not in fact.also:
            stats["explained"] += 1
            verdicts.append(Verdict(key, "section", "@backend", "DEFAULT", why=(
                "a backend option cinder.opts also lists in [DEFAULT]: backends read their own "
                "section and [backend_defaults], not [DEFAULT] (volume/configuration.py)")))
            continue
        mine = _rec(fact)
        fine = True
        for f in ("type", "default", "choices", "min", "max", "secret", "deprecated", "aliases"):
            a, b = getattr(mine, f), getattr(r, f)
            if f == "aliases":  # an old spelling in the option's own section/group is "own"
                # (groups compare as oslo.config looks them up: lower-cased, so the generator's
                # deprecated group 'DATABASE' of [database] is the option's own section)
                a = tuple(sorted(("<own>" if g.lower() == fact.section.lower() else g.lower(), n)
                                 for g, n in a))
                b = tuple(sorted(("<own>" if g.lower() == group.lower() else g.lower(), n)
                                 for g, n in b))
            if a == b:
                continue
            why = ""
            if f == "default" and str(a).startswith("<computed"):
                why = "computed at run time on the host (name, address, CPU count, environment)"
            elif f == "max" and a is None and isinstance(b, int):
                why = "a bound computed at run time (e.g. the CPU count)"
            elif f == "aliases" and set(a) > set(b) and fact.repo == "openstack/keystoneauth":
                why = ("old spellings keystoneauth reads at run time (the service's "
                       "deprecated_opts, every plugin's deprecated names) that the sample's "
                       "copy of the option leaves out")
            fine = False
            verdicts.append(Verdict(key, f, a, b, why))
        stats["equal" if fine else "differs"] += 1
    listed = set(ours.namespaces)
    unloadable = listed - {r.namespace for r in real.values()}  # stevedore could not load it
    for k, fact in sorted(ours.facts.items()):
        if k in seen:
            continue
        why = ""
        if fact.auth_plugins:
            why = "keystoneauth plugin option: read when auth_type names a plugin that has it"
        elif fact.namespace == "keystoneauth1":
            why = "keystoneauth session/adapter/auth option the service registers, not listed"
        elif fact.namespace in unloadable:
            why = f"namespace {fact.namespace} does not load in the venv"
        elif fact.namespace.startswith("scan:"):
            why = "registered at import but listed by no namespace ([[inventory.scan]])"
        elif fact.namespace.startswith("drivers:"):
            why = "read by a volume driver (families.py), listed by no namespace"
        elif fact.section.startswith("os_glance_"):
            why = "reserved store section (families.py)"
        elif fact.section == "@store" and fact.name in ("store_description", "weight"):
            why = "registered in each store section when the store is built (glance_store)"
        stats["extra explained" if why else "extra"] += 1
        verdicts.append(Verdict(f"[{k[0]}] {k[1]}", "extra", fact.namespace, None, why))
    for v in verdicts:
        if not v.why:
            allowed = [ALLOWED.get((r_, file, v.key, v.field)) for r_ in (release, "*")]
            v.why = next((a for a in allowed if a), "")
    return verdicts, stats


def explain_by_venv(venv: Path, ours: Ours, verdicts: list[Verdict]) -> None:
    """What only the venv can tell: an option the venv's library defines where that library is
    newer than any tag of our mirror; an option of ours whose module cannot import there."""
    open_ = [v for v in verdicts if not v.why]
    names = sorted({v.key.split("] ", 1)[1] for v in open_ if v.field != "extra"})
    extras = {v.key: ours.facts[(v.key[1:].split("] ")[0], v.key.split("] ", 1)[1])]
              for v in open_ if v.field == "extra"}
    modules = sorted({f.path[:-3].replace("/", ".") for f in extras.values()
                      if f.path.endswith(".py")})
    found, bad = _probe(venv, names if ours.newer else [], sorted(ours.newer), modules)
    for v in open_:
        if v.field == "extra":
            mod = extras[v.key].path[:-3].replace("/", ".")
            if mod in bad:
                v.why = f"{mod} does not import in the venv (an optional dependency is missing)"
            continue
        dist = found.get(v.key.split("] ", 1)[1])
        if dist is not None and normalise(dist) in ours.newer:
            inst, read = ours.newer[normalise(dist)]
            v.why = f"{dist} {inst} in the venv is newer than the mirror's tags (we read {read})"


@pytest.mark.parametrize("file", sorted(PROJECT))
@pytest.mark.parametrize("release", _releases())
def test_inventory_agrees_with_the_real_generator(need, release, file):
    need(all((MIRRORS / r / "repo").is_dir() for r in (
        "openstack+nova", "openstack+cinder", "openstack+glance", "openstack+requirements",
        "openstack+oslo.log", "openstack+keystoneauth")), f"upstream mirrors under {MIRRORS}")
    venv = _venv(need, PROJECT[file], release)
    ours = _extract_at_venv(file, release, venv)
    real, stderr = _real(venv, ours.namespaces)
    verdicts, stats = compare(file, release, ours, real, stderr)
    explain_by_venv(venv, ours, verdicts)
    bad = [v for v in verdicts if not v.why]
    explained = Counter(v.why for v in verdicts if v.why)
    extras = [v for v in verdicts if v.field == "extra"]
    stats["extra"] = sum(1 for v in extras if not v.why)
    stats["extra explained"] = len(extras) - stats["extra"]
    n = stats["generator"]
    if ours.newer:
        print(f"\n{release} {file}: venv libraries newer than the mirror: "
              + ", ".join(f"{k} {a} (read {b})" for k, (a, b) in sorted(ours.newer.items())))
    print(f"\n{release} {file} (service {ours.service_ref}, libraries as installed): "
          f"generator {n} options; ours equal {stats['equal']} ({100 * stats['equal'] / n:.1f}%),"
          f" differing {stats['differs']}, missing {sum(v.field == 'missing' for v in verdicts)};"
          f" ours beyond the generator {stats['extra'] + stats['extra explained']}"
          f" ({stats['extra explained']} explained)")
    for why, c in explained.most_common():
        print(f"   {c:5d} explained: {why}")
    table = "\n".join(v.row() for v in bad)
    assert not bad, f"{release} {file}: {len(bad)} unexplained disagreements\n{table}"
