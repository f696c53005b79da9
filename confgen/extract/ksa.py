"""keystoneauth-loaded sections: which options they read, by auth plugin, from upstream git.

A section such as nova's [neutron] or cinder's [service_user] is not a fixed list of options:
the service registers keystoneauth's *session*, *adapter* and common *auth* options there, and
when the file sets `auth_type = NAME` the loader of plugin NAME registers its own options in
that section just before reading them. This module reads both halves statically (`ast`,
`git cat-file`; upstream code is never imported or run):

1. The library at a tag: `read_keystoneauth(repo, "5.10.0")` for keystoneauth1 (liberty..),
   `read_keystoneclient(repo, "1.6.0")` for python-keystoneclient's `keystoneclient.auth`
   plugins, which kilo/liberty services and keystonemiddleware < 4 loaded the same way
   (keystoneclient < 0.10, i.e. havana/icehouse pins, has none: the catalog is then empty
   with a warning). Result: a `KsaCatalog`.

2. The service at a ref: `ksa_groups(repo, "stable/2025.1", package="nova")` finds the groups
   the service hands to the loading helpers (`register_session_conf_options`,
   `register_auth_conf_options`, `register_adapter_conf_options`,
   `load_auth_from_conf_options` (which registers the plugin's options itself),
   keystoneclient's `Session.register_conf_options` / `auth.register_conf_options`, options of
   `get_session_conf_options()` & co. registered with `register_opts`, its own wrappers such as
   nova's `confutils.register_ksa_opts`, and the `list_opts()` equivalents including
   `get_auth_plugin_conf_options('password')`). `load_session/adapter_from_conf_options`
   only read what someone else registered: they are reported apart (`KsaGroup.loaded`).
   Works on libraries too (`package="keystonemiddleware"`, `"castellan"`). Result: `KsaGroups`.

3. Both together: `catalog.options_for(groups.groups["neutron"])` lists every option the
   group reads, each with `auth_plugins` (None = read whatever auth_type is) and its source.

An option of plugin P read in group G becomes, in the inventory, an option of G whose era has
`auth_plugins` listing every plugin that reads it (`KsaCatalog.plugins_reading`); session,
adapter and common auth options have no `auth_plugins` (read whatever auth_type is).

Option names are the keys operators write: oslo.config's `dest` (keystoneauth's `Opt('user-id')`
is read as `user_id`; `Opt('openid-scope', dest='scope')` as `scope`). Every deprecated
keystoneauth `Opt` becomes a same-section alias in underscore form (oslo.config adds the
underscore spelling of a dashed DeprecatedOpt). keystoneauth never passes a loader's
`default=` to oslo.config (`Opt._to_oslo_opt`), so plugin options have default None; the
loader's own default is kept in `SourcedOpt.loader_default`.

Not modelled (reported in `warnings` where met): options a loader adds under a run-time
condition (v3multifactor adds the options of the methods named in `auth_methods` only after
reading them), `auth_section` (the plugin options are then read from the section it names),
and defaults a service overrides with `cfg.set_defaults`.
"""

from __future__ import annotations

import ast
import configparser
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from confgen.extract.gitread import GitRepo
from confgen.extract.optexpr import Frame, OptLists, SourcedOpt, _Lit
from confgen.extract.pymodules import Binding, PyIndex
from confgen.extract.pyopts import Unresolved, _callee, _kw

SESSION, ADAPTER, AUTH = "session", "adapter", "auth"
KSA_OPT = "keystoneauth1.loading.opts.Opt"


# ---- the library ------------------------------------------------------------------------
@dataclass
class AuthPlugin:
    """One `auth_type` value and what its loader reads.

    name: the entry point name operators write as `auth_type` (e.g. "v3password")
    target: the entry point, "module:Class"
    opts: the loader's options as oslo.config registers them, base-class options first,
          duplicates removed (the first definition wins, as oslo.config keeps it)
    available_if: None, or "module.Class.available" when the loader declares itself available
          only if an optional dependency imports (keystoneauth1's kerberos/saml2/oauth1
          extras): where it is missing the plugin cannot load at all
    """

    name: str
    target: str
    opts: list[SourcedOpt] = field(default_factory=list)
    available_if: str | None = None


