"""CG409: glance's default store is not among the stores it loads.

In single-store mode glance-api checks at start-up that `default_store` names a store it
loaded (`stores`, `known_stores` before Juno) and refuses to start otherwise. The trap: the
guides set `default_store = rbd` and leave `stores` alone, which works only where the
release's default list contains rbd (Havana's did; Icehouse's and later ones do not).
Checked: glance/cmd/api.py + glance/store/__init__.py verify_default_store @icehouse-eol,
glance/common/wsgi.py calling glance_store.verify_default_store @kilo-eol..2024.2-eol.
"""

from __future__ import annotations

from collections.abc import Iterator

from confgen.parse.document import Entry
from confgen.rules.base import Context, Finding, LintFile, Rule, glance_stores, split_list

FILE = "glance-api.conf"
# store names as glance_store's loader spells them -> the scheme default_store names
_SCHEME = {"filesystem": "file", "vmware_datastore": "vsphere", "vmware": "vsphere"}


def _scheme(store: str) -> str:
    # old class-path spelling: glance.store.rbd.Store -> rbd
    name = store.split(".")[-2] if store.count(".") >= 2 else store
    return _SCHEME.get(name, name)


def _entry(ctx: Context, lf: LintFile, key: str) -> tuple[Entry | None, object]:
    """The entry for an option under the spelling this release reads (or an old one it still
    reads), and the option as the release sees it (None if the release lacks it)."""
    m = ctx.matrix(FILE)
    at = m.get(key, ctx.release) if m is not None else None
    if at is None:
        return None, None
    spellings = [(at.era.section, at.era.name)] + [(a.section, a.name) for a in at.era.aliases]
    return ctx.find(FILE, *spellings), at


def check(ctx: Context) -> Iterator[Finding]:
    lf = ctx.files.get(FILE)
    if lf is None or glance_stores(lf.doc):  # multi-store has no default_store/stores
        return
    default, _ = _entry(ctx, lf, "glance_store.default_store")
    if default is None or not default.value.strip():
        return
    stores, at = _entry(ctx, lf, "glance_store.stores")
    if at is None:
        return
    if stores is not None:
        loaded = split_list(stores.value)
        where = f"[{stores.section}] {stores.key} = {{stores}}"
    else:
        loaded = [str(s) for s in (at.era.default or [])]
        where = (f"{at.era.name} is not set, and its default in {ctx.release} is "
                 f"{', '.join(_scheme(s) for s in loaded)}")
    schemes = {_scheme(s) for s in loaded}
    want = default.value.strip()
    if want not in schemes:
        shown = {"value": want, **({"stores": stores.value.strip()} if stores else {})}
        yield RULE.on(lf, default, "default_store = {value} but glance does not load that "
                                   f"store ({where}); glance-api refuses to start: add {{value}} "
                                   f"to [{at.era.section}] {at.era.name}", values=shown)


RULE = Rule("CG409", "default-store-not-loaded", "error",
            "glance default_store names a store glance does not load", check)
