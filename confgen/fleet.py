"""Lint a fleet: a directory with one subdirectory per host, each host's /etc as
`ansible -m fetch` lays it out (fleet/HOST/etc/nova/nova.conf, or fleet/HOST/nova/nova.conf).

Hosts are linted in worker processes (all cores, chunked) and results come back one host at a
time in host order, so the caller can print and forget them: memory does not grow with the
number of hosts, except for the few key values per host the majority summary needs. Every
output format is one document for the whole fleet (JSON, SARIF) or one stream (text, GitHub
annotations), written as hosts come in; the hosts that disagree with the majority on a value
every host must share are findings of rule CG701 at the line that sets it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from confgen.lint import LAYOUT
from confgen.node import Options
from confgen.rules.base import Finding, Rule

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




def _outlier(_ctx) -> list:
    """In a fleet (`confgen lint FLEET/`, the Ansible fleet_summary), the values every host
    of one cloud must share are compared across hosts: fsid and mon_host (another value talks
    to another cluster), rbd_secret_uuid (a host with another libvirt secret cannot attach
    volumes), and the rbd pools and users of nova, cinder, glance and cinder-backup. A host
    whose value differs from the value most hosts have is reported at the line that sets it,
    with the majority value and how many hosts have it. Each host can be right on its own:
    the finding says it is the odd one out, for a person to decide which side is wrong."""
    return []


OUTLIER = Rule("CG701", "fleet-outlier", "warning",
               "a host sets a value every host must share differently from most hosts", _outlier)
RULES = (OUTLIER,)


@dataclass
class HostResult:
    host: str
    etc: str
    release: str  # as used (given, or detected from the host's files)
    findings: list[Finding] = field(default_factory=list)
    # "file [section] key" -> (value, path, line)
    values: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    files: int = 0
    error: str = ""
    unreadable: bool = False
    diffs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    modes_skipped: bool = False


def key_values(etc: Path) -> dict[str, tuple[str, str, int]]:
    from confgen.drift import normalise
    from confgen.fix import load_group
    from confgen.lint import discover

    out: dict[str, tuple[str, str, int]] = {}
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
                out[f"{ft} [{doc.norm_section(e.section)}] {k}"] = (shown, lf.path, e.line)
    return out


def lint_host(host: str, etc: Path, job: Options) -> HostResult:
    from confgen.errors import ConfgenError
    from confgen.node import check, resolve_release

    res = HostResult(host, str(etc), job.release)
    try:
        if job.release == "auto":
            from dataclasses import replace

            from confgen import releases

            try:  # the host's files, not this machine's packages
                rel, ceph, det = resolve_release(job, [str(etc)], use_packages=False)
                how = det.describe()
            except ConfgenError as exc:
                rel = releases.openstack().releases[-1]
                ceph = releases.ceph_for(job.ceph_release, rel)
                how = str(exc)
            res.release = f"{rel} ({how})"
            job = replace(job, release=rel.name)
        else:
            rel, ceph, _det = resolve_release(job, [str(etc)])
        out = check([str(etc)], job, rel, ceph)
        res.findings, res.files, res.unreadable = out.findings, len(out.files), out.unreadable
        res.diffs, res.notes, res.modes_skipped = out.diffs, out.notes, out.modes_skipped
        res.values = key_values(etc)
    except ConfgenError as exc:
        res.error = str(exc)
    return res


def _work(item: tuple[str, str, Options]) -> HostResult:
    host, etc, job = item
    return lint_host(host, Path(etc), job)


def lint_fleet(root: Path, job: Options, processes: int | None = None,
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
        self.holders: dict[tuple[str, str], list[tuple[str, str, int]]] = {}

    def add(self, host: str, values: dict[str, tuple[str, str, int]]) -> None:
        for k, (v, path, line) in values.items():
            self.counts.setdefault(k, Counter())[v] += 1
            self.holders.setdefault((k, v), []).append((host, path, line))

    def outliers(self) -> list[tuple[str, str, int, str, list[str]]]:
        """(key, majority value, its host count, other value, hosts with it)."""
        out = []
        for k, c in sorted(self.counts.items()):
            if len(c) < 2:
                continue
            (top, n), *rest = c.most_common()
            for v, _m in rest:
                out.append((k, top, n, v, [h for h, _p, _l in self.holders[(k, v)]]))
        return out

    def findings(self) -> list[tuple[str, Finding]]:
        """(host, CG701 finding at the line that sets the odd value) for every outlier."""
        out = []
        for k, top, n, v, _who in self.outliers():
            total = sum(self.counts[k].values())
            for host, path, line in self.holders[(k, v)]:
                out.append((host, OUTLIER.at(
                    path, line, 1, f"{k} is {v!r} on {host}, where {n} of {total} hosts have "
                    f"{top!r}", key=k, value=v, majority=top, majority_hosts=n, host=host)))
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


# -- output ------------------------------------------------------------------------------------
Filter = Callable[[list[Finding]], list[Finding]]


def run_cli(root: Path, job: Options, fmt: str, processes: int | None = None,
            color: bool = False, post: Filter | None = None) -> int:
    """`confgen lint FLEET/`: every host's findings as they come, then the hosts that disagree
    with the majority; `post` (the baseline) filters each host's findings before they count.
    Returns the exit code (0 clean, 1 findings, 2 a host could not be linted)."""
    import click

    from confgen.node import keep

    out = _WRITERS[fmt](click.echo, color)
    maj, worst = Majority(), 0
    for r in lint_fleet(root, job, processes):
        if post is not None:
            r.findings = post(r.findings)
        maj.add(r.host, r.values)
        if r.error or r.unreadable:
            worst = 2
        elif r.findings:
            worst = max(worst, 1)
        for note in r.notes:
            click.echo(f"{r.host}: {note}", err=True)
        out.host(r)
    odd = [(h, f) for h, f in maj.findings() if keep([f], job.select, job.ignore,
                                                      job.min_severity)]
    if post is not None:
        kept = set(post([f for _h, f in odd]))
        odd = [(h, f) for h, f in odd if f in kept]
    if odd:
        worst = max(worst, 1)
    out.end(maj, odd)
    return worst


class _Text:
    def __init__(self, echo, color: bool) -> None:
        self.echo, self.color, self.n = echo, color, 0

    def host(self, r: HostResult) -> None:
        from confgen.report import render, summary

        self.n += 1
        self.echo(f"== {r.host} ({r.release}) ==")
        for d in r.diffs:
            self.echo(d, nl=False)
        if r.error:
            self.echo(f"confgen: error: {r.error}")
            return
        summ = summary(r.findings, [""] * r.files)
        if r.modes_skipped:
            summ["file_modes"] = False
        self.echo(render("text", r.findings, summ, color=self.color), nl=False, color=self.color)

    def end(self, maj: Majority, odd: list[tuple[str, Finding]]) -> None:
        self.echo("")
        if odd or not maj.outliers():
            self.echo(summary_text(maj, self.n), nl=False)
        else:  # outliers exist but CG701 is not selected / is baselined
            self.echo(f"{self.n} hosts; their disagreements (CG701) are in the baseline or not "
                      "selected")


class _Json:
    """One JSON document, written host by host: {"hosts": [...], "disagreements": [...],
    "summary": {...}}."""

    def __init__(self, echo, color: bool) -> None:
        self.echo, self.first = echo, True
        self.counts: Counter = Counter()
        self.echo('{"hosts": [')

    def host(self, r: HostResult) -> None:
        import json

        from confgen.report.json_report import as_dict

        self.counts["hosts"] += 1
        self.counts["failed_hosts"] += bool(r.error or r.unreadable)
        self.counts["files"] += r.files
        for f in r.findings:
            self.counts[f.severity] += 1
        doc = {"host": r.host, "etc": r.etc, "release": r.release, "error": r.error or None,
               "files": r.files, "findings": [as_dict(f) for f in r.findings]}
        if r.diffs:
            doc["diffs"] = r.diffs
        if r.modes_skipped:
            doc["file_modes"] = False
        self.echo(("" if self.first else ",\n") + json.dumps(doc, indent=2, default=str),
                  nl=False)
        self.first = False

    def end(self, maj: Majority, odd: list[tuple[str, Finding]]) -> None:
        import json

        from confgen.report.json_report import as_dict

        rows = [{"key": k, "majority": top, "majority_hosts": c, "value": v, "hosts": who}
                for k, top, c, v, who in maj.outliers()] if odd else []
        for _h, f in odd:
            self.counts[f.severity] += 1
        summ = {"hosts": self.counts["hosts"], "failed_hosts": self.counts["failed_hosts"],
                "files": self.counts["files"],
                "findings": sum(self.counts[s] for s in ("error", "warning", "info")),
                **{s: self.counts[s] for s in ("error", "warning", "info")}}
        self.echo("\n],\n" + f'"disagreements": {json.dumps(rows, indent=2)},\n'
                  f'"outliers": {json.dumps([as_dict(f) for _h, f in odd], indent=2)},\n'
                  f'"summary": {json.dumps(summ, indent=2)}}}')


class _Sarif:
    """One SARIF 2.1.0 log with one run: results carry their host in properties; a host that
    could not be linted is a tool execution notification (and the run is not successful)."""

    def __init__(self, echo, color: bool) -> None:
        from confgen.report.sarif import head

        self.echo, self.first, self.failed = echo, True, []
        self.echo(head())

    def _results(self, findings: list[Finding], host: str) -> None:
        import json

        from confgen.report.sarif import result

        for f in findings:
            res = result(f)
            res["properties"] = {"host": host}
            self.echo(("" if self.first else ",\n") + json.dumps(res, indent=2), nl=False)
            self.first = False

    def host(self, r: HostResult) -> None:
        if r.error:
            self.failed.append((r.host, r.error))
        self._results(r.findings, r.host)

    def end(self, maj: Majority, odd: list[tuple[str, Finding]]) -> None:
        from confgen.report.sarif import tail

        for h, f in odd:
            self._results([f], h)
        self.echo(tail(self.failed))


class _Github:
    def __init__(self, echo, color: bool) -> None:
        self.echo = echo

    def host(self, r: HostResult) -> None:
        from confgen.report.github import annotation, command

        if r.error:
            self.echo(command("error", f"confgen: {r.host}: {r.error}", title="confgen"))
        for f in r.findings:
            self.echo(annotation(f, host=r.host))

    def end(self, maj: Majority, odd: list[tuple[str, Finding]]) -> None:
        from confgen.report.github import annotation

        for h, f in odd:
            self.echo(annotation(f, host=h))


_WRITERS = {"text": _Text, "json": _Json, "sarif": _Sarif, "github": _Github}
