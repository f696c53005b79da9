"""CG102: an assignment before the first [section] header."""

from confgen.rules.base import Rule, problems

RULE = Rule("CG102", "key-outside-section", "error",
            "key before any [section]: oslo.config and Ceph refuse the file",
            lambda ctx: problems(ctx, RULE, "outside-section"))
