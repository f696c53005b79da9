"""CG600: `lint --intent` found no file where the intent implies one (for example no cinder.conf
while the intent enables cinder). `confgen render` writes it. Reported by confgen.drift."""

from confgen.rules.base import Rule

RULE = Rule("CG600", "drift-missing-file", "error",
            "the intent implies a file that is not there", lambda ctx: ())
