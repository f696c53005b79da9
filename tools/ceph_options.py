"""Build Ceph's option data (release_matrix/ceph.conf.json and release_matrix/ceph/*.json).

    python tools/ceph_options.py extract   read each release's option definitions (copies under
                                           $CONFGEN_CEPH_SRC, default ~/.cache/confgen/ceph-src/
                                           RELEASE/) and write both outputs
    python tools/ceph_options.py views     rewrite only the per-release views from the JSON
    python tools/ceph_options.py --check   exit 1 if the outputs are stale: the views always; the
                                           JSON too when the source copies are there

Where each release was read is in release_matrix/sources/ceph.conf.toml ([release.NAME]); the
readers are in tools/ceph_source.py. A release without a readable source (`format = "bridged"`)
gets an option's facts only where both neighbours named in `bridge` agree; where they differ
the option is listed as not judged for that release.

Outputs:
  ceph.conf.json        every option's history as eras (schema 1, explain and render read it)
  ceph/RELEASE.json     one release as lint needs it, small enough to load on every run:
                        {"options": {name: [key, first, last, era_from, era_to, facts]},
                         "elsewhere": {name: [key, first, last]}, "unjudged": [names]}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import ceph_source  # noqa: E402

SPEC = ROOT / "release_matrix" / "sources" / "ceph.conf.toml"
OUT = ROOT / "release_matrix" / "ceph.conf.json"
VIEWS = ROOT / "release_matrix" / "ceph"
CACHE = Path(os.environ.get("CONFGEN_CEPH_SRC", Path.home() / ".cache/confgen/ceph-src"))

# services whose processes run as client.NAME and read [client] / [client.NAME]
CLIENT_SERVICES = {"rbd", "rbd-mirror", "rgw", "mds_client", "cephfs-mirror",
                   "immutable-object-cache", "immutable-objet-cache", "ceph-exporter"}
_MISSING = object()
FACT_FIELDS = ("type", "default", "daemon_default", "enum", "min", "max", "level", "services",
               "flags", "deprecated")


def releases() -> list[str]:
    raw = tomllib.loads((ROOT / "release_matrix" / "releases.toml").read_text("utf-8"))
    return [r["name"] for r in raw["ceph"]]


def spec() -> dict[str, Any]:
    return tomllib.loads(SPEC.read_text("utf-8"))


# ------------------------------------------------------------------------------- extract

def read_all(sp: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]] | None]:
    """{release: {name: facts}}; None for a release without a source (bridged later)."""
    out: dict[str, dict[str, dict[str, Any]] | None] = {}
    for rel in releases():
        meta = sp["release"][rel]
        if meta["format"] == "bridged":
            out[rel] = None
            continue
        root = CACHE / rel
        if not root.is_dir():
            raise SystemExit(f"no source copy for {rel} in {root} (see [release.{rel}] via)")
        out[rel] = ceph_source.read_release(root, meta["format"])
    return out


def _facts(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: raw[k] for k in FACT_FIELDS if k in raw}


def fold(per_release: dict[str, dict[str, dict[str, Any]] | None],
         sp: dict[str, Any]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[str]]]:
    """Eras per option name, and {release: [names not judged there]}."""
    rels = releases()
    unjudged: dict[str, list[str]] = {r: [] for r in rels}
    names = sorted({n for opts in per_release.values() if opts for n in opts})
    state: dict[str, dict[str, Any]] = {}  # rel -> name -> facts | "?"
    for rel in rels:
        opts = per_release[rel]
        if opts is not None:
            state[rel] = {n: _facts(f) for n, f in opts.items()}
            continue
        left, right = sp["release"][rel]["bridge"]
        a, b = per_release[left] or {}, per_release[right] or {}
        cur: dict[str, Any] = {}
        for n in names:
            fa, fb = (_facts(a[n]) if n in a else None), (_facts(b[n]) if n in b else None)
            if fa is None and fb is None:
                continue
            if fa is None or fb is None:  # added or removed on the way: not known when
                cur[n] = "?"
                unjudged[rel].append(n)
                continue
            # both neighbours have it: the facts they agree on carry over, the others are
            # marked unknown (e.g. a flag added in one of the two releases)
            same = {k: v for k, v in fa.items() if fb.get(k, _MISSING) == v}
            differ = sorted(k for k in {*fa, *fb} if fa.get(k, _MISSING) != fb.get(k, _MISSING))
            if differ:
                same["unknown"] = differ
                same.setdefault("type", fa["type"] if fa["type"] == fb["type"] else "str")
            cur[n] = same
        state[rel] = cur
    eras: dict[str, list[dict[str, Any]]] = {}
    for n in names:
        runs: list[dict[str, Any]] = []
        for rel in rels:
            f = state[rel].get(n)
            if f is None or f == "?":
                continue
            last = runs[-1] if runs else None
            if last and last["facts"] == f and rels.index(last["to"]) == rels.index(rel) - 1:
                last["to"] = rel
            else:
                runs.append({"from": rel, "to": rel, "facts": f})
        eras[n] = runs
    return eras, unjudged


def _source(first: str, last: str, sp: dict[str, Any]) -> str:
    """Where an era's releases were read, grouped by file, e.g.
    'ceph/ceph:src/common/config_opts.h@v0.67.11..v11.2.1'."""
    rels = releases()
    parts: list[tuple[str, str, str]] = []  # (what, first version, last version)
    bridged: list[str] = []
    for rel in rels[rels.index(first): rels.index(last) + 1]:
        meta = sp["release"][rel]
        fmt = meta["format"]
        if fmt == "bridged":
            bridged.append(rel)
            continue
        what = {"config_opts.h": "ceph/ceph:src/common/config_opts.h",
                "options.cc": "ceph/ceph:src/common/options.cc",
                "yaml.in": "ceph/ceph:src/common/options/*.yaml.in",
                "config-help": "ceph-mon 16.2.15 (Debian) config help"}[fmt]
        if parts and parts[-1][0] == what:
            parts[-1] = (what, parts[-1][1], meta["version"])
        else:
            parts.append((what, meta["version"], meta["version"]))
    out = []
    for what, a, b in parts:
        if what.startswith("ceph-mon"):
            out.append(what)
        else:
            out.append(f"{what}@v{a}" + (f"..v{b}" if a != b else ""))
    for rel in bridged:
        left, right = sp["release"][rel]["bridge"]
        out.append(f"{rel}: no source read; what {left} and {right} agree on")
    return "; ".join(out)


def section_of(name: str, eras: list[dict[str, Any]]) -> str:
    """Where confgen puts an option it has no curated key for: [client] when every service
    that reads it runs as a client.NAME entity (librbd, rgw, ...), else [global]."""
    for era in reversed(eras):
        svc = era["facts"].get("services")
        if svc:
            return "client" if set(svc) <= CLIENT_SERVICES else "global"
    return "client" if name.startswith(("rbd_", "client_", "rgw_")) else "global"


def build(per_release: dict[str, dict[str, dict[str, Any]] | None],
          sp: dict[str, Any]) -> dict[str, Any]:
    eras, unjudged = fold(per_release, sp)
    curated = {o["key"].split(".", 1)[1]: o for o in sp["option"]}
    options = []
    for name, runs in eras.items():
        if not runs:
            continue
        cur = curated.get(name)
        key = cur["key"] if cur else f"{section_of(name, runs)}.{name}"
        section = key.split(".", 1)[0]
        out_eras = []
        for r in runs:
            f = r["facts"]
            era: dict[str, Any] = {"from": r["from"], "to": r["to"], "section": section,
                                   "name": name, "type": f["type"]}
            if "default" in f:
                era["default"] = f["default"]
            if "daemon_default" in f and f["daemon_default"] != f.get("default"):
                era["daemon_default"] = f["daemon_default"]
            if f.get("enum"):
                era["choices"] = f["enum"]
            for k in ("min", "max"):
                if k in f:
                    era[k] = f[k]
            if f.get("deprecated"):
                era["deprecated"] = True
                if cur and cur.get("replacement"):
                    era["replacement"] = cur["replacement"]
                    era["curated"] = cur["replacement_why"]
            for k in ("level", "services", "flags"):
                if f.get(k):
                    era[k] = f[k]
            if f.get("unknown"):
                era["unknown"] = f["unknown"]  # facts the bridged release cannot vouch for
            era["source"] = _source(r["from"], r["to"], sp)
            out_eras.append(era)
        opt: dict[str, Any] = {"key": key, "help": cur["help"] if cur else ""}
        if cur and cur.get("notes"):
            opt["notes"] = cur["notes"]
        opt["eras"] = out_eras
        options.append(opt)
    options.sort(key=lambda o: (o["key"] not in {f"{c['key']}" for c in sp["option"]}, o["key"]))
    return {
        "schema": 1,
        "file": "ceph.conf",
        "family": "ceph",
        "project": "ceph",
        "generated_from": "tools/ceph_options.py from Ceph's option definitions; see "
                          "release_matrix/sources/ceph.conf.toml",
        "coverage": "complete: every option Ceph's definitions list for each release",
        "complete": True,
        "unknown_severity": "warning",
        "read_elsewhere": ["mgr/"],
        # keys Ceph reads from the file by name, outside its option table (normalised spelling)
        "file_keys": {
            "mon_addr": "src/mon/MonMap.cc build_initial / init_with_config_file: "
                        "get_val_from_conf_file of 'mon addr' in [mon.NAME], [mon], [global] "
                        "(read at v0.67, 13.2.2 and 16.2 copies); src/ceph_mon.cc:631@13.2.2",
        },
        "any_section": True,
        "key_spelling": (
            "in ceph.conf a run of spaces or underscores in a key is one '_'; a dash is kept "
            "(so 'rbd-cache' is another, unknown key) and case matters. Read in "
            "ConfFile::normalize_key_name; checked with ceph-conf 16.2.15"
        ),
        "build_values": "defaults the build fills in are those of a Linux x86_64 build like "
                        "Debian's; <pkglibdir>, <libdir>, <datadir> stand for its install "
                        "directories",
        "refs": {r: sp["release"][r]["source"] for r in releases()},
        "unjudged": {r: names for r, names in unjudged.items() if names},
        "owned_sections": [],
        "owned_sections_why": "Ceph reads every option from any section; an unknown key is "
                              "reported in any section (as a warning: Ceph ignores it)",
        "dynamic_sections": {"@client": "[client.NAME] sections, one per cephx user"},
        "options": options,
    }


# ---------------------------------------------------------------------------------- views

def views(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per release, what lint needs and nothing more, in positional rows (release numbers are
    indexes into releases.toml's Ceph list; section 0 = global, 1 = client):

        "o": {name: [section, first, last, era_from, era_to, type, default, {more facts}]}
        "x": {name: [section, first, last]}      options of other releases only
        "u": [names]                              not judged in this release (no source)
    """
    rels = releases()
    out: dict[str, dict[str, Any]] = {}
    for rel in rels:
        ri = rels.index(rel)
        live: dict[str, Any] = {}
        elsewhere: dict[str, Any] = {}
        for opt in data["options"]:
            eras = opt["eras"]
            sec = 1 if opt["key"].startswith("client.") else 0
            first, last = rels.index(eras[0]["from"]), rels.index(eras[-1]["to"])
            name = eras[-1]["name"]
            era = next((e for e in eras
                        if rels.index(e["from"]) <= ri <= rels.index(e["to"])), None)
            if era is None:
                elsewhere[name] = [sec, first, last]
                continue
            more = {k: v for k, v in era.items() if k not in VIEW_SKIP}
            if more.get("level") == "advanced":
                del more["level"]  # the usual level: left out to keep the file small
            row = [sec, first, last, rels.index(era["from"]), rels.index(era["to"]),
                   era["type"], era.get("default")]
            if more:
                row.append(more)
            live[name] = row
        out[rel] = {"r": rel, "src": data["refs"][rel],
                    "m": {k: data[k] for k in VIEW_META if k in data},
                    "u": data.get("unjudged", {}).get(rel, []), "o": live, "x": elsewhere}
    return out


