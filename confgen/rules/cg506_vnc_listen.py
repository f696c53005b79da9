"""CG506: the VNC server listens on every interface: instance consoles are reachable from any
network unless a firewall blocks the VNC ports (5900 and up)."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule

_SPELLINGS = [("vnc", "server_listen"), ("vnc", "vncserver_listen"),
              ("DEFAULT", "vncserver_listen")]


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get("nova.conf")
    if lf is None:
        return
    for sec, key in _SPELLINGS:
        e = lf.doc.get(sec, key)
        if e is not None and e.value.strip() in ("0.0.0.0", "::", "[::]"):
            yield RULE.on(lf, e, f"{key} = {e.value.strip()} exposes instance consoles on every "
                                 "interface; listen on the management address, or firewall "
                                 "ports 5900+ so only the noVNC proxy can reach them")


RULE = Rule("CG506", "vnc-all-interfaces", "warning", "VNC listens on all interfaces", check)
