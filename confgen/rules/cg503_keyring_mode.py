"""CG503: a keyring file other users can read."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for k in ctx.keyrings:
        if k.world_readable:
            yield RULE.at(k.path, 1, 1, f"keyring is readable by every user (mode "
                                        f"{k.mode & 0o777:o}); chmod 600 (or 640 with the "
                                        "service's group)")


RULE = Rule("CG503", "keyring-world-readable", "error", "keyring readable by all users", check)
