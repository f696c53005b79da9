"""Section families decided at run time, read from upstream git (`ast` only, never imported).

Three families whose options depend on a value in the file rather than on a fixed group:

1. `cinder_backends(repo, ref)` - cinder's backend sections (`@backend`): a section named in
   [DEFAULT] enabled_backends reads the options the volume manager gives its Configuration
   plus every option list the driver named by its `volume_driver` appends with
   `configuration.append_config_values(...)` (cinder.volume.configuration registers those in
   the backend's group; nothing else is read there). Returns `CinderBackends`.
2. `store_types(repo, tag)` - glance_store's multi-store sections (`@store`): a section named
   as a key of glance's [DEFAULT] enabled_backends reads the OPTIONS of the store type its value
   names, plus the store base class's MULTI_BACKEND_OPTIONS. Returns `StoreTypes`, which also
   models the reserved stores glance asks for (`StoreTypes.reserved_options`).
3. `glance_reserved_stores(repo, ref)` - which reserved stores glance registers at a ref
   (`os_glance_staging_store`, `os_glance_tasks_store`: RESERVED_STORES handed to
   glance_store.register_store_opts). Returns `ReservedStores`.

Every option is a `SourcedOpt` (pyopts.OptDef + the repository path it is defined in; its key
is what operators write). Every result carries `repo`, `ref` (for provenance strings
"REPO:PATH@REF") and `warnings`: what could not be resolved statically, with file and line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from confgen.extract.gitread import GitRepo
from confgen.extract.ksa import entry_points
from confgen.extract.optexpr import Frame, OptLists, SourcedOpt
from confgen.extract.pymodules import Binding, PyIndex
from confgen.extract.pyopts import _assignments, _callee, _kw


def _open(repo: GitRepo | str | Path) -> tuple[GitRepo, bool]:
    if isinstance(repo, GitRepo):
        return repo, False
    return GitRepo(repo), True


def _dedupe_into(target: dict[str, SourcedOpt], opts: list[SourcedOpt], where: str,
                 warnings: list[str]) -> list[str]:
    """Add opts to target by name (first definition kept); names in the order met."""
    names: list[str] = []
    for o in opts:
        have = target.get(o.name)
        if have is None:
            target[o.name] = o
        elif (have.type, have.default, have.choices) != (o.type, o.default, o.choices) \
                and (have.path, have.line) != (o.path, o.line):
            msg = (f"{where}: option {o.name} defined differently in {have.path}:{have.line}"
                   f" and {o.path}:{o.line}; the first is kept")
            if msg not in warnings:
                warnings.append(msg)
        if o.name not in names:
            names.append(o.name)
    return names


# ---- 1. cinder backend sections ----------------------------------------------------------
@dataclass
class CinderBackends:
    """What a cinder backend section reads at one ref.

    generic: options every backend section reads: the volume manager's Configuration options
        (e.g. volume_driver, backend_availability_zone) and what the root driver classes of
        cinder/volume/driver.py append unconditionally (volume_opts, iser_opts, image_opts,
        ...): what a section whose driver confgen does not know reads at least
    drivers: driver path as `volume_driver` names it -> names of every option it reads: the
        manager's, then what the driver's construction and start-up append (a driver whose
        __init__ does not call its base's does not get the base's). Keys are the canonical
        "module.Class" of every public class under cinder.volume.drivers (and
        cinder.volume.driver) deriving from the driver base classes, the MAPPING targets,
        plus the accepted older spellings in `aliases`
    aliases: older path -> canonical path (the volume manager's MAPPING of renamed drivers,
        and module-level `Old = New` re-bindings / shim modules re-exporting a driver)
    conditional: driver path -> the names among drivers[path] read only for some setting of
        another option: appended under an `if` on a value, or by a class the driver loads
        by a dotted path from a table (the target helper `target_helper` names, NetApp's
        family driver from netapp_storage_family/protocol); they are in drivers[path] too
    origins: driver path -> option name -> the entry point whose run appends it: "__new__" /
        "__init__" (the driver is built), "do_setup" / "check_for_setup_error" (the manager
        starts it), else the name of the method that does (through self.method() calls,
        helper classes it instantiates and functions it calls)
    options: option name -> its definition (the first met; conflicts are warnings)
    """

    repo: str
    ref: str
    generic: list[str] = field(default_factory=list)
    drivers: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    conditional: dict[str, list[str]] = field(default_factory=dict)
    origins: dict[str, dict[str, str]] = field(default_factory=dict)
    options: dict[str, SourcedOpt] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def source(self, opt: SourcedOpt) -> str:
        return f"{self.repo}:{opt.path}@{self.ref}"

    def driver_options(self) -> dict[str, set[str]]:
        """{driver path: set(option names)} (generic included)."""
        return {d: set(v) for d, v in self.drivers.items()}

    def option_drivers(self) -> dict[str, list[str]]:
        """Driver-specific option name -> sorted driver paths (aliases included) that read it;
        the era field `drivers`. Generic options are not keys (read by every backend)."""
        gen = set(self.generic)
        out: dict[str, set[str]] = {}
        for d, names in self.drivers.items():
            for n in names:
                if n not in gen:
                    out.setdefault(n, set()).add(d)
        return {k: sorted(v) for k, v in sorted(out.items())}


@dataclass
class _FnFacts:
    """What one function does with configuration. `cond`: under an `if` that tests a value
    (not just `if self.configuration:`), i.e. it happens only for some settings."""

    calls: list[tuple[ast.Call, str | None, bool]] = field(default_factory=list)  # +guard
    classes: list[tuple[Binding, bool]] = field(default_factory=list)  # instantiated
    named: list[Binding] = field(default_factory=list)  # classes named by dotted path
    functions: list[tuple[Binding, bool]] = field(default_factory=list)  # module functions
    self_calls: set[str] = field(default_factory=set)  # self.NAME(...) calls
    # `self.ATTR = {key: 'pkg.mod.Class', ...}`: a table; its classes load only where a
    # method subscripts self.ATTR (BaseVD.target_mapping: LVM does, RBD does not)
    tables: dict[str, list[Binding]] = field(default_factory=dict)
    subscripts: set[str] = field(default_factory=set)  # self.ATTR[...] read here


def _presence_test(test: ast.AST) -> bool:
    """`if self.configuration:` / `if conf is not None:` / `if not config:` - a check that
    a configuration object was given, always true for a backend section."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _presence_test(test.operand)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 \
            and isinstance(test.ops[0], ast.Is | ast.IsNot) \
            and isinstance(test.comparators[0], ast.Constant) \
            and test.comparators[0].value is None:
        test = test.left
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
    return "conf" in name.lower()


