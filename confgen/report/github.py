"""GitHub Actions workflow commands: ::error file=...,line=...,col=...,title=...::message"""

from __future__ import annotations

from confgen.rules.base import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

_CMD = {"error": "error", "warning": "warning", "info": "notice"}


def _esc(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def command(kind: str, message: str, title: str = "", **props: Any) -> str:
    parts = [f"{k}={_esc(str(v), True)}" for k, v in props.items()]
    if title:
        parts.append(f"title={_esc(title, True)}")
    return f"::{kind} {','.join(parts)}::{_esc(message)}" if parts else f"::{kind}::{_esc(message)}"


def annotation(f: Finding, host: str | None = None) -> str:
    title = f"{f.rule} {f.name}" + (f" ({host})" if host else "")
    return command(_CMD[f.severity], f.message, title, file=f.path, line=f.line, col=f.column)


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    return "".join(annotation(f) + "\n" for f in findings)
