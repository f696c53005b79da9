"""The `confgen` command. A plain `confgen lint ...` (what pre-commit runs on every commit) is
parsed here and run without importing click; every other command line, and any lint option
this parser does not take (--help, --fix, --intent, a value click would refuse, ...), goes
to the click application (confgen.cli), so help, errors and exit codes are click's own.
"""

from __future__ import annotations

import os
import sys

# lint options taken here: name -> (run() argument, allowed values or None, repeatable)
_VALUES = {
    "--release": ("release", None, False),
    "-r": ("release", None, False),
    "--ceph-release": ("ceph_release", None, False),
    "--file-type": ("file_type", ("nova.conf", "cinder.conf", "glance-api.conf", "ceph.conf"),
                    False),
    "--select": ("select", None, True),
    "--ignore": ("ignore", None, True),
    "--min-severity": ("min_severity", ("info", "warning", "error"), False),
    "--format": ("fmt", ("text", "json", "sarif", "github"), False),
    "--color": ("color", ("auto", "always", "never"), False),
}
_FLAGS = {"--deployed": ("deployed", True), "--checkout": ("deployed", False)}


def parse_lint(args: list[str]) -> dict | None:
    """run() keyword arguments for `confgen lint ARGS`, or None when click should parse them.

    Only the common forms are taken (`--opt VALUE`, `--opt=VALUE`, `-r VALUE`, flags, paths,
    `--`); a value must be non-empty, not look like an option, and be one of the choices."""
    kw: dict = {}
    paths: list[str] = []
    i = 0
    while i < len(args):
        tok = args[i]
        i += 1
        if tok == "--":
            paths.extend(args[i:])
            break
        if not tok.startswith("-") or tok == "-":
            paths.append(tok)
            continue
        name, eq, value = tok.partition("=")
        if name in _FLAGS and not eq:
            dest, flag = _FLAGS[name]
            kw[dest] = flag
            continue
        spec = _VALUES.get(name) if (name.startswith("--") or not eq) else None
        if spec is None:
            return None
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        dest, choices, many = spec
        if not value.strip() or value.startswith("-") or (choices and value not in choices):
            return None
        if many:
            kw[dest] = (*kw.get(dest, ()), value)
        else:
            kw[dest] = value
    kw["paths"] = tuple(paths)
    return kw


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["lint"] and not any(k.startswith("_CONFGEN_COMPLETE") for k in os.environ):
        kw = parse_lint(argv[1:])
        if kw is not None:
            _lint(kw)
            return
    from confgen.cli import main as click_main

    click_main()


def _lint(kw: dict) -> None:
    """Run lint inside the envelope every command of the click application runs in (the
    masking layer on stdout and stderr, one error line and exit 2 for any failure), and end
    an interrupt as click does."""
    from confgen.commands.envelope import guarded, scrubbed
    from confgen.commands.lint_run import run
    from confgen.echo import echo

    with scrubbed():
        try:
            guarded(lambda: run(**kw))
        except (EOFError, KeyboardInterrupt):
            echo(err=True)
            echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(0)


if __name__ == "__main__":
    main()
