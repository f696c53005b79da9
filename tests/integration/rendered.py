"""Reading rendered oslo-style files the way the services do: with oslo.config's own parser."""

from __future__ import annotations

from pathlib import Path

from oslo_config import cfg


def oslo_sections(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    cfg.ConfigParser(str(path), sections).parse()
    return sections


def oslo_values(path: Path, name: str) -> set[str]:
    """Every value option `name` has in the file, whatever the section (last one wins)."""
    return {opts[name][-1] for opts in oslo_sections(path).values() if name in opts}


def one(path: Path, name: str) -> str:
    values = oslo_values(path, name)
    assert len(values) == 1, f"{path.name}: {name} = {values}"
    return values.pop()
