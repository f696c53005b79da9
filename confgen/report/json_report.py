"""JSON: {"findings": [{path, line, column, rule, name, severity, message, extra}], "summary"}."""

from __future__ import annotations

import json

from confgen.rules.base import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any


def as_dict(f: Finding) -> dict[str, Any]:
    return {"path": f.path, "line": f.line, "column": f.column, "rule": f.rule, "name": f.name,
            "severity": f.severity, "message": f.message, "extra": f.public_extra()}


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    """The same text as json.dumps(document, indent=2), one finding at a time: a million
    findings never sit in memory as a million dicts and their encoder chunks at once."""
    if not findings:
        return json.dumps({"findings": [], "summary": summ}, indent=2, default=str) + "\n"
    items = ",\n".join("    " + json.dumps(as_dict(f), indent=2, default=str)
                       .replace("\n", "\n    ") for f in findings)
    tail = json.dumps({"summary": summ}, indent=2, default=str)[1:]  # '\n  "summary": ...}'
    return '{\n  "findings": [\n' + items + "\n  ]," + tail + "\n"
