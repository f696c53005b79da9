"""What every command runs inside, with or without click: every way a command can fail on
input or output ends as one `confgen: error: ...` line on stderr and exit code 2 (never a
traceback), and everything written to stdout and stderr passes through the one masking layer
(confgen.mask). The click application (confgen.cli) and the lean lint entry point
(confgen.entry) both use it."""

from __future__ import annotations

import os
import sys

from confgen.errors import ConfgenError

TYPE_CHECKING = False
if TYPE_CHECKING:  # collections.abc and contextlib cost start-up time on the lint path
    from collections.abc import Callable

EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a bug in confgen, not in the input: one line, never a traceback


class scrubbed:  # lower case: used as `with scrubbed():`, as the function it replaces was
    """stdout and stderr through the masking layer; stdout flushed before leaving (also on
    SystemExit, so a failing flush still becomes an error line and exit 2)."""

    def __enter__(self) -> None:
        from confgen.mask import ScrubbedStream, forget

        forget()
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = ScrubbedStream(sys.stdout), ScrubbedStream(sys.stderr)

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        try:
            if kind is None or issubclass(kind, SystemExit):
                flush_stdout()
        finally:
            sys.stdout, sys.stderr = self.saved
        return False


def guarded(command: Callable[[], object]) -> object:
    """Run a command; its errors become the one-line error and exit code."""
    try:
        return command()
    except ConfgenError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:  # a disk full or a closed pipe on output, an input that vanished
        fail(os_message(exc), EXIT_USAGE)
    except RecursionError:
        fail("input nested too deeply to be read", EXIT_USAGE)
    except Exception as exc:
        # click's own signals (Exit, Abort, UsageError) are click's to print
        if type(exc).__module__.startswith("click") or os.environ.get("CONFGEN_DEBUG"):
            raise
        fail(f"internal error ({type(exc).__name__}: {exc}); this is a bug in confgen, please "
             "report it with the command line (CONFGEN_DEBUG=1 shows where it happened)",
             EXIT_INTERNAL)
    return None


def os_message(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    name = getattr(exc, "filename", None)
    if name:
        from confgen.mask import printable

        return f"{printable(str(name))}: {what}"
    return f"cannot write the output: {what}"


def fail(message: str, code: int) -> None:
    from confgen.echo import echo

    flush_stdout(quiet=True)
    try:
        echo(f"confgen: error: {message}", err=True)
    except OSError:
        pass
    sys.exit(code)


def flush_stdout(quiet: bool = False) -> None:
    """Flush stdout now, while a failure can still become an error line and exit 2 (at exit
    Python would print a traceback-like warning and exit 120)."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        mute_stdout()
        if quiet:
            return
        try:
            sys.stderr.write(f"confgen: error: {os_message(exc)}\n")
            sys.stderr.flush()
        except OSError:
            pass
        sys.exit(EXIT_USAGE)


def mute_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush has nowhere to fail."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)