@dataclass
class _Reads:
    names: list[str] = field(default_factory=list)
    conditional: set[str] = field(default_factory=set)  # only via classes loaded by name
    origin: dict[str, str] = field(default_factory=dict)  # name -> "module.Class.method"

    def add(self, name: str, where: str, conditional: bool) -> None:
        if name not in self.names:
            self.names.append(name)
            self.origin[name] = where
            if conditional:
                self.conditional.add(name)
        elif not conditional:
            self.conditional.discard(name)

    def merge(self, other: _Reads, conditional: bool, where: str) -> None:
        for n in other.names:
            self.add(n, where, conditional or n in other.conditional)


class _Cinder:
    def __init__(self, idx: PyIndex, out: CinderBackends):
        self.idx, self.out = idx, out
        self.ol = OptLists(idx)
        self._appends: dict[str, _Reads] = {}
        self._busy: set[str] = set()
        self._reached: dict[str, list[tuple[Binding, ast.FunctionDef]]] = {}
        self._super: dict[int, tuple[Binding, bool] | None] = {}
        # per function: (append_config_values calls, repository classes it instantiates or
        # names by dotted path)
        self._facts: dict[int, _FnFacts] = {}

    def warn(self, msg: str) -> None:
        if msg not in self.out.warnings:
            self.out.warnings.append(msg)

    def where(self, module: str, node: ast.AST) -> str:
        return f"{self.idx.module_path(module)}:{getattr(node, 'lineno', '?')}"

    # the methods a class really runs: per name the first definition in the MRO, then the
    # next ones only while a definition calls its super() version
    def reached_methods(self, cls: Binding) -> list[tuple[Binding, ast.FunctionDef]]:
        if cls.qualname not in self._reached:
            self._reached[cls.qualname] = self._reached_methods(cls)
        return self._reached[cls.qualname]

    def _reached_methods(self, cls: Binding) -> list[tuple[Binding, ast.FunctionDef]]:
        mro = self.idx.mro(cls)
        names: list[str] = []
        for c in mro:
            assert isinstance(c.node, ast.ClassDef)
            for st in c.node.body:
                if isinstance(st, ast.FunctionDef) and st.name not in names:
                    names.append(st.name)
        out: list[tuple[Binding, ast.FunctionDef]] = []
        for name in names:
            defs = []
            for c in mro:
                m = self.idx.member(c, name)
                if m is not None and m.kind == "function":
                    assert isinstance(m.node, ast.FunctionDef)
                    defs.append((c, m.node))
            pos = [c.qualname for c in mro]
            i = 0
            while i < len(defs):
                owner, fn = defs[i]
                out.append((owner, fn))
                if id(fn) not in self._super:
                    self._super[id(fn)] = self._super_target(owner, fn, mro)
                nxt = self._super[id(fn)]
                if nxt is None:
                    break
                after, inclusive = nxt
                limit = pos.index(after.qualname) if after.qualname in pos else len(pos)
                later = [j for j in range(i + 1, len(defs))
                         if pos.index(defs[j][0].qualname) > limit
                         or (inclusive and pos.index(defs[j][0].qualname) == limit)]
                if not later:
                    break
                i = later[0]
        return out

    def _super_target(self, owner: Binding, fn: ast.FunctionDef, mro: list[Binding]
                      ) -> tuple[Binding, bool] | None:
        """Where fn's call of its own name continues: (class, inclusive). `super()` in C
        continues after C, `super(X, self)` after X, `Base.name(self, ...)` at Base itself.
        None: fn does not call it."""
        for n in ast.walk(fn):
            if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                    and n.func.attr == fn.name):
                continue
            tgt = n.func.value
            if isinstance(tgt, ast.Call) and _callee(tgt.func) == "super":
                if tgt.args:
                    named = self.idx.resolve(owner.module, tgt.args[0])
                    if named is not None and named.kind == "class":
                        return named, False
                return owner, False
            if isinstance(tgt, ast.Name | ast.Attribute):  # Base.__init__(self, ...)
                b = self.idx.resolve(owner.module, tgt)
                if b is not None and b.kind == "class" and n.args \
                        and isinstance(n.args[0], ast.Name) and n.args[0].id == "self":
                    return b, True
        return None

    def appends(self, cls: Binding, depth: int = 0) -> _Reads:
        """What a class appends to its configuration: its reached methods, the repository
        classes they instantiate and functions they call (unconditional), and the classes
        they name by dotted path, which are loaded only for some setting (conditional)."""
        key = cls.qualname
        if key in self._appends:
            return self._appends[key]
        if key in self._busy or depth > 5:
            return _Reads()
        self._busy.add(key)
        reads = _Reads()
        methods = self.reached_methods(cls)
        # label each method with the entry point that runs it: the constructor first (what
        # `__init__`/`__new__` call through self.X() runs when the driver is built), then
        # the start-up calls, then everything else under its own name
        calls: dict[str, set[str]] = {}
        for owner, fn in methods:
            calls.setdefault(fn.name, set()).update(self.fn_facts(owner.module, fn).self_calls)
        entry: dict[str, str] = {}
        order = [m for m in _ENTRIES if m in calls] + sorted(m for m in calls
                                                              if m not in _ENTRIES)
        for start in order:
            todo = [start]
            while todo:
                m = todo.pop()
                if m in entry or m not in calls:
                    continue
                entry[m] = start
                todo.extend(calls[m])
        rank = {m: i for i, m in enumerate(order)}
        tables: dict[str, list[Binding]] = {}
        used: dict[str, str] = {}  # table attribute -> entry of the first method reading it
        for owner, fn in sorted(methods, key=lambda of: rank[entry[of[1].name]]):
            self._collect(reads, owner.module, fn, entry[fn.name], owner, cls, depth)
            facts = self.fn_facts(owner.module, fn)
            for attr, classes in facts.tables.items():
                tables.setdefault(attr, classes)
            for attr in facts.subscripts:
                used.setdefault(attr, entry[fn.name])
        for attr, classes in tables.items():
            if attr in used:
                for b in classes:
                    if b.qualname != cls.qualname:
                        reads.merge(self.appends(b, depth + 1), True, used[attr])
        self._busy.discard(key)
        self._appends[key] = reads
        return reads

    def _collect(self, reads: _Reads, module: str, fn: ast.FunctionDef, where: str,
                 owner: Binding | None, cls: Binding | None, depth: int,
                 cond: bool = False) -> None:
        facts = self.fn_facts(module, fn)
        if facts.calls:
            frame = Frame(module, locals=dict(_assignments(fn.body)), cls=owner, self_cls=cls)
            for n, guard, c in facts.calls:
                if guard is not None and (cls is None or guard != cls.qualname):
                    continue  # `if type(self) is not X: return` before it
                got = self.ol.eval_list(module, n.args[0], frame)
                if got is None:
                    self.warn(f"{self.where(module, n)}: append_config_values("
                              f"{ast.unparse(n.args[0])}) not resolved"
                              + (f" (in {cls.qualname})" if cls else ""))
                    continue
                for nm in _dedupe_into(self.out.options, got, where, self.out.warnings):
                    reads.add(nm, where, cond or c)
        for b, c in facts.classes:
            if cls is None or b.qualname != cls.qualname:
                reads.merge(self.appends(b, depth + 1), cond or c, where)
        for b in facts.named:
            if cls is None or b.qualname != cls.qualname:
                reads.merge(self.appends(b, depth + 1), True, where)
        for f, c in facts.functions:
            key = f"fn:{f.qualname}"
            if key in self._busy or depth > 5:
                continue
            self._busy.add(key)
            assert isinstance(f.node, ast.FunctionDef)
            sub = _Reads()
            self._collect(sub, f.module, f.node, f.qualname, None, None, depth + 1)
            self._busy.discard(key)
            reads.merge(sub, cond or c, where)

    def fn_facts(self, module: str, fn: ast.FunctionDef) -> _FnFacts:
        if id(fn) in self._facts:
            return self._facts[id(fn)]
        out = _FnFacts()
        seen: set[str] = set()
        # `config = configuration.Configuration(..., config_group=other)`: options appended
        # to it are read in that other section (e.g. NetApp's replication target), not here
        others = {t.id for st in ast.walk(fn) if isinstance(st, ast.Assign)
                  and isinstance(st.value, ast.Call) and _callee(st.value.func) == "Configuration"
                  for t in st.targets if isinstance(t, ast.Name)}

        def visit(node: ast.AST, guard: str | None, cond: bool) -> None:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) \
                    and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute) \
                    and isinstance(node.targets[0].value, ast.Name) \
                    and node.targets[0].value.id == "self":
                found = [self._class_by_path(x) for x in self._deep_strings(module, node.value)
                         if x.startswith("cinder.")]
                out.tables[node.targets[0].attr] = [b for b in found if b is not None]
                return
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                    and isinstance(node.value.value, ast.Name) and node.value.value.id == "self":
                out.subscripts.add(node.value.attr)
            if isinstance(node, ast.If) and not _presence_test(node.test):
                visit(node.test, guard, cond)
                for st in [*node.body, *node.orelse]:
                    visit(st, guard, True)
                return
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) \
                    and node is not fn:
                return  # a nested function runs who knows when
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Attribute) and f.attr == "append_config_values":
                    params = {a.arg for a in fn.args.args}
                    if isinstance(f.value, ast.Name) and f.value.id in others:
                        self.warn(f"{self.idx.module_path(module)}: {fn.name}() appends "
                                  f"options to a Configuration of another section "
                                  f"({f.value.id}); they are not attributed to this section")
                    elif node.args and isinstance(node.args[0], ast.Name) \
                            and node.args[0].id in params:
                        pass  # a forwarding wrapper: its callers' lists are what counts
                    elif node.args:
                        out.calls.append((node, guard, cond))
                elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) \
                        and f.value.id == "self":
                    out.self_calls.add(f.attr)
                elif isinstance(f, ast.Name | ast.Attribute):
                    b = self.idx.resolve(module, f)
                    if b is not None and (b.qualname, cond) not in seen:
                        if b.kind == "class":
                            seen.add((b.qualname, cond))
                            out.classes.append((b, cond))
                        elif b.kind == "function" and "." not in b.name:  # module function
                            seen.add((b.qualname, cond))
                            out.functions.append((b, cond))
            for text in self._strings(module, node):  # loaded by name: "cinder.x.Y"
                b = self._class_by_path(text)
                if b is not None and b.qualname not in seen:
                    seen.add(b.qualname)
                    out.named.append(b)
            for child in ast.iter_child_nodes(node):
                visit(child, guard, cond)

        guard: str | None = None
        for st in fn.body:
            g = self._type_guard(module, st)
            if g is not None:
                guard = g
                continue
            visit(st, guard, False)
        self._facts[id(fn)] = out
        return out

    def _type_guard(self, module: str, st: ast.stmt) -> str | None:
        """`if type(self) is not X: return` (or `!=`): the class X the rest requires."""
        if not (isinstance(st, ast.If) and len(st.body) == 1
                and isinstance(st.body[0], ast.Return) and not st.orelse):
            return None
        t = st.test
        if not (isinstance(t, ast.Compare) and len(t.ops) == 1
                and isinstance(t.ops[0], ast.IsNot | ast.NotEq)
                and isinstance(t.left, ast.Call) and _callee(t.left.func) == "type"
                and t.left.args and isinstance(t.left.args[0], ast.Name)
                and t.left.args[0].id == "self"):
            return None
        b = self.idx.resolve(module, t.comparators[0])
        return b.qualname if b is not None and b.kind == "class" else None

    def _strings(self, module: str, node: ast.AST) -> list[str]:
        """Dotted paths of classes loaded by name: the values of a dict display (a table
        such as {'tgtadm': 'cinder.volume.targets.tgt.TgtAdm'}) written here or bound to a
        module-level name used here, and the literal argument of import_object/import_class.
        Plain strings elsewhere (messages, comparisons) are not loads."""
        found: list[str] = []
        if isinstance(node, ast.Dict):
            found = self._deep_strings(module, node)
        elif isinstance(node, ast.Name):
            b = self.idx.lookup(module, node.id)
            if b is not None and b.kind == "value" and isinstance(b.node, ast.Dict):
                found = self._deep_strings(b.module, b.node)
        elif isinstance(node, ast.Call) and _callee(node.func) in ("import_object",
                                                                   "import_class") \
                and node.args:
            v = self.ol.literal(module, node.args[0])
            found = [v] if isinstance(v, str) else []
        return [x for x in found if x.startswith("cinder.")]

    def _deep_strings(self, module: str, node: ast.AST) -> list[str]:
        """String values inside a dict/list display (values may be `PREFIX + '.x.Y'`)."""
        if isinstance(node, ast.Dict):
            return [x for v in node.values for x in self._deep_strings(module, v)]
        if isinstance(node, ast.List | ast.Tuple):
            return [x for v in node.elts for x in self._deep_strings(module, v)]
        v = self.ol.literal(module, node)
        return [v] if isinstance(v, str) else []

    def _class_by_path(self, path: str) -> Binding | None:
        mod, _, name = path.rpartition(".")
        if not self.idx.has_module(mod):
            return None
        b = self.idx.lookup(mod, name)
        return b if b is not None and b.kind == "class" else None


