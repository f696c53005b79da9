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

import dataclasses
import functools
import hashlib
import os
import pickle
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confgen.extract import families, ksa
from confgen.extract.families import CinderBackends, ReservedStores, StoreTypes
from confgen.extract.genconf import GeneratorConfig, read_generator_config
from confgen.extract.gitread import GitRepo, glob_regex
from confgen.extract.interp import (
    OptVal,
    Package,
    Src,
    World,
    call_entry_point,
    is_plain,
    known,
)
from confgen.extract.ksa import KsaCatalog
from confgen.extract.pins import Pin, Pins
from confgen.extract.pyopts import OptDef, parse_module
from confgen.extract.spec import Spec
from confgen.releases import Release


@dataclass
class Found:
    """One option as one namespace (or module scan) lists it at one release."""

    group: str
    opt: OptDef
    src: Src
    namespace: str
    auth_plugins: list[str] | None = None  # keystoneauth plugin options (ksa.py)


@dataclass
class ReleaseInventory:
    release: Release
    ref: str
    generator: GeneratorConfig
    namespaces: list[str]
    libraries: dict[str, Pin]  # the pins whose code was read
    found: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # parts of a namespace not followed
    world: World | None = None
    # run-time section families (families.py), where the spec asks for them
    backends: CinderBackends | None = None
    stores: StoreTypes | None = None
    reserved: ReservedStores | None = None
    family_group: str = ""  # the group options only the families know are listed in


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
    scan: list[dict[str, Any]] = field(default_factory=list)  # module scans added, with why
    ksa: bool = True  # keystoneauth-loaded sections get their plugin options (ksa.py)
    families: list[dict[str, Any]] = field(default_factory=list)  # families.py, by release
    defaults_ignore: list[str] = field(default_factory=list)  # set_default() callers ignored


def _in_range(entry: dict[str, Any], rel: Release, fam) -> bool:
    first = fam.get(entry["from"]) if "from" in entry else fam.oldest
    last = fam.get(entry["to"]) if "to" in entry else fam.latest
    return first <= rel <= last


