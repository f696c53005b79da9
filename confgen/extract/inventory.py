"""Everything one service reads from its config file at one release: its own options and the
library namespaces its sample-config generator lists, each library at the version the release
pinned (pins.py), evaluated statically (interp.py; upstream code is never imported).

Per release:
  1. the generator config at the service's ref names the namespaces (genconf.py);
  2. the World is the service at its ref plus every pinned library at its tag;
  3. the `oslo.config.opts.defaults` hooks of those namespaces run first (they change library
     defaults, as in the real generator), then each namespace's `oslo.config.opts` entry point
     is evaluated into (group, option) pairs;
  4. where the generator is the incubator's (icehouse..kilo) or there is none (havana), or the
     service's own entry point names a module its tree does not have (cinder liberty generated
     cinder/opts.py at build time), the project's non-test modules containing "Opt(" are read
     for their registrations instead, like the old generator did.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confgen.extract.genconf import GeneratorConfig, read_generator_config
from confgen.extract.gitread import GitRepo, glob_regex
from confgen.extract.interp import (
    OptVal,
    Package,
    Src,
    World,
    call_entry_point,
    known,
)
from confgen.extract.pins import Pin, Pins
from confgen.extract.pyopts import OptDef, parse_module
from confgen.releases import Release


@dataclass
class Found:
    """One option as one namespace (or module scan) lists it at one release."""

    group: str
    opt: OptDef
    src: Src
    namespace: str


@dataclass
class ReleaseInventory:
    release: Release
    ref: str
    generator: GeneratorConfig
    namespaces: list[str]
    libraries: dict[str, Pin]  # the pins whose code was read
    found: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    world: World | None = None


class Mirrors:
    """Where fetched repositories live: ROOT/<owner>+<name>/repo."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._repos: dict[str, GitRepo] = {}

    def path(self, repo: str) -> str | None:
        p = self.root / repo.replace("/", "+") / "repo"
        return str(p) if p.is_dir() else None

    def repo(self, repo: str) -> GitRepo | None:
        if repo not in self._repos:
            p = self.path(repo)
            if p is None:
                return None
            self._repos[repo] = GitRepo(p)
        return self._repos[repo]

    def close(self) -> None:
        for r in self._repos.values():
            r.close()


@dataclass
class InventorySpec:
    """The [inventory] table of a service spec."""

    generator: list[str]  # candidate generator configs, first found wins
    package: str  # the service's import package ("nova")
    namespace_aliases: dict[str, str] = field(default_factory=dict)  # rc spellings
    own: list[str] = field(default_factory=list)  # namespaces that are the service's own
    extra: list[dict[str, Any]] = field(default_factory=list)  # namespaces added, with why
    drop: list[dict[str, Any]] = field(default_factory=list)  # namespaces removed, with why


def _in_range(entry: dict[str, Any], rel: Release, fam) -> bool:
    first = fam.get(entry["from"]) if "from" in entry else fam.oldest
    last = fam.get(entry["to"]) if "to" in entry else fam.latest
    return first <= rel <= last


