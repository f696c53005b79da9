"""Find oslo.config options in one Python module's source, with `ast` only (never imported).

Understands the idioms of every OpenStack era:
  * `cfg.StrOpt('name', ...)` and the other `*Opt` classes, `cfg.Opt('name', type=types.X(...))`
  * module (or function) level lists of options, also built with `+`, `list(...)`,
    `itertools.chain(...)` and references to other lists
  * `CONF.register_opts(LIST[, group])`, `register_opt(opt[, group])`, the `*_cli_*` variants,
    with `group` given as a string, a module constant, an `OptGroup(...)` object or `X.name`
  * deprecated_name / deprecated_group / deprecated_opts=[DeprecatedOpt(...)],
    deprecated_for_removal / deprecated_since / secret / min / max / default,
    choices (plain or (value, description) tuples)

Help and deprecation prose is deliberately NOT kept: that text belongs to upstream.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, field
from typing import Any

# oslo.config class -> schema type
OPT_TYPES: dict[str, str] = {
    "StrOpt": "string",
    "BoolOpt": "bool",
    "IntOpt": "int",
    "FloatOpt": "float",
    "ListOpt": "list",
    "MultiStrOpt": "multistring",
    "MultiOpt": "multistring",
    "DictOpt": "dict",
    "PortOpt": "port",
    "URIOpt": "uri",
    "HostAddressOpt": "hostaddress",
    "HostnameOpt": "hostaddress",
    "HostDomainOpt": "hostaddress",  # a host address that also allows '_' in domain names
    "IPOpt": "ip",
    "SubCommandOpt": "string",
    "Opt": "string",
}
# oslo_config.types class -> schema type (for Opt(type=types.X(...)))
VALUE_TYPES: dict[str, str] = {
    "String": "string",
    "Boolean": "bool",
    "Integer": "int",
    "Float": "float",
    "List": "list",
    "Dict": "dict",
    "Port": "port",
    "URI": "uri",
    "HostAddress": "hostaddress",
    "Hostname": "hostaddress",
    "HostDomain": "hostaddress",
    "IPAddress": "ip",
    "Range": "string",
}
_ARITH = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv, ast.Pow: operator.pow,
}
_REGISTER = {"register_opts", "register_opt", "register_cli_opts", "register_cli_opt"}
_NOT_OPTS = {"DeprecatedOpt", "OptGroup"}

Unresolved = object()  # sentinel: an expression we cannot evaluate statically


@dataclass
class OptDef:
    """One option as written in the source."""

    name: str
    type: str
    line: int
    default: Any = None
    choices: list[Any] | None = None
    min: Any = None
    max: Any = None
    secret: bool = False
    deprecated: bool = False
    deprecated_since: str | None = None
    item_type: str | None = None  # MultiOpt(item_type=types.Dict()): the type of each value
    # older spellings still read: (group or None = "the option's group", name or None = "same name")
    old: list[tuple[str | None, str | None]] = field(default_factory=list)


@dataclass
class Registration:
    """An option registered into a group ("DEFAULT" when none was given)."""

    opt: OptDef
    group: str
    line: int


@dataclass
class ModuleOpts:
    path: str
    registered: list[Registration] = field(default_factory=list)
    unregistered: list[OptDef] = field(default_factory=list)  # defined but never registered here
    warnings: list[str] = field(default_factory=list)


def _callee(node: ast.AST) -> str:
    """'StrOpt' for cfg.StrOpt / oslo_config.cfg.StrOpt / StrOpt."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _is_opt_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = _callee(node.func)
    return name.endswith("Opt") and name not in _NOT_OPTS and name[:1].isupper()


class _Scope:
    """Name -> expression, module level underneath function level."""

    def __init__(self, names: dict[str, ast.AST], parent: _Scope | None = None):
        self.names, self.parent = names, parent

    def lookup(self, name: str) -> ast.AST | None:
        if name in self.names:
            return self.names[name]
        return self.parent.lookup(name) if self.parent else None


