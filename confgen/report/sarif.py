"""SARIF 2.1.0: one run, the rule catalogue in tool.driver.rules, one result per finding."""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from confgen import __version__
from confgen.rules import all_rules
from confgen.rules.base import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = PurePath(path)
    return Path(path).as_uri() if p.is_absolute() else quote(p.as_posix())


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "confgen",
                "version": __version__,
                "informationUri": "https://example.invalid/confgen",
                "rules": [{
                    "id": r.id,
                    "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "defaultConfiguration": {"level": _LEVEL[r.severity]},
                } for r in rules],
            }},
            "results": [{
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path)},
                    "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                }}],
            } for f in findings],
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
