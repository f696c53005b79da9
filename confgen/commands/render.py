"""`confgen render` (stub: the command is being written)."""

from __future__ import annotations

import click


@click.command(name="render")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("confgen render is not implemented yet")
