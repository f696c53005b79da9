"""CG101: a key set twice in one section; say which value the service uses.

A multi-valued option (oslo MultiStrOpt, "multistring" in the data: cinder
replication_device, glance filesystem_store_datadirs, ...) is read line by line, every line a
value: repeating it is how it is written, never a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, multi_valued


def check(ctx: Context) -> Iterator[Finding]:
    multi: set | None = None  # asked only when some key repeats (it resolves every key)
    for lf in ctx.files.values():
        for (section, _), group in lf.doc.assignments():
            if len(group) < 2 or section is None:
                continue
            if multi is None:
                multi = multi_valued(ctx)
            if (lf.path, group[-1].line) in multi:
                continue
            last = group[-1]
            for e in group[:-1]:
                same = " (same value)" if e.value == last.value else ""
                yield RULE.on(lf, e, f"[{section}] {e.key} is set again on line {last.line}; "
                                     f"the service uses the last value {{value!r}}{same}",
                              values={"value": last.value}, winner_line=last.line)


RULE = Rule("CG101", "duplicate-key", "warning",
            "key set more than once in a section (the last one wins)", check)