@dataclass
class KsaCatalog:
    """What a keystoneauth1 (or keystoneclient) tag offers a keystoneauth-loaded section.

    library: "keystoneauth1" | "keystoneclient"; repo: "openstack/keystoneauth"; ref: the tag
    session: options of register_session_conf_options (keystoneclient: Session.get_conf_options)
    adapter: options of register_adapter_conf_options; an option with cond="include_deprecated"
             is registered only when the caller keeps include_deprecated=True (the default)
    auth_common: auth_type and auth_section (keystoneclient: auth_plugin, auth_section)
    plugins: entry point name -> AuthPlugin
    warnings: facts that could not be resolved statically (file:line and why)
    """

    library: str
    repo: str
    ref: str
    session: list[SourcedOpt] = field(default_factory=list)
    adapter: list[SourcedOpt] = field(default_factory=list)
    auth_common: list[SourcedOpt] = field(default_factory=list)
    plugins: dict[str, AuthPlugin] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def source(self, opt: SourcedOpt) -> str:
        """Provenance of a fact: "openstack/keystoneauth:keystoneauth1/...py@5.10.0"."""
        return f"{self.repo}:{opt.path}@{self.ref}"

    def plugins_reading(self) -> dict[str, list[str]]:
        """Plugin option name -> sorted plugin names whose loader reads it (for the era field
        `auth_plugins`). Aliases are not keys: they belong to the option they spell."""
        out: dict[str, set[str]] = {}
        for p in self.plugins.values():
            for o in p.opts:
                out.setdefault(o.name, set()).add(p.name)
        return {k: sorted(v) for k, v in sorted(out.items())}

    def plugin_options(self) -> dict[str, SourcedOpt]:
        """Every plugin option by name (the first plugin in name order defining it)."""
        out: dict[str, SourcedOpt] = {}
        for name in sorted(self.plugins):
            for o in self.plugins[name].opts:
                out.setdefault(o.name, o)
        return out


    def options_for(self, group: KsaGroup) -> list[GroupOpt]:
        """Every option this library makes `group` read, in registration order: session,
        adapter, then (auth) auth_type/auth_section and the union of all plugins' options.

        - session/adapter options get the group's `deprecated_opts` as extra old spellings;
          the adapter's include_deprecated-only options are left out when the service
          registered the adapter options with include_deprecated=False;
        - a plugin option defined by several plugins is merged: `auth_plugins` lists them all,
          `old` is the union of their deprecated names, `secret` is true when any plugin says
          so (a value that is secret for one plugin is never printed);
        - a plugin option named like a session/adapter/common option is not added (oslo.config
          would refuse the second registration) and a warning says so.
        Use the catalog of `group.library` (keystoneclient for kilo/liberty-era groups)."""
        out: list[GroupOpt] = []
        seen: set[str] = set()

        def add(o: SourcedOpt, kind: str, plugins: list[str] | None = None) -> None:
            if o.name in seen:
                self.warnings.append(f"[{group.group}] {o.name}: {kind} option named like one "
                                     "registered before it; not added twice")
                return
            seen.add(o.name)
            out.append(GroupOpt(o, kind, plugins, self.source(o)))

        def with_deprecated(o: SourcedOpt) -> SourcedOpt:
            extra = [x for x in group.deprecated_opts.get(o.name, []) if x not in o.old]
            return SourcedOpt(**{**o.__dict__, "old": [*o.old, *extra]}) if extra else o

        if SESSION in group.kinds:
            for o in self.session:
                add(with_deprecated(o), SESSION)
        if ADAPTER in group.kinds:
            for o in self.adapter:
                if o.cond == "include_deprecated" and not group.adapter_deprecated:
                    continue
                add(with_deprecated(o), ADAPTER)
        if AUTH in group.kinds:
            for o in self.auth_common:
                add(o, AUTH)
            merged: dict[str, tuple[SourcedOpt, list[str]]] = {}
            for pname in sorted(self.plugins):
                for o in self.plugins[pname].opts:
                    if o.name not in merged:
                        merged[o.name] = (SourcedOpt(**{**o.__dict__, "old": list(o.old)}),
                                          [pname])
                        continue
                    have, names = merged[o.name]
                    names.append(pname)
                    have.secret = have.secret or o.secret
                    have.old.extend(x for x in o.old if x not in have.old)
            for o, names in merged.values():
                add(o, "plugin", names)
        return out


@dataclass
class GroupOpt:
    """One option of a keystoneauth-loaded group (KsaCatalog.options_for).

    kind: "session" | "adapter" | "auth" (auth_type, auth_section) | "plugin"
    auth_plugins: for kind "plugin", the `auth_type` values whose loader reads it (the era
        field `auth_plugins`); None for the others (read whatever auth_type is)
    source: "openstack/keystoneauth:keystoneauth1/loading/...py@5.10.0"
    """

    opt: SourcedOpt
    kind: str
    auth_plugins: list[str] | None
    source: str


def entry_points(repo: GitRepo, ref: str, group: str) -> dict[str, str]:
    """Entry points of `group` declared in setup.cfg ([entry_points]) or pyproject.toml
    ([project.entry-points."group"]) at ref: name -> "module:attr"."""
    out: dict[str, str] = {}
    text = repo.read(ref, "setup.cfg")
    if text:
        cp = configparser.RawConfigParser(strict=False)
        cp.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            cp.read_string(text)
        except configparser.Error:
            cp = configparser.RawConfigParser()
        if cp.has_option("entry_points", group):
            for line in cp.get("entry_points", group).splitlines():
                name, sep, target = line.partition("=")
                if sep and name.strip():
                    out[name.strip()] = target.strip()
    text = repo.read(ref, "pyproject.toml")
    if text:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            data = {}
        eps = data.get("project", {}).get("entry-points", {}).get(group, {})
        out.update({k: str(v).strip() for k, v in eps.items()})
    return out


