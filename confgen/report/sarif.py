"""SARIF 2.1.0: one run, the rule catalogue in tool.driver.rules, one result per finding.

Written in three pieces (head, results, tail) so a fleet can stream its hosts' results into
one log; `render` joins them for one node.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path, PurePath
from urllib.parse import quote

from confgen import __version__
from confgen.rules.base import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


@cache
def _rules() -> tuple[list[dict[str, Any]], dict[str, int]]:
    from confgen.rulelist import catalogue

    rules = catalogue()  # lint, drift (CG6xx) and fleet (CG7xx) rules
    return ([{
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "helpUri": "https://example.invalid/confgen#rules",
    } for r in rules], {r.id: i for i, r in enumerate(rules)})


def _uri(path: str) -> str:
    p = PurePath(path)
    return Path(path).as_uri() if p.is_absolute() else quote(p.as_posix())


def result(f: Finding) -> dict[str, Any]:
    return {
        "ruleId": f.rule,
        "ruleIndex": _rules()[1][f.rule],
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path)},
            "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
        }}],
    }


def head() -> str:
    """Everything up to the opening of the results array."""
    driver = {"name": "confgen", "version": __version__,
              "informationUri": "https://example.invalid/confgen", "rules": _rules()[0]}
    return (f'{{"$schema": "{SCHEMA}", "version": "2.1.0", "runs": [{{\n"tool": '
            f'{json.dumps({"driver": driver}, indent=2)},\n"results": [')


def tail(failed: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
    """Close the results; one invocation, with a notification per host that failed."""
    inv: dict[str, Any] = {"executionSuccessful": not failed}
    if failed:
        inv["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": f"{host}: {error}"}}
            for host, error in failed]
    return f'],\n"invocations": [{json.dumps(inv, indent=2)}]\n}}]}}'


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    body = ",\n".join(json.dumps(result(f), indent=2) for f in findings)
    return head() + body + tail() + "\n"
