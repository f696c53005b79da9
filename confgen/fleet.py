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
from pathlib import Path

from confgen import mask
from confgen.node import Options
from confgen.record import dataclass, field
from confgen.rules.base import Finding, Rule

# values every host of one cloud must agree on (one host with another rbd_secret_uuid cannot
# attach volumes; another fsid or mon_host talks to another cluster)
KEY_VALUES = {"fsid", "mon_host", "rbd_secret_uuid", "rbd_user", "rbd_pool", "images_rbd_pool",
              "rbd_store_pool", "rbd_store_user", "backup_ceph_pool", "backup_ceph_user"}


def etc_of(host_dir: Path) -> Path | None:
    """The /etc-like directory of one fetched host, or None when it holds no config file."""
    from confgen.layouts import holds_config, kolla_containers

    for cand in (host_dir / "etc", host_dir):
        if holds_config(cand):
            return cand
        if kolla_containers(cand / "kolla"):  # a kolla-ansible node: HOST/etc/kolla/<container>
            return cand
    return None


def host_names(root: Path) -> Iterator[str]:
    """Names of root's subdirectories, sorted (the order hosts are reported in). Only names:
    whether each one is a host is decided by the worker that lints it.

    A fleet of 100,000 hosts has 100,000 names: they are kept as a few long strings (runs of
    sorted names, NUL-separated: no file name holds a NUL) and merged as they are handed out,
    not as one Python string object per host (about 70 bytes each, ~7 MB more at 100k)."""
    runs: list[str] = []
    run: list[str] = []
    try:
        with os.scandir(root) as it:
            for e in it:
                if e.is_dir():
                    run.append(e.name)
                    if len(run) >= _RUN:
                        runs.append("\0".join(sorted(run)))
                        run = []
    except OSError:
        return iter(())
    if run:
        runs.append("\0".join(sorted(run)))
    if len(runs) == 1:
        return _split(runs[0])
    import heapq

    return heapq.merge(*map(_split, runs))


_RUN = 4096  # names sorted per run (the only names held as separate objects at a time)


def _split(run: str) -> Iterator[str]:
    """The NUL-separated names of one run, one at a time."""
    start = 0
    while True:
        end = run.find("\0", start)
        if end < 0:
            yield run[start:]
            return
        yield run[start:end]
        start = end + 1


def hosts(root: Path) -> list[tuple[str, Path]]:
    """(host, its /etc) for every subdirectory that looks like a fetched host, sorted."""
    return [(n, etc) for n in host_names(root) if (etc := etc_of(root / n)) is not None]


def is_fleet(path: Path) -> bool:
    """A directory that is no host itself and holds at least one host (stops at the first)."""
    from confgen.layouts import is_kolla

    if not path.is_dir() or etc_of(path) is not None:
        return False
    # kolla-ansible's /etc/kolla/<container>/ is one node's containers, not hosts
    if is_kolla(path):
        return False
    try:
        with os.scandir(path) as it:
            return any(e.is_dir() and etc_of(Path(e.path)) is not None for e in it)
    except OSError:
        return False


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


def values_of(files: dict) -> dict[str, tuple[str, str, int]]:
    """The key values of one host's parsed files (file type -> LintFile), as lint parsed them."""
    from confgen.drift import normalise

    out: dict[str, tuple[str, str, int]] = {}
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


def key_values(etc: Path) -> dict[str, tuple[str, str, int]]:
    """The key values of the files under one host's /etc (read and parsed here)."""
    from confgen.fix import load_group
    from confgen.lint import discover

    out: dict[str, tuple[str, str, int]] = {}
    for group in discover([str(etc)]):
        files, _ = load_group(group, [])
        out.update(values_of(files))
    return out


def lint_host(host: str, etc: Path, job: Options) -> HostResult:
    from confgen.errors import ConfgenError
    from confgen.node import check, resolve_release

    res = HostResult(host, str(etc), job.release)
    try:
        if job.release == "auto":
            from confgen import releases
            from confgen.record import replace

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
        # the key values come from the files as lint parsed them (after --fix, if asked)
        out = check([str(etc)], job, rel, ceph, on_files=lambda f: res.values.update(values_of(f)))
        res.findings, res.files, res.unreadable = out.findings, len(out.files), out.unreadable
        res.diffs, res.notes, res.modes_skipped = out.diffs, out.notes, out.modes_skipped
    except ConfgenError as exc:
        res.error = str(exc)
    return res


def _work(item: tuple[str, str, Options]) -> HostResult | None:
    """Lint one subdirectory of the fleet (None when it holds no host's files)."""
    root, name, job = item
    etc = etc_of(Path(root) / name)
    return None if etc is None else lint_host(name, etc, job)


