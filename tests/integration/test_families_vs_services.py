"""The run-time section families (confgen.extract.ksa / families) against the real services.

For every release with service venvs (test_oslo_validator.py: 2024.1..2026.1), the venv's own
python reports what the installed code really does, and the static extraction of the same
versions (upstream git mirrors, tag = the installed version) must agree:

* keystoneauth1: every auth plugin's options as `get_auth_plugin_conf_options(name)` gives
  them to oslo.config (name, secret, deprecated names), the session, adapter (with and
  without include_deprecated) and common auth options (dump_ksa.py, nova venv);
* the keystoneauth-loaded groups of nova (and of castellan, whose groups nova lists): each
  group whose real option list holds the session / adapter / auth_type options is one
  ksa_groups() reports with that kind;
* cinder: every in-tree driver class is built with a fresh backend Configuration, as the volume
  manager does (dump_cinder_drivers.py); the options it registered in its section must lie
  between what we say it reads for sure at construction and everything we say it may read
  then (conditional reads: options under an `if` on a value, classes loaded by name); and
  every option a driver class declares with get_driver_options() must be among ours;
* glance_store: each store type's section and glance's reserved stores (dump_store_types.py).
Versions whose tag the mirror lacks, and mirrors that are absent, skip with the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from test_oslo_validator import _releases, _venv

from confgen.extract.families import cinder_backends, glance_reserved_stores, store_types
from confgen.extract.gitread import GitRepo
from confgen.extract.ksa import ADAPTER, AUTH, SESSION, ksa_groups, read_keystoneauth

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent
MIRRORS = Path(os.environ.get("CONFGEN_MIRRORS", "/work/.mirror"))


def _mirror(name: str) -> Path:
    repo = MIRRORS / f"openstack+{name}" / "repo"
    if not repo.is_dir():
        pytest.skip(f"no mirror of openstack/{name} at {repo} (set CONFGEN_MIRRORS)")
    return repo


def _tag(repo: Path, version: str) -> str:
    if not GitRepo(repo).has_ref(version):
        pytest.skip(f"{repo.parent.name}: the mirror has no tag {version} (the venv's version)")
    return version


def _dump(env_dir: Path, script: str, *args: str, stdin: str = "") -> dict:
    """Run one of our probe scripts with the venv's python; cached in the venv."""
    code = (HERE / script).read_text()
    key = hashlib.sha256("\0".join([code, *args, stdin]).encode()).hexdigest()[:16]
    cached = env_dir / f"{Path(script).stem}-{key}.json"
    if not cached.is_file():
        res = subprocess.run([str(env_dir / "bin/python"), str(HERE / script), *args],
                             input=stdin, capture_output=True, text=True, timeout=1200)
        if res.returncode != 0:
            raise RuntimeError(f"{script} failed:\n{res.stderr[-3000:]}")
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(res.stdout)
        tmp.replace(cached)
    return json.loads(cached.read_text())


def _version(env_dir: Path, dist: str) -> str:
    out = subprocess.run([str(env_dir / "bin/python"), "-c",
                          f"from importlib.metadata import version; print(version({dist!r}))"],
                         capture_output=True, text=True, check=True, timeout=120)
    return out.stdout.strip()


# ---- keystoneauth1 ------------------------------------------------------------------------------
def _ours(opts, lean: bool = False) -> list[tuple[str, bool, list[str]]]:
    return [(o.name, o.secret, sorted({n for _g, n in o.old if n}))
            for o in opts if not (lean and o.cond)]


def _theirs(opts) -> list[tuple[str, bool, list[str]]]:
    # oslo.config keeps a dashed deprecated name and adds its underscore form: files can
    # only use the latter (a '-' key is not an option name in an ini file)
    return [(o["name"], o["secret"], sorted(d for d in o["deprecated"] if "-" not in d))
            for o in opts]


@pytest.mark.parametrize("release", _releases())
def test_keystoneauth_plugins_match_the_real_library(need, release):
    env_dir = _venv(need, "nova", release)
    real = _dump(env_dir, "dump_ksa.py")
    repo = _mirror("keystoneauth")
    cat = read_keystoneauth(repo, _tag(repo, real["version"]))
    assert sorted(cat.plugins) == sorted(real["plugins"]), "plugin names differ"
    pairs = [("session", _ours(cat.session), _theirs(real["session"])),
             ("adapter", _ours(cat.adapter), _theirs(real["adapter"])),
             ("adapter(include_deprecated=False)", _ours(cat.adapter, True),
              _theirs(real["adapter_lean"])),
             ("auth common", _ours(cat.auth_common), _theirs(real["common"]))]
    pairs += [(f"plugin {n}", _ours(cat.plugins[n].opts), _theirs(real["plugins"][n]))
              for n in sorted(real["plugins"])]
    bad = [f"{label}:\n  ours {a}\n  real {b}" for label, a, b in pairs if a != b]
    n_opts = sum(len(p.opts) for p in cat.plugins.values())
    print(f"{release}: keystoneauth1 {real['version']}: {len(cat.plugins)} plugins, "
          f"{n_opts} plugin options, {len(pairs) - len(bad)}/{len(pairs)} lists identical")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("release", _releases())
