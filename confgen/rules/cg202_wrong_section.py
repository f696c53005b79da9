"""CG202: the option exists in this release but is read from another section."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, resolved_as


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, ("ambiguous", "wrong_section")):
        if res.kind == "ambiguous":
            yield _ambiguous(ctx, lf, e, res)
            continue
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
        rel = ctx.release_for(lf.file_type)
        was = f" (last read there in {res.until})" if res.until else ""
        yield RULE.on(lf, e, f"{e.key} is not read from [{section}] in {rel}{was}: put it in "
                             f"{where} as {exp.name}",
                      expected={"section": exp.section, "name": exp.name},
                      option=res.option.key)


def _ambiguous(ctx: Context, lf, e, res) -> Finding:
    """Several options of that name live elsewhere and none ever lived here: say which, move
    nothing (no `expected`, so --fix leaves the line alone)."""
    section = lf.doc.norm_section(e.section)
    where = " or ".join(f"[{c.era.section}] {c.era.name}" for c in res.candidates)
    return RULE.on(lf, e, f"{e.key} is not read from [{section}] in "
                          f"{ctx.release_for(lf.file_type)}; options of that name are {where}: "
                          "move it by hand to the one you mean",
                   candidates=[c.option.key for c in res.candidates])


RULE = Rule("CG202", "wrong-section", "error",
            "option in a section the release does not read it from", check)
