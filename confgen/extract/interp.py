"""A static evaluator for the part of Python that builds oslo.config option lists.

`oslo-config-generator` imports a namespace's `list_opts` function and calls it. confgen never
imports or runs upstream code, so this module evaluates such a function from the source text
(`ast` only): module-level statements run in order, functions are called with their arguments
bound, imports are followed across the modules of every repository in the World (the service at
its ref plus each library at its pinned tag). Only plain data is ever computed (str, numbers,
lists, tuples, dicts), plus stand-ins for what oslo.config defines: options (`OptVal`), groups
(`GroupVal`), `cfg.CONF` / `ConfigOpts` (`ConfVal`, which records registrations and
set_default calls). Everything else evaluates to `UNKNOWN`, and whatever depends on it stays
unknown: an unknown never turns into a guess.

Idioms understood: module and function scopes, closures, classes with inheritance (an
oslo.config `*Opt` subclass still makes an option), `super()`, comprehensions, generators,
`copy.deepcopy`, `itertools.chain(*x)`, `collections.defaultdict`, `dict.items()`,
`os.path.join`, `pkgutil.iter_modules` + `importlib.import_module` over a package directory (the
nova.conf.opts walk), stevedore extension managers over the World's entry points (glance_store's
drivers), `cfg.set_defaults` and `conf.set_default`.
"""

from __future__ import annotations

import ast
import collections
import copy
import hashlib
import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from confgen.extract.entrypoints import EntryPoints, entry_points
from confgen.extract.gitread import GitRepo
from confgen.extract.pyopts import OPT_TYPES, VALUE_TYPES, OptDef, _parse_any

MAX_DEPTH = 60
STRICT = bool(os.environ.get("CONFGEN_INTERP_STRICT"))  # debugging: raise on evaluator bugs
MAX_STEPS = 3_000_000
MAX_ITEMS = 100_000
MAX_LOOP = 5_000  # a loop longer than this builds no option list (e.g. over range(0xFFFF))


class Unknown:
    """A value the evaluator cannot know statically."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unknown>"

    def __bool__(self) -> bool:  # never silently truthy
        raise TypeError("truth value of UNKNOWN")


UNKNOWN = Unknown()


def known(v: Any) -> bool:
    return not isinstance(v, Unknown)


class _Abort(Exception):
    """The code raised, or did something we cannot follow: the call's value is UNKNOWN."""


class _Return(Exception):
    def __init__(self, value: Any):
        self.value = value


