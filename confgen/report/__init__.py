"""Formatters for lint findings: text (people), json (scripts), sarif (code scanning),
github (workflow annotations)."""

from __future__ import annotations

from collections import Counter

from confgen.rules.base import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

FORMATS = ("text", "json", "sarif", "github")


def summary(findings: list[Finding], files: list[str], **extra: Any) -> dict[str, Any]:
    counts = Counter(f.severity for f in findings)
    return {"files": len(files), "findings": len(findings),
            **{s: counts.get(s, 0) for s in ("error", "warning", "info")}, **extra}


def render(fmt: str, findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    if fmt == "json":
        from confgen.report.json_report import render as r
    elif fmt == "sarif":
        from confgen.report.sarif import render as r
    elif fmt == "github":
        from confgen.report.github import render as r
    else:
        from confgen.report.text import render as r
    return r(findings, summ, color=color)
