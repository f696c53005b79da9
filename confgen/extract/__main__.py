"""`python -m confgen.extract --all [--mirrors DIR]` regenerates every shipped OpenStack file;
`python -m confgen.extract SPEC.toml [--repo MIRROR | --mirrors DIR] [--out FILE]` one spec."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from confgen.errors import ConfgenError

# the specs `--all` regenerates, each into release_matrix/<file>.json
SHIPPED = ("nova.conf", "cinder.conf", "glance-api.conf")
SOURCES = Path("release_matrix/sources")
DEFAULT_MIRRORS = "/work/.mirror"


def dumps(data: dict) -> str:
    """The one serialisation of matrix data: deterministic, compact (no indentation, it is
    loaded by every lint run), one option per line so that a regeneration diffs by option."""
    head = {k: v for k, v in data.items() if k != "options"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    lines = [json.dumps(o, ensure_ascii=False, separators=(",", ":")) for o in data["options"]]
    body = ",\n".join(lines)
    return f'{text[:-1]},"options":[\n{body}\n]}}\n'


def refresh_compact(out: str) -> None:
    """A shipped matrix was rewritten: rewrite the compact form lint loads from it too."""
    from confgen.datapath import data_dir

    if Path(out).resolve().parent == data_dir("release_matrix").resolve():
        from confgen import compact

        compact.main([])


def _run(spec_path: Path, repo: str | None, mirrors: str | None, out: str | None,
         quiet: bool, verbose: bool, jobs: int = 1) -> None:
    from confgen.extract.build import extract
    from confgen.extract.inventory import Mirrors
    from confgen.extract.spec import load_spec

    spec = load_spec(spec_path)
    mirror = Mirrors(mirrors) if mirrors else None
    if repo is None:
        path = mirror.path(spec.repo) if mirror else None
        if path is None:
            raise ConfgenError(f"{spec_path}: no --repo, and no mirror of {spec.repo} under"
                               f" {mirrors or '(no --mirrors)'}")
        repo = path
    try:
        data, warnings = extract(spec, repo, verbose=verbose, mirrors=mirror, jobs=jobs)
    finally:
        if mirror:
            mirror.close()
    if not quiet:
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
    text = dumps(data)
    if out:
        tmp = Path(out).with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)  # never a half-written matrix
        click.echo(f"wrote {out}: {len(data['options'])} options", err=True)
        refresh_compact(out)
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False), required=False)
@click.option("--all", "all_", is_flag=True,
              help=f"Regenerate release_matrix/{{{','.join(SHIPPED)}}}.json from the mirrors.")
@click.option("--repo", type=click.Path(file_okay=False),
              help="Git repository (bare mirror is fine) of the spec's project.")
@click.option("--mirrors", type=click.Path(file_okay=False),
              help="Directory of fetched mirrors (OWNER+NAME/repo), needed by specs with an"
                   f" [inventory] (libraries, requirements). --all defaults to {DEFAULT_MIRRORS}.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Releases read in parallel processes (results go through the disk cache).")
@click.option("--quiet", "-q", is_flag=True, help="Do not print warnings.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also print notes about files and options left out of the output.")
def main(spec: str | None, all_: bool, repo: str | None, mirrors: str | None, out: str | None,
         jobs: int, quiet: bool, verbose: bool) -> None:
    """Extract option facts per release from upstream source, as release_matrix JSON."""
    try:
        if all_:
            if spec or repo or out:
                raise ConfgenError("--all takes no SPEC, --repo or --out")
            for name in SHIPPED:
                _run(SOURCES / f"{name}.toml", None, mirrors or DEFAULT_MIRRORS,
                     f"release_matrix/{name}.json", quiet, verbose, jobs)
            return
        if not spec:
            raise ConfgenError("give a SPEC, or --all")
        _run(Path(spec), repo, mirrors, out, quiet, verbose, jobs)
    except ConfgenError as exc:
        click.echo(f"confgen.extract: error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
