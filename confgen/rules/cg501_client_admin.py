"""CG501: a service connects to Ceph as client.admin (full cluster rights)."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule
from confgen.rules.services import uses


def check(ctx: Context) -> Iterator[Finding]:
    for use in uses(ctx):
        if use.user is not None and use.user.value.strip() in ("admin", "client.admin"):
            yield RULE.on(use.lf, use.user, f"{use.service} uses client.admin, which can do "
                                            "anything to the cluster; create a user with caps "
                                            "limited to its pools")


RULE = Rule("CG501", "client-admin", "warning", "service uses client.admin", check)