class Inventory:
    def __init__(self, project_repo: str, refs: dict[Release, str], ref_labels: dict[Release, str],
                 inv: InventorySpec, pins: Pins, mirrors: Mirrors, constants: dict[str, str]):
        self.project_repo, self.refs, self.ref_labels = project_repo, refs, ref_labels
        self.inv, self.pins, self.mirrors, self.constants = inv, pins, mirrors, constants

    def packages(self, rel: Release, ref: str) -> tuple[list[Package], dict[str, Pin]]:
        repo = self.mirrors.repo(self.project_repo)
        assert repo is not None
        out = [Package(self.project_repo, repo, ref, self.ref_labels.get(rel, ref))]
        by_repo: dict[str, Pin] = {}
        for name, pin in sorted(self.pins.of(rel).items()):
            lib_repo = self.pins.spec.repos[name]
            if lib_repo == self.project_repo:
                continue
            git = self.mirrors.repo(lib_repo)
            if git is None:
                continue
            out.append(Package(lib_repo, git, pin.version))
            by_repo[lib_repo] = pin
        return out, by_repo

    def release(self, rel: Release) -> ReleaseInventory:
        from confgen import releases

        fam = releases.openstack()
        ref = self.refs[rel]
        packages, pin_of_repo = self.packages(rel, ref)
        service = packages[0]
        gen = read_generator_config(lambda p: service.repo.read(ref, p), self.inv.generator)
        names = [self.inv.namespace_aliases.get(n, n) for n in gen.namespaces]
        for e in self.inv.extra:
            if _in_range(e, rel, fam) and e["namespace"] not in names:
                names.append(e["namespace"])
        drop = {e["namespace"] for e in self.inv.drop if _in_range(e, rel, fam)}
        names = [n for n in names if n not in drop]
        world = World(packages)
        out = ReleaseInventory(rel, ref, gen, names, {}, world=world)
        used_repos: set[str] = set()

        # 3. defaults hooks, then every namespace's options
        for name in names:
            for target in self._targets(world, "oslo.config.opts.defaults", name):
                fn = world.resolve_target(target)
                if known(fn):
                    world.interp.call(fn, [], {})
        scanned_own = False
        for name in names:
            targets = self._targets(world, "oslo.config.opts", name)
            got = None
            for target in targets:
                modname = target.partition(":")[0].strip()
                if world.locate(modname) is None:
                    out.notes.append(f"{name}: entry point {target} names a module no package"
                                     f" read has at {rel.name}")
                    continue
                pairs, unknown = call_entry_point(world, target)
                got = pairs
                for what, n in sorted(Counter(unknown).items()):
                    out.notes.append(f"{name} ({target}): {n} x {what} not resolved")
                break
            if got is None:
                if name in self.inv.own and not scanned_own:
                    out.notes.append(f"{name}: no list_opts in the tree at {ref}; module scan")
                    self._scan(world, service, ref, out)
                    scanned_own = True
                elif not targets:
                    out.notes.append(f"{name}: declared by no package read at {rel.name}")
                continue
            for group, o in got:
                out.found.append(Found(group, o.d, o.src, name))
                used_repos.add(o.src.repo)

        # 4. the incubator generator: module scan + extra modules
        if gen.scan and not scanned_own:
            self._scan(world, service, ref, out)
        for mod in gen.extra_modules:
            hit = world.locate(mod)
            if hit is None:
                out.notes.append(f"extra module {mod}: not in any package read at {rel.name}")
                continue
            pkg, path, _ = hit
            self._scan_file(world, pkg, path, mod, out)
        # set_default calls made by the hooks on cfg.CONF
        for f in out.found:
            key = (f.group, f.opt.name)
            if key in world.conf.defaults:
                v = world.conf.defaults[key]
                f.opt.default = v if known(v) else "<computed>"
        for f in out.found:
            used_repos.add(f.src.repo)
        out.libraries = {p.library: p for r, p in pin_of_repo.items() if r in used_repos}
        out.notes.extend(world.notes)
        return out

    @staticmethod
    def _targets(world: World, group: str, name: str) -> list[str]:
        out = []
        for pkg in world.packages:
            t = pkg.entry_points.get(group, {}).get(name)
            if t:
                out.append(t)
        return out

    def _scan(self, world: World, service: Package, ref: str, out: ReleaseInventory) -> None:
        """The incubator generator's view: every non-test module of the project package that
        contains "Opt(", with the options it registers."""
        tests = glob_regex(f"{self.inv.package}/**/tests/**")
        for path in sorted(service.files):
            if not path.startswith(self.inv.package + "/") or not path.endswith(".py"):
                continue
            if tests.match(path) or "/tests/" in path:
                continue
            self._scan_file(world, service, path, self.inv.package, out, need_marker=True)

    def _scan_file(self, world: World, pkg: Package, path: str, namespace: str,
                   out: ReleaseInventory, need_marker: bool = False) -> None:
        text = pkg.repo.read(pkg.ref, path)
        if text is None or (need_marker and "Opt(" not in text):
            return
        mod = parse_module(text, path)
        for w in mod.warnings:
            out.notes.append(f"{w} (at {pkg.ref})")
        src = pkg.src(path)
        for r in mod.registered:
            group = r.group
            if group.startswith("<unresolved:"):
                expr = group[len("<unresolved:"):-1]
                if expr not in self.constants:
                    out.notes.append(f"{path}: [{expr}] {r.opt.name}: group not resolved")
                    continue
                group = self.constants[expr]
            out.found.append(Found(group, r.opt, src, namespace))


def mirrors_from_env(default: str = "/work/.mirror") -> Mirrors:
    return Mirrors(os.environ.get("CONFGEN_MIRRORS", default))


__all__ = ["Found", "Inventory", "InventorySpec", "Mirrors", "ReleaseInventory", "OptVal"]