def _dedupe(opts: list[SourcedOpt], where: str, warnings: list[str]) -> list[SourcedOpt]:
    seen: dict[str, SourcedOpt] = {}
    for o in opts:
        have = seen.get(o.name)
        if have is None:
            seen[o.name] = o
        elif (have.type, have.secret, have.old) != (o.type, o.secret, o.old):
            warnings.append(f"{where}: option {o.name} defined twice with different facts "
                            f"({have.path}:{have.line} and {o.path}:{o.line}); first kept")
    return list(seen.values())


def _open(repo: GitRepo | str | Path) -> tuple[GitRepo, bool]:
    if isinstance(repo, GitRepo):
        return repo, False
    return GitRepo(repo), True


def _plugins(cat: KsaCatalog, idx: PyIndex, ol: OptLists, group: str, base_mod: str) -> None:
    eps = entry_points(idx.repo, idx.ref, group)
    if not eps:
        cat.warnings.append(f"no '{group}' entry points at {idx.ref}")
    for name, target in sorted(eps.items()):
        mod, _, attr = target.partition(":")
        b = idx.lookup(mod.strip(), attr.strip()) if idx.has_module(mod.strip()) else None
        if b is None or b.kind != "class":
            cat.warnings.append(f"plugin {name}: {target} not found at {idx.ref}")
            continue
        plugin = AuthPlugin(name, target)
        got = ol.call_method(b, "get_options")
        if got is None:
            cat.warnings.append(f"plugin {name}: {target}.get_options() not followed")
            got = []
        plugin.opts = _dedupe(got, f"plugin {name}", cat.warnings)
        avail = ol.find_method(b, "available")
        if avail is not None and avail[0].module != base_mod:
            plugin.available_if = f"{avail[0].qualname}.available"
        cat.plugins[name] = plugin


def read_keystoneauth(repo: GitRepo | str | Path, ref: str,
                      repo_name: str = "openstack/keystoneauth") -> KsaCatalog:
    """keystoneauth1 at `ref` (a tag such as "5.10.0"): session, adapter, common auth and
    per-plugin options (see KsaCatalog). `repo` is a GitRepo or the path of a mirror."""
    r, close = _open(repo)
    try:
        idx = PyIndex(r, ref)
        ol = OptLists(idx, ks_opt_classes=(KSA_OPT,))
        cat = KsaCatalog("keystoneauth1", repo_name, ref)
        if not idx.has_module("keystoneauth1.loading"):
            cat.warnings.append(f"keystoneauth1.loading does not exist at {ref}")
            return cat
        sess = idx.lookup("keystoneauth1.loading.session", "Session")
        if sess is not None and sess.kind == "class":
            cat.session = ol.call_method(sess, "get_conf_options") or []
        if not cat.session:
            cat.warnings.append("session options (Session.get_conf_options) not found")
        if idx.has_module("keystoneauth1.loading.adapter"):
            adap = idx.lookup("keystoneauth1.loading.adapter", "Adapter")
            if adap is not None and adap.kind == "class":
                full = ol.call_method(adap, "get_conf_options") or []
                lean = ol.call_method(
                    adap, "get_conf_options", args=([], {"include_deprecated": _Lit(False)})
                ) or []
                lean_names = {o.name for o in lean}
                for o in full:
                    if o.name not in lean_names:
                        o.cond = "include_deprecated"
                cat.adapter = full
            if not cat.adapter:
                cat.warnings.append("adapter options (Adapter.get_conf_options) not found")
        common = idx.lookup("keystoneauth1.loading.conf", "get_common_conf_options")
        if common is not None and common.kind == "function":
            cat.auth_common = ol.run(common) or []
        if not cat.auth_common:
            cat.warnings.append("common auth options (get_common_conf_options) not found")
        _plugins(cat, idx, ol, "keystoneauth1.plugin", "keystoneauth1.loading.base")
        cat.warnings.extend(ol.warnings + idx.warnings)
        return cat
    finally:
        if close:
            r.close()


def read_keystoneclient(repo: GitRepo | str | Path, ref: str,
                        repo_name: str = "openstack/python-keystoneclient") -> KsaCatalog:
    """python-keystoneclient at `ref` (e.g. "1.6.0"): the `keystoneclient.auth` plugins
    (entry points `keystoneclient.auth.plugin`, options from the plugin classes' own
    `get_options()` classmethods), Session.get_conf_options and auth_plugin/auth_section.
    keystoneclient has no adapter options."""
    r, close = _open(repo)
    try:
        idx = PyIndex(r, ref)
        ol = OptLists(idx)
        cat = KsaCatalog("keystoneclient", repo_name, ref)
        if not idx.has_module("keystoneclient.auth.conf"):
            cat.warnings.append(f"keystoneclient.auth.conf does not exist at {ref}: no auth "
                                "plugin is loaded from configuration")
            return cat
        sess = idx.lookup("keystoneclient.session", "Session")
        if sess is not None and sess.kind == "class":
            cat.session = ol.call_method(sess, "get_conf_options") or []
        common = idx.lookup("keystoneclient.auth.conf", "get_common_conf_options")
        if common is not None and common.kind == "function":
            cat.auth_common = ol.run(common) or []
        _plugins(cat, idx, ol, "keystoneclient.auth.plugin", "keystoneclient.auth.base")
        cat.warnings.extend(ol.warnings + idx.warnings)
        return cat
    finally:
        if close:
            r.close()


