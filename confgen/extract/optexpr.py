"""Evaluate option-list expressions and the small functions that build them, across modules.

pyopts.py reads what one module registers. The run-time families need what an expression
*stands for* when it is built elsewhere: `super().get_options()` in a keystoneauth loader,
`options.extend([...])`, a helper that extends its argument, `san.san_opts` imported from
another module of cinder, `itertools.chain(a, b)`. `OptLists` interprets those statically:

    ol = OptLists(PyIndex(repo, ref))
    ol.eval_list("cinder.volume.drivers.rbd", <ast of RBD_OPTS>)   # -> [SourcedOpt, ...]
    ol.call_method(loader_class, "get_options")                    # runs the super() chain

Statements understood inside a function: `x = expr`, `x += expr`, `x.extend(e)`,
`x.append(e)`, `x.insert(i, e)`, `helper(x)` (a repository function that extends its
argument), `if PARAM:` / `if not PARAM:` on a parameter whose value is known, `return e`,
`try:` bodies. Anything else that could change the list (loops, conditions on run-time state,
`x.remove(...)`) is skipped with a warning naming the file and line: never a silent guess.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass, field
from typing import Any

from confgen.extract.pymodules import Binding, PyIndex
from confgen.extract.pyopts import (
    OptDef,
    Unresolved,
    _assignments,
    _callee,
    _Evaluator,
    _is_opt_call,
    _kw,
    _Scope,
)

# python callables keystoneauth's Opt(type=...) may name -> schema type
PY_TYPES = {"str": "string", "int": "int", "float": "float", "bool": "bool"}
_CONCAT = {"list", "tuple", "chain", "deepcopy", "copy"}


@dataclass
class SourcedOpt(OptDef):
    """An OptDef with where it was written, as oslo.config will see it.

    name: the key operators write in the file (oslo.config's `dest`: dashes -> underscores,
          or the explicit `dest=`)
    path: repository path of the file that defines it (line: its line there)
    loader_default: for keystoneauth `Opt`s, the `default=` the loader declares; keystoneauth
          does not pass it to oslo.config (its `_to_oslo_opt`), so `default` stays None
    cond: None, or the parameter that must be true for the option to be added
          (e.g. "include_deprecated" for keystoneauth's deprecated adapter option)
    """

    path: str = ""
    declared: str = ""  # the name as written in the source (before dest / dash conversion)
    cond: str | None = None
    loader_default: Any = None  # keystoneauth Opt(default=): CLI/env only, not given to oslo


@dataclass
class _Lit:
    """A literal parameter value (to decide `if PARAM:`)."""

    value: Any


@dataclass
class Frame:
    module: str
    locals: dict[str, Any] = field(default_factory=dict)
    cls: Binding | None = None  # class whose method runs (for super())
    self_cls: Binding | None = None  # class of `self` / `cls`
    params: set[str] = field(default_factory=set)


class OptLists:
    """Option-list evaluation over one PyIndex. `warnings` collects what was not followed."""

    def __init__(self, index: PyIndex, ks_opt_classes: tuple[str, ...] = ()):
        """ks_opt_classes: qualified names of keystoneauth-style `Opt` classes (name with
        dashes, `dest`, `deprecated=[Opt]`), e.g. ("keystoneauth1.loading.opts.Opt",)."""
        self.index = index
        self.ks_opt_classes = set(ks_opt_classes)
        self.warnings: list[str] = []
        self._scopes: dict[str, _Scope] = {}
        self._cache: dict[int, OptDef] = {}
        self._depth = 0

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def where(self, module: str, node: ast.AST) -> str:
        return f"{self.index.module_path(module)}:{getattr(node, 'lineno', '?')}"

    # ---- module scope for literal values ----------------------------------------------
    def scope(self, module: str, fn: ast.FunctionDef | None = None) -> _Scope:
        if module not in self._scopes:
            tree = self.index.tree(module)
            self._scopes[module] = _Scope(_assignments(tree.body) if tree else {})
        base = self._scopes[module]
        return _Scope(_assignments(fn.body), base) if fn is not None else base

    def literal(self, module: str, node: ast.AST | None) -> Any:
        """A literal value written in `module` (following its module-level names and names
        imported from other modules of the repository), or pyopts.Unresolved."""
        if node is None:
            return Unresolved
        ev = _Evaluator(self.scope(module), self._cache, [])
        v = ev.value(node)
        if v is Unresolved and isinstance(node, ast.Name | ast.Attribute):
            b = self.index.resolve(module, node)
            if b is not None and b.kind == "value" and b.node is not node:
                return self.literal(b.module, b.node)
        return v

    # ---- single options ---------------------------------------------------------------
    def _is_ks_opt(self, module: str, call: ast.Call) -> bool:
        if _callee(call.func) != "Opt":
            return False
        b = self.index.resolve(module, call.func)
        if b is not None and b.qualname in self.ks_opt_classes:
            return True
        # `cfg.Opt(...)` is oslo.config's; a bare/aliased `Opt` inside a ks package is ks's
        return b is not None and b.kind == "class" and bool(self.ks_opt_classes)

    def opt(self, module: str, node: ast.AST, frame: Frame | None = None) -> SourcedOpt | None:
        """One option from an `XOpt(...)` / ks `Opt(...)` call or a name bound to one."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "_to_oslo_opt":
            return self.opt(module, node.func.value, frame)
        if isinstance(node, ast.Name) and frame is not None and node.id in frame.locals:
            v = frame.locals[node.id]
            if isinstance(v, SourcedOpt):
                return v
            return None
        if isinstance(node, ast.Name | ast.Attribute):
            b = self.index.resolve(module, node)
            if b is not None and b.kind == "value" and b.node is not None:
                return self.opt(b.module, b.node)
            return None
        if not isinstance(node, ast.Call):
            return None
        if self._is_ks_opt(module, node):
            return self._ks_opt(module, node)
        if _is_opt_call(node):
            return self._oslo_opt(module, node)
        return None

    def _oslo_opt(self, module: str, call: ast.Call) -> SourcedOpt:
        warnings: list[str] = []
        d = _Evaluator(self.scope(module), self._cache, warnings).opt(call)
        # what pyopts could not see: constants imported from other modules of the repository
        dnode = _kw(call, "default")
        if isinstance(d.default, str) and d.default.startswith("<computed:") and dnode:
            v = self.literal(module, dnode)
            if v is not Unresolved:
                d.default = v
        cnode = _kw(call, "choices")
        if cnode is not None and d.choices is None and isinstance(cnode, ast.List | ast.Tuple):
            vals = [self.literal(module, e) for e in cnode.elts]
            if all(v is not Unresolved for v in vals):
                d.choices = [v[0] if isinstance(v, list | tuple) else v for v in vals]
                warnings = [w for w in warnings if "choices not a literal" not in w]
        for w in warnings:
            self.warn(f"{self.where(module, call)}: {w}")
        if d.name.startswith("<unresolved:"):  # a name imported from another module
            name_node = call.args[0] if call.args else _kw(call, "name")
            v = self.literal(module, name_node)
            if isinstance(v, str):
                d.name = v
            else:
                self.warn(f"{self.where(module, call)}: option name "
                          f"{ast.unparse(name_node) if name_node else '?'} not resolved")
        dest = self.literal(module, _kw(call, "dest"))
        key = dest if isinstance(dest, str) else d.name.replace("-", "_")
        old: list[tuple[str | None, str | None]] = []
        for g, n in d.old:
            for cand in dict.fromkeys([n, n.replace("-", "_") if n else n]):
                if (g, cand) not in old and not (g is None and cand in (None, key)):
                    old.append((g, cand))
        fields = {**asdict(d), "name": key, "old": old}
        return SourcedOpt(**fields, path=self.index.module_path(module), declared=d.name)

    def _ks_opt(self, module: str, call: ast.Call) -> SourcedOpt:
        """keystoneauth1.loading.Opt as its `_to_oslo_opt()` hands it to oslo.config: name =
        dest, every deprecated Opt a same-group alias (oslo adds the underscore spelling),
        type from the python callable, the loader default NOT passed (oslo default None)."""
        name_node = call.args[0] if call.args else _kw(call, "name")
        name = self.literal(module, name_node)
        if not isinstance(name, str):
            name = f"<unresolved:{ast.unparse(name_node) if name_node else '?'}>"
            self.warn(f"{self.where(module, call)}: option name not a literal")
        dest = self.literal(module, _kw(call, "dest"))
        key = dest if isinstance(dest, str) else name.replace("-", "_")
        typ = "string"
        tnode = _kw(call, "type")
        if tnode is not None:
            tname = ast.unparse(tnode)
            if tname in PY_TYPES:
                typ = PY_TYPES[tname]
            else:
                self.warn(f"{self.where(module, call)}: option {key}: type {tname} read as "
                          "string (a callable oslo.config does not know)")
        o = SourcedOpt(name=key, type=typ, line=call.lineno, path=self.index.module_path(module),
                       declared=name)
        o.secret = self.literal(module, _kw(call, "secret")) is True
        dep = _kw(call, "deprecated")
        if dep is not None:
            elts = dep.elts if isinstance(dep, ast.List | ast.Tuple) else None
            if elts is None:
                self.warn(f"{self.where(module, call)}: option {key}: deprecated= not a list")
            for e in elts or []:
                n_node = (e.args[0] if e.args else _kw(e, "name")) if isinstance(e, ast.Call) \
                    else None
                n = self.literal(module, n_node) if n_node is not None else Unresolved
                if not isinstance(n, str):
                    self.warn(f"{self.where(module, call)}: option {key}: deprecated entry"
                              " not understood")
                    continue
                for cand in dict.fromkeys([n.replace("-", "_")]):
                    if cand != key and (None, cand) not in o.old:
                        o.old.append((None, cand))
        default = self.literal(module, _kw(call, "default"))
        o.loader_default = None if default is Unresolved else default
        return o

    # ---- lists ------------------------------------------------------------------------
    def eval_list(self, module: str, node: ast.AST | None,
                  frame: Frame | None = None) -> list[SourcedOpt] | None:
        """The options an expression stands for; None when it cannot be followed."""
        if node is None:
            return None
        self._depth += 1
        try:
            if self._depth > 60:
                self.warn(f"{self.where(module, node)}: too deep, not followed")
                return None
            return self._eval_list(module, node, frame or Frame(module))
        finally:
            self._depth -= 1

    def _eval_list(self, module: str, node: ast.AST, frame: Frame) -> list[SourcedOpt] | None:
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            out: list[SourcedOpt] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    got = self.eval_list(module, elt.value, frame)
                else:
                    one = self.opt(module, elt, frame)
                    got = [one] if one is not None else self.eval_list(module, elt, frame)
                if got is None:
                    return None
                out.extend(got)
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a = self.eval_list(module, node.left, frame)
            b = self.eval_list(module, node.right, frame)
            return None if a is None or b is None else a + b
        if isinstance(node, ast.Name) and node.id in frame.locals:
            v = frame.locals[node.id]
            if isinstance(v, list):
                return v
            if isinstance(v, SourcedOpt):
                return [v]
            if isinstance(v, ast.AST):
                return self.eval_list(module, v, frame)
            return None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in ("self", "cls") and frame.self_cls is not None:
            for c in self.index.mro(frame.self_cls):  # a class attribute: OPTS = [...]
                m = self.index.member(c, node.attr)
                if m is not None:
                    if m.kind == "value" and m.node is not None:
                        return self.eval_list(c.module, m.node)
                    return None
            return None
        if isinstance(node, ast.Name | ast.Attribute):
            b = self.index.resolve(module, node)
            if b is not None and b.kind == "value" and b.node is not None:
                return self.eval_list(b.module, b.node)
            return None
        if isinstance(node, ast.Call):
            one = self.opt(module, node, frame)
            if one is not None:
                return [one]
            return self._eval_call(module, node, frame)
        if isinstance(node, ast.ListComp):
            return self._filter(module, node, frame)
        return None

    def _filter(self, module: str, node: ast.ListComp, frame: Frame) -> list[SourcedOpt] | None:
        """`[o for o in opts if o.name != 'x']` (==, !=, in, not in on .name / .dest)."""
        if len(node.generators) != 1:
            return None
        gen = node.generators[0]
        if not (isinstance(gen.target, ast.Name) and isinstance(node.elt, ast.Name)
                and node.elt.id == gen.target.id):
            return None
        items = self.eval_list(module, gen.iter, frame)
        if items is None:
            return None
        var = gen.target.id
        out = []
        for o in items:
            keep = True
            for cond in gen.ifs:
                ok = self._test_opt(module, cond, var, o)
                if ok is None:
                    self.warn(f"{self.where(module, node)}: filter `{ast.unparse(cond)}` "
                              "not understood; options kept")
                    return items
                keep = keep and ok
            if keep:
                out.append(o)
        return out

    def _test_opt(self, module: str, cond: ast.AST, var: str, o: SourcedOpt) -> bool | None:
        if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1
                and isinstance(cond.left, ast.Attribute)
                and isinstance(cond.left.value, ast.Name) and cond.left.value.id == var
                and cond.left.attr in ("name", "dest")):
            return None
        have = o.declared or o.name if cond.left.attr == "name" else o.name
        other = self.literal(module, cond.comparators[0])
        op = cond.ops[0]
        if isinstance(op, ast.Eq | ast.NotEq) and isinstance(other, str):
            return (have == other) == isinstance(op, ast.Eq)
        if isinstance(op, ast.In | ast.NotIn) and isinstance(other, list | tuple):
            return (have in other) == isinstance(op, ast.In)
        return None

    def _eval_call(self, module: str, call: ast.Call, frame: Frame) -> list[SourcedOpt] | None:
        fn = call.func
        name = _callee(fn)
        if name in _CONCAT:
            out: list[SourcedOpt] = []
            for a in call.args:
                got = self.eval_list(module, a.value if isinstance(a, ast.Starred) else a, frame)
                if got is None:
                    return None
                out.extend(got)
            return out
        if isinstance(fn, ast.Attribute):
            target = fn.value
            # super().m() / super(C, self).m()
            if isinstance(target, ast.Call) and _callee(target.func) == "super":
                if frame.self_cls is None or frame.cls is None:
                    return None
                after = frame.cls
                if len(target.args) >= 1:
                    named = self.index.resolve(module, target.args[0])
                    if named is not None and named.kind == "class":
                        after = named
                return self.call_method(frame.self_cls, fn.attr, after=after,
                                        args=self._args(module, call, frame))
            # self.m() / cls.m()
            if isinstance(target, ast.Name) and target.id in ("self", "cls") \
                    and frame.self_cls is not None:
                return self.call_method(frame.self_cls, fn.attr,
                                        args=self._args(module, call, frame))
            owner = self.index.resolve(module, target)
            if owner is not None and owner.kind == "class":  # Class.get_options()
                return self.call_method(owner, fn.attr, args=self._args(module, call, frame))
        b = self.index.resolve(module, fn) if isinstance(fn, ast.Name | ast.Attribute) else None
        if b is not None and b.kind == "function":
            return self.run(b, self._args(module, call, frame))
        if b is not None and b.kind == "class":  # Foo() instance: no list
            return None
        return None

    def _args(self, module: str, call: ast.Call, frame: Frame) -> tuple[list, dict]:
        def val(node: ast.AST) -> Any:
            if isinstance(node, ast.Name) and node.id in frame.locals:
                return frame.locals[node.id]  # shared object: helpers may extend it
            lit = self.literal(module, node)
            return _Lit(lit) if lit is not Unresolved else (module, node)

        pos = [val(a) for a in call.args if not isinstance(a, ast.Starred)]
        kws = {k.arg: val(k.value) for k in call.keywords if k.arg}
        return pos, kws

    # ---- functions --------------------------------------------------------------------
    def find_method(self, cls: Binding, name: str, after: Binding | None = None
                    ) -> tuple[Binding, Binding] | None:
        """(defining class, method binding) of `name` in cls's MRO (after class `after`)."""
        mro = self.index.mro(cls)
        if after is not None:
            names = [c.qualname for c in mro]
            if after.qualname in names:
                mro = mro[names.index(after.qualname) + 1:]
        for c in mro:
            m = self.index.member(c, name)
            if m is not None:
                return c, m
        return None

    def call_method(self, cls: Binding, name: str, after: Binding | None = None,
                    args: tuple[list, dict] = ([], {})) -> list[SourcedOpt] | None:
        found = self.find_method(cls, name, after)
        if found is None:
            return None
        owner, m = found
        if m.kind == "value":
            return self.eval_list(owner.module, m.node)
        if m.kind != "function":
            return None
        return self.run(m, args, cls=owner, self_cls=cls)

    def run(self, fn: Binding, args: tuple[list, dict] = ([], {}), cls: Binding | None = None,
            self_cls: Binding | None = None) -> list[SourcedOpt] | None:
        """Interpret a function's body; its return value as options (None: unknown)."""
        node = fn.node
        assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        frame = Frame(fn.module, cls=cls, self_cls=self_cls)
        params = [a.arg for a in node.args.posonlyargs + node.args.args]
        if cls is not None and params and params[0] in ("self", "cls"):
            params = params[1:]
        if cls is not None and any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list
        ):
            params = [a.arg for a in node.args.posonlyargs + node.args.args]
        defaults = node.args.defaults
        for p, d in zip(params[len(params) - len(defaults):], defaults, strict=True):
            lit = self.literal(fn.module, d)
            frame.locals[p] = _Lit(lit) if lit is not Unresolved else None
        for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
            lit = self.literal(fn.module, d) if d is not None else Unresolved
            frame.locals[a.arg] = _Lit(lit) if lit is not Unresolved else None
        pos, kws = args
        for p, v in zip(params, pos, strict=False):
            frame.locals[p] = v
        for k, v in kws.items():
            frame.locals[k] = v
        frame.params = set(params) | {a.arg for a in node.args.kwonlyargs}
        for p in frame.params:
            frame.locals.setdefault(p, None)
        self._depth += 1
        try:
            if self._depth > 60:
                return None
            done, value = self._exec(node.body, frame)
        finally:
            self._depth -= 1
        return value if done else None

    def _truth(self, frame: Frame, test: ast.AST) -> bool | None:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            t = self._truth(frame, test.operand)
            return None if t is None else not t
        if isinstance(test, ast.Constant):
            return bool(test.value)
        if isinstance(test, ast.Name) and isinstance(frame.locals.get(test.id), _Lit):
            return bool(frame.locals[test.id].value)
        return None

    def _exec(self, body: list[ast.stmt], frame: Frame) -> tuple[bool, Any]:
        """Run statements; (True, value) once a `return` ran."""
        m = frame.module
        for st in body:
            if isinstance(st, ast.Return):
                if st.value is None:
                    return True, None
                return True, self.eval_list(m, st.value, frame)
            if isinstance(st, ast.Assign) and len(st.targets) == 1 \
                    and isinstance(st.targets[0], ast.Name):
                tgt = st.targets[0].id
                got = self.eval_list(m, st.value, frame)
                if got is not None:
                    frame.locals[tgt] = list(got)
                else:
                    lit = self.literal(m, st.value)
                    frame.locals[tgt] = _Lit(lit) if lit is not Unresolved else st.value
                continue
            if isinstance(st, ast.AugAssign) and isinstance(st.target, ast.Name) \
                    and isinstance(st.op, ast.Add) \
                    and isinstance(frame.locals.get(st.target.id), list):
                got = self.eval_list(m, st.value, frame)
                if got is None:
                    self.warn(f"{self.where(m, st)}: `{ast.unparse(st)}` not followed")
                else:
                    frame.locals[st.target.id].extend(got)
                continue
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
                self._exec_call(st.value, frame)
                continue
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Tuple):
                # `options.extend([...]),` - a stray comma makes a tuple of the calls
                for e in st.value.elts:
                    if isinstance(e, ast.Call):
                        self._exec_call(e, frame)
                continue
            if isinstance(st, ast.If):
                t = self._truth(frame, st.test)
                if t is None:
                    if self._touches_lists(st, frame):
                        self.warn(f"{self.where(m, st)}: options added under the run-time "
                                  f"condition `{ast.unparse(st.test)}` not followed")
                    continue
                done, value = self._exec(st.body if t else st.orelse, frame)
                if done:
                    return done, value
                continue
            if isinstance(st, ast.Try | ast.With):
                done, value = self._exec(st.body, frame)
                if done:
                    return done, value
                continue
            if isinstance(st, ast.For | ast.While) and self._touches_lists(st, frame):
                self.warn(f"{self.where(m, st)}: loop over options not followed")
        return False, None

    def _touches_lists(self, st: ast.stmt, frame: Frame) -> bool:
        lists = {k for k, v in frame.locals.items() if isinstance(v, list)}
        return any(isinstance(n, ast.Name) and n.id in lists for n in ast.walk(st)) or any(
            isinstance(n, ast.Return) for n in ast.walk(st)
        )

    def _exec_call(self, call: ast.Call, frame: Frame) -> None:
        m = frame.module
        fn = call.func
        if isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name):
            target = frame.locals.get(fn.value.id)
            if isinstance(target, list):
                if fn.attr == "extend" and call.args:
                    got = self.eval_list(m, call.args[0], frame)
                elif fn.attr == "append" and call.args:
                    one = self.opt(m, call.args[0], frame)
                    got = [one] if one is not None else None
                elif fn.attr == "insert" and len(call.args) == 2:
                    one = self.opt(m, call.args[1], frame)
                    idx = self.literal(m, call.args[0])
                    if one is not None and isinstance(idx, int):
                        target.insert(idx, one)
                        return
                    got = None
                else:
                    got = None
                if got is None:
                    self.warn(f"{self.where(m, call)}: `{ast.unparse(call)}` not followed")
                else:
                    target.extend(got)
                return
        # helper(options): a repository function that extends its argument
        if any(isinstance(a, ast.Name) and isinstance(frame.locals.get(a.id), list)
               for a in call.args):
            b = self.index.resolve(m, fn) if isinstance(fn, ast.Name | ast.Attribute) else None
            if b is not None and b.kind == "function":
                self.run(b, self._args(m, call, frame))
            else:
                self.warn(f"{self.where(m, call)}: `{ast.unparse(call)}` not followed")
