"""Spec + git repository -> release_matrix data (a dict in the SCHEMA.md format).

Three steps: read the facts of every release (per release: (section, name) -> Fact), link the
facts of consecutive releases into options with one stable key, then fold each option's
releases into eras and apply the spec's curation.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from confgen.errors import ConfgenError
from confgen.extract.gitread import GitRepo, glob_regex
from confgen.extract.inventory import (
    Inventory,
    Mirrors,
    ReleaseInventory,
    make_inventory,
    warm_cache,
)
from confgen.extract.pyopts import ModuleOpts, OptDef, parse_module
from confgen.extract.spec import Place, Scan, Spec, matches
from confgen.releases import Release

Placement = tuple[str, str]
# era fields in output order; `path` is folded into `source`
_ERA_ORDER = (
    "section", "name", "type", "item_type", "default", "choices", "min", "max", "secret",
    "deprecated", "deprecated_since", "deprecated_reason", "replacement", "also", "aliases",
    "namespace", "drivers", "store_types", "auth_plugins",
)
# Fact fields that say where a fact was read, not what it is
_PROVENANCE = ("path", "repo", "ref", "curated")


def oslo_group(group: str) -> str:
    """The section an oslo.config group is read from: oslo.config lower-cases every group
    name but DEFAULT, both when registering and when looking up the file's sections
    (oslo_config/cfg.py _normalize_group_name, 1.2.0..9.x), so cinder.opts' ('COORDINATION',
    ...) or a register_opts(group='KEYMGR') is the [coordination] / [keymgr] operators write.
    Run-time families ("@backend") and unresolved markers are left alone."""
    if group == "DEFAULT" or group.startswith(("@", "<")):
        return group
    return group.lower()


def norm_name(name: str) -> str:
    """The spelling a config file uses: an option's dest (`log-config-append` is written
    `log_config_append`)."""
    return name.replace("-", "_")


@dataclass
class Fact:
    """One option as one release defines it."""

    section: str
    name: str
    type: str
    path: str
    default: Any = None
    choices: list[Any] | None = None
    min: Any = None
    max: Any = None
    secret: bool = False
    deprecated: bool = False
    deprecated_since: str | None = None
    deprecated_reason: str = ""
    replacement: str = ""
    also: list[str] = field(default_factory=list)
    aliases: list[list[str]] = field(default_factory=list)
    item_type: str | None = None
    namespace: str = ""
    drivers: list[str] = field(default_factory=list)
    store_types: list[str] = field(default_factory=list)
    auth_plugins: list[str] = field(default_factory=list)
    curated: list[str] = field(default_factory=list)
    repo: str = ""  # "" = the spec's repo, read at the spec's ref for the release
    ref: str = ""

    @property
    def placement(self) -> Placement:
        return (self.section, self.name)

    def comparable(self) -> dict[str, Any]:
        d = asdict(self)
        for k in _PROVENANCE:
            d.pop(k)
        return d


class Extractor:
    def __init__(self, spec: Spec, repo: GitRepo, inventory: Inventory | None = None):
        self.spec, self.repo, self.inventory = spec, repo, inventory
        self.release_info: dict[Release, ReleaseInventory] = {}
        self.warnings: list[str] = []  # about kept options, parse failures and the spec
        self.notes: list[str] = []  # about files/options that may not matter (--verbose)
        self._by_name: dict[str, list[str]] = {}  # option name -> warnings shown if it is kept
        self._parsed: dict[str, ModuleOpts] = {}

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def note(self, msg: str, name: str | None = None) -> None:
        """A warning that matters only if option `name` ends up in the output (or --verbose)."""
        if msg not in self.notes:
            self.notes.append(msg)
        if name is not None:
            self._by_name.setdefault(name, []).append(msg)

    # ---- 1. facts of one release ---------------------------------------------------
    def _parse(self, ref: str, path: str) -> ModuleOpts | None:
        text = self.repo.read(ref, path)
        if text is None:
            return None
        digest = hashlib.sha1(f"{path}\0{text}".encode()).hexdigest()
        if digest not in self._parsed:
            mod = parse_module(text, path)
            for w in mod.warnings:
                if "cannot parse" in w:
                    self.warn(f"{w} (at {ref})")
                else:
                    self.note(f"{w} (at {ref})")
            self._parsed[digest] = mod
        return self._parsed[digest]

    def _group(self, group: str, where: str, name: str) -> str | None:
        if group.startswith("<unresolved:"):
            expr = group[len("<unresolved:"):-1]
            if expr in self.spec.constants:
                return self.spec.constants[expr]
            self.note(f"{where}: group {expr} unresolved (map it in the spec's [constants])", name)
            return None
        return group

    def _og(self, group: str) -> str:
        return oslo_group(group) if self.spec.family.name == "openstack" else group

    def _fact(self, opt: OptDef, group: str, scan: Scan, path: str) -> Fact:
        group = self._og(group)
        section = scan.section or group
        aliases: list[list[str]] = []
        for og, on in opt.old:
            g = og if og else group
            g = self._og(self._group(g, f"{path}: {opt.name}", opt.name) or g)
            if scan.section and g == group:
                g = scan.section
            alias = [g, on or opt.name]
            if tuple(alias) != (section, opt.name) and alias not in aliases:
                aliases.append(alias)
        return Fact(
            section=section, name=opt.name, type=opt.type, path=path, default=opt.default,
            choices=opt.choices, min=opt.min, max=opt.max, secret=opt.secret,
            deprecated=opt.deprecated, deprecated_since=opt.deprecated_since,
            also=list(scan.also), aliases=aliases,
        )

    # ---- 1b. facts of one release from the complete inventory ------------------------
    def _place(self, rel: Release, group: str, name: str, path: str,
               namespace: str, info: ReleaseInventory) -> Place | None:
        for p in self.spec.places:
            if not p.covers(rel) or not matches(p.match, group, name):
                continue
            if p.namespace and p.namespace != namespace:
                continue
            if p.family == "cinder_backends" and (
                    info.backends is None or name not in info.backends.options):
                continue
            if p.paths and not any(glob_regex(g).match(path) for g in p.paths):
                continue
            return p
        return None

    def inventory_facts(self, rel: Release) -> dict[Placement, Fact]:
        assert self.inventory is not None
        info = self.inventory.release(rel)
        self.release_info[rel] = info
        for n in info.unresolved:
            self.warn(f"{rel.name}: {n}")
        for n in info.notes:
            if "cannot parse" in n:
                self.warn(f"{rel.name}: {n}")
            else:
                self.note(f"{rel.name}: {n}")
        facts: dict[Placement, Fact] = {}
        merges: list[tuple[Fact, str]] = []
        for f in info.found:
            opt, name, group = f.opt, norm_name(f.opt.name), self._og(f.group)
            place = self._place(rel, group, name, f.src.path, f.namespace, info)
            section = place.section if place and place.section else group
            aliases: list[list[str]] = []
            for og, on in opt.old:
                g = self._og(og) if og else group
                if place and place.section and g == group:
                    g = place.section
                alias = [g, norm_name(on or opt.name)]
                if tuple(alias) != (section, name) and alias not in aliases:
                    aliases.append(alias)
            fact = Fact(
                section=section, name=name, type=opt.type, path=f.src.path,
                default=opt.default, choices=opt.choices, min=opt.min, max=opt.max,
                secret=opt.secret, deprecated=opt.deprecated,
                deprecated_since=opt.deprecated_since,
                also=list(place.also) if place else [], aliases=aliases,
                item_type=opt.item_type, namespace=f.namespace, repo=f.src.repo,
                ref=f.src.ref, auth_plugins=list(f.auth_plugins or []),
            )
            if place and place.merge:
                merges.append((fact, place.merge))
                continue
            have = facts.get(fact.placement)
            if have is None:
                facts[fact.placement] = fact
            elif have.comparable() != fact.comparable():
                self.note(f"{rel.name}: [{fact.section}] {fact.name} listed differently by"
                          f" {have.namespace} ({have.path}) and {fact.namespace} ({fact.path});"
                          f" keeping {have.namespace}")
        for fact, into in merges:
            target = facts.get((into, fact.name))
            if target is not None and _same_but_place(target, fact):
                if fact.section != target.section and fact.section not in target.also:
                    target.also.append(fact.section)
            elif fact.placement not in facts:
                facts[fact.placement] = fact
        self._family_fields(info, facts)
        return facts

    @staticmethod
    def _family_fields(info: ReleaseInventory, facts: dict[Placement, Fact]) -> None:
        """drivers (cinder @backend) and store_types (glance @store) from families.py."""
        if info.backends is not None:
            by_option = info.backends.option_drivers()
            for fact in facts.values():
                if "@backend" in (fact.section, *fact.also) and fact.name in by_option:
                    fact.drivers = by_option[fact.name]
        if info.stores is not None:
            by_option = info.stores.store_types_reading()
            for fact in facts.values():
                if "@store" in (fact.section, *fact.also) and fact.name in by_option:
                    fact.store_types = by_option[fact.name]

    def release_facts(self, rel: Release, ref: str) -> dict[Placement, Fact]:
        facts: dict[Placement, Fact] = self.inventory_facts(rel) if self.inventory else {}
        from_scans = self._scan_facts(rel, ref)
        for p, fact in from_scans.items():
            facts.setdefault(p, fact)
        return facts

    def _scan_facts(self, rel: Release, ref: str) -> dict[Placement, Fact]:
        facts: dict[Placement, Fact] = {}
        for scan in self.spec.scans:
            if not scan.covers(rel):
                continue
            paths = sorted({p for pat in scan.paths for p in self.repo.glob(ref, pat)})
            for path in paths:
                mod = self._parse(ref, path)
                if mod is None:
                    continue
                found = [(r.opt, r.group) for r in mod.registered]
                if scan.unregistered:
                    found += [(o, scan.unregistered) for o in mod.unregistered]
                for opt, raw_group in found:
                    group = self._group(raw_group, f"{path}@{ref}: {opt.name}", opt.name)
                    if group is None or not scan.wants(group, opt.name):
                        continue
                    fact = self._fact(opt, group, scan, path)
                    have = facts.get(fact.placement)
                    if have is None:
                        facts[fact.placement] = fact
                    elif have.comparable() != fact.comparable():
                        self.warn(
                            f"[{fact.section}] {fact.name} defined differently in {have.path} and"
                            f" {path} at {ref}; keeping {have.path}"
                        )
        return facts

    # ---- 2. link releases into options ----------------------------------------------
    def link(
        self, per_release: dict[Release, dict[Placement, Fact]]
    ) -> dict[str, dict[Release, Fact]]:
        link_old: dict[Placement, list[Placement]] = {}
        for lk in self.spec.links:
            link_old.setdefault(lk.new, []).append(lk.old)
        chains: dict[str, dict[Release, Fact]] = {}
        current: dict[str, Placement] = {}  # key -> placement in the newest release seen so far
        known: dict[str, set[Placement]] = {}  # key -> every spelling that leads to it

        def learn(key: str, fact: Fact) -> None:
            names = known.setdefault(key, set())
            todo = [fact.placement, *(tuple(a) for a in fact.aliases)]
            while todo:
                p = todo.pop()
                if p not in names:
                    names.add(p)
                    todo.extend(link_old.get(p, []))

        for rel in sorted(per_release, reverse=True):
            facts = per_release[rel]
            taken: set[str] = set()
            pending = dict(facts)
            # exact placement first, then older spellings declared by newer releases / links
            for rule in ("exact", "known"):
                for p, fact in sorted(pending.items()):
                    cands = sorted(
                        k
                        for k in chains
                        if k not in taken
                        and (current[k] == p if rule == "exact" else p in known[k])
                    )
                    if cands:
                        key = cands[0]
                        chains[key][rel] = fact
                        current[key] = p
                        taken.add(key)
                        learn(key, fact)
                        del pending[p]
            for p, fact in sorted(pending.items()):
                key = f"{p[0]}.{p[1]}"
                if key in chains:  # the same spelling taken by another chain in this release
                    self.warn(f"{key}: two options claim this key at {rel.name}; check the spec")
                    key = f"{key}@{rel.name}"
                chains[key] = {rel: fact}
                current[key] = p
                taken.add(key)
                learn(key, fact)
        return chains

    def selected(self, chain: dict[Release, Fact], key: str) -> bool:
        sec, _, name = key.partition(".")
        if self.spec.exclude and matches(self.spec.exclude, sec, name):
            return False
        if self.spec.select is None:
            return True
        spellings = {f.placement for f in chain.values()}
        spellings |= {tuple(a) for f in chain.values() for a in f.aliases}
        return any(matches(self.spec.select, s, n) for s, n in spellings)

    # ---- 3. curation and eras --------------------------------------------------------
    def curate(self, key: str, chain: dict[Release, Fact]) -> None:
        ospec = self.spec.options.get(key)
        if ospec is None:
            return
        for ov in ospec.overrides:
            hit = False
            for rel, fact in chain.items():
                if ov.first <= rel <= ov.last:
                    hit = True
                    for k, v in ov.fields.items():
                        setattr(fact, k, v)
                    fact.curated.append(ov.why)
            if not hit:
                self.warn(f"{key}: override {ov.first.name}..{ov.last.name} matches no release")

    def _ref(self, rel: Release, fact: Fact) -> str:
        return fact.ref or self.spec.refs[rel]

    def eras(self, chain: dict[Release, Fact]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        runs: list[tuple[Release, Release, Fact, Fact]] = []
        for rel in sorted(chain):
            fact = chain[rel]
            if runs:
                first, last, prev, _ = runs[-1]
                adjacent = rel.index == last.index + 1
                if adjacent and prev.comparable() == fact.comparable() and prev.path == fact.path \
                        and prev.repo == fact.repo and prev.curated == fact.curated:
                    runs[-1] = (first, rel, prev, fact)
                    continue
            runs.append((rel, rel, fact, fact))
        for first, last, fact, last_fact in runs:
            era: dict[str, Any] = {"from": first.name, "to": last.name}
            values = asdict(fact)
            for k in _ERA_ORDER:
                v = values[k]
                if k in ("section", "name", "type") or v or (
                    k in ("default", "min", "max") and v is not None  # 0 is a real bound
                ):
                    era[k] = v
            a, b = self._ref(first, fact), self._ref(last, last_fact)
            repo = fact.repo or self.spec.repo
            era["source"] = f"{repo}:{fact.path}@{a}" + (f"..{b}" if b != a else "")
            if fact.curated:
                era["curated"] = "; ".join(dict.fromkeys(fact.curated))
            out.append(era)
        return out

    def run(self) -> dict[str, Any]:
        for rel, ref in self.spec.refs.items():
            if not self.repo.has_ref(ref):
                raise ConfgenError(f"{self.repo.path}: ref {ref!r} (for {rel.name}) not found")
        per_release = {rel: self.release_facts(rel, ref) for rel, ref in self.spec.refs.items()}
        chains = self.link(per_release)
        options = []
        for key in sorted(chains):
            chain = chains[key]
            if not self.selected(chain, key):
                continue
            self.curate(key, chain)
            ospec = self.spec.options.get(key)
            entry: dict[str, Any] = {"key": key, "help": ospec.help if ospec else ""}
            if ospec and ospec.notes:
                entry["notes"] = ospec.notes
            entry["eras"] = self.eras(chain)
            if not entry["help"] and self.inventory is None:
                self.warn(f"{key}: no help in the spec")
            options.append(entry)
        kept = {o["key"] for o in options}
        names = {e["name"] for o in options for e in o["eras"]}
        names |= {a[1] for o in options for e in o["eras"] for a in e.get("aliases", [])}
        for name in sorted(names & set(self._by_name)):
            for msg in self._by_name[name]:
                self.warn(msg)
        for key in self.spec.options:
            if key not in kept:
                self.warn(f"spec [options.{key!r}] names no extracted option")
        for o in options:
            for era in o["eras"]:
                rep = era.get("replacement")
                if rep and rep not in kept:
                    self.warn(f"{o['key']}: replacement {rep!r} is not an option in the output")
        data: dict[str, Any] = {
            "schema": 1,
            "file": self.spec.file,
            "family": self.spec.family.name,
            "project": self.spec.project,
            "refs": {
                r.name: self.spec.ref_labels.get(r, ref) for r, ref in self.spec.refs.items()
            },
            "owned_sections": self.spec.owned_sections,
            "dynamic_sections": self.spec.dynamic_sections,
        }
        if self.inventory is not None:
            data.update(self.inventory_meta())
        data["options"] = options
        return data

    def inventory_meta(self) -> dict[str, Any]:
        """What each release's data was made from: the generator config read, the namespaces
        it listed, the library versions read and where those pins come from."""
        gens, names, libs, pins, substituted = {}, {}, {}, {}, {}
        for rel in sorted(self.release_info):
            info = self.release_info[rel]
            gens[rel.name] = info.generator.path or "module scan"
            names[rel.name] = info.namespaces
            libs[rel.name] = {k: p.version for k, p in sorted(info.libraries.items())}
            hows = sorted({p.how.split(":")[0] for p in info.libraries.values()})
            if hows:
                pins[rel.name] = hows[0] if len(hows) == 1 else hows
            subs = {k: p.pinned for k, p in sorted(info.libraries.items()) if p.pinned}
            if subs:
                substituted[rel.name] = subs
        return {"generators": gens, "namespaces": names, "libraries": libs,
                "library_pins": pins, "pins_not_in_mirror": substituted}


def _same_but_place(a: Fact, b: Fact) -> bool:
    da, db = a.comparable(), b.comparable()
    for k in ("section", "also", "aliases", "namespace"):
        da.pop(k)
        db.pop(k)
    return da == db


def extract(
    spec: Spec, repo_path: str, verbose: bool = False, mirrors: Mirrors | None = None,
    jobs: int = 1,
) -> tuple[dict[str, Any], list[str]]:
    """Run a spec against a repository: (data, warnings); verbose adds the notes about
    files and options that did not make it into the output. A spec with an [inventory]
    needs `mirrors` (the service and its libraries, and openstack/requirements)."""
    repo = GitRepo(repo_path)
    try:
        inventory = None
        if spec.inventory is not None:
            if mirrors is None:
                raise ConfgenError("spec has an [inventory]: give the mirrors directory")
            warm_cache(spec, mirrors, jobs)
            inventory = make_inventory(spec, mirrors)
        ex = Extractor(spec, repo, inventory)
        data = ex.run()
        extra = [f"note: {n}" for n in ex.notes if n not in ex.warnings] if verbose else []
        return data, ex.warnings + extra
    finally:
        repo.close()
