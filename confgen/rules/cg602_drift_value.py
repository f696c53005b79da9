"""CG602: `lint --intent`: an option's value differs from what the intent gives. Values are
compared by the option's type in the release (`True`, `true` and `1` are one boolean; list order
does not count). `--fix` sets the intended value. Reported by confgen.drift."""

from confgen.rules.base import Rule

RULE = Rule("CG602", "drift-value", "error",
            "an option's value differs from the intent (compared by type)", lambda ctx: ())
