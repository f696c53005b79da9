"""Dump a service's real option definitions as JSON (run by a service venv's own python).

    <venv>/bin/python dump_opts.py NAMESPACE [NAMESPACE ...] [MODULE:ATTR=GROUP ...] > opts.json

Loads each entry point of group 'oslo.config.opts' named NAMESPACE, calls it, and writes one
record per (namespace, group, option): type, default, choices, min/max, deprecation and old
spellings, as oslo.config itself holds them. MODULE:ATTR=GROUP also dumps the option list a
module defines (e.g. cinder.volume.drivers.rbd:RBD_OPTS=backend_defaults), with namespace
"MODULE:ATTR": the services' list_opts merge all drivers into one group, this tells them apart.
Standard library + oslo.config only: this file runs inside the service's interpreter, not ours.
"""

from __future__ import annotations

import importlib
import json
import sys
from importlib.metadata import entry_points
from typing import Any


def _plain(value: Any) -> Any:
    """A JSON-able form of a default or choice (sets, tuples, objects -> lists/str)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _choices(opt_type: Any) -> list[Any] | None:
    choices = getattr(opt_type, "choices", None)
    if not choices:
        return None
    # oslo.config keeps choices as an OrderedDict {value: description} from 3.x on
    return [_plain(c) for c in choices]


def _record(namespace: str, group: Any, opt: Any) -> dict[str, Any]:
    gname = getattr(group, "name", group) or "DEFAULT"
    opt_type = getattr(opt, "type", None)
    item_type = getattr(opt_type, "item_type", None)
    return {
        "namespace": namespace,
        "group": gname,
        "name": opt.name,
        "opt_class": type(opt).__name__,
        "type": type(opt_type).__name__ if opt_type is not None else None,
        "item_type": type(item_type).__name__ if item_type is not None else None,
        "default": _plain(opt.default),
        "choices": _choices(opt_type),
        "min": getattr(opt_type, "min", None),
        "max": getattr(opt_type, "max", None),
        "secret": bool(opt.secret),
        "multi": bool(getattr(opt, "multi", False)),
        "deprecated_for_removal": bool(opt.deprecated_for_removal),
        "deprecated_opts": [
            [d.group or None, d.name or None] for d in (opt.deprecated_opts or [])
        ],
        "sample_default": _plain(getattr(opt, "sample_default", None)),
    }


def dump_list(spec: str) -> list[dict[str, Any]]:
    where, _, group = spec.partition("=")
    module, _, attr = where.partition(":")
    opts = getattr(importlib.import_module(module), attr)
    return [_record(where, group or None, opt) for opt in opts]


def dump(namespaces: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for spec in [n for n in namespaces if ":" in n]:
        out += dump_list(spec)
    wanted = {n for n in namespaces if ":" not in n}
    seen: set[str] = set()
    for ep in entry_points(group="oslo.config.opts"):
        if ep.name not in wanted or ep.name in seen:
            continue
        seen.add(ep.name)
        for group, opts in ep.load()():
            for opt in opts:
                out.append(_record(ep.name, group, opt))
    missing = wanted - seen
    if missing:
        raise SystemExit(f"no 'oslo.config.opts' entry point named {', '.join(sorted(missing))}")
    return out


if __name__ == "__main__":
    json.dump(dump(sys.argv[1:]), sys.stdout, indent=1, sort_keys=True)