def test_nova_keystoneauth_groups_match_the_real_option_lists(need, release):
    import service_venvs as validators

    env_dir = _venv(need, "nova", release)
    real_opts = validators.dump_options(env_dir, ["nova.conf"])
    groups: dict[str, set[str]] = {}
    for rec in real_opts:
        groups.setdefault(rec["group"], set()).add(rec["name"].replace("-", "_"))
    ksa = _dump(env_dir, "dump_ksa.py")
    repo = _mirror("nova")
    kinds = ksa_groups(repo, _tag(repo, _version(env_dir, "nova")), "nova").kinds()
    # nova's list_opts also lists castellan's groups ([barbican_service_user]); castellan
    # registers those itself, so its own scan answers for them
    lib = _mirror("castellan")
    for group, k in ksa_groups(lib, _tag(lib, _version(env_dir, "castellan")),
                               "castellan").kinds().items():
        kinds.setdefault(group, set()).update(k)
    marker = {SESSION: {o["name"] for o in ksa["session"]},
              ADAPTER: {o["name"] for o in ksa["adapter_lean"]},
              AUTH: {o["name"] for o in ksa["common"]}}
    bad = []
    for group, names in sorted(groups.items()):
        real_kinds = {k for k, m in marker.items() if m <= names}
        ours = kinds.get(group, set())
        if real_kinds - ours:
            bad.append(f"[{group}] lists {sorted(real_kinds - ours)} options; ksa_groups "
                       f"says {sorted(ours)}")
        for k in ours & set(marker):
            if group in groups and not marker[k] <= names and k in real_kinds:
                bad.append(f"[{group}] {k}: {sorted(marker[k] - names)} not listed")
    listed = [g for g in kinds if g in groups]
    print(f"{release}: nova keystoneauth groups: ours {len(kinds)}, listed by nova "
          f"{len(listed)}; differences {len(bad)}")
    assert not bad, "\n".join(bad)


# ---- cinder ---------------------------------------------------------------------------------
@pytest.mark.parametrize("release", _releases())
def test_cinder_drivers_register_what_we_say(need, release):
    env_dir = _venv(need, "cinder", release)
    repo = _mirror("cinder")
    found = cinder_backends(repo, _tag(repo, _version(env_dir, "cinder")))
    paths = sorted(p for p in found.drivers if p not in found.aliases)
    real = _dump(env_dir, "dump_cinder_drivers.py", stdin=json.dumps(paths))
    built, declaring, bad = 0, 0, []
    for p in paths:
        declared = real[p].get("declared")
        if declared is not None:  # get_driver_options(): what the driver says it reads
            declaring += 1
            if set(declared) - set(found.drivers[p]):
                bad.append(f"{p}: declares {sorted(set(declared) - set(found.drivers[p]))}"
                           " which we do not list")
        if real[p]["error"]:
            continue  # abstract base, or a driver that needs its array/libraries to be built
        built += 1
        at_build = {n for n in found.drivers[p]
                    if n in found.generic or found.origins[p].get(n) in ("__init__", "__new__")}
        sure = at_build - set(found.conditional.get(p, []))
        theirs = set(real[p]["opts"])
        if not sure <= theirs <= at_build:
            bad.append(f"{p}: registered but not in ours {sorted(theirs - at_build)}; "
                       f"ours for sure but not registered {sorted(sure - theirs)}")
    print(f"{release}: cinder {found.ref}: {len(paths)} driver classes, {built} built in the "
          f"venv, {declaring} declare their options; differences {len(bad)}; "
          f"{len(found.generic)} generic options")
    assert built >= len(paths) // 2, "too few drivers could be built to compare"
    assert not bad, "\n".join(bad)


# ---- glance_store and glance -----------------------------------------------------------------
@pytest.mark.parametrize("release", _releases())
def test_glance_store_sections_match_the_real_stores(need, release):
    env_dir = _venv(need, "glance", release)
    repo = _mirror("glance_store")
    st = store_types(repo, _tag(repo, _version(env_dir, "glance_store")))
    types = sorted(t for t in st.types if t not in st.bare)
    real = _dump(env_dir, "dump_store_types.py", json.dumps(types))
    bad = []
    for t in types:
        ours = set(st.generic) | set(st.types[t])
        if ours != set(real["types"][t]):
            bad.append(f"store {t}: ours - real {sorted(ours - set(real['types'][t]))}, "
                       f"real - ours {sorted(set(real['types'][t]) - ours)}")
    g = _mirror("glance")
    reserved = glance_reserved_stores(g, _tag(g, real["glance"]))
    if reserved.stores != real["glance_reserved"]:
        bad.append(f"glance reserved stores: ours {reserved.stores}, "
                   f"real {real['glance_reserved']}")
    for name, typ in reserved.stores.items():
        ours = [o.name for o in st.reserved_options(name, typ)]
        if sorted(ours) != real["reserved"][name]:
            bad.append(f"[{name}]: ours {sorted(ours)}, real {real['reserved'][name]}")
    print(f"{release}: glance_store {st.ref}: {len(types)} store types, reserved "
          f"{sorted(reserved.stores)}; differences {len(bad)}")
    assert not bad, "\n".join(bad)