_DRIVER_BASE_MODULE = "cinder.volume.driver"
# how the volume manager drives a driver: built, then set up and checked
_ENTRIES = ("__new__", "__init__", "do_setup", "check_for_setup_error")


def cinder_backends(repo: GitRepo | str | Path, ref: str,
                    repo_name: str = "openstack/cinder") -> CinderBackends:
    """Backend-section options of every in-tree cinder volume driver at `ref` (a tag or
    branch). See CinderBackends for the result; `repo` is a GitRepo or a mirror path."""
    r, close = _open(repo)
    try:
        idx = PyIndex(r, ref)
        out = CinderBackends(repo_name, ref)
        cx = _Cinder(idx, out)
        # the manager's own Configuration(...) options
        manager = "cinder.volume.manager"
        tree = idx.tree(manager)
        mapping: dict[str, str] = {}
        if tree is None:
            out.warnings.append(f"{manager} not found at {ref}")
        else:
            for n in ast.walk(tree):
                if isinstance(n, ast.Call) and _callee(n.func) == "Configuration" and n.args:
                    got = cx.ol.eval_list(manager, n.args[0])
                    if got is None:
                        out.warnings.append(f"{cx.where(manager, n)}: Configuration("
                                            f"{ast.unparse(n.args[0])}) not resolved")
                    else:
                        for nm in _dedupe_into(out.options, got, manager, out.warnings):
                            if nm not in out.generic:
                                out.generic.append(nm)
            b = idx.lookup(manager, "MAPPING")
            if b is not None and b.kind == "value":
                v = cx.ol.literal(manager, b.node)
                if isinstance(v, dict):
                    mapping = {str(k): str(x) for k, x in v.items()}
                else:
                    out.warnings.append(f"{idx.module_path(manager)}: MAPPING not a literal")
        manager_opts = list(out.generic)
        # driver classes
        mods = sorted(m for m in idx.paths if (m.startswith("cinder.volume.drivers.")
                      or m == _DRIVER_BASE_MODULE) and ".tests" not in m)
        canonical: dict[str, Binding] = {}
        for m in mods:
            for c in idx.classes(m):
                if c.name.startswith("_"):
                    continue
                if any(x.module == _DRIVER_BASE_MODULE for x in idx.mro(c)):
                    canonical[c.qualname] = c
        # a MAPPING target outside the hierarchy is a driver too (havana's Huawei factory)
        for new in mapping.values():
            b = cx._class_by_path(new)
            if b is not None:
                canonical.setdefault(b.qualname, b)
        roots = [c for q, c in canonical.items() if c.module == _DRIVER_BASE_MODULE]
        per: dict[str, _Reads] = {}
        for q, c in sorted(canonical.items()):
            per[q] = cx.appends(c)
        # the roots: driver.py classes without a base in the repository (BaseVD today,
        # VolumeDriver in the old days); what they append unconditionally every backend
        # reads. (A proxy such as ProxyVD appends nothing: the driver it loads is a driver
        # like any other.)
        for c in roots:
            if any(b.kind == "class" for b in idx.bases(c)) or c.qualname not in per:
                continue
            rd = per[c.qualname]
            for nm in rd.names:
                if nm not in rd.conditional and nm not in out.generic:
                    out.generic.append(nm)
        for q, rd in per.items():  # what the manager reads + what this driver appends
            out.drivers[q] = list(dict.fromkeys([*manager_opts, *rd.names]))
            cond = sorted(n for n in rd.conditional if n not in out.generic)
            if cond:
                out.conditional[q] = cond
            out.origins[q] = {n: rd.origin[n] for n in rd.names if n in rd.origin}
        # older spellings: MAPPING, module-level re-bindings and shim modules
        for old, new in sorted(mapping.items()):
            tgt = new if new in out.drivers else None
            if tgt is None:
                b = cx._class_by_path(new)
                tgt = b.qualname if b is not None and b.qualname in out.drivers else None
            if tgt is None:
                out.warnings.append(f"MAPPING {old} -> {new}: target is not a driver at {ref}")
                continue
            out.aliases[old] = tgt
        for m in mods:
            own = {c.qualname for c in idx.classes(m)}
            info = idx._scan(m)
            for name, how in sorted(info.names.items()):
                if name.startswith("_") or f"{m}.{name}" in out.drivers:
                    continue
                if how[0] == "value" or (how[0] == "from" and not own):
                    b = idx.lookup(m, name)
                    if b is not None and b.kind == "class" and b.qualname in out.drivers:
                        out.aliases.setdefault(f"{m}.{name}", b.qualname)
        for old, new in out.aliases.items():
            out.drivers.setdefault(old, list(out.drivers[new]))
            if new in out.conditional:
                out.conditional.setdefault(old, list(out.conditional[new]))
        out.warnings.extend(w for w in cx.ol.warnings if w not in out.warnings)
        out.warnings.extend(w for w in idx.warnings if w not in out.warnings)
        return out
    finally:
        if close:
            r.close()


