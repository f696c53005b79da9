"""The extraction spec (TOML, hand-written): what to read, what to keep, and the curation.

See the package docstring (confgen/extract/__init__.py) for the format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from confgen import releases
from confgen.errors import ConfgenError
from confgen.releases import Family, Release

# era fields an override may set
OVERRIDABLE = {
    "section", "name", "type", "default", "choices", "min", "max", "secret", "deprecated",
    "deprecated_reason", "deprecated_since", "replacement", "also", "aliases",
}


@dataclass
class Scan:
    paths: list[str]
    select: list[str] = field(default_factory=lambda: ["*"])
    exclude: list[str] = field(default_factory=list)
    section: str | None = None  # put matches in this section (e.g. "@backend") instead
    also: list[str] = field(default_factory=list)
    first: Release | None = None
    last: Release | None = None
    unregistered: str | None = None  # group for options defined but not registered in the file

    def covers(self, rel: Release) -> bool:
        return (self.first is None or self.first <= rel) and (self.last is None or rel <= self.last)

    def wants(self, section: str, name: str) -> bool:
        return matches(self.select, section, name) and not matches(self.exclude, section, name)


@dataclass
class Place:
    """Where the options a namespace lists in a group go (cinder's backend_defaults ->
    "@backend"): matched on "group.name" as listed, optionally on the defining file."""

    match: list[str]
    section: str | None
    also: list[str]
    paths: list[str]
    namespace: str | None
    first: Release | None
    last: Release | None
    merge: str | None  # a section whose same option absorbs this one (as an `also`)
    why: str
    family: str | None = None  # only options this run-time family reads (families.py)

    def covers(self, rel: Release) -> bool:
        return (self.first is None or self.first <= rel) and (self.last is None or rel <= self.last)


@dataclass
class InventoryConf:
    """[inventory]: the complete inventory of the file from the service's generator."""

    package: str
    generator: list[str]
    own: list[str]
    libraries: str  # path of the library spec (relative to the spec's directory)
    namespace_aliases: dict[str, str]
    extra: list[dict[str, Any]]
    drop: list[dict[str, Any]]
    scan: list[dict[str, Any]] = field(default_factory=list)
    ksa: bool = True
    families: list[dict[str, Any]] = field(default_factory=list)
    defaults_ignore: list[str] = field(default_factory=list)


@dataclass
class Link:
    old: tuple[str, str]
    new: tuple[str, str]
    why: str


@dataclass
class Override:
    first: Release
    last: Release
    fields: dict[str, Any]
    why: str


@dataclass
class OptionSpec:
    help: str = ""
    notes: str = ""
    overrides: list[Override] = field(default_factory=list)


@dataclass
class Spec:
    file: str
    project: str
    repo: str  # "openstack/nova", used in `source`
    family: Family
    refs: dict[Release, str]
    ref_labels: dict[Release, str]
    owned_sections: list[str]
    dynamic_sections: dict[str, str]
    constants: dict[str, str]
    scans: list[Scan]
    select: list[str] | None
    exclude: list[str]
    links: list[Link]
    options: dict[str, OptionSpec]
    inventory: InventoryConf | None = None
    places: list[Place] = field(default_factory=list)
    path: Path | None = None  # where the spec was read from


def split_key(text: str) -> tuple[str, str]:
    sec, dot, name = text.partition(".")
    if not dot or not sec or not name:
        raise ConfgenError(f"spec: {text!r} is not 'section.name'")
    return sec, name


def matches(patterns: list[str], section: str, name: str) -> bool:
    """Patterns are globs over 'section.name' ('libvirt.*', '*.rbd_user', 'DEFAULT.libvirt_*')."""
    full = f"{section}.{name}"
    return any(fnmatchcase(full, p) for p in patterns)


