"""`confgen migrate` (stub: the command is being written)."""

from __future__ import annotations

import click


@click.command(name="migrate")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("confgen migrate is not implemented yet")