# ---- 2. glance_store multi-store sections --------------------------------------------------
@dataclass
class StoreTypes:
    """glance_store at one tag, for multi-store sections.

    generic: options every store section reads (driver.Store.MULTI_BACKEND_OPTIONS:
        store_description, and weight where it exists); empty before multi-store (< 0.28)
    types: store type (the value operators write in enabled_backends: "rbd", "file", ...)
        -> the option names its Store class registers in the section (its OPTIONS)
    aliases: old dotted entry point names of the same store class (glance.store.rbd.Store
        -> rbd), accepted as store types too; not repeated in `types`
    targets: store type -> "module:Class" (entry points `glance_store.drivers`)
    options: option name -> definition (first met)
    multi_store: the tag has multi-store support (glance_store.multi_backend, >= 0.28)
    bare: store types whose class has OPTIONS = None: building the store registers nothing
        in its section, not even the generic options (e.g. no_conf)
    reserved_template: the options glance_store itself registers in each reserved store's
        section (>= 1.1.0: a fixed file-store template; defaults may be templates written
        "{}" for the store name, see reserved_options); None when this tag has no template
    """

    repo: str
    ref: str
    generic: list[str] = field(default_factory=list)
    types: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    options: dict[str, SourcedOpt] = field(default_factory=dict)
    reserved_template: list[SourcedOpt] | None = None
    multi_store: bool = False
    bare: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def source(self, opt: SourcedOpt) -> str:
        return f"{self.repo}:{opt.path}@{self.ref}"

    def store_types_reading(self) -> dict[str, list[str]]:
        """Store-specific option name -> sorted store types reading it (era `store_types`;
        old dotted aliases not included: they name the same store as a short type)."""
        gen = set(self.generic)
        out: dict[str, set[str]] = {}
        for t, names in self.types.items():
            for n in names:
                if n not in gen:
                    out.setdefault(n, set()).add(t)
        return {k: sorted(v) for k, v in sorted(out.items())}

    def reserved_options(self, store: str, store_type: str = "file") -> list[SourcedOpt]:
        """What a reserved store section (e.g. os_glance_staging_store, type "file") reads.

        With a template (glance_store >= 1.1.0): the template's options (defaults with the
        store name filled in), then, as the store is created, MULTI_BACKEND_OPTIONS, then the
        type's OPTIONS in order until the first one the template already registered
        differently (oslo.config raises DuplicateOptError there and glance_store's
        Store.__init__ swallows it, so the rest are not registered).
        Without one (1.0.x): MULTI_BACKEND_OPTIONS + the type's OPTIONS, as any store."""
        gen = [self.options[n] for n in self.generic]
        typed = [self.options[n] for n in self.types.get(store_type, [])]
        if self.reserved_template is None:
            return gen + typed
        out: list[SourcedOpt] = []
        for o in self.reserved_template:
            d = o.default
            if isinstance(d, str) and d.startswith("<template:"):
                d = d[len("<template:"):-1].replace("{}", store)
            out.append(SourcedOpt(**{**o.__dict__, "default": d}))
        names = {o.name for o in out}
        for o in gen:
            if o.name not in names:
                out.append(o)
                names.add(o.name)
        for o in typed:
            if o.name in names:
                break
            out.append(o)
            names.add(o.name)
        return out


