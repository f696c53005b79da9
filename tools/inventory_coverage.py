"""Print the coverage of the shipped inventory: options known per file and release.

    .venv/bin/python tools/inventory_coverage.py [--markdown]

An option counts once per release where an era covers it (an alias is not counted again);
"plugins" is how many of them are keystoneauth plugin options (read only for the auth_type
that has them), "backend"/"store" those of cinder backend / glance store sections.
"""

from __future__ import annotations

import sys

from confgen import releases
from confgen.matrix.load import load

FILES = ("nova.conf", "cinder.conf", "glance-api.conf")


def rows() -> list[tuple[str, dict[str, tuple[int, int, int]]]]:
    out = []
    mats = {f: load(f) for f in FILES}
    for rel in releases.openstack().releases:
        per: dict[str, tuple[int, int, int]] = {}
        for f, m in mats.items():
            ats = m.at(rel.name)
            plugins = sum(1 for a in ats if a.era.auth_plugins)
            dyn = sum(1 for a in ats if a.era.section in ("@backend", "@store"))
            per[f] = (len(ats), plugins, dyn)
        out.append((rel.name, per))
    return out


def main(argv: list[str]) -> None:
    md = "--markdown" in argv
    data = rows()
    if md:
        print("| release | nova.conf | cinder.conf (backend) | glance-api.conf (store) |")
        print("|---|---:|---:|---:|")
        for rel, per in data:
            n, c, g = (per[f] for f in FILES)
            print(f"| {rel} | {n[0]} ({n[1]} plugin) | {c[0]} ({c[2]}) | {g[0]} ({g[2]}) |")
        return
    for rel, per in data:
        print(rel, " ".join(f"{f}={v[0]}" for f, v in per.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
