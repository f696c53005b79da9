"""`python -m confgen.extract SPEC.toml --repo MIRROR [--out FILE]`."""

from __future__ import annotations

import json
import sys

import click

from confgen.errors import ConfgenError


def dumps(data: dict) -> str:
    """The one serialisation of matrix data (deterministic, diff-friendly)."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def refresh_compact(out: str) -> None:
    """A shipped matrix was rewritten: rewrite the compact form lint loads from it too."""
    from pathlib import Path

    from confgen.datapath import data_dir

    if Path(out).resolve().parent == data_dir("release_matrix").resolve():
        from confgen import compact

        compact.main([])


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--repo", required=True, type=click.Path(file_okay=False),
              help="Git repository (bare mirror is fine) of the upstream project.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print warnings.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also print notes about files and options left out of the output.")
def main(spec: str, repo: str, out: str | None, quiet: bool, verbose: bool) -> None:
    """Extract option facts per release from upstream source, as release_matrix JSON."""
    from confgen.extract.build import extract
    from confgen.extract.spec import load_spec

    try:
        data, warnings = extract(load_spec(spec), repo, verbose=verbose)
    except ConfgenError as exc:
        click.echo(f"confgen.extract: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if not quiet:
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
    text = dumps(data)
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"wrote {out}: {len(data['options'])} options", err=True)
        refresh_compact(out)
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":
    main()
