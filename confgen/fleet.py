"""Lint a fleet: a directory with one subdirectory per host, each host's /etc as
`ansible -m fetch` lays it out (fleet/HOST/etc/nova/nova.conf, or fleet/HOST/nova/nova.conf).

Hosts are linted in worker processes (all cores, chunked) and results come back one host at a
time in host order, so the caller can print and forget them: memory does not grow with the
number of hosts, except for the few key values per host the majority summary needs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from confgen.lint import LAYOUT

# values every host of one cloud must agree on (one host with another rbd_secret_uuid cannot
# attach volumes; another fsid or mon_host talks to another cluster)
KEY_VALUES = {"fsid", "mon_host", "rbd_secret_uuid", "rbd_user", "rbd_pool", "images_rbd_pool",
              "rbd_store_pool", "rbd_store_user", "backup_ceph_pool", "backup_ceph_user"}


def etc_of(host_dir: Path) -> Path | None:
    """The /etc-like directory of one fetched host, or None when it holds no config file."""
    for cand in (host_dir / "etc", host_dir):
        if any(os.path.lexists(cand / rel) or os.path.lexists(cand / ft)
               for ft, rel in LAYOUT.items()):
            return cand
    return None


def hosts(root: Path) -> list[tuple[str, Path]]:
    """(host, its /etc) for every subdirectory that looks like a fetched host, sorted."""
    out = []
    try:
        subdirs = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return []
    for d in subdirs:
        etc = etc_of(d)
        if etc is not None:
            out.append((d.name, etc))
    return out


def is_fleet(path: Path) -> bool:
    return path.is_dir() and etc_of(path) is None and bool(hosts(path))


@dataclass
class HostResult:
    host: str
    etc: str
    release: str  # as used (given, or detected from the host's files)
    findings: list = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # "file [section] key" -> value
    files: int = 0
    error: str = ""
    unreadable: bool = False  # a file of the host could not be read (exit 2)


@dataclass(frozen=True)
class Job:
    release: str  # a release name, or "auto"
    ceph_release: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str = "info"


def key_values(etc: Path) -> dict[str, str]:
    from confgen.drift import normalise
    from confgen.fix import load_group
    from confgen.lint import discover

    out: dict[str, str] = {}
    for group in discover([str(etc)]):
        files, _ = load_group(group, [])
        for ft, lf in files.items():
            doc = lf.doc
            for e in doc.entries:
                k = doc.norm_key(e.key)
                if e.section is None or k not in KEY_VALUES:
                    continue
                v = normalise(e.value, "uuid" if k.endswith("uuid") else "str", k)
                shown = ",".join(sorted(v)) if isinstance(v, frozenset) else str(v)
                out[f"{ft} [{doc.norm_section(e.section)}] {k}"] = shown
    return out


def lint_host(host: str, etc: Path, job: Job) -> HostResult:
    from confgen import releases
    from confgen.errors import ConfgenError
    from confgen.lint import lint

    res = HostResult(host, str(etc), job.release)
    try:
        if job.release == "auto":
            from confgen.detect import from_paths

            det = from_paths([str(etc)], use_packages=False)  # not this machine's packages
            rel = det.best or releases.openstack().releases[-1]
            res.release = f"{rel} ({det.describe()})"
        else:
            rel = releases.openstack().get(job.release)
        ceph = releases.ceph_for(job.ceph_release, rel)
        r = lint([str(etc)], rel, ceph, select=list(job.select) or None,
                 ignore=list(job.ignore), min_severity=job.min_severity)
        res.findings, res.files, res.unreadable = r.findings, len(r.files), r.unreadable
        res.values = key_values(etc)
    except ConfgenError as exc:
        res.error = str(exc)
    return res


def _work(item: tuple[str, str, Job]) -> HostResult:
    host, etc, job = item
    return lint_host(host, Path(etc), job)


def lint_fleet(root: Path, job: Job, processes: int | None = None,
               chunksize: int = 8) -> Iterator[HostResult]:
    """Host results in host order, computed by a pool of worker processes."""
    items = ((h, str(e), job) for h, e in hosts(root))
    procs = processes or os.cpu_count() or 1
    if procs == 1:
        yield from map(_work, items)
        return
    from multiprocessing import get_context

    # fork: workers inherit the loaded modules (no re-import per worker); imap streams
    with get_context("fork").Pool(procs) as pool:
        yield from pool.imap(_work, items, chunksize=chunksize)


class Majority:
    """Counts of each key value over hosts; which hosts disagree with the most common one."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {}
        self.holders: dict[tuple[str, str], list[str]] = {}

    def add(self, host: str, values: dict[str, str]) -> None:
        for k, v in values.items():
            self.counts.setdefault(k, Counter())[v] += 1
            self.holders.setdefault((k, v), []).append(host)

    def outliers(self) -> list[tuple[str, str, int, str, list[str]]]:
        """(key, majority value, its host count, other value, hosts with it)."""
        out = []
        for k, c in sorted(self.counts.items()):
            if len(c) < 2:
                continue
            (top, n), *rest = c.most_common()
            for v, _m in rest:
                out.append((k, top, n, v, self.holders[(k, v)]))
        return out


def summary_text(maj: Majority, nhosts: int) -> str:
    rows = maj.outliers()
    if not rows:
        return f"all {nhosts} hosts agree on {', '.join(sorted(KEY_VALUES))} (where set)\n"
    lines = [f"hosts that disagree with the majority ({nhosts} hosts):"]
    for key, top, n, other, who in rows:
        shown = ", ".join(who[:10]) + (f" and {len(who) - 10} more" if len(who) > 10 else "")
        lines.append(f"  {key}: {len(who)} host(s) have {other!r} where {n} have {top!r}: "
                     f"{shown}")
    return "\n".join(lines) + "\n"


def run_cli(root: Path, job: Job, fmt: str, processes: int | None = None) -> int:
    """`confgen lint FLEET/`: findings per host as they come, then the majority summary.
    Returns the exit code (0 clean, 1 findings, 2 a host could not be linted)."""
    import json

    import click

    from confgen.report import render, summary

    maj, n, worst = Majority(), 0, 0
    for r in lint_fleet(root, job, processes):
        n += 1
        maj.add(r.host, r.values)
        if r.error or r.unreadable:
            worst = 2
        elif r.findings:
            worst = max(worst, 1)
        if fmt == "json":
            click.echo(json.dumps({
                "host": r.host, "etc": r.etc, "release": r.release, "error": r.error or None,
                "findings": [{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule,
                              "severity": f.severity, "message": f.message}
                             for f in r.findings]}))
            continue
        click.echo(f"== {r.host} ({r.release}) ==")
        if r.error:
            click.echo(f"confgen: error: {r.error}")
            continue
        click.echo(render("text", r.findings, summary(r.findings, [""] * r.files)), nl=False)
    if fmt == "json":
        rows = [{"key": k, "majority": top, "majority_hosts": c, "value": v, "hosts": who}
                for k, top, c, v, who in maj.outliers()]
        click.echo(json.dumps({"hosts": n, "disagreements": rows}))
    else:
        click.echo("")
        click.echo(summary_text(maj, n), nl=False)
    if maj.outliers():
        worst = max(worst, 1)
    return worst
