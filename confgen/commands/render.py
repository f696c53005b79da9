"""`confgen render`: write the OpenStack + Ceph files an intent describes, for one release."""

from __future__ import annotations

from pathlib import Path

import click

from confgen.commands.common import release_name

DEFAULT_INTENT_NAME = "confgen.ini"


@click.command(name="render")
@click.option("--intent", "intent_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Intent file (default: ./confgen.ini, else the embedded default).")
@click.option("--release", "-r", callback=release_name,
              help="OpenStack release; overrides the intent's `release`.")
@click.option("--ceph-release", callback=release_name,
              help="Ceph release; overrides the intent's [ceph] release.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Write DIR/glance, DIR/cinder, DIR/nova, DIR/ceph instead of printing.")
@click.option("--only", help="Comma-separated services: glance,cinder,nova,ceph.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist in --output.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Directory of templates overriding the built-in ones (same file names).")
@click.option("--print-default-intent", is_flag=True,
              help="Print the embedded default intent (a starting point) and exit.")
def command(intent_path: Path | None, release: str | None, ceph_release: str | None,
            output: Path | None, only: str | None, force: bool, templates: Path | None,
            print_default_intent: bool) -> None:
    """Render glance-api.conf, cinder.conf, nova.conf, ceph.conf, the cephx set-up script and
    the libvirt secret from an intent file, placing every option where the release reads it.

    \b
    Examples:
      confgen render --print-default-intent > confgen.ini   start an intent
      confgen render                            print every file (./confgen.ini)
      confgen render -r juno --ceph-release firefly        same intent, older releases
      confgen render --intent site.ini -o out/  write out/nova/nova.conf, ...
      confgen render --only nova,ceph -o out/ --force      rewrite two services only

    \b
    Output files (under --output, or printed one after another under a header line):
      glance/glance-api.conf  cinder/cinder.conf  nova/nova.conf  nova/secret.xml
      ceph/ceph.conf  ceph/cephx-users.sh
    A service that does not use Ceph in the intent gets no file. Nothing is written when any
    problem is found (exit 2); existing files are never overwritten without --force.
    """
    from confgen import intent as intent_mod

    if print_default_intent:
        click.echo(intent_mod.DEFAULT_INTENT.read_text("utf-8"), nl=False)
        return
    it = _read_intent(intent_mod, intent_path)
    it = _override(it, release, ceph_release)

    from confgen.render.files import render  # Jinja2 is paid for only by render

    services = [s.strip() for s in only.split(",") if s.strip()] if only else None
    files = render(it, only=services, templates=templates)
    for notice in it.notices:
        click.echo(f"confgen: note: {notice}", err=True)
    if output is None:
        # the rendered files are the output asked for: printed as they are (the masking of
        # reports does not apply to them, as it does not to files written with --output)
        import sys

        from confgen.mask import unmasked

        out = unmasked(sys.stdout)
        for rel, text in files.items():
            click.echo(f"==> {rel} <==", file=out)
            click.echo(text, nl=False, file=out)
        return

    from confgen.mask import printable
    from confgen.render.write import write_all

    for path in write_all(files, output, force=force):
        click.echo(f"wrote {printable(str(path))}", err=True)


def _read_intent(intent_mod, path: Path | None):
    if path is not None:
        return intent_mod.read(path)
    local = Path(DEFAULT_INTENT_NAME)
    if local.is_file():
        return intent_mod.read(local, display=DEFAULT_INTENT_NAME)
    click.echo(f"confgen: note: no ./{DEFAULT_INTENT_NAME}: using the embedded default intent "
               "(placeholder cluster values; see --print-default-intent)", err=True)
    return intent_mod.read(None)


def _override(it, release: str | None, ceph_release: str | None):
    from confgen import releases

    return it.retarget(
        releases.openstack().get(release) if release else None,
        releases.ceph().get(ceph_release) if ceph_release else None,
    )
