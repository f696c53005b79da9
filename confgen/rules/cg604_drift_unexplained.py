"""CG604: `lint --intent`: an option is set in a section confgen renders in full (e.g. nova's
[libvirt] RBD settings) that the intent does not ask for. Keep it under [extra] in the intent if
it is meant. Reported by confgen.drift."""

from confgen.rules.base import Rule

RULE = Rule("CG604", "drift-unexplained", "info",
            "an option in a section confgen owns that the intent does not explain", lambda ctx: ())