def store_types(repo: GitRepo | str | Path, ref: str,
                repo_name: str = "openstack/glance_store") -> StoreTypes:
    """Multi-store options per store type of glance_store at `ref` (a tag)."""
    r, close = _open(repo)
    try:
        idx = PyIndex(r, ref)
        ol = OptLists(idx)
        out = StoreTypes(repo_name, ref)
        out.multi_store = idx.has_module("glance_store.multi_backend")
        base = idx.lookup("glance_store.driver", "Store")
        if base is None or base.kind != "class":
            out.warnings.append(f"glance_store.driver.Store not found at {ref}")
            return out
        if out.multi_store:
            mb = idx.member(base, "MULTI_BACKEND_OPTIONS")
            if mb is not None and mb.kind == "value":
                got = ol.eval_list(base.module, mb.node)
                if got is None:
                    out.warnings.append("driver.Store.MULTI_BACKEND_OPTIONS not resolved")
                else:
                    out.generic = _dedupe_into(out.options, got, "Store", out.warnings)
        eps = entry_points(r, ref, "glance_store.drivers")
        seen_cls: dict[str, str] = {}
        for name, target in sorted(eps.items(), key=lambda kv: ("." in kv[0], kv[0])):
            mod, _, attr = target.partition(":")
            mod, attr = mod.strip(), attr.strip()
            b = idx.lookup(mod, attr) if idx.has_module(mod) else None
            if b is None or b.kind not in ("class", "function"):
                out.warnings.append(f"store {name}: {target} not found at {ref}")
                continue
            got = None
            if b.kind == "function":  # swift: a factory function with `Store.OPTIONS = ...`
                node = _function_attribute(idx, b, "OPTIONS")
                got = ol.eval_list(b.module, node) if node is not None else None
            else:
                for c in idx.mro(b):
                    m = idx.member(c, "OPTIONS")
                    if m is not None and m.kind == "value":
                        got = ol.eval_list(c.module, m.node) if not _is_none(m.node) else []
                        break
            if got is None:
                out.warnings.append(f"store {name}: {target}.OPTIONS not resolved")
                continue
            names = _dedupe_into(out.options, got, f"store {name}", out.warnings)
            if "." in name and b.qualname in seen_cls:  # glance.store.rbd.Store: old name
                out.aliases[name] = seen_cls[b.qualname]
                continue
            if b.kind == "class" and not got and _options_none(idx, b):
                out.bare.append(name)
            out.targets[name] = f"{b.module}:{b.name}"
            out.types[name] = names
            seen_cls.setdefault(b.qualname, name)
        if out.multi_store:
            out.reserved_template = _reserved_template(idx, ol, out)
        out.warnings.extend(w for w in ol.warnings if w not in out.warnings)
        return out
    finally:
        if close:
            r.close()


