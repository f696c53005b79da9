"""Lint rules, one module per rule. Each module defines RULE (confgen.rules.base.Rule).

Ids: CG0xx input, CG1xx structure, CG2xx release matrix, CG3xx values, CG4xx cross-file,
CG5xx safety.
"""

from __future__ import annotations

import importlib
from functools import cache

from confgen.rules.base import Rule

MODULES = (
    "cg001_unreadable", "cg002_parse_error",
    "cg101_duplicate_key", "cg102_outside_section", "cg103_unknown_section",
    "cg104_inline_comment", "cg105_section_name", "cg106_colon_separator", "cg107_ceph_dash_key",
    "cg201_unknown_option", "cg202_wrong_section", "cg203_not_yet", "cg204_deprecated",
    "cg205_removed",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    return tuple(importlib.import_module(f"confgen.rules.{m}").RULE for m in MODULES)


def by_id() -> dict[str, Rule]:
    return {r.id: r for r in all_rules()}