def _check_keys(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ConfgenError(
            f"spec: unknown key(s) {', '.join(sorted(unknown))} in {where};"
            f" allowed: {', '.join(sorted(allowed))}"
        )


def _rel(fam: Family, text: Any, where: str) -> Release:
    if not isinstance(text, str):
        raise ConfgenError(f"spec: {where}: release must be a string, got {text!r}")
    return fam.get(text)


def _list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfgenError(f"spec: {where} must be a string or a list of strings")
    return value


def load_spec(path: str | Path) -> Spec:
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ConfgenError(f"cannot read spec {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfgenError(f"spec {path} is not valid TOML: {exc}") from exc
    spec = parse_spec(raw)
    spec.path = Path(path)
    return spec


def _inventory(raw: dict[str, Any]) -> InventoryConf:
    _check_keys("[inventory]", raw, {
        "package", "generator", "own", "libraries", "namespace_aliases", "extra", "drop",
        "scan", "ksa", "family", "defaults_ignore",
    })
    for req in ("package", "generator"):
        if req not in raw:
            raise ConfgenError(f"spec: [inventory] needs {req!r}")
    for kind in ("extra", "drop"):
        for i, e in enumerate(raw.get(kind, [])):
            where = f"[[inventory.{kind}]] #{i + 1}"
            _check_keys(where, e, {"namespace", "target", "from", "to", "why"})
            if not e.get("why") or not e.get("namespace"):
                raise ConfgenError(f"spec: {where} needs 'namespace' and 'why'")
    for i, e in enumerate(raw.get("family", [])):
        where = f"[[inventory.family]] #{i + 1}"
        _check_keys(where, e, {"kind", "group", "from", "to", "why"})
        if e.get("kind") not in ("cinder_backends", "glance_stores") or not e.get("why"):
            raise ConfgenError(f"spec: {where} needs kind = cinder_backends|glance_stores and"
                               " a 'why'")
        if e["kind"] == "cinder_backends" and not e.get("group"):
            raise ConfgenError(f"spec: {where}: cinder_backends needs the 'group' its extra"
                               " options are listed in")
    for i, e in enumerate(raw.get("scan", [])):
        where = f"[[inventory.scan]] #{i + 1}"
        _check_keys(where, e, {"paths", "exclude", "library", "unregistered", "group", "from",
                               "to", "why"})
        if not e.get("why") or not e.get("paths"):
            raise ConfgenError(f"spec: {where} needs 'paths' and 'why'")
    return InventoryConf(
        package=raw["package"],
        generator=_list(raw["generator"], "[inventory] generator"),
        own=_list(raw.get("own", []), "[inventory] own"),
        libraries=raw.get("libraries", "libraries.toml"),
        namespace_aliases=dict(raw.get("namespace_aliases", {})),
        extra=list(raw.get("extra", [])),
        drop=list(raw.get("drop", [])),
        scan=list(raw.get("scan", [])),
        ksa=bool(raw.get("ksa", True)),
        families=list(raw.get("family", [])),
        defaults_ignore=_list(raw.get("defaults_ignore", []), "[inventory] defaults_ignore"),
    )


def _places(fam: Family, raw: list[dict[str, Any]]) -> list[Place]:
    out = []
    for i, p in enumerate(raw):
        where = f"[[place]] #{i + 1}"
        _check_keys(where, p, {"match", "section", "also", "paths", "namespace", "from", "to",
                               "merge", "family", "why"})
        if not p.get("why") or "match" not in p:
            raise ConfgenError(f"spec: {where} needs 'match' and a 'why'")
        out.append(Place(
            match=_list(p["match"], f"{where} match"),
            section=p.get("section"),
            also=_list(p.get("also", []), f"{where} also"),
            paths=_list(p.get("paths", []), f"{where} paths"),
            namespace=p.get("namespace"),
            first=_rel(fam, p["from"], where) if "from" in p else None,
            last=_rel(fam, p["to"], where) if "to" in p else None,
            merge=p.get("merge"),
            why=p["why"],
            family=p.get("family"),
        ))
    return out


def parse_spec(raw: dict[str, Any]) -> Spec:
    _check_keys("the top level", raw, {
        "file", "project", "repo", "family", "refs", "ref_labels", "owned_sections",
        "dynamic_sections", "constants", "scan", "select", "exclude", "link", "options",
        "inventory", "place",
    })
    for req in ("file", "project", "refs"):
        if req not in raw:
            raise ConfgenError(f"spec: missing required key {req!r}")
    if "scan" not in raw and "inventory" not in raw:
        raise ConfgenError("spec: needs [[scan]] entries or an [inventory] table")
    fam = releases.family(raw.get("family", releases.OPENSTACK))
    refs = {_rel(fam, k, "refs"): str(v) for k, v in raw["refs"].items()}
    labels = {_rel(fam, k, "ref_labels"): str(v) for k, v in raw.get("ref_labels", {}).items()}
    scans = []
    for i, s in enumerate(raw.get("scan", [])):
        where = f"[[scan]] #{i + 1}"
        _check_keys(where, s, {
            "paths", "select", "exclude", "section", "also", "from", "to", "unregistered",
        })
        if "paths" not in s:
            raise ConfgenError(f"spec: {where} needs 'paths'")
        scans.append(Scan(
            paths=_list(s["paths"], f"{where} paths"),
            select=_list(s.get("select", ["*"]), f"{where} select"),
            exclude=_list(s.get("exclude", []), f"{where} exclude"),
            section=s.get("section"),
            also=_list(s.get("also", []), f"{where} also"),
            first=_rel(fam, s["from"], where) if "from" in s else None,
            last=_rel(fam, s["to"], where) if "to" in s else None,
            unregistered=s.get("unregistered"),
        ))
    links = []
    for i, lk in enumerate(raw.get("link", [])):
        where = f"[[link]] #{i + 1}"
        _check_keys(where, lk, {"old", "new", "why"})
        if not lk.get("why"):
            raise ConfgenError(f"spec: {where} needs a 'why'")
        links.append(Link(split_key(lk["old"]), split_key(lk["new"]), lk["why"]))
    options: dict[str, OptionSpec] = {}
    for key, o in raw.get("options", {}).items():
        where = f"[options.{key!r}]"
        split_key(key)
        _check_keys(where, o, {"help", "notes", "override"})
        ovs = []
        for j, ov in enumerate(o.get("override", [])):
            w = f"{where} override #{j + 1}"
            _check_keys(w, ov, OVERRIDABLE | {"from", "to", "why"})
            if not ov.get("why"):
                raise ConfgenError(f"spec: {w} needs a 'why' (say why the hand fix is right)")
            first = _rel(fam, ov.get("from", fam.oldest.name), w)
            last = _rel(fam, ov.get("to", fam.latest.name), w)
            fields = {k: v for k, v in ov.items() if k not in ("from", "to", "why")}
            ovs.append(Override(first, last, fields, ov["why"]))
        options[key] = OptionSpec(o.get("help", ""), o.get("notes", ""), ovs)
    return Spec(
        file=raw["file"],
        project=raw["project"],
        repo=raw.get("repo", f"openstack/{raw['project']}"),
        family=fam,
        refs=dict(sorted(refs.items())),
        ref_labels=labels,
        owned_sections=_list(raw.get("owned_sections", []), "owned_sections"),
        dynamic_sections=dict(raw.get("dynamic_sections", {})),
        constants=dict(raw.get("constants", {})),
        scans=scans,
        select=_list(raw["select"], "select") if "select" in raw else None,
        exclude=_list(raw.get("exclude", []), "exclude"),
        links=links,
        options=options,
        inventory=_inventory(raw["inventory"]) if "inventory" in raw else None,
        places=_places(fam, raw.get("place", [])),
    )
