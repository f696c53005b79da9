"""Benchmark figures for `confgen lint` (prints numbers; not a test).

    .venv/bin/python tools/bench.py [--runs 15] [--hosts 1000] [--release 2024.1]

1. whole-process time to lint one node's four files (median of --runs), next to `python -c pass`
   and `oslo-config-validator` on the same nova.conf (opt data built from confgen's nova matrix,
   since no nova package is installed here; column skipped without the validator);
2. `python -X importtime` top entries of that lint run, and whether Jinja2 was imported;
3. files per second over a generated fleet of --hosts hosts (and the peak RSS of the biggest
   process, for a quarter of the hosts and for all of them: memory must stay flat);
4. one huge nova.conf (up to the 5 MiB input cap) of three shapes, a quarter of the size and
   the full size: whole-process time and peak RSS must grow linearly (skip with --no-big).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent
INTENT = """release = {release}
[ceph]
release = reef
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.1, 10.0.0.2, 10.0.0.3
[nova]
secret_uuid = 5e3a9f2c-1b7d-4c2e-8a9f-0d1e2f3a4b5c
"""


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def render_node(work: Path, release: str) -> Path:
    intent = work / "site.ini"
    intent.write_text(INTENT.format(release=release))
    node = work / "node"
    subprocess.run([PY, "-m", "confgen", "render", "--intent", str(intent), "-o", str(node)],
                   check=True, capture_output=True)
    return node


def opt_data(release: str, out: Path) -> Path:
    """oslo-config-validator --opt-data for nova.conf from confgen's matrix (names only)."""
    sys.path.insert(0, str(ROOT))
    from confgen.matrix import load

    m = load("nova.conf")
    groups: dict[str, dict] = {}
    deprecated: dict[str, list] = {}
    for at in m.at(release):
        for sec in at.era.sections:
            if not sec.startswith("@"):
                groups.setdefault(sec, {"opts": []})["opts"].append(
                    {"name": at.era.name, "default": at.era.default})
        for a in at.era.aliases:
            deprecated.setdefault(a.section, []).append({"name": a.name})
    out.write_text(json.dumps({"options": groups, "deprecated_options": deprecated}))
    return out


def importtime(node: Path, release: str) -> tuple[list[tuple[int, str]], bool]:
    p = subprocess.run([PY, "-X", "importtime", "-m", "confgen", "lint", "-r", release,
                        str(node)], capture_output=True, text=True, check=False)
    rows = []
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), m.group(4)))
    jinja = any(name.split(".")[0] == "jinja2" for _, name in rows)
    return sorted(rows, reverse=True)[:12], jinja


def make_fleet(node: Path, root: Path, n: int) -> None:
    for i in range(n):
        shutil.copytree(node, root / f"host{i:04d}" / "etc")


