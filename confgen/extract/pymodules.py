"""Name resolution across the Python modules of one repository at one ref, with `ast` only.

The run-time section families need facts that span modules: a keystoneauth loader's options
come from its base classes in other files; a cinder driver reads the options of its bases in
other packages. `PyIndex` answers "what does name N mean in module M" the way Python's import
system would, without importing anything:

    idx = PyIndex(GitRepo(path), "stable/2025.1")
    b = idx.lookup("cinder.volume.drivers.rbd", "RBDDriver")      # Binding(kind="class", ...)
    [c.qualname for c in idx.mro(b)]                             # the class, then its bases (C3)

Understood: `import a.b [as x]`, `from a.b import c [as x]` (c a module or a name),
relative imports, `from x import *` (honouring `__all__` when it is a literal), class and
function definitions, `NAME = expr` aliases, class members, `Base[T]` generics and
`six.with_metaclass(Meta, Base)`. Names that leave the repository resolve to an `external`
binding carrying the dotted name (e.g. "oslo_config.cfg.StrOpt"), so callers can still tell
what was meant.
"""

from __future__ import annotations

import ast
import warnings as _warnings
from dataclasses import dataclass, field

from confgen.extract.gitread import GitRepo
from confgen.extract.pyopts import _parse_any


@dataclass
class Binding:
    """What a name means.

    kind: "module" | "class" | "function" | "value" (an assigned expression) | "external"
    module: dotted module the definition lives in ("" for external)
    name: the name in that module (for members: "Class.member"); for external the dotted path
    node: the ClassDef / FunctionDef / value expression (None for modules and externals)
    """

    kind: str
    module: str
    name: str
    node: ast.AST | None = None
    path: str = ""

    @property
    def qualname(self) -> str:
        if self.kind in ("module", "external"):
            return self.name
        return f"{self.module}.{self.name}"


@dataclass
class _ModuleNames:
    names: dict[str, tuple] = field(default_factory=dict)  # name -> how it is bound
    stars: list[str] = field(default_factory=list)  # modules of `from X import *`
    all_: list[str] | None = None


