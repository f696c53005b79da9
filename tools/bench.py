"""Benchmark figures for confgen (prints numbers and the goals of issue 13; not a test).

    .venv/bin/python tools/bench.py                    # everything (about 10 minutes)
    .venv/bin/python tools/bench.py --quick            # fewer runs, memory at 1k and 10k hosts
    .venv/bin/python tools/bench.py --source DIR --json before.json   # another checkout
    .venv/bin/python tools/bench.py --compare before.json             # before/after table

What is measured is the INSTALLED package: a wheel built from --source (default: this
checkout), installed into a scratch virtualenv, every module compiled to bytecode with
`python -m compileall` (this environment may set PYTHONDONTWRITEBYTECODE=1, which would
otherwise leave an installed package compiling its modules on every start). Whole-process
runs alternate with `python -c pass` of the same interpreter (A B A B ...), and every figure
is printed as min / median / max; ratios are taken pair by pair.

1. lint of a small node: the four files `confgen render --release 2025.1` writes;
2. lint of a realistic complete node: four files, about 500 entries, built from the
   real-files corpus (tests/realfiles: kolla-ansible 2025.1 all-in-one, each file the union
   of its containers' files) plus production settings (tools/bench_supplement/);
3. a fleet of realistic hosts (copies of that node, each with its own host name and
   address), worker processes on every core: files per second and the cores kept busy;
4. fleet memory at 1k, 10k and 100k hosts: peak RSS of the whole process tree (the sum over
   the confgen process and its workers, sampled) and of its largest process;
5. render of every release (27) x every file, in-process, warm (the second pass);
6. with --big: one huge nova.conf (up to the 5 MiB input cap) of three shapes, a quarter of the
   size and the full size: whole-process time and peak RSS must grow linearly.
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = "2025.1"
CORPUS = ROOT / "tests" / "realfiles" / "kolla-ansible" / "2025.1" / "etc" / "kolla"
LAYOUT = {"nova.conf": "nova/nova.conf", "cinder.conf": "cinder/cinder.conf",
          "glance-api.conf": "glance/glance-api.conf", "ceph.conf": "ceph/ceph.conf"}
# (what, goal, how a figure meets it): ratios to `python -c pass`, files/s, growth, seconds
GOALS = {
    "small": ("lint small node / python -c pass", "<= 1.5x", lambda v: v <= 1.5),
    "complete": ("lint complete node / python -c pass", "<= 2.0x", lambda v: v <= 2.0),
    "fleet": ("fleet files/s (2 cores)", ">= 2000", lambda v: v >= 2000),
    "busy": ("fleet cores busy", ">= 1.8 of 2", lambda v: v >= 1.8),
    "memory": ("fleet memory growth 1k -> max hosts", "flat (<= 10%)", lambda v: v <= 0.10),
    "render": ("render 27 releases x files, warm", "< 0.1 s", lambda v: v < 0.1),
}

# Production settings an operator adds to what kolla-ansible writes: tools/bench_supplement/
SUPPLEMENT = Path(__file__).resolve().parent / "bench_supplement"


# -- the files ---------------------------------------------------------------------------------
def _sections(text: str) -> dict[str, dict[str, str]]:
    """INI text -> {section: {key: the option's line(s)}} in order (first one kept)."""
    out: dict[str, dict[str, str]] = {}
    cur: dict[str, str] | None = None
    last = None
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if line[0] in " \t" and cur is not None and last is not None:
            cur[last] += "\n" + line  # continuation
        elif s.startswith("[") and s.endswith("]"):
            cur = out.setdefault(s[1:-1], {})
        elif cur is not None:
            last = re.split(r"\s*[=:]", s, maxsplit=1)[0]
            cur.setdefault(last, line)
    return out


def complete_node(dest: Path) -> int:
    """Write the realistic complete node under dest (an /etc); returns its entry count."""
    if not CORPUS.is_dir():
        sys.exit(f"bench: {CORPUS} is missing (the real-files corpus); cannot build the node")
    total = 0
    for ft, rel in LAYOUT.items():
        merged: dict[str, dict[str, str]] = {}
        for f in sorted(CORPUS.glob(f"*/{ft}")):
            for sec, keys in _sections(f.read_text()).items():
                for k, line in keys.items():
                    merged.setdefault(sec, {}).setdefault(k, line)
        for sec, keys in _sections((SUPPLEMENT / ft).read_text()).items():
            for k, line in keys.items():
                merged.setdefault(sec, {}).setdefault(k, line)
        if ft == "cinder.conf":  # the second backend of the supplement is enabled too
            eb = merged["DEFAULT"].get("enabled_backends")
            if eb and "rbd-2" not in eb:
                merged["DEFAULT"]["enabled_backends"] = eb.rstrip() + ",rbd-2"
        lines = [f"# realistic complete node for tools/bench.py: kolla-ansible 2025.1 "
                 f"all-in-one ({ft} of every container) + production settings"]
        for sec, keys in merged.items():
            lines += ["", f"[{sec}]", *keys.values()]
            total += len(keys)
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
    return total


def host_variant(node: Path, dest: Path, i: int) -> None:
    """A copy of node for host i: its own host name and address."""
    for rel in LAYOUT.values():
        text = (node / rel).read_text()
        text = text.replace("compute-01", f"compute-{i:05d}").replace(
            "10.0.0.10", f"10.{1 + i // 65536 % 200}.{i // 256 % 256}.{i % 256}")
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text)


def make_fleet(node: Path, root: Path, n: int, distinct: int | None = None) -> int:
    """n hosts under root (root/HOSTNAME/etc/...); with `distinct`, hosts cycle through that many
    different variants as hard links (a 100k-host fleet without 2 GB of copies). Host 3 has
    another rbd_secret_uuid (one outlier, as real fleets have)."""
    variants = root / ".variants"
    count = distinct or n
    for v in range(min(count, n)):
        host_variant(node, variants / str(v), v)
    odd = variants / "3" / LAYOUT["nova.conf"]
    if odd.exists():
        odd.write_text(re.sub(r"(?m)^rbd_secret_uuid = .*$",
                              "rbd_secret_uuid = 11111111-2222-3333-4444-555555555555",
                              odd.read_text()))
    for i in range(n):
        src = variants / str(i % count)
        etc = root / f"host{i:06d}" / "etc"
        for rel in LAYOUT.values():
            (etc / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(src / rel, etc / rel)
    shutil.rmtree(variants)
    return n * len(LAYOUT)


# -- the installed package ----------------------------------------------------------------------
def install(source: Path, work: Path) -> tuple[Path, str]:
    """Build a wheel from source, install it into a scratch venv, compile its bytecode."""
    wheels, src = work / "wheels", work / "src"
    # a copy: building in place would leave build/ and *.egg-info in the checkout
    shutil.copytree(source, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "out"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--disable-pip-version-check", "-w", str(wheels), str(src)], check=True,
                   stderr=subprocess.DEVNULL)
    wheel = next(wheels.glob("confgen-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True, stderr=subprocess.DEVNULL)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    purelib = Path(site.stdout.strip())
    subprocess.run([str(py), "-m", "compileall", "-q", "-j", "0", str(purelib)], check=True)
    pkg = purelib / "confgen"
    sources = [p for p in pkg.rglob("*.py") if "ansible_collections" not in p.parts]
    compiled = [p for p in sources
                if list((p.parent / "__pycache__").glob(f"{p.stem}.cpython-*.pyc"))]
    info = (f"wheel {wheel.name} ({wheel.stat().st_size // 1024} KiB) installed in a scratch venv; "
            f"bytecode compiled with compileall: {len(compiled)} of {len(sources)} confgen "
            f"modules have a .pyc (PYTHONDONTWRITEBYTECODE="
            f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r} here)")
    return py, info


# -- whole-process timing -----------------------------------------------------------------------
def run(cmd: list[str], cwd: Path) -> tuple[float, int, float, int]:
    """(wall seconds, exit code, user+sys seconds, peak RSS KiB) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, p.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def side_by_side(cmd: list[str], base: list[str], runs: int, cwd: Path) -> dict:
    """cmd and base alternately (one warm-up each); times and pairwise ratios."""
    run(cmd, cwd), run(base, cwd)
    a, b, ca, cb, codes = [], [], [], [], set()
    for _ in range(runs):
        wall, code, cpu, _rss = run(cmd, cwd)
        a.append(wall)
        ca.append(cpu)
        codes.add(code)
        wall, _code, cpu, _rss = run(base, cwd)
        b.append(wall)
        cb.append(cpu)
    return {"a": a, "b": b, "ratio": [x / y for x, y in zip(a, b, strict=True)],
            "cpu_a": ca, "cpu_b": cb, "codes": sorted(codes)}


def mmm(values: list[float], scale: float = 1.0, fmt: str = "{:.1f}") -> str:
    return " / ".join(fmt.format(v * scale) for v in (min(values), statistics.median(values),
                                                      max(values)))


# -- fleet --------------------------------------------------------------------------------------
def _tree_rss_kib(root_pid: int) -> int:
    """Sum of RSS over root_pid and all its descendants (from /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") // 1024
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                stat = fh.read()
            with open(f"/proc/{d}/statm") as fh:
                rss[int(d)] = int(fh.read().split()[1]) * page
        except OSError:
            continue
        parent[int(d)] = int(stat[stat.rindex(")") + 2:].split()[1])
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(c for c, pp in parent.items() if pp == pid)
    return total


def fleet_run(py: Path, root: Path, cwd: Path) -> dict:
    """One `confgen lint FLEET`: wall, CPU of the tree, peak RSS (tree sum, largest process)."""
    cmd = [str(py.parent / "confgen"), "lint", "-r", RELEASE, "--ceph-release", "auto",
           str(root)]
    peak = [0]
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(p.pid))
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    done.set()
    th.join()
    # the workers are the confgen process's children: their CPU is in ru only if reaped by it
    return {"wall": wall, "code": os.waitstatus_to_exitcode(status),
            "cpu": ru.ru_utime + ru.ru_stime, "tree_rss": peak[0], "max_rss": ru.ru_maxrss}


def fleet_cpu(py: Path, root: Path, cwd: Path) -> dict:
    """fleet_run, with the CPU of the whole tree (workers included) from a wrapper process."""
    code = ("import os,resource,subprocess,sys,time;t=time.perf_counter();"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "w=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(w,r.ru_utime+r.ru_stime)")
    cmd = [str(py.parent / "confgen"), "lint", "-r", RELEASE, "--ceph-release", "auto",
           str(root)]
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, capture_output=True,
                         text=True, check=True)
    wall, cpu = map(float, out.stdout.split())
    return {"wall": wall, "cpu": cpu}


# -- render -------------------------------------------------------------------------------------
RENDER = """
import statistics, sys, time
from confgen import intent, releases
from confgen.render.files import render

base = intent.read(None)
rels = releases.openstack().releases
def once():
    n = 0
    for r in rels:
        n += len(render(base.retarget(r, None)))
    return n
n = once()  # cold: imports, data, templates
times = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    once()
    times.append(time.perf_counter() - t)
print(len(rels), n, " ".join(map(str, times)))
"""


def render_warm(py: Path, cwd: Path, runs: int) -> dict:
    out = subprocess.run([str(py), "-c", RENDER, str(runs)], cwd=cwd, capture_output=True,
                         text=True, check=True)
    nrel, nfiles, *times = out.stdout.split()
    return {"releases": int(nrel), "files": int(nfiles), "times": [float(t) for t in times]}


def importtime(py: Path, node: Path, cwd: Path) -> tuple[list[tuple[int, str]], int, bool]:
    p = subprocess.run([str(py), "-X", "importtime", "-c",
                        "import sys; sys.argv=['confgen','lint','-r','2025.1',sys.argv[1]];"
                        "from confgen.entry import main; main()", str(node)],
                       capture_output=True, text=True, check=False, cwd=cwd)
    rows = []
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), m.group(4)))
    top = [r for r in rows if not r[1].startswith(" ")]
    heavy = any(n.split(".")[0] in ("jinja2", "click", "dataclasses", "inspect", "tomllib")
                for _, n in rows)
    return sorted(top, reverse=True)[:8], len(rows), heavy


