"""CG001: a file confgen (and so the service) cannot read as text. Raised by confgen.lint."""

from confgen.rules.base import Rule

RULE = Rule("CG001", "unreadable-file", "error",
            "file cannot be read as UTF-8 text (binary, bad byte, too large, no permission)",
            lambda ctx: ())
