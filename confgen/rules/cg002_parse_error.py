"""CG002: a line the service's own parser rejects (the service would not start)."""

from confgen.rules.base import Rule, problems

RULE = Rule("CG002", "parse-error", "error",
            "syntax the service's parser rejects (it refuses the whole file)",
            lambda ctx: problems(ctx, RULE, "parse-error"))
