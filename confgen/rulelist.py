"""Every rule confgen can report, in one catalogue: the lint rules (one module each under
confgen/rules/), drift from an intent (CG6xx, confgen/drift.py) and fleet disagreement (CG7xx,
confgen/fleet.py). Used by `confgen rules`, `confgen explain`, SARIF's rule list, and to check
the ids given to --select/--ignore.

Lint itself only needs the lint rules: the drift and fleet modules are imported when a rule
id is not found among those (so a typo costs an import, a correct lint run nothing).
"""

from __future__ import annotations

import difflib
import json

from confgen.errors import ConfgenError
from confgen.rules import all_rules
from confgen.rules.base import Rule

# What `confgen lint --fix` repairs (confgen/fix.py: plan_fixes) and what `--intent --fix`
# brings to the intent (confgen/drift.py); tests/lint/test_rules_cli.py keeps this honest.
FIXABLE = {
    "CG101": "drops the duplicate the service ignores",
    "CG202": "moves the option to the section the release reads",
    "CG204": "renames to the replacement, when the release names one",
    "CG305": "rewrites the driver path to the form the release loads",
    "CG601": "with --intent: adds the option",
    "CG602": "with --intent: sets the intended value",
    "CG603": "with --intent: moves the option",
}


def catalogue() -> tuple[Rule, ...]:
    from confgen.drift import RULES as DRIFT
    from confgen.fleet import RULES as FLEET

    return (*all_rules(), *DRIFT, *FLEET)


def lookup(rule_id: str) -> Rule | None:
    """A rule by id (any case) or name."""
    low = rule_id.lower()
    return next((r for r in catalogue() if r.id.lower() == low or r.name == low), None)


def _known(token: str, rules: tuple[Rule, ...]) -> bool:
    t = token.upper()
    return any(r.id.startswith(t) or r.name == token.lower() for r in rules)


def check_patterns(patterns: list[str], option: str) -> None:
    """--select/--ignore take ids, id prefixes (CG2, CG40) and names; anything that matches no
    rule is a usage error (a typo must not silently select nothing)."""
    if not patterns:
        return
    rules = all_rules()
    bad = [p for p in patterns if not _known(p, rules)]
    if not bad:
        return
    rules = catalogue()
    for p in bad:
        if _known(p, rules):
            continue
        words = [r.id for r in rules] + [r.name for r in rules] + \
            sorted({r.id[:3] for r in rules})
        near = difflib.get_close_matches(p.upper() if p[:2].lower() == "cg" else p.lower(),
                                         words, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        raise ConfgenError(f"{option}: no rule is {p!r} (ids like CG204, prefixes like CG2, "
                           f"or names like duplicate-key; `confgen rules` lists them){hint}")


def as_rows() -> list[dict]:
    return [{"id": r.id, "name": r.name, "severity": r.severity, "summary": r.summary,
             "fixable": r.id in FIXABLE, "fix": FIXABLE.get(r.id),
             "explain": f"confgen explain {r.id}"} for r in catalogue()]


def render(fmt: str = "text") -> str:
    rows = as_rows()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    w = max(len(r["name"]) for r in rows)
    lines = [f"{'id':<6} {'name':<{w}} {'severity':<8} fix  summary"]
    for r in rows:
        fix = "yes" if r["fixable"] else ""
        lines.append(f"{r['id']:<6} {r['name']:<{w}} {r['severity']:<8} {fix:<4} {r['summary']}")
    lines.append("")
    lines.append("`confgen explain CGnnn` says what a rule checks and why; fix: `confgen lint "
                 "--fix` repairs it (CG6xx: with --intent).")
    return "\n".join(lines) + "\n"
