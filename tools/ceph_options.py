"""Build release_matrix/ceph.conf.json from the curated release_matrix/sources/ceph.conf.toml.

    python tools/ceph_options.py           write the JSON
    python tools/ceph_options.py --check   exit 1 if the JSON is not what the TOML gives

The TOML keeps facts compact (fields shared by an option's eras are written once) and carries
comments about where each fact was read; the JSON is the schema-1 matrix the loader reads.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "release_matrix" / "sources" / "ceph.conf.toml"
OUT = ROOT / "release_matrix" / "ceph.conf.json"

# Option-level fields that are not era facts.
_OPTION_ONLY = {"key", "help", "notes", "era"}
# Era field order in the output (anything else follows in sorted order).
_ORDER = [
    "from", "to", "section", "name", "type", "default", "daemon_default", "choices", "list",
    "accepts", "min", "max", "deprecated", "deprecated_reason", "replacement", "also", "source",
    "curated",
]


def build(src: dict[str, Any]) -> dict[str, Any]:
    sources: dict[str, str] = src["sources"]
    options = []
    for opt in src["option"]:
        shared = {k: v for k, v in opt.items() if k not in _OPTION_ONLY}
        eras = []
        for raw in opt["era"]:
            era = {**shared, **raw}
            era.setdefault("name", opt["key"].split(".", 1)[1])
            tags = era.pop("sources")
            era["source"] = "; ".join(sources[t] for t in tags)
            eras.append(_ordered(era))
        out = {"key": opt["key"], "help": opt["help"]}
        if opt.get("notes"):
            out["notes"] = opt["notes"]
        out["eras"] = eras
        options.append(out)
    return {
        "schema": 1,
        "file": "ceph.conf",
        "family": "ceph",
        "project": "ceph",
        "generated_from": "release_matrix/sources/ceph.conf.toml by tools/ceph_options.py",
        "coverage": (
            "subset: the client and cluster basics an OpenStack node needs; Ceph has about two "
            "thousand options and an option missing here is not an error"
        ),
        "key_spelling": (
            "in ceph.conf files a space in a key means '_' (canonical spelling uses '_'); a dash "
            "does NOT (only command-line flags accept dashes): 'rbd-cache = false' in a file "
            "is ignored. Checked with ceph-conf 16.2.15 and ConfFile::normalize_key_name"
        ),
        "refs": {
            "pacific": "ceph-common 16.2.15 (Debian bookworm) ceph-conf -D; options.cc snapshot",
            "tentacle": "main 05e355b5 yaml.in (after tentacle)",
        },
        "owned_sections": [],
        "owned_sections_why": (
            "ceph.conf on an OpenStack node is usually shared with the cluster's own tooling, "
            "so confgen claims no section; unknown keys are never errors"
        ),
        "dynamic_sections": {"@client": "[client.NAME] sections, one per cephx user"},
        "options": options,
    }


def _ordered(era: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in _ORDER if k in era] + sorted(k for k in era if k not in _ORDER)
    return {k: era[k] for k in keys}


def render() -> str:
    data = build(tomllib.loads(SRC.read_text("utf-8")))
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the JSON is out of date")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        if not OUT.exists() or OUT.read_text("utf-8") != text:
            rel = OUT.relative_to(ROOT)
            print(f"{rel} is out of date; run tools/ceph_options.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
