"""Counts of the run-time section families per release, read from the upstream mirrors.

    .venv/bin/python tools/families_report.py [liberty train 2025.1 ...] [--mirrors /work/.mirror]

For each release: the refs the matrix specs read (release_matrix/sources/*.toml [refs]), the
library versions its upper-constraints pinned (openstack/requirements at the same ref), then
* keystoneauth1 (or, before it was used, python-keystoneclient): plugins and options per plugin;
* the groups nova, cinder and glance hand to keystoneauth loading (ksa_groups);
* cinder backend sections: driver classes, accepted old paths, generic and driver options;
* glance_store multi-store sections: store types and their options, glance's reserved stores.
Prints facts only (no upstream text). Not a test: the tests are tests/extract/test_ksa.py,
test_families.py and tests/integration/test_families_vs_services.py.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confgen.extract.families import (  # noqa: E402
    cinder_backends,
    glance_reserved_stores,
    store_types,
)
from confgen.extract.gitread import GitRepo  # noqa: E402
from confgen.extract.ksa import ksa_groups, read_keystoneauth, read_keystoneclient  # noqa: E402


def _refs(spec: str) -> dict[str, str]:
    data = tomllib.loads((ROOT / "release_matrix/sources" / spec).read_text())
    return {str(k): str(v) for k, v in data["refs"].items()}


def pins(requirements: GitRepo, ref: str) -> dict[str, str]:
    """dist (lower case, '_' -> '-') -> version from upper-constraints.txt at ref."""
    text = requirements.read(ref, "upper-constraints.txt") or ""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)===([^;\s]+)", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("releases", nargs="*", default=["liberty", "train", "2025.1"])
    ap.add_argument("--mirrors", default="/work/.mirror")
    args = ap.parse_args()
    mir = Path(args.mirrors)

    def repo(name: str) -> Path:
        return mir / f"openstack+{name}" / "repo"

    refs = {p: _refs(f"{p}.conf.toml") for p in ("nova", "cinder")}
    refs["glance"] = _refs("glance-api.conf.toml")
    reqs = GitRepo(repo("requirements"))
    for rel in args.releases:
        t0 = time.monotonic()
        print(f"== {rel}")
        ref = refs["cinder"].get(rel)
        if ref is None:
            print("   no ref in the specs")
            continue
        pinned = pins(reqs, ref) if reqs.has_ref(ref) else {}
        ksa_v = pinned.get("keystoneauth1")
        ksc_v = pinned.get("python-keystoneclient")
        print(f"   refs: nova {refs['nova'].get(rel)}, cinder {ref}, glance "
              f"{refs['glance'].get(rel)}; pins: keystoneauth1 {ksa_v}, keystoneclient "
              f"{ksc_v}, keystonemiddleware {pinned.get('keystonemiddleware')}, glance_store "
              f"{pinned.get('glance-store')}")
        for label, reader, name, version in (("keystoneauth1", read_keystoneauth, "keystoneauth",
                                              ksa_v),
                                             ("keystoneclient", read_keystoneclient,
                                              "python-keystoneclient", ksc_v)):
            if not version or not GitRepo(repo(name)).has_ref(version):
                print(f"   {label}: no pinned tag in the mirror ({version})")
                continue
            cat = reader(repo(name), version)
            per = {n: len(p.opts) for n, p in sorted(cat.plugins.items())}
            print(f"   {label} {version}: {len(per)} plugins, session {len(cat.session)}, "
                  f"adapter {len(cat.adapter)}, common {[o.name for o in cat.auth_common]}")
            print(f"      options per plugin: {per}")
            for w in cat.warnings:
                print(f"      warning: {w}")
        for project, pkg in (("nova", "nova"), ("cinder", "cinder"), ("glance", "glance")):
            pref = refs[project].get(rel)
            if pref is None:
                continue
            g = ksa_groups(repo(project), pref, pkg)
            kinds = {k: "+".join(sorted(v)) for k, v in g.kinds().items()}
            libs = sorted({v.library for v in g.groups.values() if v.library})
            print(f"   {project} keystoneauth groups ({', '.join(libs) or '-'}): {kinds}")
        c = cinder_backends(repo("cinder"), ref)
        canonical = [d for d in c.drivers if d not in c.aliases]
        rbd = "cinder.volume.drivers.rbd.RBDDriver"
        rbd_own = [n for n in c.drivers.get(rbd, []) if n not in c.generic]
        print(f"   cinder: {len(canonical)} driver classes + {len(c.aliases)} old paths, "
              f"{len(c.generic)} generic options, {len(c.option_drivers())} driver options, "
              f"{len(c.conditional)} drivers with conditional reads; RBD reads "
              f"{len(rbd_own)} of its own: {rbd_own}")
        for w in c.warnings[:8]:
            print(f"      warning: {w}")
        gs = pinned.get("glance-store")
        if gs and GitRepo(repo("glance_store")).has_ref(gs):
            st = store_types(repo("glance_store"), gs)
            print(f"   glance_store {gs}: multi-store {st.multi_store}, generic {st.generic}, "
                  f"types { {t: len(v) for t, v in st.types.items()} }, bare {st.bare}")
            gref = refs["glance"].get(rel)
            res = glance_reserved_stores(repo("glance"), gref) if gref else None
            if res is not None and res.stores:
                for name, typ in res.stores.items():
                    print(f"      [{name}] ({typ}): "
                          f"{[o.name for o in st.reserved_options(name, typ)]}")
        else:
            print(f"   glance_store: no pinned tag in the mirror ({gs})")
        print(f"   ({time.monotonic() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