# ---- the service ------------------------------------------------------------------------
# helper name -> (kind, index of the group argument, how it is used)
# (load_session/load_adapter only read what someone else registered: glance reads
# [keystone_authtoken] through load_session_from_conf_options but registers nothing there
# except `timeout`; load_auth_from_conf_options registers the plugin's options itself.)
_REGISTER = {
    "register_session_conf_options": (SESSION, 1),
    "register_auth_conf_options": (AUTH, 1),
    "register_adapter_conf_options": (ADAPTER, 1),
    "load_auth_from_conf_options": (AUTH, 1),
}
_LOADERS = {
    "load_session_from_conf_options": SESSION,
    "load_adapter_from_conf_options": ADAPTER,
}
# getters whose options a service registers itself (register_opts / list_opts)
_GETTERS = {
    "get_session_conf_options": SESSION,
    "get_auth_common_conf_options": AUTH,
    "get_adapter_conf_options": ADAPTER,
    "get_auth_plugin_conf_options": AUTH,
    "get_common_conf_options": AUTH,
    "get_plugin_options": AUTH,
    "get_plugin_conf_options": AUTH,
}
# receivers of `.register_conf_options` / `.get_conf_options` / `load_from_conf_options`
_RECEIVERS = {
    "keystoneclient.session.Session": SESSION,
    "keystoneclient.auth": AUTH,
    "keystoneclient.auth.conf": AUTH,
    "keystoneauth1.loading.session.Session": SESSION,
    "keystoneauth1.loading.adapter.Adapter": ADAPTER,
    "keystoneauth1.loading.conf": AUTH,
    "keystoneauth1.loading": AUTH,
}