# -- huge single files (robustness, not a goal of issue 13) --------------------------------------
BIG = {  # shape -> nova.conf text for n lines
    "1M x 'a=1' (one key repeated)": lambda n: "[DEFAULT]\n" + "a=1\n" * n,
    "40k sections": lambda n: "".join(f"[s{i}]\na=1\n" for i in range(n // 2)),
    "500k distinct keys": lambda n: "[DEFAULT]\n" + "".join(f"k{i}=1\n" for i in range(n)),
}
BIG_LINES = {"1M x 'a=1' (one key repeated)": 1_000_000, "40k sections": 80_000,
             "500k distinct keys": 500_000}


def big_files(py: Path, work: Path, cwd: Path) -> None:
    print("\n6. one huge nova.conf: whole-process lint time and peak RSS, 1/4 size vs full")
    for shape, make in BIG.items():
        row = []
        for frac in (4, 1):
            d = work / "big" / f"{len(row)}"
            (d / "nova").mkdir(parents=True)
            text = make(BIG_LINES[shape] // frac)
            (d / "nova" / "nova.conf").write_text(text)
            secs, _code, _cpu, rss = run([str(py.parent / "confgen"), "lint", "-r", RELEASE,
                                          str(d)], cwd)
            row.append((len(text), secs, rss))
            shutil.rmtree(d)
        (b1, s1, r1), (b2, s2, r2) = row
        print(f"     {shape:32s} {b1 / 2**20:4.1f} MiB {s1:6.1f} s {r1 / 1024:6.0f} MiB RSS | "
              f"{b2 / 2**20:4.1f} MiB {s2:6.1f} s {r2 / 1024:6.0f} MiB RSS | time x{s2 / s1:.1f}")


# -- report -------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=ROOT,
                    help="checkout to build the wheel from (default: this one)")
    ap.add_argument("--runs", type=int, default=21, help="pairs of whole-process runs")
    ap.add_argument("--hosts", type=int, default=1000, help="hosts of the throughput fleet")
    ap.add_argument("--memory", default="1000,10000,100000",
                    help="host counts of the memory runs (comma-separated; '' skips)")
    ap.add_argument("--quick", action="store_true",
                    help="9 pairs, memory at 1000,10000 hosts, 3 render passes")
    ap.add_argument("--big", action="store_true", help="also lint huge single files (6.)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--compare", type=Path, help="figures of an earlier run (--json) to show "
                    "as 'before'")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.memory = min(args.runs, 9), "1000,10000"
    counts = [int(x) for x in args.memory.split(",") if x.strip()]
    res: dict = {"source": str(args.source)}
    before = json.loads(args.compare.read_text()) if args.compare else None
    with tempfile.TemporaryDirectory(prefix="confgen-bench-") as tmp:
        work = Path(tmp)
        cwd = work / "cwd"  # no confgen.ini above it
        cwd.mkdir()
        py, info = install(args.source.resolve(), work)
        confgen = str(py.parent / "confgen")
        base = [str(py), "-c", "pass"]
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work shares the cores)")
        print(f"package: {info}")
        small = work / "small"
        subprocess.run([confgen, "render", "--release", RELEASE, "-o", str(small)], cwd=cwd,
                       check=True, capture_output=True)
        node = work / "complete"
        n_entries = complete_node(node)
        n_small = sum(len(re.findall(r"(?m)^[^#;\[\s].*=", (small / r).read_text()))
                      for r in LAYOUT.values())
        print(f"small node: render --release {RELEASE} ({n_small} entries in 4 files); "
              f"complete node: {n_entries} entries in 4 files\n")

        print(f"1-2. whole-process lint vs `python -c pass` ({args.runs} pairs, alternating), "
              "ms min / median / max")
        print(f"     commands: {Path(confgen).name} lint -r {RELEASE} --ceph-release auto NODE; "
              "python -c pass")
        for key, where in (("small", small), ("complete", node)):
            r = side_by_side([confgen, "lint", "-r", RELEASE, "--ceph-release", "auto",
                              str(where)], base, args.runs, cwd)
            res[key] = statistics.median(r["ratio"])
            res[key + "_ms"] = statistics.median(r["a"]) * 1000
            res["python_ms"] = statistics.median(r["b"]) * 1000
            print(f"     {key:9s} lint {mmm(r['a'], 1000):>22s}   python -c pass "
                  f"{mmm(r['b'], 1000):>20s}   ratio {mmm(r['ratio'], 1, '{:.2f}')}  "
                  f"(exit {','.join(map(str, r['codes']))})")
            cpu = statistics.median(r["cpu_a"]) / max(statistics.median(r["cpu_b"]), 1e-4)
            res[key + "_cpu"] = cpu
            print(f"     {'':9s} CPU (user+sys) ms: lint {mmm(r['cpu_a'], 1000)}, python -c pass "
                  f"{mmm(r['cpu_b'], 1000)}; ratio of medians {cpu:.2f} (steadier under load)")
        top, nmods, heavy = importtime(py, small, cwd)
        print(f"     imports of a small lint: {nmods} modules; click/dataclasses/inspect/"
              f"tomllib/jinja2 among them: {'yes' if heavy else 'no'}; top cumulative (us): "
              + ", ".join(f"{n} {us}" for us, n in top[:5]))

        print(f"\n3. fleet of {args.hosts} realistic hosts ({n_entries} entries each), "
              f"{os.cpu_count()} cores")
        fl = work / "fleet"
        nfiles = make_fleet(node, fl, args.hosts)
        runs = [fleet_cpu(py, fl, cwd) for _ in range(3)]
        rates = [nfiles / r["wall"] for r in runs]
        busy = [r["cpu"] / r["wall"] for r in runs]
        res["fleet"], res["busy"] = statistics.median(rates), statistics.median(busy)
        # CPU per host of the whole tree (parent, workers, start-up): steadier than files/s
        # when other work shares the cores
        per_host = [r["cpu"] / args.hosts for r in runs]
        res["fleet_cpu_ms"] = statistics.median(per_host) * 1000
        print(f"     files/s {mmm(rates, 1, '{:.0f}')}; cores busy (CPU s / wall s) "
              f"{mmm(busy, 1, '{:.2f}')}; wall s {mmm([r['wall'] for r in runs], 1, '{:.2f}')}; "
              f"CPU ms a host {mmm(per_host, 1000, '{:.2f}')}")
        shutil.rmtree(fl)

        if counts:
            print("\n4. fleet memory: peak RSS of the whole process tree (sum) and of its "
                  "largest process, MiB")
            mem = {}
            for n in counts:
                fl = work / f"fleet-{n}"
                nf = make_fleet(node, fl, n, distinct=min(n, 64))
                r = fleet_run(py, fl, cwd)
                mem[n] = r["tree_rss"]
                print(f"     {n:7d} hosts: tree {r['tree_rss'] / 1024:7.1f}, largest process "
                      f"{r['max_rss'] / 1024:6.1f}; {nf / r['wall']:6.0f} files/s "
                      f"(exit {r['code']})")
                shutil.rmtree(fl)
            first, last = mem[counts[0]], mem[counts[-1]]
            res["memory"] = (last - first) / first
            res["memory_hosts"] = counts
            print(f"     growth {counts[0]} -> {counts[-1]} hosts: {res['memory'] * 100:+.1f}%")

        rr = render_warm(py, cwd, 3 if args.quick else 7)
        res["render"] = statistics.median(rr["times"])
        print(f"\n5. render {rr['releases']} releases ({rr['files']} files), in-process, warm: "
              f"s {mmm(rr['times'], 1, '{:.3f}')}")
        if args.big:
            big_files(py, work, cwd)

    print("\ngoal                                       " + ("before     " if before else "")
          + "now        goal           met?")
    for key, (what, goal, ok) in GOALS.items():
        if key not in res:
            continue
        v = res[key]
        shown = _shown(key, v)
        was = _shown(key, before[key]) if before and key in before else ""
        print(f"{what:42s} " + (f"{was:10s} " if before else "") + f"{shown:10s} {goal:14s} "
              f"{'yes' if ok(v) else 'NO'}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")


def _shown(key: str, v: float) -> str:
    if key in ("small", "complete"):
        return f"{v:.2f}x"
    if key == "fleet":
        return f"{v:.0f}"
    if key == "busy":
        return f"{v:.2f}"
    if key == "memory":
        return f"{v * 100:+.1f}%"
    return f"{v:.3f} s"


if __name__ == "__main__":
    main()
