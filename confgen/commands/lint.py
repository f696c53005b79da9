"""`confgen lint [PATH ...]`: check existing config files against a release."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

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


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--release", "-r", help="OpenStack release the files are for (or `release` in "
              "confgen.ini).")
@click.option("--ceph-release", help="Ceph release for ceph.conf checks (or [ceph] release in "
              "confgen.ini; `auto`: the one paired with --release); without it ceph.conf "
              "gets no release checks.")
@click.option("--file-type", type=click.Choice(FILE_TYPES),
              help="Treat the given files as this config file (when the name does not say).")
@click.option("--select", multiple=True, help="Only these rule ids/prefixes/names (CG2, "
              "CG101, duplicate-key); `confgen rules` lists them.")
@click.option("--ignore", multiple=True, help="Skip these rule ids/prefixes/names.")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]),
              help="Report findings at or above this severity (default info); also the exit "
                   "threshold.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text (people), json (one document), sarif (code scanning), github "
                   "(workflow annotations); a fleet gives one document too.")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]),
              default="auto", show_default=True,
              help="Colour the text output; auto: on a terminal unless NO_COLOR is set.")
@click.option("--config", "config", type=click.Path(dir_okay=False),
              help="Settings file (confgen.ini, or a pyproject.toml with [tool.confgen]); "
                   "default: the nearest one from the current directory upwards.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Accepted findings: written when FILE does not exist, else only findings "
                   "not in it are reported (matched by rule, file and line content).")
@click.option("--write-baseline", is_flag=True,
              help="With --baseline: (re)write FILE with today's findings, report nothing new.")
@click.option("--deployed/--checkout", "deployed", default=None,
              help="--deployed: the files are a node's live files (keyring modes are judged); "
                   "--checkout: a copy kept in git, which keeps no file modes (not judged). "
                   "Default: --checkout inside a git work tree (but not /etc under "
                   "etckeeper), else --deployed.")
@click.option("--intent", "intent_path", type=click.Path(dir_okay=False, exists=True),
              help="Also report drift from what `confgen render` writes for this intent.")
@click.option("--fix", "do_fix", is_flag=True, help="Rewrite what the rules (and --intent) know "
              "how to fix, in place, keeping every comment; then lint the result.")
@click.option("--diff", "show_diff", is_flag=True, help="Show a unified diff per file of what "
              "--fix / --intent would change (writes nothing); in JSON under \"diffs\".")
@click.option("--dry-run", is_flag=True, help="With --fix: say what would change, write nothing.")
@click.option("--no-backup", is_flag=True, help="With --fix: keep no FILE.bak.")
def command(paths: tuple[str, ...], release: str | None, ceph_release: str | None,
            file_type: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
            min_severity: str | None, fmt: str, color: str = "auto", config: str | None = None,
            baseline_path: str | None = None, write_baseline: bool = False,
            deployed: bool | None = None, intent_path: str | None = None,
            do_fix: bool = False, show_diff: bool = False, dry_run: bool = False,
            no_backup: bool = False) -> None:
    """Check config files against what a release reads.

    \b
    Examples:
      confgen lint -r juno /etc                  the files of this node, for Juno
      confgen lint -r 2026.1 --ceph-release reef out/   what `render -o out` wrote
      confgen lint -r kilo --fix --diff /etc     show how --fix would move/rename options
      confgen lint -r auto --format json /etc    release detected; JSON for scripts
      confgen lint -r 2024.1 --intent confgen.ini /etc   also drift from the intent
      confgen lint -r 2024.1 fleet/              one directory per host (ansible fetch)
      confgen lint --baseline base.json etc/     accept today's findings, fail on new ones
      confgen rules                              every rule; `confgen explain CG402` for one

    PATH is a directory laid out like /etc (glance/glance-api.conf, cinder/cinder.conf,
    nova/nova.conf, ceph/ceph.conf, ceph/*.keyring) or single files; default: [lint] paths
    of confgen.ini, else /etc.
    Exit 0: clean; 1: findings at or above --min-severity; 2: usage or unreadable input.
    Silence one line with a comment line `# confgen: ignore=CG101` just above it.
    --release auto: from the installed packages, else from the options in the files.
    A directory of hosts (FLEET/HOST/etc/..., as `ansible -m fetch` writes) is a fleet:
    findings per host and the hosts that disagree with the others on key values (CG701);
    --fix, --diff and --intent then act on each host's files.
    Settings come from the nearest confgen.ini or pyproject.toml [tool.confgen] upwards.
    """
    from confgen import rulelist, settings
    from confgen.node import Options

    cfg = settings.discover(config)
    rel_text = release or cfg.release
    if not rel_text and intent_path:
        from confgen.drift import intent_release

        rel_text = intent_release(intent_path).name
    if not rel_text:
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
    opts = Options(rel_text, ceph_release or cfg.ceph_release, file_type, tuple(select_),
                   tuple(ignore_), min_severity or cfg.min_severity or "info", intent_path,
                   do_fix, show_diff, dry_run, not no_backup, deployed)
    baseline = _baseline(baseline_path or cfg.baseline, write_baseline)
    colour = use_color(color, fmt)
    if len(targets) == 1 and _fleet(targets[0]):
        if file_type:
            raise ConfgenError("--file-type is for single files; in a fleet each host's files "
                               "are known by their place (HOST/etc/nova/nova.conf)")
        from confgen.fleet import run_cli

        code = run_cli(Path(targets[0]), opts, fmt, color=colour,
                       post=_post(baseline, write_baseline))
        sys.exit(_finish_baseline(baseline, write_baseline, code))
    _single(targets, opts, fmt, colour, baseline, write_baseline)


def _fleet(path: str) -> bool:
    from confgen.fleet import is_fleet

    return is_fleet(Path(path))


def _baseline(path: str | None, write: bool):
    if not path:
        return None
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
        click.echo(f"confgen: baseline {baseline.path} not written: some input could not be "
                   "read", err=True)
        return 2
    baseline.write()
    click.echo(f"confgen: wrote {baseline.path} ({baseline.total} findings accepted); later "
               "runs with --baseline report only new ones", err=True)
    return 0


def _single(paths: list[str], opts, fmt: str, colour: bool, baseline,
            write_baseline: bool) -> None:
    from confgen.node import check, resolve_release
    from confgen.report import render, summary

    rel, ceph_rel, det = resolve_release(opts, paths)
    if det is not None:
        click.echo(f"confgen: note: release {det.describe()}; linting for {rel}"
                   + (f" ({'; '.join(det.evidence[:3])})" if det.evidence else ""), err=True)
    out = check(paths, opts, rel, ceph_rel)
    for note in out.notes:
        click.echo(note, err=True)
    if fmt == "text":
        for d in out.diffs:
            click.echo(d, nl=False)
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
    click.echo(text, nl=False, color=colour)  # click strips escapes unless told
    code = 2 if out.unreadable else (1 if findings else 0)
    sys.exit(_finish_baseline(baseline, write_baseline, code))
