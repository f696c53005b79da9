"""The real `oslo-config-generator --format json` output, in confgen's terms, and the
field-by-field comparison with confgen's facts (used by test_inventory_vs_generator.py).

An option is keyed by (group as the generator lists it, name as a config file spells it: the
option's dest, so `log-config-append` is `log_config_append`).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# the generator's type names -> SCHEMA.md types
JSON_TYPES = {
    "string value": "string", "integer value": "int", "boolean value": "bool",
    "list value": "list", "multi valued": "multistring", "port value": "port",
    "floating point value": "float", "dict value": "dict", "uri value": "uri",
    "host address value": "hostaddress", "hostname value": "hostaddress",
    "host domain value": "hostaddress", "IP address value": "ip", "unknown value": "string",
}
FIELDS = ("type", "default", "choices", "min", "max", "secret", "deprecated", "aliases")


def norm_name(name: str) -> str:
    return name.replace("-", "_")


def norm_default(value: Any) -> str:
    """One spelling per default: None and '' alike, lists joined, bools/numbers as str()."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(norm_default(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in sorted(value.items()))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Rec:
    """One option as one side knows it, normalised for comparison."""

    group: str
    name: str
    namespace: str
    type: str
    default: str
    choices: tuple[str, ...]
    min: Any
    max: Any
    secret: bool
    deprecated: bool
    aliases: tuple[tuple[str, str], ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.group, self.name)


def make_rec(group: str, name: str, namespace: str, type_: str, default: Any,
             choices: Any, min_: Any, max_: Any, secret: bool, deprecated: bool,
             aliases: Any) -> Rec:
    own = (group, norm_name(name))
    al = tuple(sorted({(g, norm_name(n)) for g, n in aliases} - {own}))
    if type_ == "port" and (min_, max_) == (0, 65535):
        min_, max_ = None, None  # types.Port's own range, implied by the type
    return Rec(group, norm_name(name), namespace, type_, norm_default(default),
               tuple(sorted(norm_default(c) for c in choices or ())), min_, max_,
               bool(secret), bool(deprecated), al)


def generator_records(data: dict[str, Any]) -> dict[tuple[str, str], Rec]:
    """The generator's JSON -> records by (group, name); the first namespace listing an
    option wins, as in the generator's own de-duplication."""
    out: dict[tuple[str, str], Rec] = {}
    for group, body in data["options"].items():
        for o in body["opts"]:
            choices = [c[0] if isinstance(c, list | tuple) else c for c in o.get("choices") or []]
            aliases = [(d.get("group") or group, d.get("name") or o["name"])
                       for d in o.get("deprecated_opts") or []]
            rec = make_rec(group, o.get("dest") or o["name"], o["namespace"],
                           JSON_TYPES.get(o["type"], o["type"]), o.get("default"), choices,
                           o.get("min"), o.get("max"), o.get("secret", False),
                           o.get("deprecated_for_removal", False), aliases)
            out.setdefault(rec.key, rec)
    return out


def run_generator(venv: Path, namespaces: list[str], out: Path) -> tuple[dict[str, Any], str]:
    """Run the venv's oslo-config-generator; (JSON data, stderr). Namespaces that cannot load
    in the venv are named in stderr by stevedore and simply absent from the data."""
    cmd = [str(venv / "bin/oslo-config-generator"), "--format", "json", "--output-file", str(out)]
    for ns in namespaces:
        cmd += ["--namespace", ns]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        raise RuntimeError(f"oslo-config-generator failed:\n{res.stderr[-3000:]}")
    return json.loads(out.read_text()), res.stderr


@dataclass(frozen=True)
class Diff:
    group: str
    name: str
    field: str  # one of FIELDS, or "missing" (generator lists it, we do not) / "extra"
    ours: Any
    real: Any

    def row(self) -> str:
        return (f"[{self.group}] {self.name:<40} {self.field:<10} ours={self.ours!r:<34.34}"
                f" real={self.real!r:.50}")


def compare(ours: dict[tuple[str, str], Rec], real: dict[tuple[str, str], Rec]) -> list[Diff]:
    out: list[Diff] = []
    for key, r in sorted(real.items()):
        o = ours.get(key)
        if o is None:
            out.append(Diff(*key, "missing", None, r.namespace))
            continue
        for f in FIELDS:
            a, b = getattr(o, f), getattr(r, f)
            if a != b:
                out.append(Diff(*key, f, a, b))
    for key in sorted(set(ours) - set(real)):
        out.append(Diff(*key, "extra", ours[key].namespace, None))
    return out
