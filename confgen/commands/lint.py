"""`confgen lint` (stub: the command is being written)."""

from __future__ import annotations

import click


@click.command(name="lint")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("confgen lint is not implemented yet")
