"""Read release_matrix/<file>.json into a FileMatrix (one file at a time, cached)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from confgen import releases
from confgen.datapath import data_dir
from confgen.matrix.model import Era, FileMatrix, Option, Placement

# The config files confgen knows, with the component whose releases they follow.
FILES: dict[str, str] = {
    "nova.conf": releases.OPENSTACK,
    "cinder.conf": releases.OPENSTACK,
    "glance-api.conf": releases.OPENSTACK,
    "ceph.conf": releases.CEPH,
}

_ERA_FIELDS = {
    "from", "to", "section", "name", "type", "default", "choices", "min", "max", "secret",
    "deprecated", "deprecated_reason", "replacement", "also", "aliases", "source",
    "namespace", "item_type", "drivers", "store_types", "auth_plugins",
}


def _era(raw: dict[str, Any], fam: releases.Family) -> Era:
    return Era(
        first=fam.get(raw["from"]),
        last=fam.get(raw["to"]),
        section=raw["section"],
        name=raw["name"],
        type=raw.get("type", "string"),
        default=raw.get("default"),
        choices=tuple(raw.get("choices", ())),
        min=raw.get("min"),
        max=raw.get("max"),
        secret=bool(raw.get("secret", False)),
        deprecated=bool(raw.get("deprecated", False)),
        deprecated_reason=raw.get("deprecated_reason", ""),
        replacement=raw.get("replacement", ""),
        also=tuple(raw.get("also", ())),
        aliases=tuple(Placement(s, n) for s, n in raw.get("aliases", ())),
        source=raw.get("source", ""),
        namespace=raw.get("namespace", ""),
        item_type=raw.get("item_type", ""),
        drivers=tuple(raw.get("drivers", ())),
        store_types=tuple(raw.get("store_types", ())),
        auth_plugins=tuple(raw.get("auth_plugins", ())),
        extra={k: v for k, v in raw.items() if k not in _ERA_FIELDS},
    )


def from_dict(data: dict[str, Any]) -> FileMatrix:
    fam = releases.family(data.get("family", FILES.get(data["file"], releases.OPENSTACK)))
    options = [
        Option(
            key=o["key"],
            file=data["file"],
            help=o.get("help", ""),
            notes=o.get("notes", ""),
            eras=tuple(_era(e, fam) for e in o["eras"]),
        )
        for o in data["options"]
    ]
    meta = {k: v for k, v in data.items() if k != "options"}
    return FileMatrix(data["file"], fam, options, meta)


@cache
def load(file: str) -> FileMatrix:
    """The matrix for one config file name, e.g. 'nova.conf'."""
    if file not in FILES:
        raise KeyError(f"confgen has no matrix for {file!r}; known: {', '.join(FILES)}")
    path = data_dir("release_matrix") / f"{file}.json"
    with path.open(encoding="utf-8") as fh:
        return from_dict(json.load(fh))
