"""CG101: a key set twice in one section; say which value the service uses."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule


def check(ctx: Context) -> Iterator[Finding]:
    for lf in ctx.files.values():
        doc = lf.doc
        seen: dict[tuple, list] = {}
        for e in doc.entries:
            if e.section is None:
                continue
            seen.setdefault((doc.norm_section(e.section), doc.norm_key(e.key)), []).append(e)
        for (section, _), group in seen.items():
            if len(group) < 2:
                continue
            last = group[-1]
            for e in group[:-1]:
                same = " (same value)" if e.value == last.value else ""
                yield RULE.on(lf, e, f"[{section}] {e.key} is set again on line {last.line}; "
                                     f"the service uses the last value {{value!r}}{same}",
                              values={"value": last.value}, winner_line=last.line)


RULE = Rule("CG101", "duplicate-key", "warning",
            "key set more than once in a section (the last one wins)", check)