def fleet_run(root: Path, release: str) -> tuple[float, int]:
    """(seconds, peak RSS in KiB of the largest process) for one fleet lint."""
    code = ("import resource,subprocess,sys;"
            f"subprocess.run([{PY!r},'-m','confgen','lint','-r',{release!r},{str(root)!r}],"
            "stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    t = time.perf_counter()
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return time.perf_counter() - t, int(out.stdout.strip() or 0)


BIG = {  # shape -> nova.conf text for n lines
    "1M x 'a=1' (one key repeated)": lambda n: "[DEFAULT]\n" + "a=1\n" * n,
    "40k sections": lambda n: "".join(f"[s{i}]\na=1\n" for i in range(n // 2)),
    "500k distinct keys": lambda n: "[DEFAULT]\n" + "".join(f"k{i}=1\n" for i in range(n)),
}
BIG_LINES = {"1M x 'a=1' (one key repeated)": 1_000_000, "40k sections": 80_000,
             "500k distinct keys": 500_000}


def big_run(path: Path, release: str) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one whole-process `confgen lint` of `path`."""
    code = ("import resource,subprocess,sys;"
            f"subprocess.run([{PY!r},'-m','confgen','lint','-r',{release!r},{str(path)!r}],"
            "stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    t = time.perf_counter()
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return time.perf_counter() - t, int(out.stdout.strip() or 0)


def big_files(work: Path, release: str) -> None:
    print("\n4. one huge nova.conf: whole-process lint time and peak RSS, 1/4 size vs full")
    for shape, make in BIG.items():
        row = []
        for frac in (4, 1):
            d = work / "big" / f"{len(row)}"
            (d / "nova").mkdir(parents=True)
            text = make(BIG_LINES[shape] // frac)
            (d / "nova" / "nova.conf").write_text(text)
            secs, rss = big_run(d, release)
            row.append((len(text), secs, rss))
            shutil.rmtree(d)
        (b1, s1, r1), (b2, s2, r2) = row
        print(f"   {shape:32s} {b1 / 2**20:4.1f} MiB {s1:6.1f} s {r1 / 1024:6.0f} MiB RSS | "
              f"{b2 / 2**20:4.1f} MiB {s2:6.1f} s {r2 / 1024:6.0f} MiB RSS | time x{s2 / s1:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-big", action="store_true", help="skip the huge single files (4.)")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--release", default="2024.1")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        node = render_node(work, args.release)
        files = sorted(str(p.relative_to(node)) for p in node.rglob("*.conf"))
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"node: {', '.join(files)} (rendered for {args.release})\n")
        print(f"1. whole-process time, median of {args.runs} runs")
        base = timed([PY, "-c", "pass"], args.runs)
        lint = timed([PY, "-m", "confgen", "lint", "-r", args.release, str(node)], args.runs)
        print(f"   python -c pass                      {base * 1000:7.1f} ms")
        print(f"   confgen lint (4 files)              {lint * 1000:7.1f} ms")
        validator = Path(PY).with_name("oslo-config-validator")
        if validator.exists():
            data = opt_data(args.release, work / "nova-opts.json")
            cmd = [str(validator), "--opt-data", str(data), "--input-file",
                   str(node / "nova" / "nova.conf")]
            val = timed(cmd, args.runs)
            print(f"   oslo-config-validator (nova.conf)   {val * 1000:7.1f} ms")
        else:
            print("   oslo-config-validator: not installed (column skipped)")
        # the real thing, where the integration suite left a venv with this release's nova
        from confgen import releases

        major = releases.get(args.release).versions.get("nova", "")
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        real = sorted((cache / "confgen" / "validators").glob(f"nova-{major}-*/bin/"
                                                              "oslo-config-validator"))
        if real:
            cmd = [str(real[0]), "--namespace", "nova.conf", "--input-file",
                   str(node / "nova" / "nova.conf")]
            val = timed(cmd, max(3, args.runs // 3))
            print(f"   oslo-config-validator, real nova {major} {val * 1000:7.1f} ms"
                  "  (loads nova's own option modules)")
        top, jinja = importtime(node, args.release)
        print("\n2. python -X importtime -m confgen lint: top cumulative imports (us)")
        for us, name in top:
            print(f"   {us:8d}  {name}")
        print(f"   jinja2 imported by lint: {'YES (bad)' if jinja else 'no'}")
        print(f"\n3. fleet of {args.hosts} hosts ({len(files)} files each), "
              f"{os.cpu_count()} worker processes")
        quarter = work / "fleet-quarter"
        make_fleet(node, quarter, max(args.hosts // 4, 1))
        q_secs, q_rss = fleet_run(quarter, args.release)
        shutil.rmtree(quarter)
        full = work / "fleet"
        make_fleet(node, full, args.hosts)
        secs, rss = fleet_run(full, args.release)
        nfiles = args.hosts * len(files)
        print(f"   {args.hosts // 4:5d} hosts: {q_secs:6.2f} s, peak RSS {q_rss / 1024:6.1f} MiB")
        print(f"   {args.hosts:5d} hosts: {secs:6.2f} s, peak RSS {rss / 1024:6.1f} MiB, "
              f"{nfiles / secs:7.0f} files/s")
        shutil.rmtree(full)
        if not args.no_big:
            big_files(work, args.release)


if __name__ == "__main__":
    main()
