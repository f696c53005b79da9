"""CG104: `key = value # comment` in an oslo-style file: the comment becomes part of the value."""

from confgen.rules.base import Rule, problems

RULE = Rule("CG104", "inline-comment", "warning",
            "oslo.config has no inline comments: the text after # or ; is part of the value",
            lambda ctx: problems(ctx, RULE, "inline-comment"))
