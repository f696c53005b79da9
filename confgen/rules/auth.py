"""Which keystoneauth plugin a section loads, and whether it reads a given option.

keystoneauth registers a plugin's own options in a section only when that section's
`auth_type` names the plugin (keystoneauth1/loading/conf.py load_from_conf_options); the data
lists, per era, the `auth_type` values whose loader reads an option (`auth_plugins`). Shared
by CG209 (the line is ignored) and CG204 (no "use the new spelling" for such a line).
"""

from __future__ import annotations

from confgen.parse.document import Entry
from confgen.rules.base import Context, LintFile

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

TYPE_KEYS = ("auth_type", "auth_plugin")  # auth_plugin: keystoneclient-era spelling


def excluded_by(ctx: Context, lf: LintFile, e: Entry, res: Any, m: Any) -> str | None:
    """The `auth_type` value that makes the section ignore this entry, or None (read, or not
    judged: no auth_type in the section, an auth_section indirection, or a plugin the data
    does not know, such as an out-of-tree one)."""
    at = res.at
    plugins = at.era.auth_plugins if at is not None else ()
    if not plugins:
        return None
    doc = lf.doc
    section = doc.norm_section(e.section)
    if doc.get(section, "auth_section") is not None:
        return None
    chosen = None
    for key in TYPE_KEYS:
        entry = doc.get(section, key)
        if entry is not None:
            chosen = (entry.value or "").strip()
            break
    if not chosen or chosen in plugins:
        return None
    return chosen if chosen in _known(ctx, lf.file_type, section, m) else None


def _known(ctx: Context, ft: str, section: str, m: Any) -> frozenset[str]:
    """Every auth_type value whose loader the data lists for this section and release."""
    cache = ctx.__dict__.setdefault("_auth_plugins", {})
    key = (ft, section)
    if key not in cache:
        names: set[str] = set()
        for at in m.at(ctx.release_for(ft)):
            era = at.era
            if era.auth_plugins and section in era.sections:
                names.update(era.auth_plugins)
        cache[key] = frozenset(names)
    return cache[key]
