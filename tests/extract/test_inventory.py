"""The complete-inventory extraction against throw-away git repositories.

Fixtures (tests/extract/fixtures/inventory, our own code, `*.txt` so nothing imports them):
  fakelib-1.0, fakelib-2.0  a library tagged 1.0.0 / 2.0.0: list_opts across modules,
                            chain(*lists), deepcopy, a comprehension, stevedore drivers (a
                            class OPTIONS, a function attribute), an Opt subclass, set_defaults
  svc-havana                no generator: options registered at import, one by a module that
                            only imports the list, a group from another module's constant, a
                            registration inside an uncalled function, py2 syntax
  svc-icehouse              + the incubator generator's rc naming the library
  svc-juno                  an oslo-config-generator config, the nova-style walk over a conf
                            package, a defaults hook, an unknown call inside a list
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from confgen.extract import parse_spec
from confgen.extract.__main__ import dumps
from confgen.extract.build import extract
from confgen.extract.genconf import parse_generator_conf, parse_rc
from confgen.extract.gitread import GitRepo
from confgen.extract.interp import Package, World, call_entry_point
from confgen.extract.inventory import Mirrors
from confgen.extract.pins import LibrarySpec, Pins, constraint, parse_requirements
from confgen.matrix.load import from_dict
from confgen.releases import openstack

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
RELEASES = ["havana", "icehouse", "juno", "kilo"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        check=True, capture_output=True,
    )


def _commit_tree(repo: Path, src: Path | None, files: dict[str, str], tag: str) -> None:
    """Make the work tree exactly `src` (fixture files without .txt) + `files`; tag it."""
    for old in [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts]:
        old.unlink()
    if src is not None:
        for f in src.rglob("*.txt"):
            dest = repo / f.relative_to(src).with_suffix("")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(f.read_text())
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", tag)
    _git(repo, "tag", tag)


@pytest.fixture(scope="module")
def mirrors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mirrors")
    repos = {}
    for name in ("fakelib", "fakesvc", "requirements"):
        repos[name] = root / f"openstack+{name}" / "repo"
        repos[name].mkdir(parents=True)
        _git(repos[name], "init", "-q")
    _commit_tree(repos["fakelib"], FIXTURES / "fakelib-1.0", {}, "1.0.0")
    _commit_tree(repos["fakelib"], FIXTURES / "fakelib-2.0", {}, "2.0.0")
    for rel, src in [("havana", "svc-havana"), ("icehouse", "svc-icehouse"),
                     ("juno", "svc-juno"), ("kilo", "svc-juno")]:
        _commit_tree(repos["fakesvc"], FIXTURES / src, {}, f"{rel}-eol")
    ranged = {"global-requirements.txt": "# the range\nfakelib>=1.0,<2.0  # Apache-2.0\n"}
    _commit_tree(repos["requirements"], None, ranged, "havana-eol")
    _git(repos["requirements"], "tag", "icehouse-eol")
    uc = ("fakelib===1.0.0;python_version=='2.7'\nfakelib===2.0.0;python_version=='3.8'\n"
          "otherlib===3.0\n")
    _commit_tree(repos["requirements"], None, {"upper-constraints.txt": uc}, "juno-eol")
    _commit_tree(repos["requirements"], None,
                 {"upper-constraints.txt": "fakelib===2.1.0\n"}, "kilo-eol")
    (root / "libraries.toml").write_text(
        'requirements = "openstack/requirements"\nranged = ["havana", "icehouse"]\n'
        '[refs]\n' + "".join(f'{r} = "{r}-eol"\n' for r in RELEASES)
        + '[repos]\nfakelib = "openstack/fakelib"\n'
    )
    return root


# ---- the evaluator ----------------------------------------------------------------------------
def test_list_opts_followed_across_modules_and_drivers(mirrors):
    repo = GitRepo(mirrors / "openstack+fakelib" / "repo")
    world = World([Package("openstack/fakelib", repo, "1.0.0")])
    pairs, unknown = call_entry_point(world, "fakelib.opts:list_opts")
    assert unknown == []
    got = {(g, o.name): o.d for g, o in pairs}
    assert set(got) == {
        ("DEFAULT", n) for n in ("verbose-output", "chunk_size", "mode", "ratio", "mapping",
                                 "host")
    } | {("fakelib_extra", "token"), ("fakelib_extra", "port"),
         ("fakelib_alpha", "alpha_dir"), ("fakelib_alpha", "alpha_retries"),
         ("fakelib_beta", "beta_url")}
    d = got["DEFAULT", "chunk_size"]
    assert (d.type, d.default, d.min) == ("int", 4096, 1)  # 4 * 1024 through a module constant
    assert got["DEFAULT", "mode"].choices == ["fast", "safe"]  # descriptions dropped
    r = got["DEFAULT", "ratio"]
    assert (r.type, r.min, r.max) == ("float", 0.5, 2.0)
    m = got["DEFAULT", "mapping"]
    assert (m.type, m.item_type) == ("multistring", "dict")
    assert got["DEFAULT", "host"].default == "<computed: socket_name()>"
    assert got["DEFAULT", "verbose-output"].old == [(None, "verbose")]
    t = got["fakelib_extra", "token"]
    assert t.secret and t.old == [("DEFAULT", "old_token")]
    p = got["fakelib_extra", "port"]
    assert (p.type, p.default, p.deprecated, p.deprecated_since) == ("port", 8080, True, "1.0")
    assert got["fakelib_alpha", "alpha_dir"].default == "/var/lib/alpha_dir"  # Opt subclass
    assert got["fakelib_beta", "beta_url"].default == "http://localhost"  # function attribute


def test_an_unknown_call_is_reported_not_guessed(mirrors):
    repo = GitRepo(mirrors / "openstack+fakesvc" / "repo")
    lib = GitRepo(mirrors / "openstack+fakelib" / "repo")
    world = World([Package("openstack/fakesvc", repo, "juno-eol"),
                   Package("openstack/fakelib", lib, "2.0.0")])
    pairs, unknown = call_entry_point(world, "fakesvc.conf.opts:list_opts")
    names = {(g, o.name) for g, o in pairs}
    assert ("volume", "volume_dir") in names and ("DEFAULT", "state_path") in names
    assert unknown == ["an option of group volume"]  # unknown_helper() is not invented


# ---- pins, generator configs -----------------------------------------------------------------
def test_requirements_parsing_and_python_markers():
    reqs = parse_requirements("a===1.0;python_version=='2.7'\na===2.0;python_version=='3.8'\n"
                              "# c\nglance_store===4.0 # x\n-e git+x\n")
    assert constraint(reqs["a"]) == "2.0"  # the newest Python's pin
    assert constraint(reqs["glance-store"]) == "4.0"  # spellings normalised


def test_pins_from_ranges_constraints_and_absent_tags(mirrors):
    m = Mirrors(mirrors)
    fam = openstack()
    spec = LibrarySpec("openstack/requirements", {"havana", "icehouse"},
                       {fam.get(r): f"{r}-eol" for r in RELEASES}, {"fakelib": "openstack/fakelib"})
    pins = Pins(spec, m.repo("openstack/requirements"), m.path)
    ice = pins.of(fam.get("icehouse"))["fakelib"]
    assert ice.version == "1.0.0" and ice.how.startswith("global-requirements.txt@icehouse-eol")
    assert pins.of(fam.get("juno"))["fakelib"].version == "2.0.0"
    kilo = pins.of(fam.get("kilo"))["fakelib"]
    assert (kilo.version, kilo.pinned) == ("2.0.0", "2.1.0")  # 2.1.0 is not in the mirror


def test_generator_configs():
    assert parse_generator_conf("[DEFAULT]\nnamespace = a\nnamesapce = b\nnamespace = a\n"
                                "namespace=c\n") == ["a", "c"]
    assert parse_rc('export X_CONFIG_GENERATOR_EXTRA_LIBRARIES="oslo.messaging oslo_db"\n'
                    "X_CONFIG_GENERATOR_EXTRA_MODULES=keystonemiddleware.auth_token\n") == (
        ["oslo.messaging", "oslo_db"], ["keystonemiddleware.auth_token"])


# ---- the whole build --------------------------------------------------------------------------
def _spec(mirrors: Path) -> dict:
    return {
        "file": "cinder.conf",
        "project": "fakesvc",
        "refs": {r: f"{r}-eol" for r in RELEASES},
        "inventory": {
            "package": "fakesvc",
            "generator": ["etc/fakesvc/fakesvc-config-generator.conf",
                          "tools/config/oslo.config.generator.rc"],
            "own": ["fakesvc.conf"],
            "libraries": str(mirrors / "libraries.toml"),
            "ksa": False,
        },
        "place": [
            {"match": ["backend_defaults.*"], "section": "@backend",
             "also": ["backend_defaults"], "why": "fixture: backends fall back there"},
            {"match": ["backend.*"], "section": "@backend", "why": "fixture: per backend"},
        ],
        "options": {"DEFAULT.state_path": {"help": "Where state lives."}},
    }


@pytest.fixture(scope="module")
def built(mirrors) -> tuple[dict, list[str]]:
    import confgen.extract.inventory as inv

    saved, inv.CACHE_DIR = inv.CACHE_DIR, None  # never the user's cache here
    try:
        m = Mirrors(mirrors)
        data, warnings = extract(parse_spec(_spec(mirrors)),
                                 str(mirrors / "openstack+fakesvc" / "repo"), mirrors=m)
        m.close()
    finally:
        inv.CACHE_DIR = saved
    return data, warnings


def _opt(data: dict, key: str) -> dict:
    return next(o for o in data["options"] if o["key"] == key)


def test_module_scan_sees_registrations_at_import(built):
    data, _ = built
    vol = _opt(data, "volume.volume_dir")
    havana = vol["eras"][0]
    # defined in options.py, registered by driver.py at import; default through a helper
    assert (havana["from"], havana["section"], havana["default"]) == (
        "havana", "DEFAULT", "$state_path/volumes")
    assert havana["source"] == (
        "openstack/fakesvc:fakesvc/volume/options.py@havana-eol..icehouse-eol")
    # the group came from a constant of another module, then the [[place]] rule
    bn = _opt(data, "@backend.backend_name")
    assert bn["eras"][0]["also"] == ["backend_defaults"]
    # registered only inside main(): found in the source, placed by the literal group
    assert _opt(data, "@backend.backend_host")["eras"][0]["from"] == "havana"


def test_libraries_at_their_pins_with_provenance(built):
    data, _ = built
    assert data["libraries"] == {"havana": {}, "icehouse": {"fakelib": "1.0.0"},
                                 "juno": {"fakelib": "2.0.0"},
                                 "kilo": {"fakelib": "2.0.0"}}
    assert data["pins_not_in_mirror"] == {"kilo": {"fakelib": "2.1.0"}}
    assert data["namespaces"]["juno"] == ["fakesvc.conf", "fakelib"]
    assert data["generators"]["havana"] == "module scan"
    port = _opt(data, "fakelib_extra.port")["eras"]
    assert [(e["from"], e["to"], e["default"]) for e in port] == [
        ("icehouse", "icehouse", 8080), ("juno", "kilo", 9090)]
    assert port[1]["source"] == "openstack/fakelib:fakelib/_options.py@2.0.0"
    assert port[1]["namespace"] == "fakelib"


def test_renames_link_and_names_are_what_files_spell(built):
    data, _ = built
    # [volume] volume_dir declares deprecated_group=DEFAULT: havana's [DEFAULT] spelling joins
    assert [e["section"] for e in _opt(data, "volume.volume_dir")["eras"]] == [
        "DEFAULT", "volume"]
    vo = _opt(data, "DEFAULT.verbose_output")["eras"][0]  # the dest, not verbose-output
    assert vo["aliases"] == [["DEFAULT", "verbose"]]
    m = _opt(data, "DEFAULT.mapping")["eras"][0]
    assert (m["type"], m["item_type"]) == ("multistring", "dict")


def test_defaults_hook_changes_library_defaults(built):
    data, _ = built
    eras = _opt(data, "DEFAULT.chunk_size")["eras"]
    assert [(e["from"], e["default"]) for e in eras] == [("icehouse", 4096), ("juno", 8192)]


def test_unresolved_parts_warn_and_data_loads(built):
    data, warnings = built
    assert any("juno" in w and "an option of group volume not resolved" in w for w in warnings)
    fm = from_dict(json.loads(dumps(data)))
    at = fm.get("fakelib_extra.port", "juno")
    assert at is not None and at.era.namespace == "fakelib"
    assert fm.get("DEFAULT.mapping", "juno").era.item_type == "dict"


def test_serialisation_is_compact_one_option_per_line(built):
    data, _ = built
    text = dumps(data)
    lines = text.splitlines()
    assert len(lines) == len(data["options"]) + 2
    assert lines[1].startswith('{"key":') and ": " not in lines[0][:40]
    assert json.loads(text) == data
