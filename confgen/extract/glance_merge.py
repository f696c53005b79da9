"""Merge the two glance-api.conf extractions into release_matrix/glance-api.conf.json.

The extractor reads one repository per run: part 1 is openstack/glance (havana/icehouse store
options in [DEFAULT], plus glance's own options), part 2 is openstack/glance_store (juno..).
Usage: python -m confgen.extract.glance_merge PART1.json PART2.json OUT.json

Two joins, both facts checked upstream (see the spec headers):
  * an option glance defined in [DEFAULT] until icehouse continues as the glance_store option
    that juno reads under the same [DEFAULT] name (canonical name or deprecated alias);
  * juno's glance_store (0.1.x, backend.py _list_opts) gives every driver option a deprecated
    [DEFAULT] spelling at run time, which static extraction cannot see: added here as an alias.
"""

from __future__ import annotations

import json
import sys
from typing import Any

JUNO = "juno"
JUNO_WHY = (
    "glance_store 0.1.x adds a deprecated [DEFAULT] spelling to every driver option when it "
    "registers them (glance_store/backend.py@0.1.10 _list_opts)"
)


def _juno_era(opt: dict[str, Any]) -> dict[str, Any] | None:
    first = opt["eras"][0]
    return first if first["from"] == JUNO else None


def merge(part1: dict[str, Any], part2: dict[str, Any]) -> dict[str, Any]:
    store = {o["key"]: o for o in part2["options"]}
    for opt in store.values():
        era = _juno_era(opt)
        if era and "/_drivers/" in era["source"] and era["section"] == "glance_store":
            if era["to"] != JUNO:  # the alias is juno's only: split juno off its era
                rest = dict(era, aliases=list(era.get("aliases", [])), **{"from": "kilo"})
                rest["source"] = era["source"].replace("@0.1.10..", "@kilo-eol..", 1)
                opt["eras"].insert(1, rest)
                era["to"] = JUNO
                era["source"] = era["source"].split("..")[0]
            alias = ["DEFAULT", era["name"]]
            if alias not in era.setdefault("aliases", []):
                era["aliases"].append(alias)
                era["curated"] = "; ".join(filter(None, [era.get("curated"), JUNO_WHY]))
    # (DEFAULT, name) juno still reads -> glance_store option key
    by_old: dict[tuple[str, str], str] = {}
    for key, opt in store.items():
        era = _juno_era(opt)
        if era:
            by_old[("DEFAULT", era["name"])] = key
            for sec, name in era.get("aliases", []):
                by_old[(sec, name)] = key
    out = []
    for opt in part1["options"]:
        last = opt["eras"][-1]
        target = by_old.get((last["section"], last["name"])) if last["to"] == "icehouse" else None
        if target:
            store[target]["eras"][:0] = opt["eras"]
        else:
            out.append(opt)
    out.extend(store.values())
    merged = {k: v for k, v in part1.items() if k != "options"}
    merged["store_refs"] = part2["refs"]
    merged["options"] = sorted(out, key=lambda o: o["key"])
    return merged


def main(argv: list[str]) -> None:
    p1, p2, dest = argv
    with open(p1, encoding="utf-8") as a, open(p2, encoding="utf-8") as b:
        data = merge(json.load(a), json.load(b))
    with open(dest, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {dest}: {len(data['options'])} options", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
