"""Value checks shared by the CG3xx rules: does a string parse as the option's type?"""

from __future__ import annotations

from confgen.lazyre import lazy

_INT = lazy(r"^[+-]?\d+$")
_FLOAT = lazy(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SIZE = lazy(r"^\d+(\.\d+)?\s*([kKmMgGtTpPeE]i?[bB]?|[bB])?$")
_UUID = lazy(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
BOOLS = {"true", "false", "yes", "no", "on", "off", "1", "0"}
# the types type_error checks (any other type's value is never wrong by type)
CHECKED = frozenset({"bool", "int", "uint", "port", "float", "secs", "millisecs", "size", "uuid"})


def type_error(kind: str, value: str) -> str | None:
    """Why `value` is not a valid `kind`, or None if it is (or the type is not checked)."""
    v = value.strip()
    if not v:
        return None
    if kind == "bool":
        return None if v.lower() in BOOLS else "is not a boolean (true/false)"
    if kind in ("int", "uint", "port"):
        if not _INT.match(v):
            return "is not an integer"
        if kind == "uint" and int(v) < 0:
            return "must not be negative"
        if kind == "port" and not 0 <= int(v) <= 65535:
            return "is not a port number (0-65535)"
        return None
    if kind in ("float", "secs", "millisecs"):
        return None if _FLOAT.match(v) else "is not a number"
    if kind == "size":
        return None if _SIZE.match(v) else "is not a size (e.g. 4194304, 4M, 4MiB)"
    if kind == "uuid":
        return None if _UUID.match(v) else "is not a UUID"
    return None


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value.strip()))


def number(value: str) -> float | None:
    v = value.strip()
    return float(v) if _FLOAT.match(v) else None
