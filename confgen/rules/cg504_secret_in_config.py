"""CG504: a cephx secret (`key = AQ...`) inside a config file that is meant to be shared or
kept in version control; secrets belong in a keyring file with tight permissions."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.lazyre import lazy
from confgen.rules.base import Context, Finding, Rule, entries

_SECRET = lazy(r"^AQ[A-Za-z0-9+/]{20,}={0,2}$")


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e in entries(ctx):
        if "AQ" in e.value and _SECRET.match(e.value.strip()):  # a key starts with AQ
            yield RULE.on(lf, e, f"{e.key} holds a cephx secret; move it to a keyring file "
                                 "(mode 600) and keep it out of version control")


RULE = Rule("CG504", "secret-in-config", "error",
            "cephx secret key written in a config file", check)
