"""CG301: a value that does not parse as the option's type (bool, int, float, size, uuid...);
also *_secret_uuid options, which libvirt needs as a UUID whatever their declared type."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import LIVE, Context, Finding, Rule, resolved_as
from confgen.rules.values import CHECKED, is_uuid, type_error


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e, res, _m in resolved_as(ctx, LIVE, ceph=False):
        if lf.file_type == "ceph.conf":
            continue  # Ceph parses values its own way: CG310
        if res.kind not in LIVE:
            continue
        era = res.at.era
        if era.type not in CHECKED and not era.name.endswith("secret_uuid"):
            continue  # a str, list, dict...: type_error has nothing to say (most keys)
        why = type_error(era.type, e.value)
        if why is None and era.name.endswith("secret_uuid") and e.value.strip():
            why = None if is_uuid(e.value) else "is not a UUID (libvirt secret id)"
        if why:
            yield RULE.on(lf, e, f"{e.key} = {{value!r}} {why}; the service will not start "
                                 "or will reject it", values={"value": e.value}, type=era.type)


RULE = Rule("CG301", "bad-value-type", "error",
            "value does not parse as the option's type", check)