def _assignments(body: list[ast.stmt]) -> dict[str, ast.AST]:
    """Simple `NAME = expr` / `NAME += expr` bindings of one block (if/try blocks included)."""
    out: dict[str, ast.AST] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            for tgt in stmt.targets:
                if isinstance(tgt, ast.Name):
                    out[tgt.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            out[stmt.target.id] = stmt.value
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            prev = out.get(stmt.target.id)
            if prev is not None and isinstance(stmt.op, ast.Add):
                out[stmt.target.id] = ast.BinOp(left=prev, op=ast.Add(), right=stmt.value)
        elif isinstance(stmt, ast.If | ast.Try):
            blocks = [stmt.body, stmt.orelse]
            if isinstance(stmt, ast.Try):
                blocks += [h.body for h in stmt.handlers] + [stmt.finalbody]
            for blk in blocks:
                for k, v in _assignments(blk).items():
                    out.setdefault(k, v)
    return out


class _Evaluator:
    def __init__(self, scope: _Scope, opt_cache: dict[int, OptDef], warnings: list[str]):
        self.scope, self.cache, self.warnings = scope, opt_cache, warnings

    # ---- literal values -------------------------------------------------------------
    def value(self, node: ast.AST | None, depth: int = 0) -> Any:
        """A literal value, or Unresolved."""
        if node is None or depth > 20:
            return Unresolved
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, ast.Name):
            target = self.scope.lookup(node.id)
            return self.value(target, depth + 1) if target is not None else Unresolved
        if isinstance(node, ast.Call):
            fn = _callee(node.func)
            # _('text'), textwrap.dedent('text'), str(x): the wrapped value
            if fn in {"_", "dedent", "_LW", "_LE", "_LI", "str"} and len(node.args) == 1:
                return self.value(node.args[0], depth + 1)
            if fn in {"list", "tuple"} and len(node.args) == 1:
                inner = self.value(node.args[0], depth + 1)
                return list(inner) if isinstance(inner, list | tuple) else Unresolved
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            a, b = self.value(node.left, depth + 1), self.value(node.right, depth + 1)
            if isinstance(node.op, ast.Add) and isinstance(a, str | list) and type(a) is type(b):
                return a + b
            nums = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
            if nums:  # e.g. default=24 * 3600
                try:
                    return _ARITH[type(node.op)](a, b)
                except ZeroDivisionError:
                    return Unresolved
        if isinstance(node, ast.List | ast.Tuple):
            items = [self.value(e, depth + 1) for e in node.elts]
            if all(i is not Unresolved for i in items):
                return items
        if isinstance(node, ast.Attribute) and node.attr == "name":
            grp = self.group(node.value, depth + 1)
            return grp if grp is not None else Unresolved
        return Unresolved

    def string(self, node: ast.AST | None) -> str | None:
        v = self.value(node)
        return v if isinstance(v, str) else None

    def group(self, node: ast.AST | None, depth: int = 0) -> str | None:
        """Group name of a string, constant, OptGroup(...) or OptGroup.name; None = unknown."""
        if node is None or depth > 20:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Call) and _callee(node.func) == "OptGroup":
            arg = node.args[0] if node.args else _kw(node, "name")
            return self.string(arg)
        if isinstance(node, ast.Name):
            target = self.scope.lookup(node.id)
            return self.group(target, depth + 1) if target is not None else None
        if isinstance(node, ast.Attribute) and node.attr == "name":
            return self.group(node.value, depth + 1)
        v = self.value(node, depth + 1)
        return v if isinstance(v, str) else None

    # ---- options --------------------------------------------------------------------
    def opts(self, node: ast.AST | None, depth: int = 0) -> list[OptDef] | None:
        """The options an expression stands for (list, opt, concatenation); None = unknown."""
        if node is None or depth > 30:
            return None
        if _is_opt_call(node):
            return [self.opt(node)]  # type: ignore[arg-type]
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            out: list[OptDef] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    elt = elt.value
                got = self.opts(elt, depth + 1)
                if got is None:
                    return None
                out.extend(got)
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.opts(node.left, depth + 1), self.opts(node.right, depth + 1)
            return None if a is None or b is None else a + b
        if isinstance(node, ast.Name):
            target = self.scope.lookup(node.id)
            return self.opts(target, depth + 1) if target is not None else None
        if isinstance(node, ast.Call) and _callee(node.func) in {"list", "tuple", "chain"}:
            out = []
            for arg in node.args:
                got = self.opts(arg.value if isinstance(arg, ast.Starred) else arg, depth + 1)
                if got is None:
                    return None
                out.extend(got)
            return out
        return None

    def opt(self, call: ast.Call) -> OptDef:
        key = id(call)
        if key in self.cache:
            return self.cache[key]
        cls = _callee(call.func)
        name_node = call.args[0] if call.args else _kw(call, "name")
        shown = ast.unparse(name_node) if name_node else "?"
        name = self.string(name_node) or f"<unresolved:{shown}>"
        typ = OPT_TYPES.get(cls, "string")
        d = OptDef(name=name, type=typ, line=call.lineno)
        type_node = _kw(call, "type") or _kw(call, "item_type")
        if isinstance(type_node, ast.Name):  # QueueSizeType = types.Integer(choices=...) shared
            target = self.scope.lookup(type_node.id)
            if isinstance(target, ast.Call):
                type_node = target
        if isinstance(type_node, ast.Call) or isinstance(type_node, ast.Attribute | ast.Name):
            tcall = type_node if isinstance(type_node, ast.Call) else None
            tname = _callee(tcall.func if tcall else type_node)
            if cls in {"Opt"} and tname in VALUE_TYPES:
                d.type = VALUE_TYPES[tname]
            if tcall is not None:  # types.Integer(min=1, max=10), types.String(choices=[...])
                for attr in ("min", "max", "choices"):
                    sub = _kw(tcall, attr)
                    if sub is not None:
                        self._set_restriction(d, attr, sub)
        default_node = _kw(call, "default")
        if default_node is not None:
            v = self.value(default_node)
            d.default = f"<computed: {ast.unparse(default_node)}>" if v is Unresolved else v
        for attr in ("min", "max", "choices"):
            sub = _kw(call, attr)
            if sub is not None:
                self._set_restriction(d, attr, sub)
        d.secret = self.value(_kw(call, "secret")) is True
        d.deprecated = self.value(_kw(call, "deprecated_for_removal")) is True
        since = self.value(_kw(call, "deprecated_since"))
        d.deprecated_since = str(since) if since not in (Unresolved, None) else None
        dname = self.string(_kw(call, "deprecated_name"))
        dgroup_node = _kw(call, "deprecated_group")
        dgroup = self.group(dgroup_node)
        if dgroup_node is not None and dgroup is None and not _is_none(dgroup_node):
            self.warnings.append(f"option {name}: deprecated_group {ast.unparse(dgroup_node)}"
                                 " not resolved; old spelling assumed in the same group")
        if dname or dgroup:
            d.old.append((dgroup, dname))
        dopts = _kw(call, "deprecated_opts")
        if dopts is not None:
            d.old.extend(self._deprecated_opts(dopts, name))
        self.cache[key] = d
        return d

    def _deprecated_opts(self, node: ast.AST, name: str) -> list[tuple[str | None, str | None]]:
        if isinstance(node, ast.Name):
            target = self.scope.lookup(node.id)
            return self._deprecated_opts(target, name) if target is not None else []
        out: list[tuple[str | None, str | None]] = []
        elts = node.elts if isinstance(node, ast.List | ast.Tuple) else []
        for elt in elts:
            if isinstance(elt, ast.Call) and _callee(elt.func) == "DeprecatedOpt":
                n = self.string(elt.args[0] if elt.args else _kw(elt, "name"))
                g_node = elt.args[1] if len(elt.args) > 1 else _kw(elt, "group")
                g = self.group(g_node)
                if n or g:
                    out.append((g, n))
            else:
                self.warnings.append(f"option {name}: deprecated_opts entry not understood")
        return out

    def _set_restriction(self, d: OptDef, attr: str, node: ast.AST) -> None:
        v = self.value(node)
        if v is Unresolved:
            self.warnings.append(f"option {d.name}: {attr} not a literal ({ast.unparse(node)})")
            return
        if attr == "choices" and v is not None:
            # (value, description) tuples: keep the values, the descriptions are upstream prose
            v = [c[0] if isinstance(c, list | tuple) else c for c in v]
        setattr(d, attr, v)


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_conf(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id.lower() == "conf") or (
        isinstance(node, ast.Attribute) and node.attr == "CONF"
    )


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def parse_module(source: str, path: str, tree: ast.Module | None = None) -> ModuleOpts:
    """Every option defined in `source`, with the group each registration puts it in
    (`tree`: the source already parsed)."""
    result = ModuleOpts(path)
    if tree is None:
        tree = _parse_any(source, path, result.warnings)
    if tree is None:
        return result
    module_scope = _Scope(_assignments(tree.body))
    cache: dict[int, OptDef] = {}
    seen: set[tuple[int, str]] = set()

    def visit(body: list[ast.stmt], scope: _Scope) -> None:
        ev = _Evaluator(scope, cache, result.warnings)
        for stmt in body:
            for node in _walk_no_defs(stmt):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    visit(node.body, _Scope(_assignments(node.body), scope))
                    continue
                if isinstance(node, ast.ClassDef):
                    visit(node.body, scope)
                    continue
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in _REGISTER or not node.args:
                    continue
                opts = ev.opts(node.args[0])
                if opts is None and _is_conf(node.args[0]):
                    continue  # `somemodule.register_opts(CONF)`: the module registers its own
                if opts is None:
                    what = ast.unparse(node.args[0])
                    result.warnings.append(f"{path}:{node.lineno}: cannot resolve opts in {what}")
                    continue
                gnode = node.args[1] if len(node.args) > 1 else _kw(node, "group")
                group = "DEFAULT" if gnode is None else ev.group(gnode)
                if group is None:
                    # the spec's [constants] may map it
                    group = f"<unresolved:{ast.unparse(gnode)}>"
                for o in opts:
                    if (id(o), group) not in seen:
                        seen.add((id(o), group))
                        result.registered.append(Registration(o, group, node.lineno))

    visit(tree.body, module_scope)
    # options defined but never registered in this module (a spec may still place them)
    ev = _Evaluator(module_scope, cache, result.warnings)
    registered_ids = {id(r.opt) for r in result.registered}
    for node in ast.walk(tree):
        if _is_opt_call(node):
            o = ev.opt(node)  # type: ignore[arg-type]
            if id(o) not in registered_ids:
                registered_ids.add(id(o))
                result.unregistered.append(o)
    return result