def lint_fleet(root: Path, job: Options, processes: int | None = None,
               chunksize: int = 8) -> Iterator[HostResult]:
    """Host results in host order, computed by a pool of worker processes.

    Hosts are streamed: the pool starts first (the workers carry nothing of the fleet), the
    subdirectories' names are handed out a chunk at a time, each worker decides whether its
    directory is a host, and results are yielded as they come, so memory does not grow with
    the number of hosts (beyond their sorted names)."""
    procs = processes or os.cpu_count() or 1
    if procs == 1:
        items = ((str(root), n, job) for n in host_names(root))
        yield from (r for r in map(_work, items) if r is not None)
        return
    from collections import deque
    from itertools import islice
    from multiprocessing import get_context

    # fork: workers inherit the loaded modules (no re-import per worker); imap streams.
    # Hosts go out a window at a time, two windows in flight: the workers always have the
    # next one, and results never pile up in this process while it writes (a slow pipe, a
    # slow terminal): memory stays that of two windows, whatever the number of hosts.
    window = procs * chunksize * 8
    with get_context("fork").Pool(procs) as pool:
        names = host_names(root)
        flight: deque = deque()
        more = True
        while more or flight:
            if more:
                batch = [(str(root), n, job) for n in islice(names, window)]
                more = len(batch) == window
                if batch:
                    flight.append(pool.imap(_work, batch, chunksize=chunksize))
                if len(flight) < 2 and more:
                    continue
            if flight:
                yield from (r for r in flight.popleft() if r is not None)


class Majority:
    """Counts of each key value over hosts; which hosts disagree with the most common one.

    Only the counts stay in memory; who holds which value is written to a temporary file and
    read back once, at the end, for the values that are not the majority's, so a fleet of
    100,000 hosts needs no more memory than one of a thousand."""

    def __init__(self) -> None:
        import tempfile

        self.counts: dict[str, Counter] = {}
        self._spill = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._outliers: list | None = None

    def add(self, host: str, values: dict[str, tuple[str, str, int]]) -> None:
        import json

        self._outliers = None
        for k, (v, path, line) in values.items():
            self.counts.setdefault(k, Counter())[v] += 1
            self._spill.write(json.dumps([k, v, host, path, line]) + "\n")

    def _holders(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list]:
        """(key, value) -> [(host, path, line), ...] in the order added, for `wanted` only."""
        import json

        out: dict[tuple[str, str], list] = {kv: [] for kv in wanted}
        if not wanted:
            return out
        keys = {k for k, _ in wanted}
        self._spill.flush()
        self._spill.seek(0)
        for row in self._spill:
            k, v, host, path, line = json.loads(row)
            if k in keys and (k, v) in out:
                out[(k, v)].append((host, path, line))
        self._spill.seek(0, 2)
        return out

    def _rows(self) -> list:
        """(key, majority value, its host count, other value, [(host, path, line)])."""
        if self._outliers is None:
            rows = []
            for k, c in sorted(self.counts.items()):
                if len(c) < 2:
                    continue
                (top, n), *rest = c.most_common()
                rows.extend((k, top, n, v) for v, _m in rest)
            held = self._holders({(k, v) for k, _t, _n, v in rows})
            self._outliers = [(k, top, n, v, held[(k, v)]) for k, top, n, v in rows]
        return self._outliers

    def outliers(self) -> list[tuple[str, str, int, str, list[str]]]:
        """(key, majority value, its host count, other value, hosts with it)."""
        return [(k, top, n, v, [h for h, _p, _l in who]) for k, top, n, v, who in self._rows()]

    def findings(self) -> list[tuple[str, Finding]]:
        """(host, CG701 finding at the line that sets the odd value) for every outlier."""
        out = []
        for k, top, n, v, who in self._rows():
            total = sum(self.counts[k].values())
            for host, path, line in who:
                out.append((host, OUTLIER.at(
                    path, line, 1, f"{k} is {{value!r}} on {host}, where {n} of {total} hosts "
                    "have {majority!r}", values={"value": v, "majority": top},
                    secret=mask.secret_name(k.rsplit(" ", 1)[-1]), key=k, value=v,
                    majority=top, majority_hosts=n, host=host)))
        return out


def summary_text(maj: Majority, nhosts: int) -> str:
    rows = maj.outliers()
    if not rows:
        return f"all {nhosts} hosts agree on {', '.join(sorted(KEY_VALUES))} (where set)\n"
    lines = [f"hosts that disagree with the majority ({nhosts} hosts):"]
    for key, top, n, other, who in rows:
        shown = ", ".join(who[:10]) + (f" and {len(who) - 10} more" if len(who) > 10 else "")
        lines.append(f"  {key}: {len(who)} host(s) have {mask.value(other)!r} where {n} have "
                     f"{mask.value(top)!r}: {shown}")
    return "\n".join(lines) + "\n"


# -- output ------------------------------------------------------------------------------------
Filter = Callable[[list[Finding]], list[Finding]]


def run_cli(root: Path, job: Options, fmt: str, processes: int | None = None,
            color: bool = False, post: Filter | None = None) -> int:
    """`confgen lint FLEET/`: every host's findings as they come, then the hosts that disagree
    with the majority; `post` (the baseline) filters each host's findings before they count.
    Returns the exit code (0 clean, 1 findings, 2 a host could not be linted)."""
    from confgen.echo import echo
    from confgen.node import keep

    out = _WRITERS[fmt](echo, color)
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
            echo(f"{r.host}: {note}", err=True)
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
