#!/usr/bin/env python3
"""The real-files corpus, judged: run confgen over every tree of tests/realfiles/ and print a
table (trees, files, entries, false findings today by rule, release detection).

  python tools/corpus/report.py            # the table
  python tools/corpus/report.py --update   # also rewrite each tree's `expected`, `false` and
                                           # `detect` in MANIFEST.toml from today's findings
  python tools/corpus/report.py --unjudged # list findings VERDICTS.toml has no verdict for

Every warning/error is classified by tests/realfiles/VERDICTS.toml, where each verdict says
whether the finding is a real problem of the tool's file (`expected`, with why) or false (the
option is read at that release: the upstream file that says so). A finding no verdict covers
is "unjudged": --update refuses to write until it is judged.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "realfiles"))
import corpus_lib as cl  # noqa: E402

_TYPES = {"nova.conf": "nova.conf", "nova-cpu.conf": "nova.conf", "nova_cell1.conf": "nova.conf",
          "cinder.conf": "cinder.conf", "glance-api.conf": "glance-api.conf",
          "ceph.conf": "ceph.conf"}


def file_type(tree: cl.Tree, relpath: str) -> str:
    for p, ft in tree.extra:
        if p == relpath:
            return ft
    name = Path(relpath).name
    if name.endswith(".keyring"):
        return "keyring"
    return _TYPES.get(name, name)


def _in_range(release: str, spec: str) -> bool:
    from confgen import releases

    if not spec:
        return True
    fam = releases.openstack()
    r = fam.get(release)
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("..")
        a = fam.get(lo) if lo else fam.oldest
        b = fam.get(hi) if hi else (a if not _ else fam.latest)
        if a <= r <= b:
            return True
    return False


def verdicts() -> list[dict]:
    return tomllib.loads(cl.VERDICTS.read_text()).get("verdict", [])


def _matches(spec: str | list[str], value: str) -> bool:
    """A verdict key is one name, "*" or a list of names (one verdict for one cause)."""
    names = spec if isinstance(spec, list) else [spec]
    return "*" in names or value in names


def judge(tree: cl.Tree, seen: cl.Seen, table: list[dict]) -> dict | None:
    ft = file_type(tree, seen.relpath)
    section, option = cl.entry_at(tree.path / seen.relpath, seen.line)
    for v in table:
        if v["rule"] != seen.rule:
            continue
        if not _matches(v.get("file", "*"), ft):
            continue
        if "section" in v and not _matches(v["section"], section):
            continue
        if "option" in v and not _matches(v["option"], option):
            continue
        if "tool" in v and v["tool"] != tree.tool:
            continue
        if "path" in v and v["path"] not in seen.relpath:
            continue
        if "message" in v and v["message"] not in seen.message:
            continue
        if not _in_range(tree.release, v.get("releases", "")):
            continue
        return v
    return None


def classify(tree: cl.Tree, table: list[dict]):
    expected, false, unjudged = {}, {}, []
    for s in cl.findings(tree):
        v = judge(tree, s, table)
        if v is None:
            ft = file_type(tree, s.relpath)
            sec, opt = cl.entry_at(tree.path / s.relpath, s.line)
            unjudged.append((s, ft, sec, opt))
        elif v["verdict"] == "expected":
            expected[s.at] = v["why"]
        else:
            false[s.at] = s.message
    return expected, false, unjudged


def counts(tree: cl.Tree) -> tuple[int, int]:
    files = entries = 0
    for p in sorted(tree.path.rglob("*")):
        if not p.is_file():
            continue
        files += 1
        for line in p.read_text(errors="replace").splitlines():
            s = line.strip()
            if s and not s.startswith(("#", ";", "[")) and "=" in s:
                entries += 1
    return files, entries


# ---- MANIFEST.toml writer (the fixed schema of corpus_lib) ---------------------------------

def _s(v: str) -> str:
    return json.dumps(v, ensure_ascii=False)


def dump_manifest(header: str, items: list[dict]) -> str:
    out = [header.rstrip("\n"), ""]
    for t in items:
        out.append("[[tree]]")
        for k in ("id", "tool", "release", "ceph_release", "layout"):
            if t.get(k):
                out.append(f"{k} = {_s(t[k])}")
        out.append("lint = [" + ", ".join(_s(x) for x in t.get("lint", [])) + "]")
        if t.get("extra"):
            out.append("extra = [" + ", ".join(f"[{_s(a)}, {_s(b)}]" for a, b in t["extra"]) + "]")
        if t.get("keyring_mode"):
            out.append(f"keyring_mode = {_s(t['keyring_mode'])}")
        if t.get("keyring_modes"):
            out.append("keyring_modes = { " + ", ".join(
                f"{_s(k)} = {_s(v)}" for k, v in sorted(t["keyring_modes"].items())) + " }")
        out.append("sources = [")
        out.extend(f"  {_s(x)}," for x in t.get("sources", []))
        out.append("]")
        out.append(f"built = {_s(t.get('built', ''))}")
        if t.get("notes"):
            out.append(f"notes = {_s(t['notes'])}")
        out.append(f"detect = {_s(t.get('detect', ''))}")
        out.append("expected = [")
        out.extend(f"  {{ at = {_s(e['at'])}, why = {_s(e['why'])} }},"
                   for e in t.get("expected", []))
        out.append("]")
        if t.get("missed"):
            out.append("missed = [")
            out.extend(f"  {{ at = {_s(e['at'])}, why = {_s(e['why'])} }},"
                       for e in t["missed"])
            out.append("]")
        out.append("false = [")
        out.extend(f"  {{ at = {_s(e['at'])}, what = {_s(e['what'])} }},"
                   for e in t.get("false", []))
        out.append("]")
        out.append("")
    return "\n".join(out)


MANIFEST_HEADER = """\
# The real-files corpus: one [[tree]] per tool and release (see tests/realfiles/README.md).
# Metadata (tool .. notes) is written by the builders (tools/corpus/build_*.py); `detect`,
# `expected` and `false` by `python tools/corpus/report.py --update`, from today's findings
# and the verdicts of VERDICTS.toml. `false` = what confgen says today that is wrong: the tests
# xfail (strict) on exactly these, so they flip when confgen is fixed. `missed` (by hand) =
# real problems of the tool's files that confgen should report and does not yet.
"""


def load_raw() -> list[dict]:
    if not cl.MANIFEST.exists():
        return []
    return tomllib.loads(cl.MANIFEST.read_text()).get("tree", [])


def save_raw(items: list[dict]) -> None:
    items = sorted(items, key=lambda t: (t["tool"], _order(t["release"]), t["id"]))
    cl.MANIFEST.write_text(dump_manifest(MANIFEST_HEADER, items))
    cl.trees.cache_clear()


def _order(name: str) -> int:
    from confgen import releases

    return releases.openstack().get(name).index


def upsert(meta: dict) -> None:
    """Builders: put one tree's metadata in MANIFEST.toml (findings kept until --update)."""
    items = load_raw()
    old = next((t for t in items if t["id"] == meta["id"]), {})
    new = {**old, **meta}
    items = [t for t in items if t["id"] != meta["id"]] + [new]
    save_raw(items)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--unjudged", action="store_true")
    ap.add_argument("only", nargs="*", help="tree ids or tools (default: all)")
    args = ap.parse_args()
    table = verdicts()
    raw = {t["id"]: t for t in load_raw()}
    rows, unjudged_all = [], []
    by_rule: Counter = Counter()
    for tree in cl.trees():
        if args.only and tree.id not in args.only and tree.tool not in args.only:
            continue
        expected, false, unjudged = classify(tree, table)
        unjudged_all += [(tree, *u) for u in unjudged]
        names, _ = cl.detection(tree)
        det = cl.span(names)
        state = ("exact" if names == [tree.release] else
                 "contains" if tree.release in names else "WRONG")
        files, entries = counts(tree)
        rules = Counter(a.split()[-1] for a in false)
        by_rule.update(rules)
        rows.append((tree.id, files, entries, len(expected), len(false) + len(unjudged),
                     ", ".join(f"{r}:{n}" for r, n in sorted(rules.items())), det, state))
        if args.update:
            t = raw[tree.id]
            t["detect"] = det
            t["expected"] = [{"at": a, "why": w} for a, w in expected.items()]
            t["false"] = [{"at": a, "what": w} for a, w in false.items()]
    w = max((len(r[0]) for r in rows), default=10)
    print(f"{'tree':<{w}} files entries expected false  {'detected':<18} detection  false by rule")
    for r in rows:
        print(f"{r[0]:<{w}} {r[1]:>5} {r[2]:>7} {r[3]:>8} {r[4]:>5}  {r[6]:<18} {r[7]:<10} {r[5]}")
    tot = len(rows)
    exact = sum(1 for r in rows if r[7] == "exact")
    contains = sum(1 for r in rows if r[7] != "WRONG")
    rules = ", ".join(f"{k}:{v}" for k, v in sorted(by_rule.items()))
    print(f"\n{tot} trees, {sum(r[1] for r in rows)} files, {sum(r[2] for r in rows)} entries; "
          f"false findings {sum(r[4] for r in rows)} ({rules}); "
          f"trees with none: {sum(1 for r in rows if r[4] == 0)}; detection exact {exact}/{tot}, "
          f"containing the true release {contains}/{tot}")
    if unjudged_all:
        print(f"\n{len(unjudged_all)} findings have no verdict in VERDICTS.toml:", file=sys.stderr)
        if args.unjudged or args.update:
            for tree, s, ft, sec, opt in unjudged_all:
                print(f"  {tree.id} {s.at} [{ft} {sec}/{opt}] {s.message}", file=sys.stderr)
        if args.update:
            print("not written: judge them first", file=sys.stderr)
            return 1
    if args.update:
        save_raw(list(raw.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