@dataclass
class KsaGroup:
    """One group of a service read through keystoneauth (or keystoneclient) loading.

    kinds: subset of {"session", "adapter", "auth"} ("auth": auth_type/auth_section are read
           there and, with auth_type set, the plugin's options)
    library: "keystoneauth1" | "keystoneclient" (whose helpers the service called; "" unknown)
    registered: True when the service registers them at run time (what the file is read
           with); False when only a list_opts() names them (sample generator only)
    loaded: kinds the service reads with load_session/load_adapter_from_conf_options without
           registering them in this group (they must come from elsewhere, e.g. glance's
           [keystone_authtoken] session from keystonemiddleware's own options): not in `kinds`
    listed_plugins: plugin names list_opts() shows for the sample (get_auth_plugin_conf_options)
    adapter_deprecated: False when the adapter options were registered with
           include_deprecated=False (then the deprecated `interface` option is not read)
    deprecated_opts: ksa option name -> older (group, name) spellings the service passed as
           `deprecated_opts=` (e.g. nova [glance] keyfile <- [ssl] key_file)
    sources: "path:line helper" of every call that contributed
    """

    group: str
    kinds: set[str] = field(default_factory=set)
    library: str = ""
    registered: bool = False
    loaded: set[str] = field(default_factory=set)
    listed_plugins: list[str] = field(default_factory=list)
    adapter_deprecated: bool = True
    deprecated_opts: dict[str, list[tuple[str | None, str | None]]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class KsaGroups:
    """ksa_groups() result: groups by name, the repo/ref read, and what was not resolved."""

    repo: str
    ref: str
    groups: dict[str, KsaGroup] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def kinds(self) -> dict[str, set[str]]:
        """{group: {"session", "adapter", "auth"}} for the groups read at run time."""
        return {g: set(v.kinds) for g, v in sorted(self.groups.items()) if v.registered}


def _source_key(s: str) -> tuple[str, int, str]:
    loc, _, what = s.partition(" ")
    path, _, line = loc.rpartition(":")
    return path, int(line) if line.isdigit() else 0, what


_MENTIONS = ("keystoneauth1", "keystoneclient", "conf_options")


class _ServiceScan:
    def __init__(self, idx: PyIndex, out: KsaGroups):
        self.idx, self.out = idx, out
        self.ol = OptLists(idx)
        # repo function qualname -> [(kind, param, conditions, node, helper)]
        self.wrappers: dict[str, list[tuple[str, str, list[tuple[str, bool]], ast.Call, str]]] = {}
        # repo function qualname -> kinds of the getter options it returns
        self.getter_fns: dict[str, set[str]] = {}
        self.parents: dict[str, dict[int, ast.AST]] = {}

    def warn(self, msg: str) -> None:
        if msg not in self.out.warnings:
            self.out.warnings.append(msg)

    # ---- what a call is --------------------------------------------------------------
    def _library(self, module: str, func: ast.AST) -> str:
        b = self.idx.resolve(module, func) if isinstance(func, ast.Name | ast.Attribute) else None
        name = b.name if b is not None and b.kind == "external" else ""
        if name.startswith("keystoneclient"):
            return "keystoneclient"
        if name.startswith("keystoneauth1"):
            return "keystoneauth1"
        return ""

    def _receiver_kind(self, module: str, func: ast.Attribute) -> str | None:
        target = func.value
        if isinstance(target, ast.Call):  # Session().register_conf_options(...)
            target = target.func
        b = self.idx.resolve(module, target) if isinstance(target, ast.Name | ast.Attribute) \
            else None
        if b is None or b.kind != "external":
            return None
        return _RECEIVERS.get(b.name)

    def register_kind(self, module: str, call: ast.Call) -> tuple[str, int] | None:
        """(kind, group arg index) when `call` registers/loads ksa options into a group."""
        fn = call.func
        name = _callee(fn)
        if name in _REGISTER and self._library(module, fn):
            return _REGISTER[name]
        if isinstance(fn, ast.Attribute) and name in ("register_conf_options",
                                                       "load_from_conf_options"):
            kind = self._receiver_kind(module, fn)
            if kind is not None:
                return kind, 1
        return None

    def getter_kind(self, module: str, call: ast.Call) -> str | None:
        fn = call.func
        name = _callee(fn)
        if name in _GETTERS and self._library(module, fn):
            return _GETTERS[name]
        if isinstance(fn, ast.Attribute) and name == "get_conf_options":
            return self._receiver_kind(module, fn)
        b = self.idx.resolve(module, fn) if isinstance(fn, ast.Name | ast.Attribute) else None
        if b is not None and b.kind == "function" and b.qualname in self.getter_fns:
            return next(iter(sorted(self.getter_fns[b.qualname])))
        return None

    # ---- groups ----------------------------------------------------------------------
    def group_of(self, module: str, node: ast.AST | None, frame: Frame | None = None,
                 depth: int = 0) -> str | None:
        """A group name from a literal, constant, OptGroup(...) or X.name (None: unknown)."""
        if node is None or depth > 12:
            return None
        if isinstance(node, ast.Constant):
            if node.value is None:
                return "DEFAULT"
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Call) and _callee(node.func) == "OptGroup":
            arg = node.args[0] if node.args else _kw(node, "name")
            return self.group_of(module, arg, frame, depth + 1)
        if isinstance(node, ast.Call) and _callee(node.func) == "getattr" and len(node.args) == 3:
            return self.group_of(module, node.args[2], frame, depth + 1)
        if isinstance(node, ast.Attribute) and node.attr == "name":
            got = self.group_of(module, node.value, frame, depth + 1)
            if got is not None:
                return got
        if isinstance(node, ast.Name | ast.Attribute):
            b = self.idx.resolve(module, node)
            if b is not None and b.kind == "value" and b.node is not None:
                return self.group_of(b.module, b.node, None, depth + 1)
        lit = self.ol.literal(module, node)
        return lit if isinstance(lit, str) else None

    def group_entry(self, group: str, library: str) -> KsaGroup:
        g = self.out.groups.setdefault(group, KsaGroup(group))
        if library and not g.library:
            g.library = library
        return g

    def deprecated_map(self, module: str, node: ast.AST | None
                       ) -> dict[str, list[tuple[str | None, str | None]]]:
        if node is None:
            return {}
        if isinstance(node, ast.Name | ast.Attribute):
            b = self.idx.resolve(module, node)
            if b is None or b.kind != "value" or b.node is None:
                return {}
            module, node = b.module, b.node
        if not isinstance(node, ast.Dict):
            return {}
        out: dict[str, list[tuple[str | None, str | None]]] = {}
        for k, v in zip(node.keys, node.values, strict=True):
            key = self.ol.literal(module, k) if k is not None else Unresolved
            if not isinstance(key, str) or not isinstance(v, ast.List | ast.Tuple):
                self.warn(f"{self.idx.module_path(module)}:{node.lineno}: deprecated_opts "
                          "entry not understood")
                continue
            olds: list[tuple[str | None, str | None]] = []
            for e in v.elts:
                if not (isinstance(e, ast.Call) and _callee(e.func) == "DeprecatedOpt"):
                    continue
                n = self.ol.literal(module, e.args[0] if e.args else _kw(e, "name"))
                gnode = e.args[1] if len(e.args) > 1 else _kw(e, "group")
                grp = self.group_of(module, gnode) if gnode is not None else None
                olds.append((grp, n if isinstance(n, str) else None))
            out[key.replace("-", "_")] = olds
        return out

    # ---- the scan --------------------------------------------------------------------
    def parent_map(self, module: str) -> dict[int, ast.AST]:
        if module not in self.parents:
            pm: dict[int, ast.AST] = {}
            tree = self.idx.tree(module)
            if tree is not None:
                for n in ast.walk(tree):
                    for c in ast.iter_child_nodes(n):
                        pm[id(c)] = n
            self.parents[module] = pm
        return self.parents[module]

    def enclosing_function(self, module: str, node: ast.AST) -> ast.FunctionDef | None:
        pm = self.parent_map(module)
        cur = pm.get(id(node))
        while cur is not None:
            if isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef):
                return cur  # type: ignore[return-value]
            cur = pm.get(id(cur))
        return None

    def conditions(self, module: str, node: ast.AST, fn: ast.AST) -> list[tuple[str, bool]]:
        """`if PARAM:` / `if not PARAM:` around node inside fn: [(param, wanted truth)]."""
        pm = self.parent_map(module)
        out: list[tuple[str, bool]] = []
        params = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]} \
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) else set()
        child, cur = node, pm.get(id(node))
        while cur is not None and cur is not fn:
            if isinstance(cur, ast.If):
                t, want = cur.test, True
                if isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not):
                    t, want = t.operand, False
                in_body = any(child is s for s in cur.body)
                if isinstance(t, ast.Name) and t.id in params:  # not a local (a cache lookup)
                    out.append((t.id, want if in_body else not want))
            child, cur = cur, pm.get(id(cur))
        return out

    def qual(self, module: str, fn: ast.FunctionDef) -> str:
        return f"{module}.{fn.name}"

    def _calls(self, modules: list[str]):
        """(module, call node) for every call in the modules that parse."""
        for m in modules:
            tree = self.idx.tree(m)
            if tree is None:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    yield m, node

    def scan(self, modules: list[str]) -> None:
        # pass 1: functions of the repo that return getter options (nova get_ksa_adapter_opts)
        for _ in range(3):
            for m, node in self._calls(modules):
                kind = self.getter_kind(m, node)
                fn = self.enclosing_function(m, node)
                if kind and fn is not None and fn.name != "list_opts" \
                        and self._listed_group(m, node) is None \
                        and self._returned(m, node, fn):
                    self.getter_fns.setdefault(self.qual(m, fn), set()).add(kind)
        # pass 2: wrappers whose group comes from a parameter (nova register_ksa_opts)
        for _ in range(3):
            for m, node in self._calls(modules):
                self._wrapper_fact(m, node)
        # pass 3: direct facts
        for m, node in self._calls(modules):
            self._direct(m, node)

    def _returned(self, module: str, node: ast.AST, fn: ast.AST) -> bool:
        """Does the value of node flow into fn's return (directly or via a local name)?"""
        pm = self.parent_map(module)
        names: set[str] = set()
        cur, child = pm.get(id(node)), node
        while cur is not None and cur is not fn:
            if isinstance(cur, ast.Return):
                return True
            if isinstance(cur, ast.Assign):
                names |= {t.id for t in cur.targets if isinstance(t, ast.Name)}
                break
            child, cur = cur, pm.get(id(cur))
        del child
        return bool(names) and any(
            isinstance(r, ast.Return) and r.value is not None
            and any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(r.value))
            for r in ast.walk(fn)
        )

    def _param_index(self, fn: ast.FunctionDef, name: str) -> int | None:
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        return params.index(name) if name in params else None

    def _group_param(self, module: str, node: ast.AST | None, fn: ast.FunctionDef) -> str | None:
        """The parameter of fn a group expression comes from (`group`, `group.name`,
        `getattr(group, 'name', group)`, a local assigned from those)."""
        if node is None:
            return None
        if isinstance(node, ast.Attribute) and node.attr == "name":
            return self._group_param(module, node.value, fn)
        if isinstance(node, ast.Name):
            if self._param_index(fn, node.id) is not None:
                return node.id
            for st in ast.walk(fn):
                if isinstance(st, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == node.id for t in st.targets
                ):
                    v = st.value
                    if isinstance(v, ast.Call) and _callee(v.func) == "getattr" and v.args:
                        return self._group_param(module, v.args[0], fn)
                    if v is not node:
                        return self._group_param(module, v, fn)
        return None

    def _call_group_node(self, call: ast.Call, index: int) -> ast.AST | None:
        if len(call.args) > index:
            return call.args[index]
        return _kw(call, "group")

    def _wrapper_fact(self, module: str, call: ast.Call) -> None:
        fn = self.enclosing_function(module, call)
        if fn is None:
            return
        reg = self.register_kind(module, call)
        facts: list[tuple[str, str, ast.Call, str]] = []  # (kind, param, call, helper)
        if reg is not None:
            p = self._group_param(module, self._call_group_node(call, reg[1]), fn)
            if p:
                facts.append((reg[0], p, call, _callee(call.func)))
        elif _callee(call.func) in ("register_opts", "register_opt") and call.args:
            p = self._group_param(module, self._call_group_node(call, 1), fn)
            if p:
                for kind in self._getter_kinds_in(module, call.args[0]):
                    facts.append((kind, p, call, "register_opts"))
        else:  # a call to another wrapper, passing our parameter on
            b = self.idx.resolve(module, call.func) if isinstance(
                call.func, ast.Name | ast.Attribute) else None
            if b is not None and b.kind == "function" and b.qualname in self.wrappers \
                    and b.qualname != self.qual(module, fn):
                callee = b.node
                assert isinstance(callee, ast.FunctionDef)
                for kind, param, _conds, inner, helper in self.wrappers[b.qualname]:
                    i = self._param_index(callee, param)
                    arg = call.args[i] if i is not None and i < len(call.args) \
                        else _kw(call, param)
                    p = self._group_param(module, arg, fn)
                    if p:
                        facts.append((kind, p, inner, helper))
        key = self.qual(module, fn)
        for kind, p, c, helper in facts:
            entry = (kind, p, self.conditions(module, call, fn), c, helper)
            have = self.wrappers.setdefault(key, [])
            if all((k, q, id(cc)) != (kind, p, id(c)) for k, q, _x, cc, _h in have):
                have.append(entry)

    def _getter_kinds_in(self, module: str, node: ast.AST) -> set[str]:
        kinds: set[str] = set()
        if isinstance(node, ast.Name | ast.Attribute):
            b = self.idx.resolve(module, node)
            if b is not None and b.kind == "value" and b.node is not None:
                return self._getter_kinds_in(b.module, b.node)
        for n in ast.walk(node):
            if isinstance(n, ast.Call):
                k = self.getter_kind(module, n)
                if k:
                    kinds.add(k)
        return kinds

    def _literal_arg(self, module: str, call: ast.Call, fn: ast.FunctionDef, param: str):
        i = self._param_index(fn, param)
        node = call.args[i] if i is not None and i < len(call.args) else _kw(call, param)
        if node is None:  # the wrapper's default
            pos = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            defaults = dict(zip(pos[len(pos) - len(fn.args.defaults):], fn.args.defaults,
                                strict=True))
            node = defaults.get(param)
            return self.ol.literal(module, node) if node is not None else Unresolved
        return self.ol.literal(module, node)

    def _record(self, module: str, call: ast.Call, kind: str, group: str, library: str,
                helper: str, registered: bool, inner: ast.Call | None = None,
                inner_module: str | None = None) -> None:
        g = self.group_entry(group, library)
        g.kinds.add(kind)
        g.registered = g.registered or registered
        g.sources.append(f"{self.idx.module_path(module)}:{call.lineno} {helper}")
        src_call, src_mod = (inner, inner_module) if inner is not None else (call, module)
        assert src_mod is not None
        if kind in (SESSION, ADAPTER):
            dep = _kw(src_call, "deprecated_opts")
            if dep is not None:
                if isinstance(dep, ast.Name) and inner is not None:
                    dep = _kw(call, dep.id) or dep  # passed through the wrapper
                    src_mod = module if _kw(call, "deprecated_opts") is not None else src_mod
                for k, v in self.deprecated_map(src_mod, dep).items():
                    g.deprecated_opts.setdefault(k, [])
                    for old in v:
                        if old not in g.deprecated_opts[k]:
                            g.deprecated_opts[k].append(old)
        if kind == ADAPTER and not self._adapter_keeps_deprecated(src_mod, src_call):
            g.adapter_deprecated = False

    def _adapter_keeps_deprecated(self, module: str, call: ast.Call, depth: int = 0) -> bool:
        """False when the adapter options reach the group with include_deprecated=False
        (given to the helper itself, or inside a service getter such as nova's
        get_ksa_adapter_opts that the registered expression calls)."""
        inc = _kw(call, "include_deprecated")
        if inc is not None and self.ol.literal(module, inc) is False:
            return False
        if depth > 3:
            return True
        for n in ast.walk(call):
            if not isinstance(n, ast.Call) or n is call:
                continue
            b = self.idx.resolve(module, n.func) if isinstance(
                n.func, ast.Name | ast.Attribute) else None
            if b is None:
                continue
            if b.kind == "external" and b.name.endswith("get_adapter_conf_options"):
                if not self._adapter_keeps_deprecated(module, n, depth + 1):
                    return False
            elif b.kind == "function" and b.qualname in self.getter_fns and b.node is not None:
                for m in ast.walk(b.node):
                    if isinstance(m, ast.Call) and _callee(m.func) == "get_adapter_conf_options" \
                            and not self._adapter_keeps_deprecated(b.module, m, depth + 1):
                        return False
        return True

    def _direct(self, module: str, call: ast.Call) -> None:
        fn = self.enclosing_function(module, call)
        # 0. load_session/load_adapter: a read, not a registration
        if _callee(call.func) in _LOADERS and self._library(module, call.func):
            group = self.group_of(module, self._call_group_node(call, 1))
            if group is not None:
                g = self.group_entry(group, self._library(module, call.func))
                g.loaded.add(_LOADERS[_callee(call.func)])
                g.sources.append(f"{self.idx.module_path(module)}:{call.lineno} "
                                 f"{_callee(call.func)}")
            return
        # 1. register/load helper with a resolvable group
        reg = self.register_kind(module, call)
        if reg is not None:
            gnode = self._call_group_node(call, reg[1])
            group = self.group_of(module, gnode)
            if group is not None:
                self._record(module, call, reg[0], group, self._library(module, call.func),
                             _callee(call.func), True)
            elif fn is None or not self._group_param(module, gnode, fn):
                self.warn(f"{self.idx.module_path(module)}:{call.lineno}: "
                          f"{_callee(call.func)}: group {ast.unparse(gnode) if gnode else '?'}"
                          " not resolved")
            return
        # 2. register_opts(<getter options>, group)
        if _callee(call.func) in ("register_opts", "register_opt") and call.args:
            kinds = self._getter_kinds_in(module, call.args[0])
            if kinds:
                gnode = self._call_group_node(call, 1)
                group = self.group_of(module, gnode)
                if group is not None:
                    for k in sorted(kinds):
                        self._record(module, call, k, group, "", "register_opts", True)
                elif fn is None or not self._group_param(module, gnode, fn):
                    self.warn(f"{self.idx.module_path(module)}:{call.lineno}: register_opts "
                              f"of keystoneauth options: group not resolved")
            return
        # 3. a call to a wrapper
        b = self.idx.resolve(module, call.func) if isinstance(
            call.func, ast.Name | ast.Attribute) else None
        if b is not None and b.kind == "function" and b.qualname in self.wrappers:
            callee = b.node
            assert isinstance(callee, ast.FunctionDef)
            for kind, param, conds, inner, helper in self.wrappers[b.qualname]:
                i = self._param_index(callee, param)
                arg = call.args[i] if i is not None and i < len(call.args) else _kw(call, param)
                group = self.group_of(module, arg)
                if group is None:
                    if fn is None or not self._group_param(module, arg, fn):
                        self.warn(f"{self.idx.module_path(module)}:{call.lineno}: {b.name}: "
                                  "group not resolved")
                    continue
                ok = True
                for cp, want in conds:
                    v = self._literal_arg(b.module, call, callee, cp)
                    if v is Unresolved:
                        self.warn(f"{self.idx.module_path(module)}:{call.lineno}: "
                                  f"{b.name}: {cp} not a literal; {kind} assumed registered")
                    elif bool(v) != want:
                        ok = False
                if not ok:
                    continue
                lib = self._library(b.module, inner.func) if helper != "register_opts" else ""
                self._record(module, call, kind, group, lib, f"{b.name} -> {helper}", True,
                             inner=inner, inner_module=b.module)
            return
        # 4. getters in list_opts-like structures: {group: opts} / (group, opts)
        kind = self.getter_kind(module, call)
        if kind is None or (fn is not None and self.qual(module, fn) in self.getter_fns):
            return
        group = self._listed_group(module, call)
        if group is None:
            return
        lib = self._library(module, call.func)
        self._record(module, call, kind, group, lib, _callee(call.func), False)
        if _callee(call.func) in ("get_auth_plugin_conf_options", "get_plugin_options",
                                  "get_plugin_conf_options") and call.args:
            name = self.ol.literal(module, call.args[0])
            g = self.out.groups[group]
            if isinstance(name, str) and name not in g.listed_plugins:
                g.listed_plugins.append(name)

    def _listed_group(self, module: str, call: ast.Call) -> str | None:
        pm = self.parent_map(module)
        child, cur = call, pm.get(id(call))
        while cur is not None:
            if isinstance(cur, ast.Dict):
                for k, v in zip(cur.keys, cur.values, strict=True):
                    if v is child and k is not None:
                        return self.group_of(module, k)
                return None
            if isinstance(cur, ast.Tuple) and len(cur.elts) == 2 and cur.elts[1] is child:
                return self.group_of(module, cur.elts[0])
            if isinstance(cur, ast.Call) and _callee(cur.func) in ("register_opts",
                                                                   "register_opt"):
                return None  # handled as a registration
            if isinstance(cur, ast.stmt):
                return None
            child, cur = cur, pm.get(id(cur))
        return None


