"""Command line: one small function per command; the work happens in the modules they call.

Imports are local to each command so that `confgen lint` (run by pre-commit on every commit)
does not pay for Jinja2 or the renderer.
"""

from __future__ import annotations

import sys

import click

from confgen.errors import ConfgenError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Turns ConfgenError into one clear line on stderr and exit code 2 (never a traceback)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ConfgenError as exc:
            click.echo(f"confgen: error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="confgen")
def main() -> None:
    """Write and check the configuration that makes OpenStack use Ceph, for your release.

    \b
    confgen render --release juno            write glance/cinder/nova/ceph files for Juno
    confgen lint --release 2026.1 /etc       check existing files for 2026.1
    confgen explain images_type --release kilo   where an option goes in a release
    confgen releases                         the releases confgen knows
    confgen rules                            the lint rules (confgen explain CGnnn for one)

    Shell completion (click's): eval "$(_CONFGEN_COMPLETE=bash_source confgen)" in ~/.bashrc
    (zsh_source, fish_source for those shells).

    Exit codes: 0 success, 1 lint findings at or above the threshold, 2 usage or input error.
    """


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def releases(fmt: str) -> None:
    """List the OpenStack and Ceph releases confgen knows, oldest first."""
    from confgen.explain import list_releases

    click.echo(list_releases(fmt), nl=False)


@main.command()
@click.argument("option")
@click.option("--release", "-r", help="Say exactly where OPTION goes in this release.")
@click.option(
    "--file",
    "file",
    type=click.Choice(["nova.conf", "cinder.conf", "glance-api.conf", "ceph.conf"]),
    help="Only look in this config file.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def explain(option: str, release: str | None, file: str | None, fmt: str) -> None:
    """Show the history of OPTION across releases, and where it goes in --release.

    OPTION is a name (images_type), an old name (libvirt_images_type) or a section-qualified
    key (libvirt.images_type). Old names are found too. A lint rule id (CG402) or name
    (missing-keyring) explains the rule instead.
    """
    from confgen.explain import explain_option

    click.echo(explain_option(option, release=release, file=file, fmt=fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules(fmt: str) -> None:
    """List every rule: id, name, default severity, whether --fix repairs it, summary.

    `confgen explain CGnnn` says what one rule checks and why. --select/--ignore take these
    ids, id prefixes (CG2) or names.
    """
    from confgen.rulelist import render

    click.echo(render(fmt), nl=False)


@main.command(name="ansible-path")
def ansible_path() -> None:
    """Print the collections path of the Ansible collection shipped with confgen.

    \b
      export ANSIBLE_COLLECTIONS_PATH="$(confgen ansible-path)"
      ansible-doc confgen.openstack_ceph.lint
      ansible-playbook -i inventory site.yml

    The collection (confgen.openstack_ceph: lint, fleet_summary) always matches the installed
    confgen, whose `confgen lint` it runs on the controller.
    """
    from confgen.datapath import ansible_collections_path

    click.echo(ansible_collections_path())


def _register() -> None:
    # Each command lives in its own module under confgen/commands/ (they import their heavy
    # dependencies inside the command body, so registering them here costs nothing).
    from confgen.commands import lint, migrate, render

    for mod in (render, lint, migrate):
        main.add_command(mod.command)


_register()
