"""GitHub Actions workflow commands: ::error file=...,line=...,col=...,title=...::message"""

from __future__ import annotations

from typing import Any

from confgen.rules.base import Finding

_CMD = {"error": "error", "warning": "warning", "info": "notice"}


def _esc(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    lines = [
        f"::{_CMD[f.severity]} file={_esc(f.path, True)},line={f.line},col={f.column},"
        f"title={_esc(f'{f.rule} {f.name}', True)}::{_esc(f.message)}"
        for f in findings
    ]
    return "".join(line + "\n" for line in lines)