def _cache_dir() -> Path | None:
    if os.environ.get("CONFGEN_EXTRACT_CACHE", "1") in ("0", "", "no"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "confgen" / "extract"


CACHE_DIR = _cache_dir()


@functools.cache
def _code_version() -> str:
    """Hash of the code that computes a release's inventory: a change to it invalidates every
    cached result. build.py (facts, linking, placement, curation), the CLI and the package
    docstring run after the cache on what it holds, so editing them re-uses it."""
    h = hashlib.sha256()
    after_cache = {"build.py", "__main__.py", "__init__.py"}
    for f in sorted(Path(__file__).parent.glob("*.py")):
        if f.name in after_cache:
            continue
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _commit(repo: GitRepo, ref: str) -> str | None:
    r = subprocess.run(["git", "-C", repo.path, "rev-parse", "--verify", "--quiet",
                        f"{ref}^{{commit}}"], capture_output=True, text=True)
    return r.stdout.strip() or None


def _top_packages(pkg: Package) -> list[str]:
    """The importable top-level packages of a repository at its ref (keystonemiddleware,
    oslo_limit, ...), tests and docs aside."""
    tops = sorted({f.split("/")[0] for f in pkg.files
                   if f.count("/") == 1 and f.endswith("/__init__.py")})
    return [t for t in tops if t not in ("tests", "doc", "docs", "releasenotes", "tools")]


class Inventory:
    def __init__(self, project_repo: str, refs: dict[Release, str], ref_labels: dict[Release, str],
                 inv: InventorySpec, pins: Pins, mirrors: Mirrors, constants: dict[str, str]):
        self.project_repo, self.refs, self.ref_labels = project_repo, refs, ref_labels
        self.inv, self.pins, self.mirrors, self.constants = inv, pins, mirrors, constants
        self._catalogs: dict[tuple[str, str], KsaCatalog] = {}
        self._ksa_groups: dict[tuple[str, str, str], ksa.KsaGroups] = {}
        self._family_cache: dict[tuple[str, str], Any] = {}

    def packages(self, rel: Release, ref: str) -> tuple[list[Package], dict[str, Pin]]:
        repo = self.mirrors.repo(self.project_repo)
        assert repo is not None
        out = [Package(self.project_repo, repo, ref)]
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
        """The inventory of one release; cached on disk (CACHE_DIR) under a key made of every
        input: the extractor's code, the spec's inventory settings and the commits read."""
        key = self._cache_key(rel)
        path = CACHE_DIR / f"{key}.pickle" if key and CACHE_DIR else None
        if path is not None and path.is_file():
            try:
                with path.open("rb") as fh:
                    return pickle.load(fh)
            except (OSError, pickle.PickleError, EOFError, AttributeError):
                pass
        out = self._release(rel)
        if path is not None:
            out.world = None  # the evaluator's state is not kept
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(path)
            except OSError:
                pass
        return out

    def _cache_key(self, rel: Release) -> str | None:
        repo = self.mirrors.repo(self.project_repo)
        if repo is None or not CACHE_DIR:
            return None
        parts: list[Any] = [_code_version(), repr(self.inv), sorted(self.constants.items()),
                            self.project_repo, _commit(repo, self.refs[rel])]
        for name, pin in sorted(self.pins.of(rel).items()):
            lib = self.mirrors.repo(self.pins.spec.repos[name])
            parts.append((name, pin, _commit(lib, pin.version) if lib else None))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    def _release(self, rel: Release) -> ReleaseInventory:
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
        module_namespaces: list[str] = []
        given = {e["namespace"]: e["target"] for e in self.inv.extra
                 if "target" in e and _in_range(e, rel, fam)}
        # the service's own modules are imported as Python does, at once: their import-time
        # side effects (glance.api.policy's set_defaults of oslo.policy) are what the
        # generator and the service see; libraries stay lazy (only what is used is read)
        world.eager = self.inv.package
        for name in names:
            targets = self._targets(world, "oslo.config.opts", name)
            if not targets and name in given:
                targets = [given[name]]
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
                    out.unresolved.append(f"{name} ({target}): {n} x {what} not resolved")
                break
            if got is None:
                if name in self.inv.own and not scanned_own:
                    out.notes.append(f"{name}: no list_opts in the tree at {ref}; module scan")
                    self._scan(world, service, ref, out)
                    scanned_own = True
                elif not targets and world.locate(name) is not None:
                    out.notes.append(f"{name}: no package declares it; read as a module")
                    module_namespaces.append(name)
                elif not targets:
                    out.notes.append(f"{name}: declared by no package read at {rel.name}")
                continue
            for group, o in got:
                # a snapshot: modules imported later (scans) may change shared defaults
                opt = dataclasses.replace(o.d, old=list(o.d.old))
                out.found.append(Found(group, opt, o.src, name))
                used_repos.add(o.src.repo)

        # set_default() calls made by the hooks and by the modules the namespaces imported
        # (e.g. glance.api.policy at import): what the generator, and the service, see
        world.eager = ""
        # 4. the incubator generator: module scan + extra modules
        if gen.scan and not scanned_own:
            self._scan(world, service, ref, out)
        ignore = [glob_regex(g) for g in self.inv.defaults_ignore]
        listing_defaults = {k: v for k, v in world.conf.defaults.items()
                            if not any(x.match(world.conf.origins.get(k, "")) for x in ignore)}
        # spec-listed module scans: options the service registers at import that its
        # generator's namespaces leave out
        for e in self.inv.scan:
            if not _in_range(e, rel, fam):
                continue
            pkg = service
            if e.get("library"):
                lib_repo = self.pins.spec.repos.get(e["library"])
                pkg = next((p for p in packages if p.label == lib_repo), None)
                if pkg is None:
                    out.notes.append(f"scan of {e['library']}: not read at {rel.name}")
                    continue
            excl = [glob_regex(g) for g in e.get("exclude", [])]
            paths = sorted({p for g in e["paths"] for p in pkg.files
                            if glob_regex(g).match(p) and "/tests/" not in p
                            and not any(x.match(p) for x in excl)})
            self._scan_modules(world, pkg, paths, f"scan:{pkg.label.split('/')[-1]}", out,
                               need_marker=True, unregistered=e.get("unregistered"),
                               group=e.get("group"))
        for mod in [*gen.extra_modules, *module_namespaces]:
            hit = world.locate(mod)
            if hit is None:
                out.notes.append(f"extra module {mod}: not in any package read at {rel.name}")
                continue
            pkg, path, _ = hit
            self._scan_modules(world, pkg, [path], mod, out)
        # (not those of modules only the scans import: a driver changing a global default
        # when it loads does not change the default)
        for f in out.found:
            key = (f.group, f.opt.name)
            if key in listing_defaults:
                v = listing_defaults[key]
                f.opt.default = v if known(v) and is_plain(v) else "<computed>"
        for f in out.found:
            used_repos.add(f.src.repo)
        if self.inv.ksa:
            self._keystoneauth(packages, pin_of_repo, names, out)
        for e in self.inv.families:
            if _in_range(e, rel, fam):
                self._families(e, packages, pin_of_repo, out)
        for f in out.found:
            used_repos.add(f.src.repo)
        out.libraries = {p.library: p for r, p in pin_of_repo.items() if r in used_repos}
        out.notes.extend(world.notes)
        return out

    # ---- keystoneauth-loaded sections (ksa.py) ---------------------------------------------
    def _catalog(self, library: str, pin_of: dict[str, Pin]) -> KsaCatalog | None:
        dist = "keystoneauth1" if library in ("", "keystoneauth1") else "python-keystoneclient"
        repo_name = self.pins.spec.repos[dist]
        pin = pin_of.get(repo_name)
        repo = self.mirrors.repo(repo_name)
        if pin is None or repo is None:
            return None
        key = (dist, pin.version)
        if key not in self._catalogs:
            read = ksa.read_keystoneauth if dist == "keystoneauth1" else ksa.read_keystoneclient
            self._catalogs[key] = read(repo, pin.version)
        return self._catalogs[key]

    def _keystoneauth(self, packages: list[Package], pin_of_repo: dict[str, Pin],
                      names: list[str], out: ReleaseInventory) -> None:
        """Sections the service (or a library it lists) reads through keystoneauth loading get
        every option keystoneauth makes them read: session, adapter, auth_type/auth_section
        and the options of every auth plugin (with `auth_plugins`), from the pinned
        keystoneauth1 (keystoneclient for the kilo/liberty-era helpers)."""
        groups: dict[str, ksa.KsaGroup] = {}
        used = {f.src.repo for f in out.found}
        listed = {f.group for f in out.found}
        for pkg in packages:
            if pkg is not packages[0] and pkg.label not in used:
                continue
            if pkg.label in (self.pins.spec.repos.get("keystoneauth1"),
                             self.pins.spec.repos.get("python-keystoneclient")):
                continue
            for top in _top_packages(pkg):
                key = (pkg.label, pkg.ref, top)
                if key not in self._ksa_groups:
                    self._ksa_groups[key] = ksa.ksa_groups(pkg.repo, pkg.ref, top, pkg.label)
                kg = self._ksa_groups[key]
                for w in kg.warnings:
                    out.notes.append(f"keystoneauth ({pkg.label}): {w}")
                for g, v in kg.groups.items():
                    # registered at run time, or listed by a namespace the generator reads
                    if v.kinds and (v.registered or g in listed):
                        groups.setdefault(g, v)
        pin_of = dict(pin_of_repo)
        ksa_defaults = out.world.ksa_defaults if out.world is not None else {}
        by_place = {(f.group, f.opt.name): i for i, f in enumerate(out.found)}
        for g, v in sorted(groups.items()):
            cat = self._catalog(v.library, pin_of)
            if cat is None:
                out.notes.append(f"[{g}]: keystoneauth-loaded, but {v.library or 'keystoneauth1'}"
                                 " is not pinned/fetched for this release")
                continue
            for w in cat.warnings:
                out.notes.append(f"keystoneauth {cat.ref}: {w}")
            for go in cat.options_for(v):
                src = Src(cat.repo, go.opt.path, cat.ref)
                if (g, go.opt.name) in ksa_defaults:  # the service's set_defaults on them
                    go = dataclasses.replace(go, opt=dataclasses.replace(
                        go.opt, default=ksa_defaults[(g, go.opt.name)]))
                i = by_place.get((g, go.opt.name))
                ns = out.found[i].namespace if i is not None else "keystoneauth1"
                f = Found(g, go.opt, src, ns, go.auth_plugins)
                if i is None:
                    by_place[(g, go.opt.name)] = len(out.found)
                    out.found.append(f)
                else:
                    out.found[i] = f

    # ---- run-time section families (families.py) -------------------------------------------
    def _families(self, e: dict[str, Any], packages: list[Package], pin_of_repo: dict[str, Pin],
                  out: ReleaseInventory) -> None:
        kind = e["kind"]
        service = packages[0]
        have = {(f.group, f.opt.name) for f in out.found}
        if kind == "cinder_backends":
            key = ("cinder", service.ref)
            if key not in self._family_cache:
                self._family_cache[key] = families.cinder_backends(service.repo, service.ref,
                                                                   service.label)
            cb = self._family_cache[key]
            out.backends, out.family_group = cb, e["group"]
            for w in cb.warnings:
                out.notes.append(f"backends: {w}")
            for name, o in cb.options.items():  # read by a backend, listed by no namespace
                if not any((g, name) in have for g in (e["group"], "DEFAULT", "backend_defaults")):
                    out.found.append(Found(e["group"], o, service.src(o.path),
                                           f"drivers:{self.inv.package}"))
        elif kind == "glance_stores":
            store_repo = self.pins.spec.repos["glance-store"]
            pkg = next((p for p in packages if p.label == store_repo), None)
            if pkg is None:
                out.notes.append("stores: glance_store is not read at this release")
                return
            key = ("glance_store", pkg.ref)
            if key not in self._family_cache:
                self._family_cache[key] = families.store_types(pkg.repo, pkg.ref, pkg.label)
            out.stores = self._family_cache[key]
            rkey = ("glance", service.ref)
            if rkey not in self._family_cache:
                self._family_cache[rkey] = families.glance_reserved_stores(
                    service.repo, service.ref, service.label)
            out.reserved = self._family_cache[rkey]
            for w in [*out.stores.warnings, *out.reserved.warnings]:
                out.notes.append(f"stores: {w}")
            ours = {f.opt.name: f.opt for f in out.found if f.group == "glance_store"}
            for store, stype in sorted(out.reserved.stores.items()):
                for o in out.stores.reserved_options(store, stype):
                    same = ours.get(o.name)
                    if same is not None and isinstance(o.default, str) \
                            and o.default.startswith("<computed"):
                        o = dataclasses.replace(o, default=same.default)  # we computed it
                    out.found.append(Found(store, o, pkg.src(o.path), "glance_store"))

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
        paths = []
        for path in sorted(service.files):
            if not path.startswith(self.inv.package + "/") or not path.endswith(".py"):
                continue
            if "/tests/" in path:
                continue
            paths.append(path)
        self._scan_modules(world, service, paths, f"scan:{self.inv.package}", out,
                           need_marker=True)

    def _scan_modules(self, world: World, pkg: Package, paths: list[str], namespace: str,
                      out: ReleaseInventory, need_marker: bool = False,
                      unregistered: str | None = None, group: str | None = None) -> None:
        """Import (evaluate) each module, then list the options of this package that cfg.CONF
        holds, in the groups they were registered in (the incubator's generator listed the
        registered options it found as module attributes; here also those registered by
        functions run at import, e.g. keystonemiddleware 1.x's auth plugin options).
        Registrations made only inside functions nobody calls at import are added from the
        module's source (pyopts) where their group is known."""
        texts: dict[str, str] = {}
        for path in paths:
            text = pkg.repo.read(pkg.ref, path)
            # the incubator generator imported the modules that contain "Opt("; a module
            # that only registers options defined elsewhere (cinder havana's netapp drivers)
            # is read too: importing it is what registers them when the service runs
            if text is None or (need_marker and "Opt(" not in text and "register_opt" not in text):
                continue
            texts[path] = text
        mods = {}
        before, world.eager = world.eager, paths[0].split("/")[0] if paths else ""
        try:
            for path in texts:
                name = path[:-3].replace("/", ".").removesuffix(".__init__")
                mod = world.module(name)
                if mod is not None:
                    mod.load()
                    mods[path] = mod
        finally:
            world.eager = before
        seen = {(f.group, f.opt.name) for f in out.found}
        # a group spelt in another case than a namespace lists it (cinder's
        # BRCD_FABRIC_EXAMPLE) is the same section for the generator: keep one spelling
        spelling = {f.group.lower(): f.group for f in out.found}
        for g, o in world.conf.registered:
            g = spelling.setdefault(g.lower(), g)
            if "/tests/" in o.src.path:  # registered by a test module something imported
                continue
            if o.src.repo == pkg.label and (g, o.name) not in seen:
                seen.add((g, o.name))
                out.found.append(Found(g, o.d, o.src, namespace))
        for path, text in texts.items():
            if "register_opt" in text or unregistered or group:
                mod = mods.get(path)
                self._scan_source(pkg, path, text, namespace, out, seen, unregistered,
                                  mod.tree if mod is not None else None, group)

    def _scan_source(self, pkg: Package, path: str, text: str, namespace: str,
                     out: ReleaseInventory, seen: set[tuple[str, str]],
                     unregistered: str | None = None, tree: Any = None,
                     run_group: str | None = None) -> None:
        """`run_group`: the section for registrations whose group is a parameter the caller
        supplies at run time (oslo.privsep registers its options in each PrivContext's
        cfg_section), as the scan entry names it."""
        mod = parse_module(text, path, tree)
        if unregistered:  # defined here, registered at run time in a group we are told
            for o in mod.unregistered:
                if (unregistered, o.name) not in seen:
                    seen.add((unregistered, o.name))
                    out.found.append(Found(unregistered, o, pkg.src(path), namespace))
        for w in mod.warnings:  # the evaluator already followed what this reader cannot
            if "cannot parse" in w:
                out.notes.append(f"{w} (at {pkg.ref})")
        src = pkg.src(path)
        spelling = {f.group.lower(): f.group for f in out.found}
        for r in mod.registered:
            if r.opt.name.startswith("<unresolved"):
                continue  # a name this reader cannot compute (the evaluator did, if it could)
            group = r.group
            if group.startswith("<unresolved:"):
                expr = group[len("<unresolved:"):-1]
                if expr in self.constants:
                    group = self.constants[expr]
                elif run_group:
                    group = run_group
                else:
                    continue
            group = spelling.setdefault(group.lower(), group)
            if (group, r.opt.name) not in seen:
                seen.add((group, r.opt.name))
                out.found.append(Found(group, r.opt, src, namespace))


def mirrors_from_env(default: str = "/work/.mirror") -> Mirrors:
    return Mirrors(os.environ.get("CONFGEN_MIRRORS", default))


def make_inventory(spec: Spec, mirrors: Mirrors) -> Inventory:
    """The Inventory a spec's [inventory] table describes."""
    from confgen.errors import ConfgenError
    from confgen.extract.pins import load_library_spec

    conf = spec.inventory
    assert conf is not None
    base = spec.path.parent if spec.path is not None else Path(".")
    libspec = load_library_spec(base / conf.libraries)
    req = mirrors.repo(libspec.requirements)
    if req is None:
        raise ConfgenError(f"no mirror of {libspec.requirements} under {mirrors.root}")
    if mirrors.repo(spec.repo) is None:
        raise ConfgenError(f"no mirror of {spec.repo} under {mirrors.root}")
    inv = InventorySpec(
        generator=conf.generator, package=conf.package,
        namespace_aliases=conf.namespace_aliases, own=conf.own, extra=conf.extra,
        drop=conf.drop, scan=conf.scan, ksa=conf.ksa, families=conf.families,
        defaults_ignore=conf.defaults_ignore,
    )
    return Inventory(spec.repo, spec.refs, spec.ref_labels, inv, Pins(libspec, req, mirrors.path),
                     mirrors, spec.constants)


__all__ = ["Found", "Inventory", "InventorySpec", "Mirrors", "ReleaseInventory", "OptVal"]


def _warm_one(args: tuple[str, str, str]) -> str:
    from confgen import releases
    from confgen.extract.spec import load_spec

    spec_path, root, rel = args
    m = Mirrors(root)
    try:
        make_inventory(load_spec(spec_path), m).release(releases.get(rel))
    finally:
        m.close()
    return rel


def warm_cache(spec: Spec, mirrors: Mirrors, jobs: int) -> None:
    """Compute the releases of a spec in `jobs` processes, filling the disk cache that the
    build then reads (the evaluator is single-threaded Python: processes, not threads)."""
    import concurrent.futures

    if jobs <= 1 or CACHE_DIR is None or spec.path is None:
        return
    work = [(str(spec.path), str(mirrors.root), r.name) for r in spec.refs]
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as ex:
        for _ in ex.map(_warm_one, work):
            pass