VIEW_META = ("complete", "any_section", "unknown_severity", "read_elsewhere", "file_keys",
             "owned_sections")
VIEW_SKIP = {"from", "to", "section", "name", "source", "curated", "type", "default"}


def render_json(data: dict[str, Any]) -> str:
    """One option per line: diffs stay readable, the file stays small."""
    head = {k: v for k, v in data.items() if k != "options"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append(' "options": [')
    opts = data["options"]
    for i, o in enumerate(opts):
        sep = "," if i < len(opts) - 1 else ""
        lines.append("  " + json.dumps(o, ensure_ascii=False, separators=(",", ":")) + sep)
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_view(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def write_views(data: dict[str, Any]) -> None:
    VIEWS.mkdir(exist_ok=True)
    for rel, view in views(data).items():
        (VIEWS / f"{rel}.json").write_text(render_view(view), "utf-8")
    from confgen import compact  # and the compact form lint loads them from

    compact.main([])


def check() -> int:
    data = json.loads(OUT.read_text("utf-8"))
    bad = [rel for rel, view in views(data).items()
           if not (VIEWS / f"{rel}.json").exists()
           or (VIEWS / f"{rel}.json").read_text("utf-8") != render_view(view)]
    if bad:
        print(f"release_matrix/ceph/ views out of date ({', '.join(bad)}); run "
              "tools/ceph_options.py views", file=sys.stderr)
        return 1
    sp = spec()
    have = all((CACHE / r).is_dir() for r in releases() if sp["release"][r]["format"] != "bridged")
    if have and render_json(build(read_all(sp), sp)) != OUT.read_text("utf-8"):
        print("release_matrix/ceph.conf.json differs from what the sources give; run "
              "tools/ceph_options.py extract", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", nargs="?", choices=["extract", "views"])
    ap.add_argument("--check", action="store_true", help="fail if the outputs are out of date")
    args = ap.parse_args(argv)
    if args.check:
        return check()
    if args.command == "extract":
        sp = spec()
        data = build(read_all(sp), sp)
        OUT.write_text(render_json(data), "utf-8")
        write_views(data)
        print(f"wrote {OUT.relative_to(ROOT)} ({len(data['options'])} options) and "
              f"{VIEWS.relative_to(ROOT)}/*.json")
        return 0
    if args.command == "views":
        write_views(json.loads(OUT.read_text("utf-8")))
        return 0
    ap.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