class _TooLong(Exception):
    """A generator yields more than MAX_LOOP values."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# ---- stand-ins for what oslo.config defines ----------------------------------------------------

@dataclass(eq=False)
class Src:
    """Where a piece of code lives: repository label, path, and the git ref read."""

    repo: str
    path: str
    ref: str


@dataclass(eq=False)
class OptVal:
    d: OptDef
    src: Src
    cls: str  # oslo.config class name ("StrOpt")
    sample_default: Any = None

    @property
    def name(self) -> str:
        return self.d.name


@dataclass(eq=False)
class GroupVal:
    name: str


@dataclass(eq=False)
class TypeVal:
    kind: str  # oslo_config.types class name
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class DeprecatedOptVal:
    name: str | None
    group: str | None


@dataclass(eq=False)
class KsaMarker:
    """What keystoneauth's get_*_conf_options() returned: the options come from ksa.py; the
    defaults a service sets on them (cfg.set_defaults(opts, service_type='image')) are kept."""

    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class ConfVal:
    """cfg.CONF or a ConfigOpts(): registrations and default changes made on it."""

    registered: list[tuple[str, OptVal]] = field(default_factory=list)
    defaults: dict[tuple[str, str], Any] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)  # path of the caller


@dataclass(eq=False)
class NativeClass:
    """An oslo.config class: *Opt, OptGroup, DeprecatedOpt, a types.* class, ConfigOpts."""

    kind: str
    role: str  # "opt" | "group" | "deprecated" | "type" | "conf"


@dataclass(eq=False)
class Native:
    """A Python callable implementing a library function on our values."""

    name: str
    fn: Callable[..., Any]


@dataclass(eq=False, repr=False)
class FuncVal:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    module: ModuleVal
    closure: Frame | None
    owner: ClassVal | None = None  # class whose body defined it (for super())
    kind: str = "function"  # "function" | "staticmethod" | "classmethod" | "property"
    attrs: dict[str, Any] = field(default_factory=dict)  # `func.OPTIONS = [...]`


@dataclass(eq=False)
class Bound:
    func: FuncVal
    self_: Any


@dataclass(eq=False)
class ClassVal:
    name: str
    bases: list[Any] = field(repr=False)
    ns: dict[str, Any] = field(repr=False)
    module: ModuleVal = field(repr=False)

    def mro(self) -> list[Any]:
        out: list[Any] = [self]
        for b in self.bases:
            for c in b.mro() if isinstance(b, ClassVal) else [b]:
                if c not in out:
                    out.append(c)
        return out

    def lookup(self, name: str, after: ClassVal | None = None) -> Any:
        chain = self.mro()
        if after is not None and after in chain:
            chain = chain[chain.index(after) + 1:]
        for c in chain:
            if isinstance(c, ClassVal) and name in c.ns:
                return c.ns[name]
        return None

    def native_base(self) -> NativeClass | None:
        for c in self.mro():
            if isinstance(c, NativeClass):
                return c
        return None


@dataclass(eq=False)
class InstanceVal:
    cls: ClassVal
    attrs: dict[str, Any] = field(default_factory=dict)
    native: Any = None  # the OptVal an *Opt subclass's __init__ made


@dataclass(eq=False)
class SuperVal:
    cls: ClassVal
    self_: Any


@dataclass(eq=False)
class DirVal:
    """A package directory, as `os.path.dirname(__file__)` names it."""

    path: str


@dataclass(eq=False)
class ExtensionVal:
    """A stevedore extension: an entry point and what it names."""

    name: str
    target: str
    world: World
    invoke: tuple[list[Any], dict[str, Any]] | None = None  # invoke_on_load args
    _obj: Any = None

    def plugin(self) -> Any:
        return self.world.resolve_target(self.target)

    def obj(self) -> Any:
        if self.invoke is None:
            return None
        if self._obj is None:
            args, kwargs = self.invoke
            self._obj = self.world.interp.call(self.plugin(), list(args), dict(kwargs))
        return self._obj


@dataclass(eq=False)
class ExtManagerVal:
    """A stevedore ExtensionManager / NamedExtensionManager / DriverManager."""

    extensions: list[ExtensionVal]
    driver_manager: bool = False


# ---- modules and the world ---------------------------------------------------------------------

class Frame:
    def __init__(self, names: dict[str, Any], parent: Frame | None, module: ModuleVal):
        self.names, self.parent, self.module = names, parent, module
        self.yields: list[Any] | None = None
        self.globals: set[str] = set()  # names a `global` statement sends to the module

    def lookup(self, name: str) -> Any:
        f: Frame | None = self
        while f is not None:
            if name in f.names:
                return f.names[name]
            f = f.parent
        return _MISSING


_MISSING = object()


@dataclass(eq=False)
class LazyModule:
    name: str


@dataclass(eq=False)
class LazyAttr:
    module: str
    attr: str


class ModuleVal:
    def __init__(self, name: str, src: Src | None, tree: ast.Module | None, is_pkg: bool,
                 world: World, natives: dict[str, Any] | None = None):
        self.name, self.src, self.tree, self.is_pkg, self.world = name, src, tree, is_pkg, world
        self.ns: dict[str, Any] = dict(natives or {})
        self.state = "new"  # new | loading | done
        if src is not None:
            self.ns["__file__"] = SourcePath("/" + src.path)
            self.ns["__name__"] = name

    def __repr__(self) -> str:
        return f"<module {self.name}>"

    @property
    def package(self) -> str:
        return self.name if self.is_pkg else self.name.rpartition(".")[0]

    def load(self) -> ModuleVal:
        if self.state == "new" and self.tree is not None:
            self.state = "loading"
            frame = Frame(self.ns, None, self)
            self.world.interp.modules.append(self)
            try:
                self.world.interp.exec_block(self.tree.body, frame)
            except (_Abort, _Return, _Break, _Continue):
                self.world.note(f"{self.name}: module body stopped early")
            except RecursionError:
                self.world.note(f"{self.name}: too deep")
            finally:
                self.world.interp.modules.pop()
        self.state = "done"
        return self

    def getattr(self, name: str) -> Any:
        self.load()
        if name in self.ns:
            return self.world.interp.resolve(self.ns[name])
        sub = self.world.module(f"{self.name}.{name}")
        if sub is not None:
            return sub
        if self.tree is None and self.name in _CFG_MODULES:
            return self.world.shadow_cfg().getattr(name)
        return UNKNOWN


class SourcePath(str):
    """A path computed from a module's __file__: good for walking the package, but as a
    default it is wherever the service is installed (a computed default)."""


class _PinnedDict(dict):
    """A namespace whose pinned names keep their value: oslo_config/cfg.py read from source
    keeps our stand-ins for the classes it defines (Opt, StrOpt, OptGroup, ...)."""

    def __init__(self, pinned: dict[str, Any]):
        super().__init__(pinned)
        self.pinned = set(pinned)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self.pinned:
            super().__setitem__(key, value)


@dataclass
class Package:
    """One repository at one ref in the World."""

    label: str  # "openstack/oslo.log"
    repo: GitRepo
    ref: str  # git ref read
    ref_label: str = ""  # shown in sources (default: ref)
    _files: frozenset[str] | None = None
    _eps: EntryPoints | None = None

    @property
    def files(self) -> frozenset[str]:
        if self._files is None:
            self._files = frozenset(self.repo.files(self.ref))
        return self._files

    @property
    def entry_points(self) -> EntryPoints:
        if self._eps is None:
            self._eps = entry_points(lambda p: self.repo.read(self.ref, p))
        return self._eps

    def src(self, path: str) -> Src:
        return Src(self.label, path, self.ref_label or self.ref)


_TREES: dict[str, ast.Module | None] = {}


class World:
    """The service and its libraries, each at one ref: where imports are looked up."""

    def __init__(self, packages: list[Package], natives: dict[str, dict[str, Any]] | None = None):
        self.packages = packages
        self.modules: dict[str, ModuleVal | None] = {}
        self.notes: list[str] = []
        self.interp = Interpreter(self)
        self.conf = ConfVal()  # cfg.CONF of this world
        self.eager = ""  # package whose imports run at once (module scans)
        self.ksa_defaults: dict[tuple[str, str], Any] = {}  # set on keystoneauth options
        self._shadow: ModuleVal | None = None
        self.natives = _native_modules(self)
        self.natives.update(natives or {})
        hooks = self.natives.pop("__builtins_hooks__")
        self.interp.builtins = dict(_BUILTINS, **hooks)

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)

    def locate(self, dotted: str) -> tuple[Package, str, bool] | None:
        rel = dotted.replace(".", "/")
        for pkg in self.packages:
            if f"{rel}.py" in pkg.files:
                return pkg, f"{rel}.py", False
            if f"{rel}/__init__.py" in pkg.files:
                return pkg, f"{rel}/__init__.py", True
        if "async_" in dotted.split("."):  # py2 code read as py3: `async` was renamed
            return self.locate(".".join("async" if p == "async_" else p
                                        for p in dotted.split(".")))
        return None

    def module(self, dotted: str) -> ModuleVal | None:
        if dotted in self.modules:
            return self.modules[dotted]
        mod: ModuleVal | None
        native = self.natives.get(dotted)
        if native is None and dotted.endswith(".openstack.common.importutils"):
            native = self.natives["oslo_utils.importutils"]  # the incubator's copies
        if native is not None:
            mod = ModuleVal(dotted, None, None, True, self, native)
            mod.state = "done"
        else:
            hit = self.locate(dotted)
            if hit is None:
                mod = None
            else:
                pkg, path, is_pkg = hit
                mod = ModuleVal(dotted, pkg.src(path), self._tree(pkg, path), is_pkg, self)
        self.modules[dotted] = mod
        return mod

    def _tree(self, pkg: Package, path: str) -> ast.Module | None:
        text = pkg.repo.read(pkg.ref, path)
        if text is None:
            return None
        key = hashlib.sha1(f"{path}\0{text}".encode()).hexdigest()
        if key not in _TREES:
            warnings: list[str] = []
            _TREES[key] = _parse_any(text, path, warnings)
            for w in warnings:
                self.note(w)
        return _TREES[key]

    def shadow_cfg(self) -> ModuleVal:
        """oslo_config/cfg.py of the World's oslo.config, read from source for what our
        stand-ins do not define (ConfigOpts._list_options_for_discovery, help constants)."""
        if self._shadow is None:
            hit = self.locate("oslo_config.cfg")
            if hit is None:
                self._shadow = ModuleVal("oslo_config.cfg", None, None, False, self)
                self._shadow.state = "done"
            else:
                pkg, path, _ = hit
                mod = ModuleVal("oslo_config.cfg", pkg.src(path), self._tree(pkg, path), False,
                                self)
                pinned = {k: v for k, v in self.natives["oslo_config.cfg"].items()
                          if isinstance(v, NativeClass) and v.role != "conf"}
                mod.ns = _PinnedDict({**pinned, "__file__": "/" + path,
                                      "__name__": "oslo_config.cfg"})
                self._shadow = mod
        return self._shadow

    def import_module(self, dotted: str) -> Any:
        mod = self.module(dotted)
        if mod is None:
            return ExternalModule(dotted, self)
        return mod.load()

    def resolve_target(self, target: str) -> Any:
        """'pkg.mod:attr.sub' (an entry point) -> value."""
        modname, _, attr = target.partition(":")
        value: Any = self.import_module(modname.strip())
        for part in attr.strip().split(".") if attr.strip() else []:
            value = self.interp.getattr(value, part)
        return value

    def entry_point_group(self, group: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for pkg in self.packages:
            for name, target in sorted(pkg.entry_points.get(group, {}).items()):
                if name not in seen:
                    seen.add(name)
                    out.append((name, target))
        return out

    def package_dir(self, path: str) -> list[tuple[str, bool]]:
        """(module name, is package) directly inside a directory of some package."""
        prefix = path.strip("/") + "/"
        out: set[tuple[str, bool]] = set()
        for pkg in self.packages:
            for f in pkg.files:
                if not f.startswith(prefix):
                    continue
                rest = f[len(prefix):]
                if "/" not in rest and rest.endswith(".py") and rest != "__init__.py":
                    out.add((rest[:-3], False))
                elif rest.count("/") == 1 and rest.endswith("/__init__.py"):
                    out.add((rest.split("/")[0], True))
        return sorted(out)


@dataclass(eq=False)
class ExternalModule:
    """A module outside the World (e.g. a third-party package): its attributes are unknown,
    except the natives we define."""

    name: str
    world: World

    def getattr(self, name: str) -> Any:
        full = f"{self.name}.{name}"
        if full in self.world.natives:
            return self.world.module(full)
        return UNKNOWN


# ---- the interpreter -------------------------------------------------------------------------

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a ** b, ast.BitOr: lambda a, b: a | b, ast.BitAnd: lambda a, b: a & b,
    ast.LShift: lambda a, b: a << b, ast.RShift: lambda a, b: a >> b,
}
_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
}
_PLAIN = (str, int, float, bool, type(None), bytes)
# methods of plain data we run for real (no side effect beyond the object itself)
_SAFE_METHODS = {
    list: {"append", "extend", "insert", "copy", "index", "count", "pop", "remove", "sort",
           "reverse"},
    dict: {"items", "keys", "values", "get", "update", "setdefault", "copy", "pop"},
    collections.defaultdict: {"items", "keys", "values", "get", "update", "setdefault", "copy",
                              "pop"},
    collections.OrderedDict: {"items", "keys", "values", "get", "update", "setdefault", "copy"},
    str: {"join", "format", "split", "rsplit", "strip", "lstrip", "rstrip", "lower", "upper",
          "replace", "startswith", "endswith", "partition", "rpartition", "title", "capitalize",
          "splitlines", "find", "count"},
    tuple: {"index", "count"},
    set: {"add", "update", "union", "copy", "difference", "intersection"},
}


def is_plain(v: Any, depth: int = 0) -> bool:
    """Plain data (possibly nested) we may hand to real Python operations."""
    if depth > 6:
        return False
    if isinstance(v, _PLAIN):
        return True
    if isinstance(v, list | tuple | set | frozenset):
        return len(v) < MAX_ITEMS and all(is_plain(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return all(is_plain(k, depth + 1) and is_plain(x, depth + 1) for k, x in v.items())
    return False


class Interpreter:
    def __init__(self, world: World):
        self.world = world
        self.depth = 0
        self.steps = 0
        self.builtins: dict[str, Any] = {}
        self.modules: list[ModuleVal] = []  # whose code runs now (module bodies, calls)
        self._pending_node: tuple[ast.Call | None, Frame | None] = (None, None)

    # ---- helpers ---------------------------------------------------------------------------
    def resolve(self, v: Any) -> Any:
        if isinstance(v, LazyModule):
            return self.world.import_module(v.name)
        if isinstance(v, LazyAttr):
            mod = self.world.import_module(v.module)
            return self.getattr(mod, v.attr)
        return v

    def truth(self, v: Any) -> bool | None:
        if not known(v):
            return None
        if isinstance(v, (*_PLAIN, list, tuple, dict, set)):
            return bool(v)
        return True  # objects are truthy

    def iterate(self, v: Any) -> list[Any] | None:
        v = self.resolve(v)
        if isinstance(v, list | tuple | set | frozenset):
            return list(v)
        if isinstance(v, dict):
            return list(v.keys())
        if isinstance(v, str):
            return list(v)
        if isinstance(v, _DictView):
            return list(v.items)
        if isinstance(v, ExtManagerVal):
            return list(v.extensions)
        return None

    # ---- statements ------------------------------------------------------------------------
    def exec_block(self, body: list[ast.stmt], frame: Frame) -> None:
        for stmt in body:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, s: ast.stmt, frame: Frame) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Abort("step budget")
        if isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Yield | ast.YieldFrom):
                self._yield(s.value, frame)
            else:
                self.eval(s.value, frame)
        elif isinstance(s, ast.Assign):
            value = self.eval(s.value, frame)
            for t in s.targets:
                self.assign(t, value, frame)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.assign(s.target, self.eval(s.value, frame), frame)
        elif isinstance(s, ast.AugAssign):
            cur = self.eval(s.target, frame)
            val = self.eval(s.value, frame)
            if isinstance(s.op, ast.Add) and isinstance(cur, list) \
                    and isinstance(val, list | tuple):
                cur.extend(val)  # in place, as Python does for lists
                return
            self.assign(s.target, self.binop(s.op, cur, val), frame)
        elif isinstance(s, ast.Return):
            raise _Return(self.eval(s.value, frame) if s.value is not None else None)
        elif isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef):
            frame.names[s.name] = self._function(s, frame)
        elif isinstance(s, ast.ClassDef):
            frame.names[s.name] = self._class(s, frame)
        elif isinstance(s, ast.Import):
            for a in s.names:
                if a.asname:
                    frame.names[a.asname] = LazyModule(a.name)
                else:
                    top = a.name.split(".")[0]
                    frame.names[top] = LazyModule(top)
                self._eager(a.name)
        elif isinstance(s, ast.ImportFrom):
            self._import_from(s, frame)
        elif isinstance(s, ast.If):
            t = self.truth(self.eval(s.test, frame))
            if t is None:  # unknown test: both branches, the else-branch's bindings last
                self._guarded(s.body, frame)
                self._guarded(s.orelse, frame)
            else:
                self.exec_block(s.body if t else s.orelse, frame)
        elif isinstance(s, ast.For | ast.AsyncFor):
            items = self.iterate(self.eval(s.iter, frame))
            if items is None:
                self.world.note(f"{frame.module.name}:{s.lineno}: loop over an unknown iterable")
                return
            if len(items) > MAX_LOOP:
                self.world.note(f"{frame.module.name}:{s.lineno}: loop too long to follow")
                return
            try:
                for item in items:
                    self.assign(s.target, item, frame)
                    try:
                        self.exec_block(s.body, frame)
                    except _Continue:
                        continue
                else:
                    self.exec_block(s.orelse, frame)
            except _Break:
                pass
        elif isinstance(s, ast.While):
            self.world.note(f"{frame.module.name}:{s.lineno}: while loop not followed")
        elif isinstance(s, ast.With | ast.AsyncWith):
            for item in s.items:
                v = self.eval(item.context_expr, frame)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, UNKNOWN if not known(v) else v, frame)
            self.exec_block(s.body, frame)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            try:
                self.exec_block(s.body, frame)  # type: ignore[attr-defined]
                self.exec_block(s.orelse, frame)  # type: ignore[attr-defined]
            except _Abort:
                handlers = s.handlers  # type: ignore[attr-defined]
                if handlers:
                    self.exec_block(handlers[0].body, frame)
            finally:
                self.exec_block(s.finalbody, frame)  # type: ignore[attr-defined]
        elif isinstance(s, ast.Raise):
            raise _Abort("raise")
        elif isinstance(s, ast.Break):
            raise _Break()
        elif isinstance(s, ast.Continue):
            raise _Continue()
        elif isinstance(s, ast.Global):
            frame.globals.update(s.names)
        elif isinstance(s, ast.Match):
            self.world.note(f"{frame.module.name}:{s.lineno}: match statement not followed")
        # Pass, Global, Nonlocal, Assert, Delete: nothing to do

    def _guarded(self, body: list[ast.stmt], frame: Frame) -> None:
        try:
            self.exec_block(body, frame)
        except _Abort:
            pass

    def _yield(self, node: ast.Yield | ast.YieldFrom, frame: Frame) -> None:
        f: Frame | None = frame
        while f is not None and f.yields is None:
            f = f.parent
        if f is None:
            return
        v = self.eval(node.value, frame) if node.value is not None else None
        if isinstance(node, ast.YieldFrom):
            items = self.iterate(v)
            f.yields.extend(items if items is not None else [UNKNOWN])
        else:
            f.yields.append(v)
        if len(f.yields) > MAX_LOOP:
            raise _TooLong()

    def _import_from(self, s: ast.ImportFrom, frame: Frame) -> None:
        base = s.module or ""
        if s.level:
            pkg = frame.module.package
            parts = pkg.split(".") if pkg else []
            if s.level > 1:
                parts = parts[: len(parts) - (s.level - 1)]
            base = ".".join([*parts, *([s.module] if s.module else [])])
        for a in s.names:
            if a.name == "*":
                mod = self.world.import_module(base)
                if isinstance(mod, ModuleVal):
                    for k, v in mod.ns.items():
                        if not k.startswith("_"):
                            frame.names[k] = v
                continue
            sub = f"{base}.{a.name}"
            if sub in self.world.natives or self.world.locate(sub) is not None:
                frame.names[a.asname or a.name] = LazyModule(sub)
                self._eager(sub)
            else:
                frame.names[a.asname or a.name] = LazyAttr(base, a.name)
                self._eager(base)

    def _eager(self, dotted: str) -> None:
        """Import-time side effects matter when modules are scanned (the incubator generator
        imported them): under World.eager, an import runs the module at once."""
        prefix = self.world.eager
        if prefix and (dotted == prefix or dotted.startswith(prefix + ".")):
            mod = self.world.module(dotted)
            if mod is not None:
                mod.load()

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, frame: Frame,
                  owner: ClassVal | None = None) -> FuncVal:
        kind = "function"
        for d in node.decorator_list:
            if isinstance(d, ast.Call):  # @utils.positional.classmethod()
                d = d.func
            name = d.id if isinstance(d, ast.Name) else getattr(d, "attr", "")
            if name in ("staticmethod", "classmethod", "property"):
                kind = name
        closure = frame if frame.parent is not None or frame.names is not frame.module.ns else None
        return FuncVal(node, frame.module, closure, owner, kind)

    def _class(self, node: ast.ClassDef, frame: Frame) -> ClassVal:
        bases = [self.eval(b, frame) for b in node.bases]
        cls = ClassVal(node.name, bases, {}, frame.module)
        body = Frame(cls.ns, frame if frame.parent is not None else None, frame.module)
        # class bodies see module globals, not their own names from methods
        if body.parent is None:
            body.parent = Frame(frame.module.ns, None, frame.module) \
                if frame.names is not frame.module.ns else frame
        for stmt in node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                cls.ns[stmt.name] = self._function(stmt, frame, owner=cls)
            else:
                try:
                    self.exec_stmt(stmt, body)
                except _Abort:
                    pass
        return cls

    def assign(self, target: ast.expr, value: Any, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            if target.id in frame.globals:
                frame.module.ns[target.id] = value
            else:
                frame.names[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            items = self.iterate(value)
            n = len(target.elts)
            if items is None or len(items) != n:
                items = [UNKNOWN] * n
            for t, v in zip(target.elts, items, strict=True):
                self.assign(t.value if isinstance(t, ast.Starred) else t, v, frame)
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, frame)
            if isinstance(obj, InstanceVal):
                if obj.native is not None and isinstance(obj.native, OptVal):
                    _set_opt_attr(obj.native, target.attr, value)
                obj.attrs[target.attr] = value
            elif isinstance(obj, ClassVal):
                obj.ns[target.attr] = value
            elif isinstance(obj, FuncVal):
                obj.attrs[target.attr] = value
            elif isinstance(obj, OptVal):
                _set_opt_attr(obj, target.attr, value)
            elif isinstance(obj, ExtensionVal) and target.attr == "obj":
                obj._obj = value
                obj.invoke = ([], {})
            elif isinstance(obj, ModuleVal):
                obj.ns[target.attr] = value
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value, frame)
            key = self.eval(target.slice, frame)
            if isinstance(obj, dict) and known(key):
                try:
                    obj[key] = value
                except TypeError:
                    pass
            elif isinstance(obj, list) and isinstance(key, int):
                try:
                    obj[key] = value
                except IndexError:
                    pass

    # ---- expressions -----------------------------------------------------------------------
    def eval(self, node: ast.expr | None, frame: Frame) -> Any:
        if node is None:
            return None
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Abort("step budget")
        method = getattr(self, f"_e_{type(node).__name__}", None)
        if method is None:
            return UNKNOWN
        try:
            return method(node, frame)
        except (_Return, _Break, _Continue):
            raise
        except _Abort:
            raise
        except RecursionError:
            raise
        except Exception:  # an operation our values do not support: unknown, not a crash
            if STRICT:
                raise
            return UNKNOWN

    def _e_Constant(self, n: ast.Constant, f: Frame) -> Any:
        return n.value

    def _e_Name(self, n: ast.Name, f: Frame) -> Any:
        v = f.lookup(n.id)
        if v is _MISSING:
            mod_ns = f.module.ns
            if n.id in mod_ns:
                v = mod_ns[n.id]
            elif n.id in self.builtins:
                return self.builtins[n.id]
            else:
                return UNKNOWN
        v2 = self.resolve(v)
        if v2 is not v:  # cache what an import resolved to
            g: Frame | None = f
            while g is not None:
                if g.names.get(n.id) is v:
                    g.names[n.id] = v2
                    break
                g = g.parent
        return v2

    def _e_Attribute(self, n: ast.Attribute, f: Frame) -> Any:
        return self.getattr(self.eval(n.value, f), n.attr)

    def getattr(self, obj: Any, name: str) -> Any:
        obj = self.resolve(obj)
        if isinstance(obj, ModuleVal | ExternalModule):
            return obj.getattr(name)
        if isinstance(obj, OptVal):
            return _opt_attr(obj, name)
        if isinstance(obj, GroupVal):
            return obj.name if name == "name" else UNKNOWN
        if isinstance(obj, DeprecatedOptVal):
            return getattr(obj, name, UNKNOWN)
        if isinstance(obj, ConfVal):
            return _conf_method(self, obj, name)
        if isinstance(obj, KsaMarker):  # stands for options, none of which is named here
            return "" if name in ("name", "dest") else UNKNOWN
        if isinstance(obj, ConfGroupView):
            v = _conf_value(obj.conf, obj.group, name)
            return UNKNOWN if v is _MISSING else v
        if isinstance(obj, InstanceVal):
            if name in obj.attrs:
                return obj.attrs[name]
            if obj.native is not None and isinstance(obj.native, OptVal):
                return _opt_attr(obj.native, name)
            v = obj.cls.lookup(name)
            return self._bind(v, obj, obj.cls) if v is not None else UNKNOWN
        if isinstance(obj, ClassVal):
            v = obj.lookup(name)
            if v is None:
                nb = obj.native_base()
                return UNKNOWN if nb is None else _native_class_attr(self, nb, name)
            if isinstance(v, FuncVal) and v.kind == "classmethod":
                return Bound(v, obj)
            return v
        if isinstance(obj, SuperVal):
            v = obj.cls.lookup(name, after=obj.cls) if isinstance(obj.cls, ClassVal) else None
            if v is None:
                for c in obj.cls.mro()[1:]:
                    if isinstance(c, NativeClass):
                        return Native(f"{c.kind}.{name}", _native_super(self, c, obj.self_, name))
                return UNKNOWN
            return self._bind(v, obj.self_, obj.cls)
        if isinstance(obj, NativeClass):
            return _native_class_attr(self, obj, name)
        if isinstance(obj, FuncVal):
            return obj.attrs.get(name, UNKNOWN)
        if isinstance(obj, ExtensionVal):
            if name == "name":
                return obj.name
            if name == "plugin":
                return obj.plugin()
            if name == "obj":
                return obj.obj()
            return UNKNOWN
        if isinstance(obj, ExtManagerVal):
            exts = obj.extensions
            if name == "names":
                return Native("names", lambda: [e.name for e in exts])
            if name == "extensions":
                return list(exts)
            if name == "driver" and obj.driver_manager and exts:
                return exts[0].obj() if exts[0].invoke is not None else exts[0].plugin()
            if name == "__getitem__":
                return UNKNOWN
            return UNKNOWN
        if isinstance(obj, _DictView):
            return UNKNOWN
        methods = _SAFE_METHODS.get(type(obj))
        if methods and name in methods:
            return Native(f"{type(obj).__name__}.{name}", _method(obj, name))
        return UNKNOWN

    def _bind(self, v: Any, self_: Any, cls: ClassVal) -> Any:
        if isinstance(v, FuncVal):
            if v.kind == "staticmethod":
                return v
            if v.kind == "classmethod":
                return Bound(v, cls)
            if v.kind == "property":
                return self.call(Bound(v, self_), [], {})
            return Bound(v, self_)
        return v

    def _e_Call(self, n: ast.Call, f: Frame) -> Any:
        if isinstance(n.func, ast.Name) and n.func.id == "super":
            return self._super(n, f)
        func = self.eval(n.func, f)
        args: list[Any] = []
        for a in n.args:
            if isinstance(a, ast.Starred):
                items = self.iterate(self.eval(a.value, f))
                if items is None:
                    return UNKNOWN
                args.extend(items)
            else:
                args.append(self.eval(a, f))
        kwargs: dict[str, Any] = {}
        for kw in n.keywords:
            if kw.arg is None:
                d = self.resolve(self.eval(kw.value, f))
                if not isinstance(d, dict):
                    return UNKNOWN
                kwargs.update({str(k): v for k, v in d.items()})
            else:
                kwargs[kw.arg] = self.eval(kw.value, f)
        if not known(func):
            callee = _callee_name(n.func)
            if callee in _I18N and len(args) == 1:
                return args[0]
            if callee.endswith("Opt") and callee[:1].isupper() and callee not in (
                    "DeprecatedOpt", "OptGroup"):
                # cfg not resolvable (e.g. a py2 relative import): the class name still tells
                return self.make_opt(NativeClass(callee, "opt"), args, kwargs, n, f)
            return UNKNOWN
        return self.call(func, args, kwargs, node=n, frame=f)

    def _super(self, n: ast.Call, f: Frame) -> Any:
        if len(n.args) == 2:
            cls, self_ = self.eval(n.args[0], f), self.eval(n.args[1], f)
        else:
            cls, self_ = f.lookup("__class__"), f.lookup("__self__")
        if not isinstance(cls, ClassVal) or self_ is _MISSING:
            return UNKNOWN
        return SuperVal(cls, self_)

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any],
             node: ast.Call | None = None, frame: Frame | None = None) -> Any:
        func = self.resolve(func)
        if isinstance(func, Native):
            return func.fn(*args, **kwargs)
        if isinstance(func, NativeClass):
            return self.make_native(func, args, kwargs, node, frame)
        if isinstance(func, FuncVal):
            return self.invoke(func, args, kwargs)
        if isinstance(func, Bound):
            return self.invoke(func.func, [func.self_, *args], kwargs)
        if isinstance(func, ClassVal):
            return self.instantiate(func, args, kwargs, node, frame)
        return UNKNOWN

    def invoke(self, fn: FuncVal, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if self.depth > MAX_DEPTH:
            raise _Abort("too deep")
        node = fn.node
        names = _bind_args(self, node.args, args, kwargs, fn)
        parent = fn.closure or Frame(fn.module.ns, None, fn.module)
        frame = Frame(names, parent, fn.module)
        if fn.owner is not None:
            frame.names.setdefault("__class__", fn.owner)
            if args:
                frame.names.setdefault("__self__", args[0])
        self.depth += 1
        self.modules.append(fn.module)
        try:
            if isinstance(node, ast.Lambda):
                return self.eval(node.body, frame)
            if _is_generator(node):
                frame.yields = []
                try:
                    self.exec_block(node.body, frame)
                except _Return:
                    pass
                except _TooLong:
                    return UNKNOWN
                return list(frame.yields)
            try:
                self.exec_block(node.body, frame)
            except _Return as r:
                return r.value
            return None
        except _Abort:
            return UNKNOWN
        except (_Break, _Continue):
            return UNKNOWN
        finally:
            self.depth -= 1
            self.modules.pop()

    def instantiate(self, cls: ClassVal, args: list[Any], kwargs: dict[str, Any],
                    node: ast.Call | None, frame: Frame | None) -> Any:
        nb = cls.native_base()
        init = cls.lookup("__init__")
        if nb is not None and init is None:
            return self.make_native(nb, args, kwargs, node, frame, cls_name=cls.name)
        inst = InstanceVal(cls)
        if isinstance(init, FuncVal):
            self._pending_node = (node, frame)
            self.invoke(init, [inst, *args], kwargs)
        elif nb is not None:
            inst.native = self.make_native(nb, args, kwargs, node, frame)
        if nb is not None and nb.role == "opt":
            return inst.native if inst.native is not None else UNKNOWN
        return inst

    # natives -----------------------------------------------------------------------------
    def make_native(self, nc: NativeClass, args: list[Any], kwargs: dict[str, Any],
                    node: ast.Call | None, frame: Frame | None, cls_name: str = "") -> Any:
        if nc.role == "opt":
            return self.make_opt(nc, args, kwargs, node, frame)
        if nc.role == "group":
            name = args[0] if args else kwargs.get("name")
            return GroupVal(name) if isinstance(name, str) else UNKNOWN
        if nc.role == "deprecated":
            name = args[0] if args else kwargs.get("name")
            group = args[1] if len(args) > 1 else kwargs.get("group")
            group = group.name if isinstance(group, GroupVal) else group
            return DeprecatedOptVal(name if isinstance(name, str) else None,
                                    group if isinstance(group, str) else None)
        if nc.role == "type":
            kw = dict(kwargs)
            if args and nc.kind in ("Integer", "Float", "Port") and len(args) >= 2:
                kw.setdefault("min", args[0])
                kw.setdefault("max", args[1])
            if args and nc.kind == "String":
                kw.setdefault("choices", args[0])
            return TypeVal(nc.kind, kw)
        if nc.role == "conf":
            return ConfVal()
        return UNKNOWN

    def make_opt(self, nc: NativeClass, args: list[Any], kwargs: dict[str, Any],
                 node: ast.Call | None, frame: Frame | None) -> Any:
        module = frame.module if frame is not None else None
        src = module.src if module is not None and module.src is not None else Src("?", "?", "?")
        name = args[0] if args else kwargs.get("name")
        line = node.lineno if node is not None else 0
        if not isinstance(name, str):
            shown = ast.unparse(node.args[0]) if node is not None and node.args else "?"
            name = f"<unresolved:{shown}>"
        kind = nc.kind
        d = OptDef(name=name, type=OPT_TYPES.get(kind, "string"), line=line)
        type_v = kwargs.get("type")
        if kind in ("Opt",) and type_v is None and len(args) > 1 and isinstance(args[1], TypeVal):
            type_v = args[1]
        if kind == "MultiOpt":
            item = kwargs.get("item_type", args[1] if len(args) > 1 else None)
            type_v = None
            d.type = "multistring"
            if isinstance(item, NativeClass) and item.role == "type":
                item = TypeVal(item.kind, {})
            if isinstance(item, TypeVal) and VALUE_TYPES.get(item.kind, "string") != "string":
                d.item_type = VALUE_TYPES[item.kind]
        if isinstance(type_v, NativeClass) and type_v.role == "type":
            type_v = TypeVal(type_v.kind, {})
        if isinstance(type_v, TypeVal):
            if kind == "Opt" and type_v.kind in VALUE_TYPES:
                d.type = VALUE_TYPES[type_v.kind]
            for attr in ("min", "max", "choices"):
                if attr in type_v.kwargs:
                    _restrict(d, attr, type_v.kwargs[attr])
        default = kwargs.get("default")
        if "default" in kwargs:
            if known(default) and is_plain(default) and not _from_source_path(default):
                d.default = list(default) if isinstance(default, tuple) else default
            else:
                expr = _kw_source(node, "default")
                d.default = f"<computed: {expr}>"
        for attr in ("min", "max", "choices"):
            if attr in kwargs:
                _restrict(d, attr, kwargs[attr])
        d.secret = kwargs.get("secret") is True
        d.deprecated = kwargs.get("deprecated_for_removal") is True
        since = kwargs.get("deprecated_since")
        d.deprecated_since = str(since) if known(since) and since is not None else None
        dname = kwargs.get("deprecated_name")
        dgroup = kwargs.get("deprecated_group")
        dgroup = dgroup.name if isinstance(dgroup, GroupVal) else dgroup
        dname = dname if isinstance(dname, str) else None
        dgroup = dgroup if isinstance(dgroup, str) else None
        if dname or dgroup:
            d.old.append((dgroup, dname))
        dopts = kwargs.get("deprecated_opts")
        for item in self.iterate(dopts) or []:
            if isinstance(item, DeprecatedOptVal) and (item.name or item.group):
                d.old.append((item.group, item.name))
        sample = kwargs.get("sample_default")
        return OptVal(d, src, kind, sample if known(sample) and is_plain(sample) else None)

    # expressions on data ------------------------------------------------------------------
    def binop(self, op: ast.operator, a: Any, b: Any) -> Any:
        a, b = self.resolve(a), self.resolve(b)
        if isinstance(op, ast.Add) and isinstance(a, list) and not known(b):
            return [*a, UNKNOWN]  # keep what is known; the unknown tail is reported
        if isinstance(op, ast.Add) and isinstance(b, list) and not known(a):
            return [UNKNOWN, *b]
        if not (known(a) and known(b)):
            return UNKNOWN
        if isinstance(op, ast.Add) and isinstance(a, list) and isinstance(b, list | tuple):
            return a + list(b)
        if isinstance(op, ast.Add) and isinstance(a, tuple) and isinstance(b, tuple):
            return a + b
        if isinstance(op, ast.Mod) and isinstance(a, str):
            if is_plain(b):
                return a % b
            return UNKNOWN
        if not (is_plain(a) and is_plain(b)):
            return UNKNOWN
        if isinstance(op, ast.Mult) and (isinstance(a, str | list | tuple)
                                         or isinstance(b, str | list | tuple)):
            n = b if isinstance(a, str | list | tuple) else a
            if not isinstance(n, int) or n > 10_000:
                return UNKNOWN
        if isinstance(op, ast.Pow) and isinstance(b, int) and b > 256:
            return UNKNOWN
        fn = _BINOPS.get(type(op))
        return fn(a, b) if fn else UNKNOWN

    def _e_BinOp(self, n: ast.BinOp, f: Frame) -> Any:
        return self.binop(n.op, self.eval(n.left, f), self.eval(n.right, f))

    def _e_UnaryOp(self, n: ast.UnaryOp, f: Frame) -> Any:
        v = self.eval(n.operand, f)
        if isinstance(n.op, ast.Not):
            t = self.truth(v)
            return UNKNOWN if t is None else not t
        if not (known(v) and isinstance(v, int | float)):
            return UNKNOWN
        return -v if isinstance(n.op, ast.USub) else +v if isinstance(n.op, ast.UAdd) else ~v

    def _e_BoolOp(self, n: ast.BoolOp, f: Frame) -> Any:
        last: Any = None
        for e in n.values:
            last = self.eval(e, f)
            t = self.truth(last)
            if t is None:
                return UNKNOWN
            if isinstance(n.op, ast.And) and not t:
                return last
            if isinstance(n.op, ast.Or) and t:
                return last
        return last

    def _e_Compare(self, n: ast.Compare, f: Frame) -> Any:
        left = self.eval(n.left, f)
        for op, comp in zip(n.ops, n.comparators, strict=True):
            right = self.eval(comp, f)
            if not (known(left) and known(right)):
                return UNKNOWN
            if isinstance(op, ast.Is | ast.IsNot | ast.Eq | ast.NotEq):
                res = _CMPOPS[type(op)](left, right)  # objects compare by identity
            elif isinstance(op, ast.In | ast.NotIn):
                if not isinstance(right, dict | list | tuple | set | str):
                    return UNKNOWN
                if isinstance(right, str) and not isinstance(left, str):
                    return UNKNOWN
                try:
                    res = _CMPOPS[type(op)](left, right)
                except TypeError:
                    return UNKNOWN
            else:
                if not (is_plain(left) and is_plain(right)):
                    return UNKNOWN
                res = _CMPOPS[type(op)](left, right)
            if not res:
                return False
            left = right
        return True

    def _e_IfExp(self, n: ast.IfExp, f: Frame) -> Any:
        t = self.truth(self.eval(n.test, f))
        if t is None:
            return UNKNOWN
        return self.eval(n.body if t else n.orelse, f)

    def _e_List(self, n: ast.List, f: Frame) -> Any:
        return self._elts(n.elts, f)

    def _e_Tuple(self, n: ast.Tuple, f: Frame) -> Any:
        v = self._elts(n.elts, f)
        return tuple(v) if isinstance(v, list) else v

    def _e_Set(self, n: ast.Set, f: Frame) -> Any:
        v = self._elts(n.elts, f)
        try:
            return set(v) if isinstance(v, list) else v
        except TypeError:
            return UNKNOWN

    def _elts(self, elts: list[ast.expr], f: Frame) -> Any:
        out: list[Any] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                items = self.iterate(self.eval(e.value, f))
                out.extend(items if items is not None else [UNKNOWN])
            else:
                out.append(self.eval(e, f))
        return out

    def _e_Dict(self, n: ast.Dict, f: Frame) -> Any:
        out: dict[Any, Any] = {}
        for k, v in zip(n.keys, n.values, strict=True):
            if k is None:
                d = self.resolve(self.eval(v, f))
                if isinstance(d, dict):
                    out.update(d)
                continue
            key = self.eval(k, f)
            if not known(key):
                return UNKNOWN
            out[key] = self.eval(v, f)
        return out

    def _e_Subscript(self, n: ast.Subscript, f: Frame) -> Any:
        obj = self.resolve(self.eval(n.value, f))
        key = self.eval(n.slice, f)
        if not known(obj) or not known(key):
            return UNKNOWN
        if isinstance(obj, dict | list | tuple | str):
            try:
                return obj[key]
            except (KeyError, IndexError, TypeError):
                return UNKNOWN
        if isinstance(obj, ExtManagerVal):
            for e in obj.extensions:
                if e.name == key:
                    return e
        return UNKNOWN

    def _e_Slice(self, n: ast.Slice, f: Frame) -> Any:
        parts = [self.eval(x, f) if x is not None else None for x in (n.lower, n.upper, n.step)]
        if not all(p is None or isinstance(p, int) for p in parts):
            return UNKNOWN
        return slice(*parts)

    def _e_Starred(self, n: ast.Starred, f: Frame) -> Any:
        return UNKNOWN

    def _e_JoinedStr(self, n: ast.JoinedStr, f: Frame) -> Any:
        out = []
        for v in n.values:
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                x = self.eval(v.value, f)
                if not (known(x) and is_plain(x)):
                    return UNKNOWN
                out.append(str(x))
        return "".join(out)

    def _e_Lambda(self, n: ast.Lambda, f: Frame) -> Any:
        return FuncVal(n, f.module, f if f.parent is not None else None)  # type: ignore[arg-type]

    def _comp(self, gens: list[ast.comprehension], f: Frame, emit: Callable[[Frame], None]) -> bool:
        def rec(i: int, frame: Frame) -> bool:
            if i == len(gens):
                emit(frame)
                return True
            g = gens[i]
            items = self.iterate(self.eval(g.iter, frame))
            if items is None or len(items) > MAX_LOOP:
                return False
            for item in items:
                inner = Frame({}, frame, frame.module)
                self.assign(g.target, item, inner)
                ok = True
                for cond in g.ifs:
                    t = self.truth(self.eval(cond, inner))
                    if t is None:
                        return False
                    ok = ok and t
                if ok and not rec(i + 1, inner):
                    return False
            return True

        return rec(0, f)

    def _e_ListComp(self, n: ast.ListComp, f: Frame) -> Any:
        out: list[Any] = []
        return out if self._comp(n.generators, f, lambda fr: out.append(self.eval(n.elt, fr))) \
            else UNKNOWN

    _e_GeneratorExp = _e_ListComp

    def _e_SetComp(self, n: ast.SetComp, f: Frame) -> Any:
        v = self._e_ListComp(n, f)  # type: ignore[arg-type]
        try:
            return set(v) if isinstance(v, list) else v
        except TypeError:
            return UNKNOWN

    def _e_DictComp(self, n: ast.DictComp, f: Frame) -> Any:
        out: dict[Any, Any] = {}

        def emit(fr: Frame) -> None:
            k = self.eval(n.key, fr)
            if known(k):
                out[k] = self.eval(n.value, fr)

        return out if self._comp(n.generators, f, emit) else UNKNOWN

    def _e_NamedExpr(self, n: ast.NamedExpr, f: Frame) -> Any:
        v = self.eval(n.value, f)
        self.assign(n.target, v, f)
        return v

    def _e_Await(self, n: ast.Await, f: Frame) -> Any:
        return UNKNOWN


# ---- helpers for natives --------------------------------------------------------------------

_I18N = {"_", "_LW", "_LE", "_LI", "_LC", "gettext", "ugettext"}


def _callee_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _kw_source(node: ast.Call | None, name: str) -> str:
    if node is None:
        return "?"
    for kw in node.keywords:
        if kw.arg == name:
            return ast.unparse(kw.value)
    return "?"


def _restrict(d: OptDef, attr: str, v: Any) -> None:
    if not known(v) or not is_plain(v):
        return
    if attr == "choices" and v is not None:
        if isinstance(v, dict):
            v = list(v)
        v = [c[0] if isinstance(c, list | tuple) else c for c in v]
    setattr(d, attr, v)


def _from_source_path(v: Any) -> bool:
    if isinstance(v, SourcePath):
        return True
    return isinstance(v, list | tuple) and any(isinstance(x, SourcePath) for x in v)


def _set_opt_attr(o: OptVal, attr: str, value: Any) -> None:
    if attr == "default":
        o.d.default = value if known(value) and is_plain(value) else "<computed>"
    elif attr == "deprecated_for_removal" and isinstance(value, bool):
        o.d.deprecated = value
    elif attr == "secret" and isinstance(value, bool):
        o.d.secret = value
    elif attr == "deprecated_opts" and isinstance(value, list | tuple):
        o.d.old = [(x.group, x.name) for x in value if isinstance(x, DeprecatedOptVal)]


def _opt_attr(o: OptVal, name: str) -> Any:
    if name in ("name", "dest"):
        return o.d.name if name == "name" else o.d.name.replace("-", "_")
    if name == "default":
        return o.d.default
    if name == "deprecated_opts":
        return [DeprecatedOptVal(n, g) for g, n in o.d.old]
    if name == "secret":
        return o.d.secret
    return UNKNOWN


def _bind_args(interp: Interpreter, a: ast.arguments, args: list[Any], kwargs: dict[str, Any],
               fn: FuncVal) -> dict[str, Any]:
    names: dict[str, Any] = {}
    params = [*a.posonlyargs, *a.args]
    defaults = a.defaults
    closure = fn.closure or Frame(fn.module.ns, None, fn.module)
    for i, p in enumerate(params):
        if i < len(args):
            names[p.arg] = args[i]
        elif p.arg in kwargs:
            names[p.arg] = kwargs.pop(p.arg)
        else:
            j = i - (len(params) - len(defaults))
            names[p.arg] = interp.eval(defaults[j], closure) if j >= 0 else UNKNOWN
    if a.vararg:
        names[a.vararg.arg] = tuple(args[len(params):])
    for p, dflt in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if p.arg in kwargs:
            names[p.arg] = kwargs.pop(p.arg)
        else:
            names[p.arg] = interp.eval(dflt, closure) if dflt is not None else UNKNOWN
    if a.kwarg:
        names[a.kwarg.arg] = dict(kwargs)
    return names


def _is_generator(node: ast.AST) -> bool:
    todo = list(ast.iter_child_nodes(node))
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Yield | ast.YieldFrom):
            return True
        if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(n))
    return False


@dataclass(eq=False)
class _DictView:
    items: list[Any]


def _method(obj: Any, name: str) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        if any(not known(a) for a in args):
            if name in ("append", "extend", "insert"):
                # keep going: the list holds an unknown element from here on
                if name == "append":
                    obj.append(args[0])
                elif name == "extend":
                    obj.append(UNKNOWN)
                return None
            return UNKNOWN
        if name == "extend" and not isinstance(args[0], list | tuple | set | dict | str):
            items = args[0]
            if isinstance(items, _DictView):
                obj.extend(items.items)
                return None
            obj.append(UNKNOWN)
            return None
        if name in ("format",) and not all(is_plain(a) for a in (*args, *kwargs.values())):
            return UNKNOWN
        if name in ("items", "keys", "values"):
            return list(getattr(obj, name)())
        if name == "sort":
            try:
                obj.sort(**kwargs)
            except TypeError:
                pass
            return None
        return getattr(obj, name)(*args, **kwargs)

    return run


def _conf_method(interp: Interpreter, conf: ConfVal, name: str) -> Any:
    def register(opts: Any, group: Any = None, **_: Any) -> None:
        g = _group_name(group)
        items = [opts] if isinstance(opts, OptVal) else interp.iterate(opts) or []
        for o in items:
            o = o.native if isinstance(o, InstanceVal) else o
            if isinstance(o, OptVal) and g is not None:
                conf.registered.append((g, o))

    def set_default(name: Any, default: Any = None, group: Any = None, **_: Any) -> None:
        g = _group_name(group) or "DEFAULT"
        if isinstance(name, str) and g:
            conf.defaults[(g, name)] = default
            where = interp.modules[-1] if interp.modules else None
            conf.origins[(g, name)] = where.src.path if where and where.src else ""

    if name in ("register_opts", "register_opt", "register_cli_opts", "register_cli_opt"):
        return Native(f"conf.{name}", register)
    if name == "set_default":
        return Native("conf.set_default", set_default)
    if name in ("register_group", "import_opt", "import_group", "set_override", "reset",
                "clear_default", "unregister_opt", "unregister_opts"):
        return Native(f"conf.{name}", lambda *a, **k: None)
    # CONF.name / CONF.group.name: what the file does not set, i.e. the option's default (a
    # service's `if CONF.cinder.debug:` at start-up takes the branch of the default)
    value = _conf_value(conf, "DEFAULT", name)
    if value is not _MISSING:
        return value
    if any(g == name for g, _ in conf.registered):
        return ConfGroupView(conf, name)
    return UNKNOWN


@dataclass(eq=False)
class ConfGroupView:
    conf: ConfVal
    group: str


def _conf_value(conf: ConfVal, group: str, name: str) -> Any:
    for g, o in reversed(conf.registered):
        if g == group and o.name == name:
            d = conf.defaults.get((group, name), o.d.default)
            if isinstance(d, str) and d.startswith("<computed"):
                return UNKNOWN
            return d
    return _MISSING


def _group_name(group: Any) -> str | None:
    if group is None:
        return "DEFAULT"
    if isinstance(group, GroupVal):
        return group.name
    if isinstance(group, str):
        return group
    return None


def _native_class_attr(interp: Interpreter, nc: NativeClass, name: str) -> Any:
    if nc.role == "conf":  # ConfigOpts' own (static/class) methods, from oslo.config's source
        cls = interp.world.shadow_cfg().getattr("ConfigOpts")
        if isinstance(cls, ClassVal):
            return interp.getattr(cls, name)
    return UNKNOWN


def _native_super(interp: Interpreter, nc: NativeClass, self_: Any,
                  name: str) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        if name == "__init__" and isinstance(self_, InstanceVal) and nc.role == "opt":
            node, frame = interp._pending_node
            self_.native = interp.make_opt(nc, list(args), kwargs, node, frame)
        return None

    return run


# ---- native modules -------------------------------------------------------------------------

_OPT_CLASSES = [*OPT_TYPES, "MultiOpt", "SubCommandOpt"]
_CFG_MODULES = ("oslo_config.cfg", "oslo.config.cfg")
_TYPE_CLASSES = [*VALUE_TYPES, "Number", "ConfigType"]


def _cfg_module(world: World) -> dict[str, Any]:
    ns: dict[str, Any] = {k: NativeClass(k, "opt") for k in _OPT_CLASSES}
    ns["OptGroup"] = NativeClass("OptGroup", "group")
    ns["DeprecatedOpt"] = NativeClass("DeprecatedOpt", "deprecated")
    ns["ConfigOpts"] = NativeClass("ConfigOpts", "conf")
    ns["CONF"] = world.conf
    ns["types"] = LazyModule("oslo_config.types")

    def set_defaults(opts: Any, **kwargs: Any) -> None:
        for o in world.interp.iterate(opts) or []:
            if isinstance(o, OptVal) and o.name in kwargs:
                v = kwargs[o.name]
                o.d.default = v if known(v) and is_plain(v) else "<computed>"
            elif isinstance(o, KsaMarker):
                o.defaults.update(kwargs)

    ns["set_defaults"] = Native("cfg.set_defaults", set_defaults)
    return ns


def _types_module() -> dict[str, Any]:
    return {k: NativeClass(k, "type") for k in _TYPE_CLASSES}


def _chain(*iterables: Any, world: World) -> Any:
    out: list[Any] = []
    for it in iterables:
        items = world.interp.iterate(it)
        if items is None:
            out.append(UNKNOWN)
        else:
            out.extend(items)
    return out


def _native_modules(world: World) -> dict[str, dict[str, Any]]:
    it = world.interp

    def deepcopy(v: Any, memo: Any = None) -> Any:
        v = it.resolve(v)
        if isinstance(v, list):
            return [deepcopy(x) for x in v]
        if isinstance(v, tuple):
            return tuple(deepcopy(x) for x in v)
        if isinstance(v, dict):
            return {k: deepcopy(x) for k, x in v.items()}
        return copy.copy(v) if is_plain(v) else v  # options keep their identity

    def chain(*args: Any) -> Any:
        return _chain(*args, world=world)

    def from_iterable(x: Any) -> Any:
        items = it.iterate(x)
        return UNKNOWN if items is None else _chain(*items, world=world)

    def ospath(fn: Callable[..., Any]) -> Native:
        def run(*args: Any) -> Any:
            if not all(isinstance(a, str) for a in args):
                return UNKNOWN
            out = fn(*args)
            return SourcePath(out) if any(isinstance(a, SourcePath) for a in args) else out

        return Native(fn.__name__, run)

    def iter_modules(path: Any = None, prefix: str = "") -> Any:
        paths = it.iterate(path) if path is not None else None
        if not paths or not all(isinstance(p, str) for p in paths):
            return UNKNOWN
        out = []
        for p in paths:
            for name, is_pkg in world.package_dir(p):
                out.append((None, prefix + name, is_pkg))
        return out

    def import_module(name: Any, package: Any = None) -> Any:
        return world.import_module(name) if isinstance(name, str) else UNKNOWN

    def _hasattr(obj: Any, name: Any) -> Any:
        if not isinstance(name, str):
            return UNKNOWN
        v = it.getattr(obj, name)
        return UNKNOWN if not known(v) and not isinstance(obj, ModuleVal) else known(v)

    def _getattr(obj: Any, name: Any, *default: Any) -> Any:
        if not isinstance(name, str):
            return UNKNOWN
        v = it.getattr(obj, name)
        if not known(v) and default and isinstance(obj, ModuleVal | ClassVal):
            return default[0]
        return v

    def _invoke(kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]] | None:
        if kwargs.get("invoke_on_load") is not True:
            return None
        args = it.iterate(kwargs.get("invoke_args", ())) or []
        kwds = kwargs.get("invoke_kwds", {})
        return list(args), dict(kwds) if isinstance(kwds, dict) else {}

    def ext_manager(namespace: Any = None, names: Any = None, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(namespace, str):
            return UNKNOWN
        if isinstance(names, bool):  # ExtensionManager(namespace, invoke_on_load, ...)
            kwargs.setdefault("invoke_on_load", names)
            names = None
        names = kwargs.get("names", names)
        wanted = set(it.iterate(names) or []) if names is not None else None
        inv = _invoke(kwargs)
        return ExtManagerVal([ExtensionVal(n, t, world, inv)
                              for n, t in world.entry_point_group(namespace)
                              if wanted is None or n in wanted])

    def driver_manager(namespace: Any = None, name: Any = None, *args: Any, **kwargs: Any) -> Any:
        if not (isinstance(namespace, str) and isinstance(name, str)):
            return UNKNOWN
        inv = _invoke(kwargs)
        for n, t in world.entry_point_group(namespace):
            if n == name:
                return ExtManagerVal([ExtensionVal(n, t, world, inv)], driver_manager=True)
        return UNKNOWN

    def defaultdict(factory: Any = None, *a: Any) -> Any:
        return collections.defaultdict(list) if factory is _BUILTINS["list"] else \
            collections.defaultdict(dict) if factory is _BUILTINS["dict"] else {}

    def import_class(name: Any) -> Any:
        if not isinstance(name, str) or "." not in name:
            return UNKNOWN
        mod, _, attr = name.rpartition(".")
        return it.getattr(world.import_module(mod), attr)

    def try_import(name: Any, default: Any = None) -> Any:
        return world.import_module(name) if isinstance(name, str) else UNKNOWN

    importutils = {"import_module": Native("import_module", import_module),
                   "import_class": Native("import_class", import_class),
                   "try_import": Native("try_import", try_import)}

    def _isinstance(obj: Any, types: Any) -> Any:
        obj = it.resolve(obj)
        if not known(obj):
            return UNKNOWN
        cands = list(types) if isinstance(types, tuple | list) else [types]
        for t in cands:
            if isinstance(t, Native):
                py = _PY_TYPES.get(t.name)
                if py is None:
                    return UNKNOWN
                if isinstance(obj, py) and not (py is int and isinstance(obj, bool)
                                                and t.name == "int"):
                    return True
            elif isinstance(t, ClassVal):
                if isinstance(obj, InstanceVal) and t in obj.cls.mro():
                    return True
            elif isinstance(t, NativeClass):
                if t.role == "opt" and isinstance(obj, OptVal):
                    return t.kind in ("Opt", obj.cls)
                if t.role == "group" and isinstance(obj, GroupVal):
                    return True
            else:
                return UNKNOWN
        return False

    stevedore = {
        "ExtensionManager": Native("ExtensionManager", ext_manager),
        "NamedExtensionManager": Native("NamedExtensionManager", ext_manager),
        "DriverManager": Native("DriverManager", driver_manager),
    }
    cfg = _cfg_module(world)
    # keystoneauth's loading helpers: what they register in a section comes from ksa.py (the
    # pinned keystoneauth1's session/adapter/auth and per-plugin options), not from here
    ks_none = Native("ksa", lambda *a, **k: None)
    ks_empty = Native("ksa", lambda *a, **k: [KsaMarker()])
    ks_loading = {
        "get_session_conf_options": ks_empty, "get_auth_common_conf_options": ks_empty,
        "get_auth_plugin_conf_options": ks_empty, "get_adapter_conf_options": ks_empty,
        "register_session_conf_options": ks_none, "register_auth_conf_options": ks_none,
        "register_adapter_conf_options": ks_none,
    }
    return {
        "keystoneauth1.loading": ks_loading,
        "keystoneauth1.loading.conf": ks_loading,
        "keystoneauth1.loading.session": ks_loading,
        "keystoneauth1.loading.adapter": ks_loading,
        "oslo_config": {"cfg": LazyModule("oslo_config.cfg"),
                        "types": LazyModule("oslo_config.types")},
        "oslo_config.cfg": cfg,
        "oslo.config": {"cfg": LazyModule("oslo.config.cfg"),
                        "types": LazyModule("oslo.config.types")},
        "oslo.config.cfg": cfg,
        "oslo_config.types": _types_module(),
        "oslo.config.types": _types_module(),
        "copy": {"deepcopy": Native("deepcopy", deepcopy), "copy": Native("copy", deepcopy)},
        "itertools": {"chain": Native("chain", chain)},
        "itertools.chain": {"from_iterable": Native("from_iterable", from_iterable)},
        "os": {"path": LazyModule("os.path"), "sep": "/", "name": "posix", "linesep": "\n",
               "environ": UNKNOWN},
        "os.path": {"join": ospath(posixpath.join), "dirname": ospath(posixpath.dirname),
                    "abspath": ospath(posixpath.normpath), "basename": ospath(posixpath.basename),
                    "realpath": ospath(posixpath.normpath), "sep": "/"},
        "sys": {"platform": "linux", "version_info": (3, 11, 0), "maxsize": 2**63 - 1},
        "collections": {"defaultdict": Native("defaultdict", defaultdict),
                        "OrderedDict": Native("OrderedDict", lambda *a, **k: dict(*a, **k)
                                              if all(is_plain(x) for x in a) else {})},
        "pkgutil": {"iter_modules": Native("iter_modules", iter_modules)},
        "importlib": {"import_module": Native("import_module", import_module)},
        "oslo_utils.importutils": importutils,
        "oslo.utils.importutils": importutils,
        "stevedore": {"extension": LazyModule("stevedore.extension"),
                      "named": LazyModule("stevedore.named"),
                      "driver": LazyModule("stevedore.driver"), **stevedore},
        "stevedore.extension": stevedore,
        "stevedore.named": stevedore,
        "stevedore.driver": stevedore,
        "six": {"PY2": False, "PY3": True, "string_types": (str,), "text_type": str,
                "iteritems": Native("iteritems", lambda d: list(d.items())
                                    if isinstance(d, dict) else UNKNOWN),
                "itervalues": Native("itervalues", lambda d: list(d.values())
                                     if isinstance(d, dict) else UNKNOWN),
                "moves": UNKNOWN},
        "textwrap": {"dedent": Native("dedent", lambda s: s)},
        "__builtins_hooks__": {"hasattr": Native("hasattr", _hasattr),
                               "__import__": Native("__import__", import_module),
                               "isinstance": Native("isinstance", _isinstance),
                               "getattr": Native("getattr", _getattr)},
    }


def _sorted(x: Any, key: Any = None, reverse: bool = False) -> Any:
    if isinstance(x, _DictView):
        x = x.items
    if not isinstance(x, list | tuple | set | dict) or key is not None:
        return UNKNOWN if key is not None else x
    try:
        return sorted(x, reverse=reverse)
    except TypeError:
        return list(x)


def _list(x: Any = ()) -> Any:
    if isinstance(x, list | tuple | set | frozenset):
        return list(x)
    if isinstance(x, dict):
        return list(x.keys())
    if isinstance(x, str):
        return list(x)
    return UNKNOWN


def _dict(*a: Any, **k: Any) -> Any:
    if a and not isinstance(a[0], dict | list | tuple):
        return UNKNOWN
    try:
        return dict(*a, **k)
    except (TypeError, ValueError):
        return UNKNOWN


_PY_TYPES: dict[str, type | tuple[type, ...]] = {
    "list": list, "tuple": tuple, "dict": dict, "set": set, "str": str, "int": int,
    "float": float, "bool": bool,
}

_BUILTINS: dict[str, Any] = {
    "list": Native("list", _list),
    "tuple": Native("tuple", lambda x=(): tuple(x) if isinstance(x, list | tuple | set)
                    else UNKNOWN),
    "dict": Native("dict", _dict),
    "set": Native("set", lambda x=(): set(x) if is_plain(list(x) if isinstance(x, list | tuple)
                                                      else x) else UNKNOWN),
    "sorted": Native("sorted", _sorted),
    "len": Native("len", lambda x: len(x) if isinstance(x, list | tuple | dict | str) else UNKNOWN),
    "str": Native("str", lambda x="": str(x) if is_plain(x) else UNKNOWN),
    "int": Native("int", lambda x=0, *b: int(x, *b) if isinstance(x, int | float | str)
                  else UNKNOWN),
    "float": Native("float", lambda x=0.0: float(x) if isinstance(x, int | float | str)
                    else UNKNOWN),
    "bool": Native("bool", lambda x=False: bool(x) if is_plain(x) else UNKNOWN),
    "zip": Native("zip", lambda *a: list(zip(*a, strict=False)) if all(isinstance(x, list | tuple)
                                                                         for x in a) else UNKNOWN),
    "enumerate": Native("enumerate", lambda x, start=0: list(enumerate(x, start))
                        if isinstance(x, list | tuple) else UNKNOWN),
    "range": Native("range", lambda *a: list(range(*a)) if all(isinstance(x, int) for x in a)
                    and len(range(*a)) <= MAX_LOOP else UNKNOWN),
    "max": Native("max", lambda *a: max(*a) if is_plain(list(a)) else UNKNOWN),
    "min": Native("min", lambda *a: min(*a) if is_plain(list(a)) else UNKNOWN),
    "None": None, "True": True, "False": False,
    "staticmethod": UNKNOWN, "classmethod": UNKNOWN, "property": UNKNOWN,
    "object": UNKNOWN, "Exception": UNKNOWN,
}


def flatten_opts(interp: Interpreter, value: Any) -> tuple[list[tuple[str, OptVal]], list[str]]:
    """The (group, option) pairs of what a list_opts-style function returned (a list of
    (group, opts) pairs or a dict {group: opts}), and a description of each entry that could
    not be resolved."""
    value = interp.resolve(value)
    pairs: Iterable[Any]
    if isinstance(value, dict):
        pairs = list(value.items())
    else:
        items = interp.iterate(value)
        if items is None:
            return [], ["the returned value"]
        pairs = items
    out: list[tuple[str, OptVal]] = []
    unknown: list[str] = []
    for pair in pairs:
        pair = interp.resolve(pair)
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            unknown.append("an entry that is not a (group, options) pair")
            continue
        group = _group_name(pair[0])
        opts = interp.iterate(pair[1])
        if group is None or opts is None:
            unknown.append(f"the options of group {group or '?'}")
            continue
        for o in opts:
            o = o.native if isinstance(o, InstanceVal) else o
            if isinstance(o, OptVal):
                out.append((group, o))
            elif isinstance(o, KsaMarker):
                for k, v in o.defaults.items():
                    if known(v) and is_plain(v):
                        interp.world.ksa_defaults[(group, k)] = v
            else:
                unknown.append(f"an option of group {group}")
    return out, unknown


def call_entry_point(world: World, target: str) -> tuple[list[tuple[str, OptVal]], list[str]]:
    """Call an `oslo.config.opts` entry point ('module:function') and flatten its result."""
    fn = world.resolve_target(target)
    if not known(fn):
        return [], [f"{target} not found"]
    try:
        value = world.interp.call(fn, [], {})
    except (_Abort, RecursionError):
        return [], [f"{target} could not be followed"]
    return flatten_opts(world.interp, value)