class PyIndex:
    """The Python modules of `repo` at `ref` (parsed lazily, cached)."""

    def __init__(self, repo: GitRepo, ref: str):
        self.repo, self.ref = repo, ref
        self.paths: dict[str, str] = {}  # dotted module -> path
        for p in repo.files(ref):
            if not p.endswith(".py"):
                continue
            mod = p[:-3].replace("/", ".")
            if mod.endswith(".__init__"):
                mod = mod[: -len(".__init__")]
            self.paths[mod] = p
        self._trees: dict[str, ast.Module | None] = {}
        self._names: dict[str, _ModuleNames] = {}
        self._mro: dict[str, list[Binding]] = {}
        self._members: dict[int, dict[str, Binding]] = {}
        self.warnings: list[str] = []

    # ---- modules ----------------------------------------------------------------------
    def has_module(self, module: str) -> bool:
        return module in self.paths

    def is_package(self, module: str) -> bool:
        return self.paths.get(module, "").endswith("__init__.py")

    def tree(self, module: str) -> ast.Module | None:
        if module not in self._trees:
            path = self.paths.get(module)
            text = self.repo.read(self.ref, path) if path else None
            warnings: list[str] = []
            with _warnings.catch_warnings():  # upstream's invalid escapes are not our concern
                _warnings.simplefilter("ignore", SyntaxWarning)
                _warnings.simplefilter("ignore", DeprecationWarning)
                tree = _parse_any(text, path, warnings) if text is not None and path else None
            self._trees[module] = tree
            self.warnings.extend(f"{w} (at {self.ref})" for w in warnings)
        return self._trees[module]

    def module_path(self, module: str) -> str:
        return self.paths.get(module, "")

    def _absolute(self, module: str, target: str | None, level: int) -> str:
        if not level:
            return target or ""
        parts = module.split(".")
        if not self.is_package(module):
            parts = parts[:-1]
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        base = ".".join(parts)
        return f"{base}.{target}" if target else base

    def _scan(self, module: str) -> _ModuleNames:
        if module in self._names:
            return self._names[module]
        out = _ModuleNames()
        self._names[module] = out
        tree = self.tree(module)
        if tree is None:
            return out

        def bind(name: str, how: tuple, weak: bool) -> None:
            if weak:
                out.names.setdefault(name, how)
            else:
                out.names[name] = how

        def walk(body: list[ast.stmt], weak: bool) -> None:
            for stmt in body:
                if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    bind(stmt.name, ("def", stmt), weak)
                elif isinstance(stmt, ast.Assign):
                    for tgt in stmt.targets:
                        if isinstance(tgt, ast.Name):
                            bind(tgt.id, ("value", stmt.value), weak)
                            if tgt.id == "__all__":
                                try:
                                    out.all_ = list(ast.literal_eval(stmt.value))
                                except (ValueError, SyntaxError, TypeError):
                                    pass
                elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) \
                        and isinstance(stmt.op, ast.Add):
                    prev = out.names.get(stmt.target.id)
                    if prev is not None and prev[0] == "value":  # OPTS += MORE_OPTS
                        combined = ast.BinOp(left=prev[1], op=ast.Add(), right=stmt.value)
                        ast.copy_location(combined, stmt)
                        out.names[stmt.target.id] = ("value", combined)
                elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    if stmt.value is not None:
                        bind(stmt.target.id, ("value", stmt.value), weak)
                elif isinstance(stmt, ast.Import):
                    for a in stmt.names:
                        if a.asname:
                            bind(a.asname, ("module", a.name), weak)
                        else:
                            top = a.name.split(".")[0]
                            bind(top, ("module", top), weak)
                elif isinstance(stmt, ast.ImportFrom):
                    src = self._absolute(module, stmt.module, stmt.level)
                    for a in stmt.names:
                        if a.name == "*":
                            out.stars.append(src)
                        else:
                            bind(a.asname or a.name, ("from", src, a.name), weak)
                elif isinstance(stmt, ast.Try):
                    walk(stmt.body, weak)  # the handlers are fallbacks: weaker
                    for h in stmt.handlers:
                        walk(h.body, True)
                    walk(stmt.orelse, weak)
                elif isinstance(stmt, ast.If):
                    walk(stmt.body, weak)
                    walk(stmt.orelse, True)

        walk(tree.body, False)
        return out

    # ---- names ------------------------------------------------------------------------
    def lookup(self, module: str, name: str, _depth: int = 0) -> Binding | None:
        """What `name` means at the top level of `module` (None: not bound there)."""
        if _depth > 25:
            return None
        if not self.has_module(module):
            return Binding("external", "", f"{module}.{name}")
        info = self._scan(module)
        how = info.names.get(name)
        if how is None:
            sub = f"{module}.{name}"
            if self.has_module(sub):  # a submodule imported elsewhere
                return Binding("module", sub, sub, path=self.paths[sub])
            for star in info.stars:
                if self.has_module(star):
                    sinfo = self._scan(star)
                    if sinfo.all_ is not None and name not in sinfo.all_:
                        continue
                    got = self.lookup(star, name, _depth + 1)
                    if got is not None:
                        return got
            return None
        path = self.paths[module]
        if how[0] == "def":
            node = how[1]
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            return Binding(kind, module, name, node, path)
        if how[0] == "value":
            node = how[1]
            if isinstance(node, ast.Name | ast.Attribute):  # an alias: follow it
                got = self.resolve(module, node, _depth + 1)
                if got is not None:
                    return got
            return Binding("value", module, name, node, path)
        if how[0] == "module":
            target = how[1]
            if self.has_module(target):
                return Binding("module", target, target, path=self.paths[target])
            return Binding("external", "", target)
        src, orig = how[1], how[2]
        sub = f"{src}.{orig}"
        if self.has_module(sub):
            return Binding("module", sub, sub, path=self.paths[sub])
        if self.has_module(src):
            got = self.lookup(src, orig, _depth + 1)
            return got if got is not None else Binding("external", "", sub)
        return Binding("external", "", sub)

    def member(self, cls: Binding, name: str) -> Binding | None:
        """A name defined in the body of class `cls` itself (not its bases)."""
        assert isinstance(cls.node, ast.ClassDef)
        table = self._members.get(id(cls.node))
        if table is None:
            table = {}
            for stmt in cls.node.body:
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    kind = "class" if isinstance(stmt, ast.ClassDef) else "function"
                    table[stmt.name] = Binding(kind, cls.module, f"{cls.name}.{stmt.name}",
                                               stmt, cls.path)
                elif isinstance(stmt, ast.Assign):
                    for tgt in stmt.targets:
                        if isinstance(tgt, ast.Name):
                            table[tgt.id] = Binding("value", cls.module,
                                                    f"{cls.name}.{tgt.id}", stmt.value,
                                                    cls.path)
            self._members[id(cls.node)] = table
        return table.get(name)

    def resolve(self, module: str, expr: ast.AST, _depth: int = 0) -> Binding | None:
        """What a Name / Attribute chain / `Base[T]` written in `module` refers to."""
        if _depth > 25:
            return None
        if isinstance(expr, ast.Name):
            return self.lookup(module, expr.id, _depth + 1)
        if isinstance(expr, ast.Subscript):
            return self.resolve(module, expr.value, _depth + 1)
        if isinstance(expr, ast.Attribute):
            base = self.resolve(module, expr.value, _depth + 1)
            if base is None:
                return None
            if base.kind == "module":
                return self.lookup(base.module, expr.attr, _depth + 1)
            if base.kind == "external":
                return Binding("external", "", f"{base.name}.{expr.attr}")
            if base.kind == "class":
                for c in self.mro(base):
                    got = self.member(c, expr.attr)
                    if got is not None:
                        return got
        return None

    # ---- classes ----------------------------------------------------------------------
    def bases(self, cls: Binding) -> list[Binding]:
        """The base classes of `cls`, resolved; external bases as `external` bindings."""
        assert isinstance(cls.node, ast.ClassDef)
        exprs: list[ast.AST] = []
        for b in cls.node.bases:
            # six.with_metaclass(Meta, Base1, ...) / with_metaclass(Meta, Base)
            if isinstance(b, ast.Call) and getattr(b.func, "attr", getattr(b.func, "id", "")) \
                    == "with_metaclass":
                exprs.extend(b.args[1:])
            else:
                exprs.append(b)
        out = []
        for e in exprs:
            got = self.resolve(cls.module, e)
            if got is None:
                got = Binding("external", "", ast.unparse(e))
            out.append(got)
        return out

    def mro(self, cls: Binding) -> list[Binding]:
        """C3 linearisation of the classes of the repository (externals dropped)."""
        seen = self._mro

        def lin(c: Binding, stack: tuple[str, ...]) -> list[Binding]:
            if c.qualname in seen:
                return seen[c.qualname]
            if c.qualname in stack:
                return [c]
            parents = [b for b in self.bases(c) if b.kind == "class"]
            seqs = [list(lin(p, (*stack, c.qualname))) for p in parents] + [list(parents)]
            result = [c]
            while any(seqs):
                for seq in seqs:
                    if not seq:
                        continue
                    head = seq[0]
                    if not any(head.qualname in [x.qualname for x in s[1:]] for s in seqs):
                        break
                else:  # inconsistent hierarchy: fall back to depth-first order
                    head = next(s[0] for s in seqs if s)
                result.append(head)
                seqs = [[x for x in s if x.qualname != head.qualname] for s in seqs]
            seen[c.qualname] = result
            return result

        return lin(cls, ())

    def external_bases(self, cls: Binding) -> list[str]:
        """Dotted names of the bases anywhere in the hierarchy that leave the repository."""
        out: list[str] = []
        for c in self.mro(cls):
            for b in self.bases(c):
                if b.kind == "external" and b.name not in out:
                    out.append(b.name)
        return out

    def classes(self, module: str) -> list[Binding]:
        """Top-level classes defined in `module`, in source order."""
        tree = self.tree(module)
        if tree is None:
            return []
        return [
            Binding("class", module, n.name, n, self.paths[module])
            for n in tree.body
            if isinstance(n, ast.ClassDef)
        ]
