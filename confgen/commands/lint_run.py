"""`confgen lint` without click: what the command does once its options are known.

The click command (confgen/commands/lint.py) and the lean entry point (confgen/entry.py, which
parses plain `confgen lint` command lines itself so that pre-commit's runs do not import
click) both call run(); output goes through confgen.echo, which prints as click.echo does.
"""

from __future__ import annotations

import os
import sys

from confgen.echo import echo
from confgen.errors import ConfgenError

FILE_TYPES = ["nova.conf", "cinder.conf", "glance-api.conf", "ceph.conf"]
FORMATS = ["text", "json", "sarif", "github"]


def _split(values: tuple[str, ...]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


def use_color(choice: str, fmt: str) -> bool:
    """--color always/never win; auto: colour only on a terminal, and never when NO_COLOR is
    set to anything (https://no-color.org) or TERM is dumb."""
    if fmt != "text" or choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def run(paths: tuple[str, ...] = (), release: str | None = None,
        ceph_release: str | None = None, file_type: str | None = None,
        select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
        min_severity: str | None = None, fmt: str = "text", color: str = "auto",
        config: str | None = None, baseline_path: str | None = None,
        write_baseline: bool = False, deployed: bool | None = None,
        intent_path: str | None = None, do_fix: bool = False, show_diff: bool = False,
        dry_run: bool = False, no_backup: bool = False) -> None:
    """`confgen lint` with its options (exits with the command's exit code)."""
    from confgen import rulelist, settings
    from confgen.node import Options

    cfg = settings.discover(config)
    rel_text = release if release is not None else cfg.release
    if rel_text is None and intent_path:
        from confgen.drift import intent_release

        rel_text = intent_release(intent_path).name
    if rel_text is None:
        raise ConfgenError(
            "which OpenStack release are the files for? Pass --release (e.g. --release 2024.1) "
            "or put `release = 2024.1` at the top of confgen.ini; `confgen releases` lists them"
        )
    if select:
        select_ = _split(select)
        rulelist.check_patterns(select_, "--select")
    else:
        select_ = cfg.select
        rulelist.check_patterns(select_, f"{cfg.where}: [lint] select")
    rulelist.check_patterns(_split(ignore), "--ignore")
    rulelist.check_patterns(cfg.ignore, f"{cfg.where}: [lint] ignore")
    ignore_ = _split(ignore) + cfg.ignore
    if show_diff and fmt in ("sarif", "github"):
        raise ConfgenError(f"--diff has no place in --format {fmt}; use --format text or json")
    if write_baseline and not (baseline_path or cfg.baseline):
        raise ConfgenError("--write-baseline needs --baseline FILE (or [lint] baseline)")
    targets = list(paths) or cfg.paths
    if not targets:
        if deployed is False:
            raise ConfgenError("--checkout: which tree? Give PATH, or `paths = etc` under "
                               "[lint] in the repository's confgen.ini")
        targets = ["/etc"]
    ceph_text = ceph_release if ceph_release is not None else cfg.ceph_release
    _check_release_names(rel_text, ceph_text)
    opts = Options(rel_text, ceph_text, file_type, tuple(select_),
                   tuple(ignore_), min_severity or cfg.min_severity or "info", intent_path,
                   do_fix, show_diff, dry_run, not no_backup, deployed)
    baseline = _baseline(baseline_path or cfg.baseline, write_baseline)
    colour = use_color(color, fmt)
    if len(targets) == 1 and _fleet(targets[0]):
        if file_type:
            raise ConfgenError("--file-type is for single files; in a fleet each host's files "
                               "are known by their place (HOST/etc/nova/nova.conf)")
        from pathlib import Path  # a fleet only: pathlib costs a single node's start-up

        from confgen.fleet import run_cli

        code = run_cli(Path(targets[0]), opts, fmt, color=colour,
                       post=_post(baseline, write_baseline))
        sys.exit(_finish_baseline(baseline, write_baseline, code))
    _single(targets, opts, fmt, colour, baseline, write_baseline)


def _check_release_names(rel_text: str, ceph_text: str | None) -> None:
    """Unknown or blank release names (from the command line or the settings) are a usage
    error before any file is read, never a default release."""
    from confgen import releases

    if rel_text.strip().lower() != "auto":
        releases.openstack().get(rel_text)
    if ceph_text is not None and ceph_text.strip().lower() != "auto":
        releases.ceph().get(ceph_text)


def _fleet(path: str) -> bool:
    """Is path a fleet (one directory per host)? A file, or a directory that is a host itself
    (its /etc, holding nova/nova.conf, ...), never is: that common case is answered here,
    without importing the fleet machinery a single node does not use."""
    if not os.path.isdir(path) or _host_itself(path):
        return False
    from pathlib import Path

    from confgen.fleet import is_fleet

    return is_fleet(Path(path))


def _host_itself(path: str) -> bool:
    """A config file under path or path/etc (the first test of confgen.fleet.etc_of: such a
    directory is one host, not a fleet)."""
    from confgen.layouts import holds_config

    return holds_config(os.path.join(path, "etc")) or holds_config(path)


def _baseline(path: str | None, write: bool):
    if not path:
        return None
    from pathlib import Path

    from confgen.baseline import Baseline

    p = Path(path)
    if write or not p.exists():
        return Baseline(p)  # to be written
    return Baseline.read(p)


def _writing(baseline, write: bool) -> bool:
    return baseline is not None and (write or not baseline.path.exists())


def _post(baseline, write: bool):
    """Each batch of findings -> those to report (recorded instead when writing)."""
    if baseline is None:
        return None
    if _writing(baseline, write):
        def record(findings):
            baseline.add(findings)
            return []
        return record
    return lambda findings: baseline.new_only(findings)[0]


def _finish_baseline(baseline, write: bool, code: int) -> int:
    if not _writing(baseline, write):
        return code
    if code == 2:
        echo(f"confgen: baseline {baseline.path} not written: some input could not be "
                   "read", err=True)
        return 2
    baseline.write()
    echo(f"confgen: wrote {baseline.path} ({baseline.total} findings accepted); later "
               "runs with --baseline report only new ones", err=True)
    return 0


def _single(paths: list[str], opts, fmt: str, colour: bool, baseline,
            write_baseline: bool) -> None:
    from confgen.node import check, resolve_release
    from confgen.report import render, summary

    rel, ceph_rel, det = resolve_release(opts, paths)
    if det is not None:
        echo(f"confgen: note: release {det.describe()}; linting for {rel}"
                   + (f" ({'; '.join(det.evidence[:3])})" if det.evidence else ""), err=True)
    out = check(paths, opts, rel, ceph_rel)
    for note in out.notes:
        echo(note, err=True)
    if fmt == "text":
        for d in out.diffs:
            echo(d, nl=False)
    findings, held = out.findings, 0
    if baseline is not None:
        if _writing(baseline, write_baseline):
            baseline.add(findings)
        else:
            findings, held = baseline.new_only(findings)
    summ = summary(findings, out.files, release=rel.name, ceph_release=out.ceph_release)
    if held:
        summ["baselined"] = held
    if out.modes_skipped:
        summ["file_modes"] = False
    text = render(fmt, findings, summ, color=colour)
    if fmt == "json" and out.diffs:
        import json

        doc = json.loads(text)
        doc["diffs"] = out.diffs
        text = json.dumps(doc, indent=2) + "\n"
    echo(text, nl=False, color=colour)  # click strips escapes unless told
    code = 2 if out.unreadable else (1 if findings else 0)
    sys.exit(_finish_baseline(baseline, write_baseline, code))
