"""CG209: an option of a keystoneauth plugin other than the one the section loads. keystoneauth
registers a plugin's options in a section only when the section's `auth_type` names that
plugin, so with `auth_type = password` an `endpoint` (or its old spelling `url`) of the
admin_token/none/http_basic plugins is never read: the service ignores the line, and the
real oslo-config-validator calls it unknown. Not judged: sections without `auth_type`, with
`auth_section`, or naming a plugin the data does not list."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.auth import excluded_by
from confgen.rules.base import LIVE, Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, m in resolved_as(ctx, LIVE):
        if res.at is None or not res.at.era.auth_plugins:
            continue  # no plugin's own option (nearly every key): excluded_by says None
        chosen = excluded_by(ctx, lf, e, res, m)
        if chosen is None:
            continue
        section = lf.doc.norm_section(e.section)
        readers = ", ".join(res.at.era.auth_plugins)
        yield RULE.on(lf, e, f"[{section}] {e.key} is read only when auth_type is one of "
                             f"{readers} in {ctx.release_for(lf.file_type)}; this section "
                             "loads auth_type = {auth_type}, so the service ignores the line",
                      values={"auth_type": chosen}, auth_plugins=list(res.at.era.auth_plugins))


RULE = Rule("CG209", "auth-plugin-option", "warning",
            "option of another keystoneauth plugin than the section's auth_type: ignored",
            check)
