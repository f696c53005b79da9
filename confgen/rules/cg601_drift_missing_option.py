"""CG601: `lint --intent`: an option `confgen render` writes for the intent is not set in the
file. `--fix` adds it (with the comment render writes). Reported by confgen.drift."""

from confgen.rules.base import Rule

RULE = Rule("CG601", "drift-missing-option", "error",
            "an option the intent implies is not set", lambda ctx: ())
