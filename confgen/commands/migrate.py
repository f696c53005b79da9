"""`confgen migrate --to RELEASE [--from RELEASE|auto] PATH...`: rewrite files for a release."""

from __future__ import annotations

import sys

import click

from confgen.commands.common import release_name


@click.command(name="migrate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--to", "to", required=True, callback=release_name,
              help="OpenStack release to migrate the files to.")
@click.option("--from", "source", default="auto", show_default=True, callback=release_name,
              help="Release the files are for now, or `auto` (installed packages, else the "
                   "options in the files).")
@click.option("--ceph-release", callback=release_name,
              help="Ceph release for ceph.conf checks (`auto`: the one paired "
              "with --to).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff per file "
              "(with --dry-run: instead of writing).")
@click.option("--no-backup", is_flag=True, help="Do not keep FILE.bak next to each file.")
def command(paths: tuple[str, ...], to: str, source: str, ceph_release: str | None,
            dry_run: bool, show_diff: bool, no_backup: bool) -> None:
    """Rewrite config files for another OpenStack release, keeping every comment.

    Moves options to where the target release reads them, renames old spellings, drops
    duplicates the service ignores and rewrites driver paths to the form the release loads;
    then lists what changed and what needs a human. PATH is a directory laid out like /etc
    or single files (default /etc). Exit 0: nothing needs a human; 1: something does;
    2: usage or input error.

    \b
      confgen migrate --to kilo --from juno /etc
      confgen migrate --to 2026.1 --dry-run --diff backup-of-etc/
    """
    from contextlib import nullcontext

    from confgen import releases
    from confgen.atomicio import locked
    from confgen.fix import unified, write, write_dirs
    from confgen.migrate import Attention, migrate, report

    fam = releases.openstack()
    target = fam.get(to)
    plist = list(paths) or ["/etc"]
    how = "given"
    if source == "auto":
        from confgen.detect import from_paths

        det = from_paths(plist)
        src, how = det.best, det.how
        click.echo(f"confgen: note: source release {det.describe()}; using {src}"
                   + (f" ({'; '.join(det.evidence[:3])})" if det.evidence else ""), err=True)
    else:
        src = fam.get(source)
    ceph = releases.ceph_for(ceph_release, target)
    writing = not dry_run and not show_diff
    with locked(write_dirs(plist)) if writing else nullcontext():
        mig = migrate(plist, target, src, how, ceph)
        if show_diff:
            for ff in mig.fixes:
                click.echo(unified(ff), nl=False)
        written = None
        if writing:
            written = dict(write(mig.fixes, backup=not no_backup))
            mig.attention.extend(Attention(ff.path, 0, f"not migrated: {ff.refused}")
                                 for ff in mig.fixes if ff.refused and ff.changed)
    click.echo(report(mig, written), nl=False)
    if written is None and any(ff.changed for ff in mig.fixes):
        click.echo("(nothing written: dry run)")
    sys.exit(1 if mig.attention else 0)
