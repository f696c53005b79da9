"""Printing as click.echo prints, without importing click (the lean `confgen lint` path)."""

from __future__ import annotations

import sys

from confgen.lazyre import lazy

_ANSI = lazy(r"\033\[[;?0-9]*[a-zA-Z]")


def echo(message: object = "", nl: bool = True, err: bool = False,
         color: bool | None = None) -> None:
    """Write message (and a newline) to stdout or stderr and flush; escape sequences are
    stripped unless color is True, or None and the stream is a terminal (click's rule)."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    text = ("" if message is None else str(message)) + ("\n" if nl else "")
    if "\033" in text and _strip(stream, color):
        text = _ANSI.sub("", text)
    stream.write(text)
    stream.flush()


def _strip(stream, color: bool | None) -> bool:
    if color is not None:
        return not color
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True
