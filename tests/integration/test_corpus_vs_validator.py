"""`confgen lint` against the release's real oslo-config-validator on the real-files corpus.

For every tree of tests/realfiles whose target release installs here (zed..2026.1, the
releases of test_inventory_vs_generator.CUTOFF), every nova.conf, cinder.conf and
glance-api.conf the node lint reads (with the variants confgen maps to those types:
devstack's nova-cpu.conf and nova_cell1.conf, helm's cinder/conf/backends.conf) is judged by
both tools, line by line:

  validator  ERROR "G/K is not part of the sample config"   -> unknown
             WARNING "Deprecated opt G/K found"              -> deprecated
             INFO "Ignoring missing option ... group ..."    -> abstains (its KNOWN_BAD_GROUPS:
                                                                [keystone_authtoken])
  confgen    CG201 / CG202 / CG203 / CG205                   -> unknown
             CG204                                           -> deprecated
             CG103 warning on the section header             -> unknown (section ignored)
             CG103 info on the section header                -> abstains (keys not judged)

The validator is the release's own (service venvs of service_venvs.py, shared with the
sibling tests), one process per file, given the option data the venv's own
oslo-config-generator writes for the namespaces of the service's sample-config generator
config at that release (the same data the validator builds itself from --namespace; built
once per venv and cached there). Sections a service names at run time are renamed for it as
in test_lint_vs_validator: cinder backend sections to [backend_defaults], glance store
sections (and the reserved os_glance_* stores) to the group the generator lists the store
driver's options under; verdicts are mapped back.

Every line both tools judge must get the same verdict, or be explained: by a rule of
EXPLAINED (a class of disagreement whose reason is checked against the validator's own data
on every line it explains) or by an entry of KNOWN (which tool is wrong, upstream evidence).
A KNOWN entry or a rule that explains nothing fails the test, so the tables stay true. The
agreement per release and tree is printed (run with -s). CONFGEN_VALIDATOR_RELEASES=2025.1
narrows the releases.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import service_venvs as validators
from rendered import oslo_sections
from test_families_vs_services import _dump
from test_inventory_vs_generator import CUTOFF, _venv
from test_inventory_vs_generator import _installed as _installed_raw

from confgen import releases
from confgen.extract.pins import normalise

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "realfiles"))  # corpus_lib lives beside the corpus

import corpus_lib as cl  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ROOT = HERE.parents[1]
PROJECT = {"nova.conf": "nova", "cinder.conf": "cinder", "glance-api.conf": "glance"}
OURS = {"CG201": "unknown", "CG202": "unknown", "CG203": "unknown", "CG205": "unknown",
        "CG209": "unknown", "CG204": "deprecated"}
# Older oslo.config logs through the root logger, newer through oslo_config.validator.
VALIDATOR = [
    (re.compile(r"^ERROR:[\w.]+:(.+)/(.+) is not part of the sample config"), "unknown"),
    (re.compile(r"^WARNING:[\w.]+:Deprecated opt (.+)/(.+) found"), "deprecated"),
    (re.compile(r'^INFO:[\w.]+:Ignoring missing option "(.+)" from group "(.+)" because'),
     "abstains"),
]
RANK = {"ok": 0, "abstains": 1, "deprecated": 2, "unknown": 3}


def _releases() -> list[str]:
    chosen = os.environ.get("CONFGEN_VALIDATOR_RELEASES")
    names = [releases.get(r).name for r in chosen.split(",")] if chosen else list(CUTOFF)
    return [n for n in names if n in CUTOFF]


def _trees() -> list[cl.Tree]:
    wanted = set(_releases())
    return [t for t in cl.trees() if t.release in wanted]


# --- the validator's side ---------------------------------------------------------------


@cache
def _namespaces(file: str, release: str) -> tuple[str, ...]:
    """The namespaces the service's sample-config generator config names at this release
    (recorded from upstream in the release matrix, with the config file's path)."""
    data = json.loads((ROOT / "release_matrix" / f"{file}.json").read_text())
    return tuple(data["namespaces"][release])


def opt_data(venv: Path, namespaces: tuple[str, ...]) -> Path:
    """The venv's own `oslo-config-generator --format json` for these namespaces: the data
    oslo-config-validator builds itself from --namespace (same file name and key as
    test_inventory_vs_generator, so the two share it)."""
    key = hashlib.sha256("\n".join(namespaces).encode()).hexdigest()[:16]
    cached = venv / f"generator-{key}.json"
    if not cached.is_file():
        tmp = cached.with_suffix(".tmp")
        cmd = [str(venv / "bin/oslo-config-generator"), "--format", "json",
               "--output-file", str(tmp)]
        for ns in namespaces:
            cmd += ["--namespace", ns]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if res.returncode != 0:
            raise RuntimeError(f"oslo-config-generator failed:\n{res.stderr[-3000:]}")
        cached.with_suffix(".stderr").write_text(res.stderr)
        tmp.replace(cached)
    return cached


@cache
def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def _store_group(kind: str, data: dict) -> str:
    """The group the generator lists a glance store driver's options under: glance_store's
    multi_backend._list_driver_opts keys them by the first (sorted) entry-point name of the
    driver ('cinder', 'file', 'glance.store.rbd.store', ...)."""
    groups = data["options"]
    for cand in (kind, f"glance.store.{kind}.store",
                 {"file": "glance.store.filesystem.store"}.get(kind, "")):
        if cand and cand in groups:
            return cand
    return kind


def _validator_names(project: str, node_values: dict[str, list[str]], data: dict) -> dict:
    """Run-time section -> the group the validator knows its options in."""
    enabled = ",".join(node_values.get("enabled_backends", []))
    if project == "cinder":
        return {n.strip(): "backend_defaults" for n in enabled.split(",") if n.strip()}
    if project == "glance":
        out = {}
        for item in enabled.split(","):
            if ":" in item:
                name, kind = (x.strip() for x in item.split(":", 1))
                out[name] = _store_group(kind, data)
        if out:  # multi-store: glance-api also builds its two reserved filesystem stores
            for reserved in ("os_glance_staging_store", "os_glance_tasks_store"):
                out[reserved] = _store_group("file", data)
        return out
    return {}


def validator_verdicts(venv: Path, data_path: Path, path: Path, mapping: dict[str, str],
                       places: set[tuple[str, str]], tmp: Path) -> dict[tuple[str, str], str]:
    """The real validator's verdict per (section, key) of `path`."""
    fed = tmp / f"validator-{path.name}"
    fed.write_text(validators.rename_sections(path.read_text(), mapping))
    cmd = [str(venv / "bin/oslo-config-validator"), "--input-file", str(fed),
           "--opt-data", str(data_path), "--fatal-warnings"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    back = {v: k for k, v in mapping.items()}
    out = dict.fromkeys(places, "ok")
    for line in res.stderr.splitlines():
        for rx, kind in VALIDATOR:
            if m := rx.search(line):
                a, b = m.group(1), m.group(2)
                section, key = (b, a) if kind == "abstains" else (a, b)
                # a renamed group may hold keys of several sections: every one of them
                hits = [p for p in places if p[1] == key.strip()
                        and (p[0] == section or mapping.get(p[0]) == section)]
                assert hits or back.get(section), f"validator named a key not in {path}: {line}"
                for p in hits:
                    if RANK[kind] > RANK[out[p]]:
                        out[p] = kind
    judged = {v for v in out.values() if v in ("unknown", "deprecated")}
    assert res.returncode == (1 if judged else 0), res.stderr[-3000:]
    return out


# --- confgen's side ---------------------------------------------------------------------


@dataclass
class CorpusFile:
    tree: cl.Tree
    relpath: str
    file_type: str
    path: Path  # in the staged copy
    node: list[Path]  # the other files the service reads with it (helm's backends.conf)
    lines: dict[int, tuple[str, str]] = field(default_factory=dict)
    ours: dict[int, str] = field(default_factory=dict)
    messages: dict[int, str] = field(default_factory=dict)


def _scan(path: Path) -> dict[int, tuple[str, str]]:
    """line number -> (section, key) of each assignment, checked against oslo.config's own
    parser (the validator's)."""
    out: dict[int, tuple[str, str]] = {}
    section = ""
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        s = raw.strip()
        if re.match(r"^\[([^\]]+)\]", raw):
            section = s[1:-1]
        elif s and not s.startswith(("#", ";")) and not raw[0].isspace() \
                and ("=" in s or ":" in s):
            sep = min(i for i in (s.find("="), s.find(":")) if i >= 0)
            out[n] = (section, s[:sep].strip())
    parsed = {(s, k) for s, opts in oslo_sections(path).items() for k in opts}
    assert set(out.values()) == parsed, f"{path}: line scan disagrees with oslo.config"
    return out


def corpus_files(tree: cl.Tree, root: Path) -> list[CorpusFile]:
    """The oslo files of the tree as confgen's node lint reads them, with confgen's verdict
    per line (lint of each node directory, each MANIFEST extra alone as its type)."""
    from confgen.lint import discover, lint

    rel = releases.openstack().get(tree.release)
    ceph = releases.ceph_for(tree.ceph_release or "auto", rel)
    runs = [([str(root / p) for p in tree.lint], None)] if tree.lint else []
    runs += [([str(root / p)], ft) for p, ft in tree.extra]
    files: dict[Path, CorpusFile] = {}
    for paths, forced in runs:
        fresh: list[CorpusFile] = []
        for group in discover(paths, forced):
            for ft, p in group.files:
                # what the service reads together (lint keeps paths as strings)
                node = [Path(x) for x in (p, *group.also.get(ft, ()))]
                for q in node:
                    if ft in PROJECT and q.resolve() not in files:
                        cf = CorpusFile(tree, q.relative_to(root).as_posix(), ft, q,
                                        [x for x in node if x != q])
                        cf.lines = _scan(q)
                        files[q.resolve()] = cf
                        fresh.append(cf)
        if not fresh:
            continue
        res = lint(paths, rel, ceph, file_type=forced)
        by_path = {cf.path.resolve(): cf for cf in fresh}
        for f in res.findings:
            cf = by_path.get(Path(f.path).resolve())
            if cf is None:
                continue
            kind = OURS.get(f.rule)
            targets = [f.line] if f.line in cf.lines else []
            if f.rule == "CG103":  # a section: every key in it
                kind = "abstains" if f.severity == "info" else "unknown"
                section = _header(cf.path, f.line)
                targets = [n for n, (s, _) in cf.lines.items() if s == section]
            if not kind:
                continue
            for n in targets:
                if RANK[kind] > RANK[cf.ours.get(n, "ok")]:
                    cf.ours[n] = kind
                    cf.messages[n] = f"{f.rule} {f.message}"
    for cf in files.values():
        for n in cf.lines:
            cf.ours.setdefault(n, "ok")
    return sorted(files.values(), key=lambda c: c.relpath)


def _header(path: Path, line: int) -> str:
    raw = path.read_text().splitlines()[line - 1].strip()
    return raw[1:-1] if raw.startswith("[") else ""


def _node_values(cf: CorpusFile) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in [cf.path, *cf.node]:
        for opts in oslo_sections(p).values():
            for k, v in opts.items():
                out.setdefault(k, []).extend(v)
    return out


# --- explanations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One disagreement, with what the validator was asked."""

    release: str
    tree: str
    file: str  # file type
    relpath: str
    line: int
    section: str
    key: str
    ours: str
    theirs: str
    group: str  # the group the validator was asked about (after renaming)
    message: str  # confgen's finding


@dataclass
class Evidence:
    """What the release's venv and data say, for the rules of EXPLAINED."""

    data: dict  # the generator's option data the validator used
    node: dict[str, list[str]]  # option -> values, over the node's files of this service
    sections: dict[str, dict[str, list[str]]]  # the file, as oslo.config reads it
    venv: Path
    release: str

    def sample(self, group: str, key: str) -> dict:
        for o in self.data["options"].get(group, {}).get("opts", []):
            if key in (o["name"], o.get("dest")):
                return o
        return {}

    def ksa(self) -> dict:
        return _dump_ksa(self.venv)

    def era(self, file: str, section: str, key: str) -> dict:
        """Our era of [section] key at this release (release matrix), {} if none."""
        rel = releases.get(self.release).index
        for o in _matrix(file)["options"]:
            if o["key"] != f"{section}.{key}":
                continue
            for e in o["eras"]:
                if releases.get(e["from"]).index <= rel <= releases.get(e["to"]).index:
                    return e
        return {}

    def newer_in_venv(self, file: str, e: dict) -> tuple[str, str, str] | None:
        """(library, pinned, installed) where the venv holds a newer release of the library
        that defines this era's option than the release pins."""
        from packaging.version import Version

        dist = e.get("source", "").split(":", 1)[0].split("/")[-1]
        pinned = _matrix(file)["libraries"][self.release].get(dist)
        installed = _installed(self.venv).get(normalise(dist))
        if pinned and installed and Version(installed) > Version(pinned):
            return dist, pinned, installed
        return None


@cache
def _matrix(file: str) -> dict:
    return json.loads((ROOT / "release_matrix" / f"{file}.json").read_text())


@cache
def _dump_ksa(venv: Path) -> dict:
    return _dump(venv, "dump_ksa.py")


@cache
def _installed(venv: Path) -> dict[str, str]:
    return _installed_raw(venv)


def _ksa_runtime(d: Line, ev: Evidence) -> bool:
    """The key is one keystoneauth registers in this section at run time: a common auth
    option (auth_type, auth_section) or an option of the plugin the section's auth_type
    names, in a section the sample lists keystoneauth session options for."""
    if (d.ours, d.theirs) != ("ok", "unknown"):
        return False
    ksa = ev.ksa()
    session = {o["name"] for o in ksa["session"]}
    listed = {o["name"] for o in ev.data["options"].get(d.group, {}).get("opts", [])}
    if not session & listed:
        return False  # not a section the service loads keystoneauth from
    if d.key in {o["name"] for o in ksa["common"]}:
        return True
    plugin = (ev.sections.get(d.section, {}).get("auth_type") or [""])[-1]
    return d.key in {o["name"] for o in ksa["plugins"].get(plugin, [])}


def _cinder_backend_option_in_default(d: Line, ev: Evidence) -> bool:
    return (d.file == "cinder.conf" and d.section == "DEFAULT"
            and (d.ours, d.theirs) == ("unknown", "ok") and d.message.startswith("CG202")
            and bool(ev.node.get("enabled_backends"))
            and bool(ev.sample("backend_defaults", d.key)))


def _newer_library(d: Line, ev: Evidence) -> bool:
    if (d.ours, d.theirs) != ("deprecated", "unknown") or ev.sample(d.group, d.key):
        return False
    e = ev.era(d.file, d.section, d.key)
    return bool(e) and e["to"] == d.release and ev.newer_in_venv(d.file, e) is not None


# Classes of disagreement: name -> (predicate, why). The predicate checks the reason on the
# validator's own data (or the venv's libraries) for every line it explains.
EXPLAINED: dict[str, tuple[Callable[[Line, Evidence], bool], str]] = {
    "deprecated-for-removal": (
        lambda d, ev: (d.ours, d.theirs) == ("deprecated", "ok")
        and bool(ev.sample(d.group, d.key).get("deprecated_for_removal")),
        "validator: the option is deprecated for removal (the generator's own data says "
        "deprecated_for_removal) and confgen says so; the validator only warns about old "
        "spellings (its deprecated_options table), never about an option marked for removal "
        "(oslo_config/validator.py _validate_deprecated_opt)"),
    "keystoneauth-at-run-time": (
        _ksa_runtime,
        "validator: the service loads a keystoneauth plugin from this section at run time "
        "(keystoneauth1 register_auth_conf_options + load_auth_from_conf_options), which "
        "registers auth_type, auth_section and the options of the plugin auth_type names; "
        "the sample lists only what the service's list_opts names (cinder [nova]/[glance]: "
        "session and common options, no plugin; cinder [service_user]: v3password without "
        "auth_type; oslo.limit: the password plugins without auth_type); evidence: "
        "cinder/compute/nova.py:100, cinder/service_auth.py:47, cinder/opts.py:338-343"
        "@stable/2025.1, cinder/image/glance.py:129@stable/2025.2, oslo_limit/opts.py "
        "register_opts (register_auth_conf_options, then the auth_type plugin's options)"),
    "cinder-backend-option-in-DEFAULT": (
        _cinder_backend_option_in_default,
        "validator: a volume backend option cinder.opts lists under [DEFAULT] as well as "
        "[backend_defaults]; with enabled_backends set (required since ocata: cinder-volume "
        "exits without it, cinder/cmd/volume.py main) each backend reads its own section, "
        "then [backend_defaults] (cinder/volume/configuration.py BackendGroupConfiguration), "
        "never [DEFAULT]"),
    "venv-library-newer-than-the-pin": (
        _newer_library,
        "validator: the release's venv resolves PyPI as of its cut-off date (2026.1: "
        "2026-10-31, see test_oslo_validator.CUTOFF), which brings a newer library than the "
        "release's upper-constraints pin; that release removed the option the pinned "
        "library still reads (deprecated there, as confgen says)"),
}

# (file, section, key) -> (releases "a..b" or "*", ours, theirs, which tool is wrong and why)
KNOWN: dict[tuple[str, str, str], tuple[str, str, str, str]] = {
}


def _in(spec: str, release: str) -> bool:
    if spec == "*":
        return True
    a, _, b = spec.partition("..")
    idx = releases.get(release).index
    return releases.get(a).index <= idx <= releases.get(b or a).index


def explain(d: Line, ev: Evidence) -> str:
    k = KNOWN.get((d.file, d.section, d.key))
    if k and _in(k[0], d.release) and k[1:3] == (d.ours, d.theirs):
        return f"KNOWN {d.file} [{d.section}] {d.key}"
    for name, (pred, _why) in EXPLAINED.items():
        if pred(d, ev):
            return name
    return ""


# --- the test ---------------------------------------------------------------------------

STATS: dict[str, Counter] = {}  # tree id -> counts
USED: Counter = Counter()  # explanation -> lines it explained
ABSTAINED: list[str] = []  # lines one tool does not judge and the other finds wrong


def _names(opts: list[dict]) -> list[dict]:
    return [{k: o[k] for k in ("name", "dest") if k in o} for o in opts]


def trimmed(data_path: Path, groups: set[str], tmp: Path) -> Path:
    """The option data cut to what the validator looks up without --check-defaults: the
    name and dest of options[group]['opts'] and deprecated_options[group] for the groups of
    the file. Parsing the whole file (about 1 MB, mostly help text) with PyYAML's
    pure-Python loader takes seconds per file; test_trimmed_data_gives_the_same_verdicts
    checks the verdicts are the same."""
    data = _load(data_path)
    cut = {"generator_options": {},
           "options": {g: {"opts": _names(v["opts"])} for g, v in data["options"].items()
                       if g in groups},
           "deprecated_options": {g: _names(v) for g, v in data["deprecated_options"].items()
                                  if g in groups}}
    out = tmp / f"opt-data-{len(list(tmp.glob('opt-data-*')))}.json"
    out.write_text(json.dumps(cut))
    return out


def _judge(need, cf: CorpusFile, tmp: Path, stats: Counter) -> list[Line]:
    """Compare the two tools on every line of one file; the unexplained disagreements."""
    tree = cf.tree
    project = PROJECT[cf.file_type]
    venv = _venv(need, project, tree.release)
    data_path = opt_data(venv, _namespaces(cf.file_type, tree.release))
    data = _load(data_path)
    node = _node_values(cf)
    mapping = _validator_names(project, node, data)
    places = set(cf.lines.values())
    groups = {mapping.get(s, s) for s, _ in places}
    theirs = validator_verdicts(venv, trimmed(data_path, groups, tmp), cf.path, mapping,
                                places, tmp)
    ev = Evidence(data, node, oslo_sections(cf.path), venv, tree.release)
    stats["files"] += 1
    bad = []
    for n, place in sorted(cf.lines.items()):
        stats["lines"] += 1
        o, t = cf.ours[n], theirs[place]
        if "abstains" in (o, t):
            who, other = ("validator", o) if t == "abstains" else ("confgen", t)
            stats[f"{who} abstains"] += 1
            if other != "ok":  # what the other tool says there, for the record (-s)
                ABSTAINED.append(f"{tree.release} {cf.relpath}:{n} [{place[0]}] {place[1]}: "
                                 f"{who} does not judge it, the other says {other}")
            continue
        stats["compared"] += 1
        if o == t:
            stats["agree"] += 1
            stats[f"agree {o}"] += 1
            continue
        d = Line(tree.release, tree.id, cf.file_type, cf.relpath, n, *place, o, t,
                 mapping.get(place[0], place[0]), cf.messages.get(n, ""))
        why = explain(d, ev)
        if why:
            stats["explained"] += 1
            USED[why] += 1
        else:
            bad.append(d)
    return bad


def _row(tree_id: str, release: str, st: Counter, seconds: float | None = None) -> str:
    c = st["compared"]
    t = f" [{seconds:.1f}s]" if seconds is not None else ""
    return (f"{release:<7} {tree_id:<26} files {st['files']:2d} lines {st['lines']:4d} "
            f"compared {c:4d}: agree {st['agree']:4d} ({100 * st['agree'] / max(c, 1):5.1f}%; "
            f"ok {st['agree ok']}, unknown {st['agree unknown']}, deprecated "
            f"{st['agree deprecated']}), explained {st['explained']:3d} "
            f"({100 * (st['agree'] + st['explained']) / max(c, 1):5.1f}% accounted); "
            f"not judged by validator {st['validator abstains']}, by confgen "
            f"{st['confgen abstains']}{t}")


@pytest.mark.parametrize("tree", [pytest.param(t, id=t.id) for t in _trees()])
def test_corpus_tree_gets_the_validators_verdicts(need, tree: cl.Tree):
    t0 = time.monotonic()
    stats: Counter = Counter()
    bad: list[Line] = []
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        files = corpus_files(tree, cl.staged(tree, tmp))
        assert files, f"{tree.id}: no nova.conf, cinder.conf or glance-api.conf"
        for cf in files:
            bad += _judge(need, cf, tmp, stats)
    STATS[tree.id] = stats
    print(f"\n{_row(tree.id, tree.release, stats, time.monotonic() - t0)}")
    table = "\n".join(f"  {d.relpath}:{d.line} [{d.section}] {d.key}: confgen={d.ours} "
                      f"validator={d.theirs} (asked as [{d.group}]) {d.message[:140]}"
                      for d in bad)
    assert not bad, (f"{tree.id}: {len(bad)} unexplained disagreements (fix ours, or "
                     f"document in KNOWN which tool is wrong):\n{table}")


def test_agreement_per_release_and_every_explanation_is_used():
    """The summary per release; every KNOWN entry and EXPLAINED rule must still explain a
    line (judged only when every tree of every release ran in this session)."""
    trees = _trees()
    if not trees or any(t.id not in STATS for t in trees) \
            or set(_releases()) != set(CUTOFF):
        pytest.skip("needs every tree of every release in this session")
    by_rel: dict[str, Counter] = {}
    for t in trees:
        by_rel.setdefault(t.release, Counter()).update(STATS[t.id])
    print("\nagreement of confgen lint and oslo-config-validator per release:")
    for rel, st in sorted(by_rel.items(), key=lambda kv: releases.get(kv[0]).index):
        print(_row(f"({sum(t.release == rel for t in trees)} trees)", rel, st))
    total: Counter = sum(by_rel.values(), Counter())
    print(_row("(all)", "all", total))
    for why, n in USED.most_common():
        reason = EXPLAINED[why][1] if why in EXPLAINED else KNOWN[
            next(k for k in KNOWN if why == f"KNOWN {k[0]} [{k[1]}] {k[2]}")][3]
        print(f"  {n:4d} lines: {why}: {reason[:160]}")
    print(f"lines one tool does not judge and the other calls unknown or deprecated: "
          f"{len(ABSTAINED)}")
    for row in ABSTAINED:
        print(f"  {row}")
    unused = [k for k in EXPLAINED if not USED[k]]
    unused += [k for k in KNOWN if not USED[f"KNOWN {k[0]} [{k[1]}] {k[2]}"]]
    assert not unused, f"explanations that no longer explain a disagreement: {unused}"


@pytest.mark.parametrize("file", sorted(PROJECT))
def test_trimmed_data_gives_the_same_verdicts(need, tmp_path, file):
    """Control for trimmed(): on the newest devstack file (plus a typo and an old spelling),
    the validator logs exactly the same with the whole option data and with the cut one."""
    release = _releases()[-1]
    tree = next(t for t in cl.trees() if t.id == f"devstack/{release}")
    conf = tree.path / "etc" / PROJECT[file] / file
    venv = _venv(need, PROJECT[file], release)
    data_path = opt_data(venv, _namespaces(file, release))
    fed = tmp_path / file
    typo = {"nova.conf": "[libvirt]\nimages_rbd_pol = vms\n",
            "cinder.conf": "[DEFAULT]\nbackup_ceph_usr = x\n",
            "glance-api.conf": "[glance_store]\nrbd_store_pol = x\n"}[file]
    old_group, olds = sorted(_load(data_path)["deprecated_options"].items())[0]
    fed.write_text(f"{conf.read_text()}{typo}[{old_group}]\n{olds[0]['name']} = x\n")
    groups = set(oslo_sections(fed))

    def run(data: Path) -> tuple[int, list[str]]:
        cmd = [str(venv / "bin/oslo-config-validator"), "--input-file", str(fed),
               "--opt-data", str(data), "--fatal-warnings"]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        return res.returncode, sorted(res.stderr.splitlines())

    whole, cut = run(data_path), run(trimmed(data_path, groups, tmp_path))
    assert whole == cut
    assert whole[0] == 1
    assert any("is not part of the sample config" in x for x in whole[1]), whole
    assert any("Deprecated opt" in x for x in whole[1]), whole
