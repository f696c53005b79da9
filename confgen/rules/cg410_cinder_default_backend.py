"""CG410: a cinder volume driver configured in [DEFAULT], without enabled_backends.

Whether cinder-volume runs such a backend is the release's (confgen.matrix.behaviour, read
from cinder/cmd/volume.py): accepted up to mitaka, deprecated in newton (a warning at start),
refused from ocata on (cinder-volume logs an error and exits). `confgen migrate` moves the
backend into a section named in enabled_backends.
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.matrix import behaviour
from confgen.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("cinder.conf")
    if lf is None or ctx.release is None:
        return
    doc = lf.doc
    drv = doc.get("DEFAULT", "volume_driver")
    if drv is None or doc.get("DEFAULT", "enabled_backends") is not None:
        return
    fact = behaviour.cinder_default_backend(ctx.release)
    status = fact.get("status") if fact else None
    if status == "refused":
        yield RULE.on(lf, drv, f"cinder {ctx.release} does not run a volume driver configured in "
                               "[DEFAULT] without enabled_backends: cinder-volume exits at "
                               "start (since ocata); move the backend into a section named in "
                               "[DEFAULT] enabled_backends (`confgen migrate` does)")
    elif status == "deprecated":
        yield RULE.on(lf, drv, f"cinder {ctx.release} still runs a volume driver configured in "
                               "[DEFAULT] without enabled_backends, with a deprecation warning; "
                               "from ocata on cinder-volume refuses it: move the backend into a "
                               "section named in [DEFAULT] enabled_backends",
                      severity="warning")


RULE = Rule("CG410", "cinder-default-backend", "error",
            "cinder volume driver in [DEFAULT] without enabled_backends (refused since ocata)",
            check)
