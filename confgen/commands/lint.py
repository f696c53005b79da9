"""`confgen lint [PATH ...]`: check existing config files against a release."""

from __future__ import annotations

import click

from confgen.commands.common import release_name
from confgen.commands.lint_run import FILE_TYPES, FORMATS, use_color

__all__ = ["FILE_TYPES", "FORMATS", "command", "use_color"]


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--release", "-r", callback=release_name,
              help="OpenStack release the files are for (or `release` in confgen.ini).")
@click.option("--ceph-release", callback=release_name,
              help="Ceph release for ceph.conf checks (or [ceph] release in confgen.ini; "
              "`auto`: the one paired with --release); without it ceph.conf gets no release "
              "checks.")
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
    from confgen.commands.lint_run import run

    run(paths, release, ceph_release, file_type, select, ignore, min_severity, fmt, color, config,
        baseline_path, write_baseline, deployed, intent_path, do_fix, show_diff, dry_run,
        no_backup)


