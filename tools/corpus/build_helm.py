#!/usr/bin/env python3
"""Build the openstack-helm trees of the real-files corpus: the nova.conf, cinder.conf and
glance-api.conf that the nova, cinder and glance charts put in their config secrets (mounted
in the pods as /etc/<service>/<file>), with the charts' default values (Ceph for all three).

How (no helm binary here): the chart's values.yaml `conf.<service>` map, completed the way the
chart's templates/configmap-etc.yaml completes it (its `if` / `set .Values.conf...` statements
evaluated by a small interpreter of that Go-template subset, with helm-toolkit's endpoint
lookups re-implemented: keystone_endpoint_uri_lookup, host_and_port_endpoint_uri_lookup,
endpoint_port_lookup, authenticated_endpoint_uri_lookup,
authenticated_transport_endpoint_uri_lookup, hostname_*), then written as helm-toolkit's
utils.to_oslo_conf writes it (sections and keys sorted, lists joined with commas, multistring
values one line each). Keys set to null are dropped, as helm drops them. Conditions the
interpreter cannot evaluate count as false (what they would set is left out).

The release each tree targets is the release of the images the chart's values use at that
commit (e.g. nova:2024.1-ubuntu_jammy).

usage: python tools/corpus/build_helm.py [RELEASE ...]
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import report  # noqa: E402

OUT_ROOT = common.REALFILES / "openstack-helm"


@dataclass(frozen=True)
class Rel:
    name: str  # release of the charts' default images
    ref: str


RELEASES = [
    Rel("newton", "20806414e06dcd3a2ce5e4737a0d3c914fd46bfc"),  # master 2018-06
    Rel("stein", "bab51777c99ecb32af42540dc9560f4a6779ff6e"),  # master 2020-06
    Rel("2024.1", "2025.1.0"),
    Rel("2025.1", "2026.1.0"),
]
BY_NAME = {r.name: r for r in RELEASES}

CHARTS = {  # chart -> [(conf key, file in the pod)]
    "nova": [("nova", "etc/nova/nova.conf")],
    # cinder-volume also reads the backends, a second --config-file (bin/_cinder-volume.sh)
    "cinder": [("cinder", "etc/cinder/cinder.conf"), ("backends", "etc/cinder/conf/backends.conf")],
    "glance": [("glance", "etc/glance/glance-api.conf")],
}
# what an operator sets for a Ceph-backed cloud (the charts' documented switch); the rest are
# the charts' defaults (cinder and nova volumes already use RBD)
OVERRIDES = {"glance": {"storage": "rbd"}}

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\(|\)|\||[^\s()|]+')


class Interp:
    def __init__(self, values: dict, namespace: str = "openstack"):
        self.values = values
        self.vars: dict = {}
        self.ns = namespace

    # ---- helm-toolkit endpoint lookups --------------------------------------------------
    def _ep(self, etype: str) -> dict:
        return (self.values.get("endpoints") or {}).get(etype) or {}

    def _host(self, etype: str, endpoint: str) -> str:
        ep = self._ep(etype)
        hosts = ep.get("hosts") or {}
        h = hosts.get(endpoint) or hosts.get("default") or etype
        if isinstance(h, dict):
            h = h.get("host") or etype
        ns = ep.get("namespace") or self.ns
        suffix = (self.values.get("endpoints") or {}).get("cluster_domain_suffix") or \
            "cluster.local"
        override = (ep.get("host_fqdn_override") or {})
        ov = override.get(endpoint) or override.get("default")
        if isinstance(ov, dict):
            ov = ov.get("host")
        return ov or f"{h}.{ns}.svc.{suffix}"

    def _port(self, etype: str, endpoint: str, port: str):
        p = ((self._ep(etype).get("port") or {}).get(port) or {})
        return p.get(endpoint, p.get("default", ""))

    def _scheme(self, etype: str, endpoint: str) -> str:
        s = self._ep(etype).get("scheme") or {}
        return s.get(endpoint) or s.get("default") or "http" if isinstance(s, dict) else s

    def _path(self, etype: str, endpoint: str) -> str:
        p = self._ep(etype).get("path")
        if isinstance(p, dict):
            p = p.get(endpoint, p.get("default"))
        return p or ""

    def include(self, name: str, args: list):
        short = name.rsplit(".", 1)[-1]
        a = [x for x in args if not isinstance(x, Interp)]
        if short == "keystone_endpoint_uri_lookup":
            t, e, p = a[:3]
            return (f"{self._scheme(t, e)}://{self._host(t, e)}:{self._port(t, e, p)}"
                    f"{self._path(t, e)}")
        if short == "host_and_port_endpoint_uri_lookup":
            t, e, p = a[:3]
            return f"{self._host(t, e)}:{self._port(t, e, p)}"
        if short == "endpoint_port_lookup":
            t, e, p = a[:3]
            return self._port(t, e, p)
        if short in ("hostname_namespaced_endpoint_lookup", "hostname_fqdn_endpoint_lookup",
                     "hostname_short_endpoint_lookup", "endpoint_host_lookup"):
            t, e = a[:2]
            return self._host(t, e)
        if short in ("authenticated_endpoint_uri_lookup",
                     "authenticated_transport_endpoint_uri_lookup"):
            t, e, user, p = a[:4]
            auth = ((self._ep(t).get("auth") or {}).get(user) or {})
            u, pw = auth.get("username", user), auth.get("password", "password")
            scheme = self._scheme(t, e)
            return (f"{scheme}://{u}:{pw}@{self._host(t, e)}:{self._port(t, e, p)}"
                    f"{self._path(t, e)}")
        return None

    # ---- expressions ----------------------------------------------------------------------
    def path(self, text: str):
        if text.startswith("$"):
            name, _, rest = text.partition(".")
            cur = self.vars.get(name)
            keys = rest.split(".") if rest else []
        elif text.startswith(".Values"):
            cur = self.values
            keys = [k for k in text[len(".Values"):].split(".") if k]
        else:
            return None
        for k in keys:
            if not isinstance(cur, dict):
                return None
            cur = cur.get(k)
        return cur

    def parse(self, tokens: list[str], i: int = 0, until: str | None = None):
        """Parse a pipeline into [[command tokens...], ...]; returns (pipeline, next index)."""
        cmds, cur = [], []
        while i < len(tokens):
            t = tokens[i]
            if t == until:
                break
            if t == "(":
                sub, i = self.parse(tokens, i + 1, ")")
                cur.append(("sub", sub))
            elif t == "|":
                cmds.append(cur)
                cur = []
            else:
                cur.append(t)
            i += 1
        cmds.append(cur)
        return cmds, i

    def atom(self, t):
        if isinstance(t, tuple):
            v = self.run(t[1])
            return v
        if t.startswith('"'):
            return bytes(t[1:-1], "utf-8").decode("unicode_escape")
        if t in ("true", "false"):
            return t == "true"
        if t in ("nil",):
            return None
        if re.fullmatch(r"-?\d+", t):
            return int(t)
        if t == ".":
            return self
        if t.startswith(".") or t.startswith("$"):
            # (.Values.global).x comes as a sub-expression followed by .x
            return self.path(t)
        return t

    def call(self, cmd: list, piped=None, has_pipe=False):
        if not cmd:
            return piped
        head = cmd[0]
        args = [self.atom(x) for x in cmd[1:]]
        if has_pipe:
            args.append(piped)
        if isinstance(head, tuple) or not isinstance(head, str) or head.startswith(
                ('"', ".", "$")) or re.fullmatch(r"-?\d+|true|false", head):
            v = self.atom(head)
            if len(cmd) > 1 and isinstance(cmd[1], str) and cmd[1].startswith("."):
                for k in cmd[1][1:].split("."):
                    v = v.get(k) if isinstance(v, dict) else None
            return v
        f = head
        if f == "empty":
            return not args[0]
        if f == "not":
            return not args[0]
        if f == "and":
            return all(args)
        if f == "or":
            return next((a for a in args if a), args[-1] if args else None)
        if f == "eq":
            return all(a == args[0] for a in args[1:])
        if f == "ne":
            return args[0] != args[1]
        if f == "default":
            return args[1] if args[1] else args[0]
        if f in ("randAlphaNum", "randAscii", "uuidv4"):
            return "PLACEHOLDER"
        if f == "tuple" or f == "list":
            return list(args)
        if f == "include":
            return self.include(args[0], args[1] if isinstance(args[1], list) else [])
        if f == "printf":
            fmt = args[0]
            return re.sub(r"%[sdv]", "{}", fmt).format(*args[1:])
        if f == "index":
            cur = args[0]
            for k in args[1:]:
                cur = cur.get(k) if isinstance(cur, dict) else (
                    cur[k] if isinstance(cur, list) and isinstance(k, int) and k < len(cur)
                    else None)
            return cur
        if f == "hasKey":
            return isinstance(args[0], dict) and args[1] in args[0]
        if f in ("toString", "quote"):
            return str(args[0])
        if f in ("lower", "upper"):
            return getattr(str(args[0]), f)()
        if f == "int":
            return int(args[0] or 0)
        if f == "kindIs":
            return {"map": dict, "slice": list, "string": str}.get(args[0]) is type(args[1])
        raise KeyError(f)

    def run(self, pipeline):
        v, first = None, True
        for cmd in pipeline:
            v = self.call(cmd, v, has_pipe=not first)
            first = False
        return v

    def expr(self, text: str):
        toks = _TOKEN.findall(text)
        pipe, _ = self.parse(toks)
        return self.run(pipe)

    # ---- statements -----------------------------------------------------------------------
    def set_path(self, target: str, key: str, value) -> None:
        keys = [k for k in target[len(".Values"):].split(".") if k]
        cur = self.values
        for k in keys:
            if not isinstance(cur.get(k), dict):
                cur[k] = {}
            cur = cur[k]
        cur[key] = value

    def statement(self, s: str) -> None:
        m = re.match(r"^\$(\w+)\s*:?=\s*(.*)$", s, re.S)
        if not m:
            return
        name, rhs = m.group(1), m.group(2).strip()
        sm = re.search(r'(?:^|\|\s*)set\s+(\.Values[\w.]+)\s+"([^"]+)"\s*(.*)$', rhs, re.S)
        if sm:
            target, key, rest = sm.group(1), sm.group(2), sm.group(3).strip()
            if rest:
                value = self.expr(rest)
            else:
                value = self.expr(rhs[: sm.start()].rstrip().rstrip("|"))
            self.set_path(target, key, value)
            return
        if name != "_":
            try:
                self.vars["$" + name] = self.expr(rhs)
            except (KeyError, IndexError, TypeError, ValueError):
                self.vars["$" + name] = None

    def cond(self, text: str) -> bool:
        try:
            return bool(self.expr(text))
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return False

    def execute(self, template: str) -> None:
        stack: list[list[bool]] = []  # [active, taken]
        active = True
        for m in _ACTION.finditer(template):
            a = m.group(1).strip()
            if a.startswith("/*"):
                continue
            word = a.split(None, 1)[0] if a else ""
            rest = a[len(word):].strip()
            parent = all(x[0] for x in stack)
            if word == "if":
                ok = parent and self.cond(rest)
                stack.append([ok, ok])
            elif word == "else":
                top = stack[-1]
                outer = all(x[0] for x in stack[:-1])
                if rest.startswith("if "):
                    ok = outer and not top[1] and self.cond(rest[3:])
                else:
                    ok = outer and not top[1]
                top[0], top[1] = ok, top[1] or ok
            elif word in ("range",):
                stack.append([False, False])
            elif word in ("with", "define", "block"):
                stack.append([parent, True])
            elif word == "end":
                if stack:
                    stack.pop()
            else:
                active = parent
                if active:
                    self.statement(a)


def to_oslo_conf(conf: dict) -> str:
    def fmt(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    out = []
    for section in sorted(conf):
        values = conf[section]
        if not isinstance(values, dict):
            continue
        out.append(f"[{section}]")
        for key in sorted(values):
            v = values[key]
            if v is None:
                continue
            if isinstance(v, list):
                out.append(f"{key} = {','.join(fmt(x) for x in v)}")
            elif isinstance(v, dict):
                if v.get("type") == "multistring":
                    out.extend(f"{key} = {fmt(x)}" for x in v.get("values") or [])
                elif v.get("type") == "csv":
                    out.append(f"{key} = {','.join(fmt(x) for x in v.get('values') or [])}")
            else:
                out.append(f"{key} = {fmt(v)}")
    return "\n".join(out) + "\n"


def _drop_nulls(d):
    if isinstance(d, dict):
        return {k: _drop_nulls(v) for k, v in d.items() if v is not None}
    return d


def build(rel: Rel) -> dict:
    dest = OUT_ROOT / rel.name
    if dest.exists():
        shutil.rmtree(dest)
    sha = common.commit_of("openstack-helm", rel.ref)[:12]
    counts = {}
    lint = []
    for chart, files in CHARTS.items():
        values = _drop_nulls(yaml.safe_load(common.show("openstack-helm", rel.ref,
                                                         f"{chart}/values.yaml")))
        values.update(OVERRIDES.get(chart, {}))
        it = Interp(values)
        tpl = f"{chart}/templates/configmap-etc.yaml"
        if common.exists("openstack-helm", rel.ref, tpl):
            it.execute(common.show("openstack-helm", rel.ref, tpl))
        for key, node_path in files:
            conf = (it.values.get("conf") or {}).get(key) or {}
            if not conf:
                continue
            over = ", ".join(f"{k}: {v}" for k, v in OVERRIDES.get(chart, {}).items())
            header = [f"openstack-helm {chart} chart (images {rel.name}): /{node_path} as the "
                      "chart's config secret holds it (default values"
                      + (f"; {over})" if over else ")"),
                      f"built by tools/corpus/build_helm.py from openstack/openstack-helm "
                      f"{rel.ref} ({sha}): {chart}/values.yaml conf.{key}, completed by {tpl}",
                      "only section headers and option lines are kept; do not edit by hand"]
            out = dest / "pods" / chart / node_path
            counts[f"{chart}/{node_path}"] = common.write_config(out, header, to_oslo_conf(conf))
        lint.append(f"pods/{chart}/etc")
    report.upsert({
        "id": f"openstack-helm/{rel.name}", "tool": "openstack-helm", "release": rel.name,
        "layout": "helm: pods/<chart>/etc/<service>/<file>, each chart's config secret as its "
                  "pods mount it (no ceph.conf: the ceph-client chart provides it)",
        "lint": lint, "extra": [], "keyring_mode": "600",
        "sources": [f"openstack/openstack-helm {rel.ref} ({sha})"],
        "built": f"python tools/corpus/build_helm.py {rel.name} (values.yaml conf.* completed "
                 "by configmap-etc.yaml's set statements, to_oslo_conf format)",
    })
    return counts


def main() -> None:
    common.run_builder(__doc__, RELEASES, build)


if __name__ == "__main__":
    main()
