"""CG106: `a: b = c` in an oslo-style file: ':' comes first, so the key is `a`."""

from confgen.rules.base import Rule, problems

RULE = Rule("CG106", "colon-separator", "warning",
            "':' before '=' makes oslo.config split the key at the colon",
            lambda ctx: problems(ctx, RULE, "colon-separator"))
