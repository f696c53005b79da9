"""CG202: the option exists in this release but is read from another section."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, resolved


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved(ctx):
        if res.kind != "wrong_section":
            continue
        exp = res.expected
        section = lf.doc.norm_section(e.section)
        if exp.section == "@backend" and lf.doc.get(section, "volume_driver") is not None:
            continue  # a backend section left out of enabled_backends: CG407 says so
        where = exp.section
        if where.startswith("@"):
            where = {"@backend": "a backend section listed in enabled_backends",
                     "@store": "a store section listed in enabled_backends",
                     "@client": "[client] or [client.NAME]"}.get(where, where)
        else:
            where = f"[{where}]"
        yield RULE.on(lf, e, f"{e.key} is not read from [{section}] in "
                             f"{ctx.release_for(lf.file_type)}: put it in {where} as {exp.name}",
                      expected={"section": exp.section, "name": exp.name})


RULE = Rule("CG202", "wrong-section", "error",
            "option in a section the release does not read it from", check)
