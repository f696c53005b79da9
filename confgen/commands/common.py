"""Option checks shared by the commands."""

from __future__ import annotations

import click

from confgen.errors import ConfgenError


def release_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A release given on the command line must say something: `--release ""` or `-r " "`
    is an error (exit 2), never the oldest release or "no release"."""
    if value is not None and not value.strip():
        flag = max(param.opts, key=len) if param.opts else param.name
        raise ConfgenError(f"{flag} is empty; give a release name (`confgen releases` lists "
                           "them)")
    return value
