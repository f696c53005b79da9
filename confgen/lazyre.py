"""Regular expressions compiled the first time they are used, not when their module loads.

Lint imports some forty modules that define patterns, and a run uses only those its files
need: compiling every one at import cost each `confgen lint` about 3 ms. `lazy(...)` stands
for `re.compile(...)` at module level; its first attribute use (match, sub, ...) compiles the
pattern and keeps that method on the instance, so later calls cost what a compiled pattern's
calls cost.
"""

from __future__ import annotations

import re


class lazy:  # lower case: it is written where re.compile was
    """re.compile(pattern, flags), done on first use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name == "_args":  # copy/pickle probes: not a pattern's
            raise AttributeError(name)
        value = getattr(re.compile(*self._args), name)
        setattr(self, name, value)  # found in the instance from now on: __getattr__ is skipped
        return value