def _walk_no_defs(stmt: ast.AST):
    """Like ast.walk, but yields nested function/class defs without descending into them."""
    todo = [stmt]
    while todo:
        node = todo.pop(0)
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))


def _py2_to_3(source: str) -> str:
    """Make the py2-only statements of old modules parseable (print, except X, e:, 0777, ur'')."""
    import re

    exc = r"except\s+([\w.]+(?:\s*,\s*[\w.]+)*)\s*,\s*(\w+)\s*:"
    src = re.sub(exc, r"except (\1) as \2:", source)
    src = re.sub(r"except\s+(\([^()]*\))\s*,\s*(\w+)\s*:", r"except \1 as \2:", src)
    src = re.sub(r"^(\s*)print\s+([^(=\n][^\n]*)$", r"\1print(\2)", src, flags=re.M)
    src = re.sub(r"^(\s*)exec\s+([^(\n][^\n]*)$", r"\1exec(\2)", src, flags=re.M)
    src = re.sub(r"\b0(\d+)\b", r"0o\1", src)
    src = re.sub(r"\b(\d+)L\b", r"\1", src)
    src = re.sub(r"\bur(['\"])", r"u\1", src)
    src = re.sub(r"\basync\b", "async_", src)  # a keyword since 3.7, a plain name in py2
    src = re.sub(r"\bawait\b", "await_", src)
    return src


def _parse_any(source: str, path: str, warnings: list[str]) -> ast.Module | None:
    """Parse py3 source; for py2-era modules convert the usual constructs, and as a last resort
    blank the (non-option) lines py3 still rejects, e.g. `raise E, v, tb`."""
    try:
        return ast.parse(source, filename=path)
    except SyntaxError:
        pass
    lines = _py2_to_3(source).split("\n")
    for _ in range(50):
        try:
            return ast.parse("\n".join(lines), filename=path)
        except SyntaxError as exc:
            n = (exc.lineno or 0) - 1
            if not 0 <= n < len(lines) or "Opt(" in lines[n] or lines[n].strip() == "pass":
                warnings.append(f"{path}: cannot parse ({exc.msg} line {exc.lineno})")
                return None
            indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
            lines[n] = f"{indent}pass"
    warnings.append(f"{path}: cannot parse (too many py2 constructs)")
    return None
