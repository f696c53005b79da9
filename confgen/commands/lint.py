"""`confgen lint [PATH ...]`: check existing config files against a release."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from confgen.errors import ConfgenError

FILE_TYPES = ["nova.conf", "cinder.conf", "glance-api.conf", "ceph.conf"]


def _settings(path: Path) -> dict:
    """release, ceph_release and the [lint] section of ./confgen.ini (configobj)."""
    if not path.is_file():
        return {}
    from configobj import ConfigObj, ConfigObjError

    try:
        cfg = ConfigObj(str(path), encoding="utf-8", file_error=True)
    except (ConfigObjError, OSError, UnicodeDecodeError) as exc:
        raise ConfgenError(f"{path}: cannot read: {exc}") from None
    lint = cfg.get("lint", {}) if isinstance(cfg.get("lint"), dict) else {}
    ceph = cfg.get("ceph", {}) if isinstance(cfg.get("ceph"), dict) else {}

    def as_list(v) -> list[str]:
        if v is None:
            return []
        return [x.strip() for x in ([v] if isinstance(v, str) else v) for x in x.split(",")
                if x.strip()]

    return {
        "release": cfg.get("release") if isinstance(cfg.get("release"), str) else None,
        "ceph_release": ceph.get("release") if isinstance(ceph.get("release"), str) else None,
        "select": as_list(lint.get("select")),
        "ignore": as_list(lint.get("ignore")),
        "min_severity": lint.get("min_severity"),
    }


def _split(values: tuple[str, ...]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--release", "-r", help="OpenStack release the files are for (or `release` in "
              "./confgen.ini).")
@click.option("--ceph-release", help="Ceph release for ceph.conf checks (or [ceph] release in "
              "./confgen.ini); without it ceph.conf gets no release checks.")
@click.option("--file-type", type=click.Choice(FILE_TYPES),
              help="Treat the given files as this config file (when the name does not say).")
@click.option("--select", multiple=True, help="Only these rule ids/prefixes (CG2, CG101,...).")
@click.option("--ignore", multiple=True, help="Skip these rule ids/prefixes.")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]),
              help="Report findings at or above this severity (default info); also the exit "
                   "threshold.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text")
@click.option("--config", "config", type=click.Path(dir_okay=False), default="confgen.ini",
              show_default=True, help="Settings file (release, [ceph] release, [lint]).")
def command(paths: tuple[str, ...], release: str | None, ceph_release: str | None,
            file_type: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
            min_severity: str | None, fmt: str, config: str) -> None:
    """Check config files against what a release reads.

    PATH is a directory laid out like /etc (glance/glance-api.conf, cinder/cinder.conf,
    nova/nova.conf, ceph/ceph.conf, ceph/*.keyring) or single files; default /etc.
    Exit 0: clean; 1: findings at or above --min-severity; 2: usage or unreadable input.
    Silence one line with a comment line `# confgen: ignore=CG101` just above it.
    """
    from confgen import releases
    from confgen.lint import lint
    from confgen.report import render, summary

    settings = _settings(Path(config))
    rel_text = release or settings.get("release")
    if not rel_text:
        raise ConfgenError(
            "which OpenStack release are the files for? Pass --release (e.g. --release 2024.1) "
            "or put `release = 2024.1` at the top of ./confgen.ini; `confgen releases` lists them"
        )
    rel = releases.openstack().get(rel_text)
    ceph_text = ceph_release or settings.get("ceph_release")
    ceph_rel = releases.ceph().get(ceph_text) if ceph_text else None
    floor = min_severity or settings.get("min_severity") or "info"
    if floor not in ("info", "warning", "error"):
        raise ConfgenError(f"{config}: [lint] min_severity must be info, warning or error")
    result = lint(
        list(paths), rel, ceph_rel, file_type,
        select=_split(select) or settings.get("select") or None,
        ignore=_split(ignore) + list(settings.get("ignore") or []),
        min_severity=floor,
    )
    summ = summary(result.findings, result.files, release=rel.name,
                   ceph_release=ceph_rel.name if ceph_rel else None)
    color = fmt == "text" and sys.stdout.isatty()
    click.echo(render(fmt, result.findings, summ, color=color), nl=False)
    if result.unreadable:
        sys.exit(2)
    sys.exit(1 if result.findings else 0)
