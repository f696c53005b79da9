#!/usr/bin/env python3
"""How exactly can the release of each corpus tree be told from its files? The information
limit of release detection under confgen's data, next to what `--release auto` finds.

  python tools/corpus/detect_limit.py          # a row per tree, then the figures
  python tools/corpus/detect_limit.py --json   # the same as one JSON document

Per tree (the files as `confgen lint -r auto` reads them, no service package installed):
  proven   what detection reports: every release no strong clue excludes (an option that does
           not exist yet, a value or driver the release refuses);
  likely   that range narrowed by stale options (the guess lint uses; proves nothing);
  names    releases in which no option name is "not yet" (names alone, every such clue at
           full weight, no values): the consistent set from option names;
  strict   releases that read every option the files name (none missing, none stale) and
           refuse nothing: what a tool that never writes a stale option would pin down;
  fewest   among the proven releases, those with the fewest options they do not read: the
           best any estimator trusting stale options could do (not a proof);
  twins    other trees whose files give exactly the same clues but target another release:
           no method can tell them apart from these files.
Figures: how many ranges hold the true release, how many are exact, mean width; how many
trees the names, strict and fewest sets pin to exactly their release; and the ceiling on
exact answers that twins leave to any method.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "realfiles"))
sys.path.insert(0, str(ROOT))
import corpus_lib as cl  # noqa: E402

from confgen import detect, releases  # noqa: E402


def _span(names: list[str]) -> str:
    return cl.span(names)


def measure(tree: cl.Tree) -> dict:
    fam = releases.openstack()
    options, refuse = detect.gather([str(tree.path / p) for p in tree.lint])
    det = detect.from_options(options, refuse)
    found = detect.clues(options)
    every = list(fam.releases)
    names = [r for r in every if not any(r in c.not_yet for c in found)]
    strict = [r for r in names if r not in refuse and not any(r in c.unread for c in found)]
    unread = {r: sum(1 for c in found if r in c.unread) for r in det.releases}
    low = min(unread.values()) if unread else 0
    fewest = [r for r in det.releases if unread[r] == low]
    signature = (frozenset(c.shown for c in found),
                 frozenset(r.name for r in refuse))
    return {
        "id": tree.id, "release": tree.release,
        "proven": [r.name for r in det.releases], "likely": [r.name for r in det.likely],
        "names": [r.name for r in names], "strict": [r.name for r in strict],
        "fewest": [r.name for r in fewest], "signature": signature,
    }


def figures(rows: list[dict]) -> dict:
    n = len(rows)
    out: dict = {"trees": n}
    for key in ("proven", "likely", "names", "strict", "fewest"):
        out[key] = {
            "holds": sum(1 for r in rows if r["release"] in r[key]),
            "exact": sum(1 for r in rows if r[key] == [r["release"]]),
            "empty": sum(1 for r in rows if not r[key]),
            "mean_width": round(sum(len(r[key]) for r in rows) / n, 2),
        }
    groups: dict = {}
    for r in rows:
        groups.setdefault(r["signature"], []).append(r)
    twins = {r["id"]: [o["id"] for o in g if o["release"] != r["release"]]
             for g in groups.values() for r in g}
    for r in rows:
        r["twins"] = twins[r["id"]]
    # a method maps one set of clues to one answer: in a group of trees with the same clues,
    # at most those that share one release can be exact
    ceiling = 0
    for g in groups.values():
        counts: dict[str, int] = {}
        for r in g:
            counts[r["release"]] = counts.get(r["release"], 0) + 1
        ceiling += max(counts.values())
    out["twin_trees"] = sum(1 for r in rows if r["twins"])
    out["exact_ceiling_any_method"] = ceiling
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="one JSON document")
    args = ap.parse_args(argv)
    rows = [measure(t) for t in cl.trees()]
    figs = figures(rows)
    if args.json:
        for r in rows:
            r.pop("signature")
        print(json.dumps({"trees": rows, "figures": figs}, indent=1))
        return 0
    w = max(len(r["id"]) for r in rows)
    cols = ("proven", "likely", "names", "strict", "fewest")
    print(f"{'tree':<{w}} {'release':<8} " + " ".join(f"{c:<15}" for c in cols) + " twins")
    for r in rows:
        cells = []
        for c in cols:
            mark = "=" if r[c] == [r["release"]] else ("+" if r["release"] in r[c] else "-")
            cells.append(f"{mark}{_span(r[c]):<14}")
        print(f"{r['id']:<{w}} {r['release']:<8} " + " ".join(cells) + " "
              + ", ".join(r["twins"]))
    print("(= exactly the true release, + holds it, - misses it)")
    print()
    for c in cols:
        f = figs[c]
        print(f"{c:<7} holds the true release {f['holds']}/{figs['trees']}, exact "
              f"{f['exact']}/{figs['trees']}, empty {f['empty']}, mean width {f['mean_width']}")
    print(f"trees with a twin (same clues, another release): {figs['twin_trees']}; so no "
          f"method, sound or not, is exact on more than "
          f"{figs['exact_ceiling_any_method']}/{figs['trees']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
