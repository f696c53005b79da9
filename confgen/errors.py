"""Errors a user can act on. The CLI prints them without a traceback and exits with `exit_code`."""

from __future__ import annotations


class ConfgenError(Exception):
    """A problem with the user's input (exit code 2 by convention)."""

    exit_code = 2


class UnknownRelease(ConfgenError):
    pass
