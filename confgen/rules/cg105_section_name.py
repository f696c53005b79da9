"""CG105: a section name the service reads differently than it looks: oslo's `[default]` is
not `[DEFAULT]`; Ceph keeps spaces, so `[ client ]` is not `[client]`."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for lf in ctx.files.values():
        for h in lf.doc.headers:
            if lf.doc.style == "oslo" and h.name != "DEFAULT" and h.name.upper() == "DEFAULT":
                yield RULE.at(lf.path, h.line, h.column,
                              f"[{h.name}] is a separate section for oslo.config, not [DEFAULT] "
                              "(only the upper-case spelling is the default section)")
            elif h.name != h.name.strip():
                yield RULE.at(lf.path, h.line, h.column,
                              f"section name [{h.name}] has surrounding spaces, so the service "
                              f"does not read it as [{h.name.strip()}]")


RULE = Rule("CG105", "section-name", "error",
            "section spelled so the service reads another section ([default], [ client ])", check)
