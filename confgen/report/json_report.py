"""JSON: {"findings": [{path, line, column, rule, name, severity, message, extra}], "summary"}."""

from __future__ import annotations

import json
from typing import Any

from confgen.rules.base import Finding


def as_dict(f: Finding) -> dict[str, Any]:
    return {"path": f.path, "line": f.line, "column": f.column, "rule": f.rule, "name": f.name,
            "severity": f.severity, "message": f.message, "extra": f.public_extra()}


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    return json.dumps({"findings": [as_dict(f) for f in findings], "summary": summ},
                      indent=2, default=str) + "\n"