def _function_attribute(idx: PyIndex, fn: Binding, attr: str) -> ast.AST | None:
    """The value of a module-level `fn.attr = value` next to function fn."""
    tree = idx.tree(fn.module)
    for st in tree.body if tree else []:
        if isinstance(st, ast.Assign):
            for t in st.targets:
                if isinstance(t, ast.Attribute) and t.attr == attr \
                        and isinstance(t.value, ast.Name) and t.value.id == fn.name:
                    return st.value
    return None


def _options_none(idx: PyIndex, cls: Binding) -> bool:
    for c in idx.mro(cls):
        m = idx.member(c, "OPTIONS")
        if m is not None:
            return m.kind == "value" and _is_none(m.node)
    return False


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _reserved_template(idx: PyIndex, ol: OptLists, out: StoreTypes) -> list[SourcedOpt] | None:
    """The option list register_store_opts builds for each reserved store (the local list
    registered with group=<the reserved store key>), or None when the tag has none."""
    mod = "glance_store.multi_backend"
    fn = idx.lookup(mod, "register_store_opts")
    if fn is None or fn.kind != "function":
        return None
    assert isinstance(fn.node, ast.FunctionDef)
    for st in ast.walk(fn.node):
        if not (isinstance(st, ast.For) and isinstance(st.target, ast.Name)
                and "reserved" in ast.unparse(st.iter)):
            continue
        key = st.target.id
        local = _assignments(st.body)
        for n in ast.walk(st):
            if not (isinstance(n, ast.Call) and _callee(n.func) == "register_opts" and n.args):
                continue
            g = n.args[1] if len(n.args) > 1 else _kw(n, "group")
            if not (isinstance(g, ast.Name) and g.id == key):
                continue
            arg = n.args[0]
            expr = local.get(arg.id) if isinstance(arg, ast.Name) else arg
            got = ol.eval_list(mod, expr) if expr is not None else None
            if got is None:
                out.warnings.append(f"{idx.module_path(mod)}:{n.lineno}: reserved store "
                                    "options not resolved")
                return None
            # defaults written '...{}'.format(key): a template over the store name
            calls = [c for c in ast.walk(expr) if isinstance(c, ast.Call)]
            for o in got:
                if isinstance(o.default, str) and o.default.startswith("<computed:"):
                    src = _format_template(calls, o, key)
                    if src is not None:
                        o.default = f"<template:{src}>"
            return got
    return None


