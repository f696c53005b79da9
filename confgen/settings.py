"""Lint settings: `confgen.ini` (or `[tool.confgen]` in `pyproject.toml`) found up the tree.

Like ruff and yamllint, the nearest settings file wins: from the current directory upwards,
the first directory holding `confgen.ini`, or a `pyproject.toml` with a `[tool.confgen]`
table, is the project's (a pyproject.toml without that table is passed over). `--config FILE`
names one explicitly. Paths in the file (`[lint] paths`, `baseline`) are relative to the file.

    confgen.ini                          pyproject.toml
    release = 2024.1                     [tool.confgen]
    [ceph]                               release = "2024.1"
    release = reef                       [tool.confgen.ceph]
    [lint]                               release = "reef"
    paths = etc                          [tool.confgen.lint]
    select = CG2, CG4                    paths = ["etc"]
    ignore = CG506                       ignore = ["CG506"]
    min_severity = warning               min_severity = "warning"
    baseline = confgen-baseline.json     baseline = "confgen-baseline.json"

Kept cheap: pre-commit runs lint on every commit, so tomllib is imported only when a
pyproject.toml mentions `[tool.confgen`.
"""

from __future__ import annotations

import os

from confgen.errors import ConfgenError
from confgen.record import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and pathlib cost start-up time; annotations are strings here
    from pathlib import Path
    from typing import Any

INI = "confgen.ini"
PYPROJECT = "pyproject.toml"
_LINT_KEYS = {"select", "ignore", "min_severity", "paths", "baseline"}


@dataclass
class Settings:
    path: Path | None = None  # the file they came from (None: defaults)
    release: str | None = None
    ceph_release: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    min_severity: str | None = None
    paths: list[str] = field(default_factory=list)  # absolute, or relative to the cwd
    baseline: str | None = None

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "settings"


def find(start: Path | None = None) -> Path | None:
    """The nearest confgen.ini, or pyproject.toml with [tool.confgen], from `start` upwards.

    The walk uses os.path: most lint runs have no settings file, and pathlib would cost
    their start-up; only a file found becomes a Path."""
    from confgen.fspath import is_file

    d = os.path.realpath(start if start is not None else os.getcwd())  # Path.resolve()
    while True:
        ini = os.path.join(d, INI)
        if is_file(ini):
            return _path(ini)
        py = os.path.join(d, PYPROJECT)
        if is_file(py):
            from confgen.parse.reader import ReadError, read_bytes

            try:
                if b"[tool.confgen" in read_bytes(py, limit=_MAX_BYTES, what="pyproject.toml"):
                    return _path(py)
            except ReadError:
                return _path(py)  # load() says why it cannot be read
        up = os.path.dirname(d)
        if up == d:  # the root was the last of Path.parents
            return None
        d = up


def _path(p: str) -> Path:
    from pathlib import Path

    return Path(p)


_MAX_BYTES = 1024 * 1024


def _read(path: Path) -> str:
    """The text of a settings file, through confgen's one input reader (regular file, size
    cap, strict UTF-8)."""
    from confgen.parse.reader import ReadError, read_text

    try:
        return read_text(path, limit=_MAX_BYTES, what="settings file")
    except ReadError as exc:
        raise ConfgenError(f"settings {exc.describe()}") from None


def _as_list(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfgenError(f"{where}: {key} must be a list of strings")
    return [x.strip() for v in value for x in v.split(",") if x.strip()]


def _as_str(value: Any, where: str, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise ConfgenError(f"{where}: {key} must be a string")


def _from_ini(path: Path) -> tuple[dict, dict, dict]:
    from configobj import ConfigObj, ConfigObjError

    from confgen.mask import printable

    text = _read(path)
    try:
        cfg = ConfigObj(text.splitlines(), interpolation=False)
    except (ConfigObjError, RecursionError) as exc:
        raise ConfgenError(f"{printable(str(path))}: cannot read: "
                           f"{printable(str(exc) or 'sections nest too deeply')}") from None
    lint = cfg.get("lint") if isinstance(cfg.get("lint"), dict) else {}
    ceph = cfg.get("ceph") if isinstance(cfg.get("ceph"), dict) else {}
    return dict(cfg), dict(ceph), dict(lint)


def _from_pyproject(path: Path) -> tuple[dict, dict, dict]:
    import tomllib

    text = _read(path)
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfgenError(f"{path}: cannot read: {exc}") from None
    top = data.get("tool", {}).get("confgen", {})
    if not isinstance(top, dict):
        raise ConfgenError(f"{path}: [tool.confgen] must be a table")
    ceph = top.get("ceph") if isinstance(top.get("ceph"), dict) else {}
    lint = top.get("lint") if isinstance(top.get("lint"), dict) else {}
    return top, ceph, {k.replace("-", "_"): v for k, v in lint.items()}


def load(path: Path | None) -> Settings:
    """Settings from one file (confgen.ini syntax, or a pyproject.toml); {} when None."""
    if path is None:
        return Settings()
    if not os.path.lexists(path):
        raise ConfgenError(f"{path}: no such settings file")
    top, ceph, lint = (_from_pyproject if path.name == PYPROJECT else _from_ini)(path)
    where = str(path)
    unknown = sorted(set(lint) - _LINT_KEYS)
    if unknown:
        raise ConfgenError(f"{where}: [lint] {unknown[0]} is not a setting; known: "
                           f"{', '.join(sorted(_LINT_KEYS))}")
    base = path.parent

    def rel(p: str) -> str:
        return p if os.path.isabs(p) else os.path.relpath(base / p)

    floor = _as_str(lint.get("min_severity"), where, "[lint] min_severity")
    if floor not in (None, "info", "warning", "error"):
        raise ConfgenError(f"{where}: [lint] min_severity must be info, warning or error")
    baseline = _as_str(lint.get("baseline"), where, "[lint] baseline")
    return Settings(
        path=path,
        release=_as_str(top.get("release"), where, "release"),
        ceph_release=_as_str(ceph.get("release"), where, "[ceph] release"),
        select=_as_list(lint.get("select"), where, "[lint] select"),
        ignore=_as_list(lint.get("ignore"), where, "[lint] ignore"),
        min_severity=floor,
        paths=[rel(p) for p in _as_list(lint.get("paths"), where, "[lint] paths")],
        baseline=rel(baseline) if baseline else None,
    )


def discover(explicit: str | None = None, start: Path | None = None) -> Settings:
    return load(_path(explicit) if explicit else find(start))
