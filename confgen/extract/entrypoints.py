"""Entry points a project declares at a ref: setup.cfg `[entry_points]` (pbr) or pyproject.toml
`[project.entry-points."group"]`. Read as text; nothing is installed or imported."""

from __future__ import annotations

import configparser
import tomllib

EntryPoints = dict[str, dict[str, str]]  # group -> name -> "module:attr"


def from_setup_cfg(text: str) -> EntryPoints:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    if not parser.has_section("entry_points"):
        return {}
    out: EntryPoints = {}
    for group, body in parser.items("entry_points"):
        for line in body.splitlines():
            name, eq, target = line.partition("=")
            if eq and name.strip() and target.strip():
                out.setdefault(group.strip(), {})[name.strip()] = target.strip()
    return out


def from_pyproject(text: str) -> EntryPoints:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    eps = data.get("project", {}).get("entry-points", {})
    return {g: {str(k): str(v) for k, v in names.items()} for g, names in eps.items()
            if isinstance(names, dict)}


def entry_points(read) -> EntryPoints:
    """`read(path)` -> text or None at the ref. pyproject.toml wins where it declares any."""
    pyproject = read("pyproject.toml")
    if pyproject:
        got = from_pyproject(pyproject)
        if got:
            return got
    cfg = read("setup.cfg")
    return from_setup_cfg(cfg) if cfg else {}
