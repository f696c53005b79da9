"""`path:line:col: ID severity message`, grouped by file, with a one-line summary."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from confgen.rules.base import Finding

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET, _BOLD = "\033[0m", "\033[1m"


def render(findings: list[Finding], summ: dict[str, Any], color: bool = False) -> str:
    out: list[str] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        if out:
            out.append("")
        for f in group:
            sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
            rid = f"{_BOLD}{f.rule}{_RESET}" if color else f.rule
            out.append(f"{path}:{f.line}:{f.column}: {rid} {sev} {f.message}")
    if out:
        out.append("")
    n = summ["findings"]
    if n:
        parts = [f"{summ[s]} {s}{'s' if summ[s] != 1 else ''}"
                 for s in ("error", "warning", "info") if summ[s]]
        out.append(f"{n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) "
                   f"in {summ['files']} file{'s' if summ['files'] != 1 else ''}")
    else:
        out.append(f"no findings in {summ['files']} file{'s' if summ['files'] != 1 else ''}")
    if summ.get("file_modes") is False:
        out[-1] += " (keyring modes not judged: a git checkout keeps none; --deployed judges them)"
    if summ.get("baselined"):
        out[-1] += f"; {summ['baselined']} more in the baseline"
    return "\n".join(out) + "\n"