def ksa_groups(repo: GitRepo | str | Path, ref: str, package: str,
               repo_name: str = "") -> KsaGroups:
    """The groups a service (or library) at `ref` reads through keystoneauth loading.

    package: the top-level Python package to scan ("nova", "cinder", "glance",
    "keystonemiddleware"); its tests are skipped. repo_name: "openstack/nova" for messages
    (default "openstack/<package>"). `KsaGroups.kinds()` is the plain {group: kinds} mapping
    of the groups registered at run time; `groups[g]` has the details (library, listed
    plugins, deprecated_opts, sources)."""
    r, close = _open(repo)
    try:
        idx = PyIndex(r, ref)
        out = KsaGroups(repo_name or f"openstack/{package}", ref)
        candidates = sorted(
            m for m in idx.paths
            if (m == package or m.startswith(package + "."))
            and ".tests" not in m and not m.startswith(package + ".test")
        )
        texts = {m: r.read(ref, idx.paths[m]) or "" for m in candidates}
        # only modules that mention the loading helpers are parsed (nova has ~2000 modules)
        modules = [m for m in candidates if any(w in texts[m] for w in _MENTIONS)]
        scan = _ServiceScan(idx, out)
        scan.scan(modules)
        # then the callers of the service's own wrappers/getters, wherever they are
        names = {q.rsplit(".", 1)[1] for q in [*scan.wrappers, *scan.getter_fns]}
        more = [m for m in candidates if m not in modules
                and any(f"{n}(" in texts[m] for n in names)]
        if more:
            scan.scan(sorted(set(modules) | set(more)))
        for g in out.groups.values():
            g.sources = sorted(set(g.sources), key=_source_key)
            g.listed_plugins.sort()
        out.warnings.extend(w for w in idx.warnings if w not in out.warnings)
        return out
    finally:
        if close:
            r.close()


__all__ = [
    "ADAPTER", "AUTH", "SESSION", "AuthPlugin", "Binding", "GroupOpt", "KsaCatalog", "KsaGroup",
    "KsaGroups", "entry_points", "ksa_groups", "read_keystoneauth", "read_keystoneclient",
]
