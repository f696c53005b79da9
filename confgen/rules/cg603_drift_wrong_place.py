"""CG603: `lint --intent`: an option the intent implies is set under another section or an old
name, not where the release reads it. `--fix` moves it. Reported by confgen.drift."""

from confgen.rules.base import Rule

RULE = Rule("CG603", "drift-wrong-place", "error",
            "an option the intent implies is set, but not where the release reads it",
            lambda ctx: ())
