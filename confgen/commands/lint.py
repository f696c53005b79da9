"""`confgen lint [PATH ...]`: check existing config files against a release."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from confgen.commands.common import release_name
from confgen.errors import ConfgenError

FILE_TYPES = ["nova.conf", "cinder.conf", "glance-api.conf", "ceph.conf"]


def _settings(path: Path, given: bool) -> dict:
    """release, ceph_release and the [lint] section of ./confgen.ini (configobj); a settings
    file named on the command line must exist, the default one is optional."""
    import os

    from configobj import ConfigObj, ConfigObjError

    from confgen.intent import MAX_INTENT_BYTES
    from confgen.mask import printable
    from confgen.parse.reader import ReadError, read_text

    if not given and not os.path.lexists(path):
        return {}
    try:
        text = read_text(path, limit=MAX_INTENT_BYTES, what="settings file")
        cfg = ConfigObj(text.splitlines(), interpolation=False)
    except ReadError as exc:
        raise ConfgenError(f"--config {exc.describe()}") from None
    except (ConfigObjError, RecursionError) as exc:
        raise ConfgenError(f"{printable(str(path))}: cannot read: "
                           f"{printable(str(exc) or 'nested too deeply')}") from None
    lint = cfg.get("lint", {}) if isinstance(cfg.get("lint"), dict) else {}
    ceph = cfg.get("ceph", {}) if isinstance(cfg.get("ceph"), dict) else {}

    def as_list(v) -> list[str]:
        if v is None:
            return []
        return [x.strip() for x in ([v] if isinstance(v, str) else v) for x in x.split(",")
                if x.strip()]

    return {
        "release": cfg.get("release") if isinstance(cfg.get("release"), str) else None,
        "ceph_release": ceph.get("release") if isinstance(ceph.get("release"), str) else None,
        "select": as_list(lint.get("select")),
        "ignore": as_list(lint.get("ignore")),
        "min_severity": lint.get("min_severity"),
    }


def _fleet(path: str) -> bool:
    from confgen.fleet import is_fleet

    return is_fleet(Path(path))


def _write_lock(paths: list[str], file_type: str | None, writing: bool):
    """--fix holds the directories it reads and writes in from the first read to the last
    write (another confgen run waits); nothing to hold when nothing is written."""
    from contextlib import nullcontext

    if not writing:
        return nullcontext()
    from confgen.atomicio import locked
    from confgen.fix import write_dirs

    return locked(write_dirs(paths, file_type))


def _split(values: tuple[str, ...]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--release", "-r", callback=release_name,
              help="OpenStack release the files are for (or `release` in "
              "./confgen.ini).")
@click.option("--ceph-release", callback=release_name,
              help="Ceph release for ceph.conf checks (or [ceph] release in "
              "./confgen.ini; `auto`: the one paired with --release); without it ceph.conf "
              "gets no release checks.")
@click.option("--file-type", type=click.Choice(FILE_TYPES),
              help="Treat the given files as this config file (when the name does not say).")
@click.option("--select", multiple=True, help="Only these rule ids/prefixes (CG2, CG101,...).")
@click.option("--ignore", multiple=True, help="Skip these rule ids/prefixes.")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]),
              help="Report findings at or above this severity (default info); also the exit "
                   "threshold.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text")
@click.option("--config", "config", type=click.Path(dir_okay=False), default="confgen.ini",
              show_default=True, help="Settings file (release, [ceph] release, [lint]).")
@click.option("--intent", "intent_path", type=click.Path(dir_okay=False, exists=True),
              help="Also report drift from what `confgen render` writes for this intent.")
@click.option("--fix", "do_fix", is_flag=True, help="Rewrite what the rules (and --intent) know "
              "how to fix, in place, keeping every comment; then lint the result.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff per file of what "
              "--fix / --intent would change (writes nothing).")
@click.option("--dry-run", is_flag=True, help="With --fix: say what would change, write nothing.")
@click.option("--no-backup", is_flag=True, help="With --fix: keep no FILE.bak.")
def command(paths: tuple[str, ...], release: str | None, ceph_release: str | None,
            file_type: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
            min_severity: str | None, fmt: str, config: str, intent_path: str | None = None,
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
      confgen explain CG402                      what a rule checks, and why

    PATH is a directory laid out like /etc (glance/glance-api.conf, cinder/cinder.conf,
    nova/nova.conf, ceph/ceph.conf, ceph/*.keyring) or single files; default /etc.
    Exit 0: clean; 1: findings at or above --min-severity; 2: usage or unreadable input.
    Silence one line with a comment line `# confgen: ignore=CG101` just above it.
    --release auto: from the installed packages, else from the options in the files.
    A directory of hosts (FLEET/HOST/etc/..., as `ansible -m fetch` writes) is a fleet:
    findings per host and the hosts that disagree with the others on key values.
    """
    from confgen import releases
    from confgen.lint import lint
    from confgen.report import render, summary

    given = click.get_current_context().get_parameter_source("config") not in (
        click.core.ParameterSource.DEFAULT, None)
    settings = _settings(Path(config), given)
    rel_text = release if release is not None else settings.get("release")
    if rel_text is None and intent_path:
        from confgen.drift import intent_release

        rel_text = intent_release(intent_path).name
    if rel_text is None:
        raise ConfgenError(
            "which OpenStack release are the files for? Pass --release (e.g. --release 2024.1) "
            "or put `release = 2024.1` at the top of ./confgen.ini; `confgen releases` lists them"
        )
    ceph_text = ceph_release if ceph_release is not None else settings.get("ceph_release")
    select_ = _split(select) or settings.get("select") or []
    ignore_ = _split(ignore) + list(settings.get("ignore") or [])
    floor = min_severity or settings.get("min_severity") or "info"
    if floor not in ("info", "warning", "error"):
        raise ConfgenError(f"{config}: [lint] min_severity must be info, warning or error")
    # unknown or blank release names are a usage error (exit 2) before any file is read
    if rel_text.strip().lower() != "auto":
        releases.openstack().get(rel_text)
    if ceph_text is not None and ceph_text.strip().lower() != "auto":
        releases.ceph().get(ceph_text)
    if len(paths) == 1 and _fleet(paths[0]):
        from confgen.fleet import Job, run_cli

        sys.exit(run_cli(Path(paths[0]), Job(rel_text, ceph_text, tuple(select_),
                                              tuple(ignore_), floor), fmt))
    if rel_text == "auto":
        from confgen.detect import from_paths

        det = from_paths(list(paths) or ["/etc"])
        if det.best is None:
            raise ConfgenError(f"--release auto: {det.describe()}; pass --release")
        click.echo(f"confgen: note: release {det.describe()}; linting for {det.best}"
                   + (f" ({'; '.join(det.evidence[:3])})" if det.evidence else ""), err=True)
        rel_text = det.best.name
    rel = releases.openstack().get(rel_text)
    ceph_rel = releases.ceph_for(ceph_text, rel)
    drift_findings = []
    with _write_lock(list(paths), file_type, do_fix and not (dry_run or show_diff)):
        if do_fix:
            from confgen.fix import run_cli as fix_cli

            fix_cli(list(paths), rel, ceph_rel, file_type, show_diff, dry_run, not no_backup)
        if intent_path:
            from confgen.drift import run_cli as drift_cli

            drift_findings = drift_cli(list(paths), intent_path, rel, ceph_rel, file_type,
                                       show_diff, do_fix, dry_run, not no_backup)
    result = lint(
        list(paths), rel, ceph_rel, file_type,
        select=select_ or None, ignore=ignore_, min_severity=floor,
    )
    if drift_findings:
        from confgen.rules.base import Finding

        result.findings = sorted(set(result.findings) | set(drift_findings),
                                 key=Finding.sort_key)
    summ = summary(result.findings, result.files, release=rel.name,
                   ceph_release=ceph_rel.name if ceph_rel else None)
    color = fmt == "text" and sys.stdout.isatty()
    click.echo(render(fmt, result.findings, summ, color=color), nl=False)
    if result.unreadable:
        sys.exit(2)
    sys.exit(1 if result.findings else 0)