def _format_template(calls: list[ast.Call], o: SourcedOpt, key: str) -> str | None:
    for c in calls:
        if c.lineno != o.line:
            continue
        d = _kw(c, "default")
        if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) \
                and d.func.attr == "format" and isinstance(d.func.value, ast.Constant) \
                and isinstance(d.func.value.value, str) and len(d.args) == 1 \
                and isinstance(d.args[0], ast.Name) and d.args[0].id == key:
            return d.func.value.value
        if isinstance(d, ast.JoinedStr):  # f'/var/lib/glance/{key}'
            parts = []
            for v in d.values:
                if isinstance(v, ast.Constant):
                    parts.append(str(v.value).replace("{", "{{").replace("}", "}}"))
                elif isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name) \
                        and v.value.id == key:
                    parts.append("{}")
                else:
                    return None
            return "".join(parts)
    return None


# ---- 3. glance's reserved stores ----------------------------------------------------------
@dataclass
class ReservedStores:
    """glance at one ref: reserved store name -> store type (e.g. os_glance_staging_store ->
    file), as handed to glance_store.register_store_opts(reserved_stores=...); `sources` are
    "path:line" of those calls. Empty before the release that introduced them."""

    repo: str
    ref: str
    stores: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def glance_reserved_stores(repo: GitRepo | str | Path, ref: str,
                           repo_name: str = "openstack/glance") -> ReservedStores:
    """The reserved stores glance registers at `ref`."""
    r, close = _open(repo)
    try:
        idx = PyIndex(r, ref)
        ol = OptLists(idx)
        out = ReservedStores(repo_name, ref)
        mods = [m for m in idx.paths if m.startswith("glance.") and ".tests" not in m]
        for m in sorted(mods):
            text = r.read(ref, idx.paths[m]) or ""
            if "reserved_stores" not in text:
                continue
            tree = idx.tree(m)
            if tree is None:
                continue
            for n in ast.walk(tree):
                if not (isinstance(n, ast.Call) and _callee(n.func) == "register_store_opts"):
                    continue
                arg = _kw(n, "reserved_stores") or (n.args[1] if len(n.args) > 1 else None)
                if arg is None:
                    continue
                v = ol.literal(m, arg)
                if not isinstance(v, dict):
                    out.warnings.append(f"{idx.module_path(m)}:{n.lineno}: reserved_stores "
                                        f"{ast.unparse(arg)} not a literal")
                    continue
                for k, t in v.items():
                    if out.stores.setdefault(str(k), str(t)) != str(t):
                        out.warnings.append(f"{idx.module_path(m)}:{n.lineno}: reserved store "
                                            f"{k} given two types")
                out.sources.append(f"{idx.module_path(m)}:{n.lineno}")
        return out
    finally:
        if close:
            r.close()


__all__ = [
    "CinderBackends", "ReservedStores", "StoreTypes", "cinder_backends",
    "glance_reserved_stores", "store_types",
]
