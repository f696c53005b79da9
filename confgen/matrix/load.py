"""Read release_matrix/<file>.json into a FileMatrix (one file at a time, cached)."""

from __future__ import annotations

import os
from functools import cache

from confgen import releases
from confgen.datapath import data_dir, data_path
from confgen.matrix.model import ANY_SECTION, Era, FileMatrix, Option, Placement
from confgen.releases import Release

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

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


def era_from_dict(raw: dict[str, Any], fam: releases.Family, any_section: bool = False) -> Era:
    """One era of an option, as its JSON holds it."""
    names = _by_name(fam.name)
    return Era(
        first=names.get(raw["from"]) or fam.get(raw["from"]),
        last=names.get(raw["to"]) or fam.get(raw["to"]),
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
        also=(ANY_SECTION,) if any_section else tuple(raw.get("also", ())),
        aliases=tuple(Placement(s, n) for s, n in raw.get("aliases", ())),
        source=raw.get("source", ""),
        namespace=raw.get("namespace", ""),
        item_type=raw.get("item_type", ""),
        drivers=tuple(raw.get("drivers", ())),
        store_types=tuple(raw.get("store_types", ())),
        auth_plugins=tuple(raw.get("auth_plugins", ())),
        extra={k: v for k, v in raw.items() if k not in _ERA_FIELDS},
    )


@cache
def _by_name(family: str) -> dict[str, Release]:
    """release name -> Release (the data names releases by name: no parsing needed)."""
    return {r.name: r for r in releases.family(family).releases}


def option_from_dict(o: dict[str, Any], file: str, fam: releases.Family,
                     any_section: bool = False) -> Option:
    """One option of a matrix file, as its JSON holds it."""
    return Option(
        key=o["key"],
        file=file,
        help=o.get("help", ""),
        notes=o.get("notes", ""),
        eras=tuple(era_from_dict(e, fam, any_section) for e in o["eras"]),
    )


def from_dict(data: dict[str, Any]) -> FileMatrix:
    fam = releases.family(data.get("family", FILES.get(data["file"], releases.OPENSTACK)))
    options = [option_from_dict(o, data["file"], fam, bool(data.get("any_section")))
               for o in data["options"]]
    meta = {k: v for k, v in data.items() if k != "options"}
    return FileMatrix(data["file"], fam, options, meta)


def load_for(file: str, release: Release | None) -> FileMatrix:
    """The matrix lint needs for one release: a file with per-release views (ceph.conf: two
    thousand options over seventeen releases) gives just that release's view; others, and no
    release, give the whole file."""
    if release is not None:
        from confgen.matrix.compact import load_compact

        compact = load_compact(file, release)  # the release's index (OpenStack files)
        if compact is not None:
            return compact
        from confgen.fspath import is_file

        view = os.path.join(data_path("release_matrix"), file.removesuffix(".conf"),
                            f"{release.name}.json")
        if is_file(view):
            from confgen.matrix.view import load_view

            return load_view(file, release, view)
    return load(file)


def load_histories(file: str) -> FileMatrix:
    """A matrix for questions across releases (release detection asks which releases read a
    spelling): the compact form, which decodes only the names asked about, where one is
    shipped (the newest release's index; other releases answer from decoded histories);
    else the whole file."""
    if file in FILES:
        from confgen.matrix.compact import load_compact

        compact = load_compact(file, releases.family(FILES[file]).latest)
        if compact is not None:
            return compact
    return load(file)


@cache
def load(file: str) -> FileMatrix:
    """The matrix for one config file name, e.g. 'nova.conf'."""
    if file not in FILES:
        raise KeyError(f"confgen has no matrix for {file!r}; known: {', '.join(FILES)}")
    import json

    path = data_dir("release_matrix") / f"{file}.json"
    with path.open(encoding="utf-8") as fh:
        return from_dict(json.load(fh))
