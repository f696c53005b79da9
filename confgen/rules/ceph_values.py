"""Does Ceph accept a ceph.conf value for an option of a given type? (src/common/strtol.cc,
Option::parse_value and Option::validate, luminous on; checked against ceph-conf 16.2.15 in
tests/lint/test_ceph_values.py).

A value Ceph does not accept is not an error that stops anything: while reading the file Ceph
logs "parse error setting NAME to VALUE" and keeps the value it had (the default). That is
why these findings say what the option silently stays at.
"""

from __future__ import annotations

import re

from confgen.lazyre import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

_INT = lazy(r"^\s*[+-]?\d+$")  # what strtoll(.., 10) takes whole (after Ceph's trim)
_FLOAT = lazy(r"^\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)$", re.I)
_UUID = lazy(r"^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
             r"[0-9a-fA-F]{12}\}?$")
_SI = {"K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_IEC = {"K": 10, "M": 20, "G": 30, "T": 40, "P": 50, "E": 60, "B": 0}
_SPAN = {  # parse_timespan units, in seconds
    **dict.fromkeys(("s", "sec", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "wk", "week", "weeks"), 604800),
    **dict.fromkeys(("mo", "month", "months"), 2592000),
    **dict.fromkeys(("y", "yr", "year", "years"), 31536000),
}
_LIMITS = {"int": (-(2**63), 2**63 - 1), "uint": (0, 2**64 - 1)}


class Rejected(ValueError):
    """Ceph does not take the value; the message says why, in our words."""


def parse(kind: str, value: str) -> Any:
    """The value as Ceph stores it for an option of `kind` (number, bool, str), or raise
    Rejected. Types Ceph parses with code not modelled here (addr, addrvec) pass as text."""
    v = value
    if kind in ("str", "addr", "addrvec"):
        return v
    if kind == "bool":
        if v.lower() in ("true", "false"):
            return v.lower() == "true"
        if _INT.match(v) and -(2**31) <= int(v) <= 2**31 - 1:
            return int(v) != 0
        raise Rejected("is not a boolean (Ceph takes true, false or a number)")
    if kind in ("int", "uint"):
        return _si(kind, v)
    if kind == "float":
        if not _FLOAT.match(v):
            raise Rejected("is not a number")
        return float(v)
    if kind == "size":
        return _iec(v)
    if kind == "secs":
        return _timespan(v)
    if kind == "millisecs":
        m = re.match(r"^\s*[+-]?\d+", v)  # std::stoull reads a leading number, ignores the rest
        if not m:
            raise Rejected("is not a number of milliseconds")
        return int(m.group(0))
    if kind == "uuid":
        if not _UUID.match(v):
            raise Rejected("is not a UUID")
        return v
    return v


def _si(kind: str, v: str) -> int:
    if not v:
        raise Rejected("is empty: Ceph wants a number")
    n, power = v, 0
    if any(c not in "0123456789+-" for c in v):
        unit = v[-1]
        if unit in _SI:
            power, n = _SI[unit], v[:-1]
        elif unit != "B":
            raise Rejected("is not an integer (Ceph takes digits, with K M G T P E for powers "
                           "of 1000)")
    if not _INT.match(n):
        raise Rejected("is not an integer")
    num = int(n)
    if num < 0 and kind == "uint":
        raise Rejected("must not be negative")
    lo, hi = _LIMITS[kind]
    coef = 10**power
    # Ceph keeps num within [min / coef, max / coef] (C++ division rounds toward zero)
    if not -((-lo) // coef) <= num <= min(hi, 2**63 - 1) // coef:
        raise Rejected("is out of the range of the type")
    return num * coef


def _iec(v: str) -> int:
    if not v:
        raise Rejected("is empty: Ceph wants a size")
    u = next((i for i, c in enumerate(v) if c not in "0123456789-+"), None)
    shift, n = 0, v
    if u is not None:
        n, unit = v[:u], v[u:]
        if (unit.endswith("i") and unit.startswith("B")) or len(unit) > 2 or unit[0] not in _IEC:
            raise Rejected("is not a size (Ceph takes bytes, or a number with K M G T P E, "
                           "optionally followed by i or B: 4M, 4Mi, 4MB)")
        shift = _IEC[unit[0]]
    if not _INT.match(n) or not n.strip():
        raise Rejected("is not a size")
    num = int(n)
    if num < 0:
        raise Rejected("must not be negative")
    if num > (2**64 - 1) >> shift:
        raise Rejected("is too large")
    return num << shift


def _timespan(v: str) -> int:
    """parse_timespan (src/common/ceph_time.cc): numbers, each with an optional unit; a number
    without a unit must come last; "" is 0."""
    pos, total, n = 0, 0, len(v)
    while pos < n:
        while pos < n and v[pos] in " \t\n\v\f\r":
            pos += 1
        if pos >= n:
            break
        start = pos
        while pos < n and v[pos].isdigit() and v[pos].isascii():
            pos += 1
        if start == pos:
            raise Rejected("is not a time span (Ceph takes seconds, or numbers with units "
                           "such as 30s, 5m, 2h, 1d)")
        val = int(v[start:pos])
        while pos < n and v[pos] in " \t\n\v\f\r":
            pos += 1
        ustart = pos
        while pos < n and v[pos].isascii() and v[pos].isalpha():
            pos += 1
        if ustart != pos:
            unit = v[ustart:pos]
            if unit not in _SPAN:
                raise Rejected(f"has an unknown time unit {unit!r}")
            val *= _SPAN[unit]
        elif pos < n:
            raise Rejected("is not a time span (a number without a unit must come last)")
        total += val
    return total


def check(era: Any, value: str) -> str | None:
    """Why Ceph does not take `value` for the option `era` describes, or None."""
    unknown = set(era.extra.get("unknown", ()))
    if "type" in unknown:
        return None  # a bridged release whose neighbours disagree on the type: not judged
    try:
        got = parse(era.type, value)
    except Rejected as exc:
        return str(exc)
    if era.choices and era.type == "str" and "enum" not in unknown and got not in era.choices:
        return f"is not one of {', '.join(map(str, era.choices))}"
    if isinstance(got, int | float) and not isinstance(got, bool):
        lo = None if "min" in unknown else era.min
        hi = None if "max" in unknown else era.max
        if isinstance(lo, int | float) and got < lo:
            return f"is below the minimum {lo}"
        if isinstance(hi, int | float) and got > hi:
            return f"is above the maximum {hi}"
    return None
