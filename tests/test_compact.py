"""The compact forms lint loads at start-up are exactly what the sources in release_matrix/
give (`python -m confgen.compact` rewrites them)."""

from confgen import compact, releases
from confgen.compiled.releases import RELEASES


def test_every_compact_file_is_what_the_sources_give():
    want = compact.expected()
    stale = [str(p) for p, text in want.items()
             if not p.exists() or p.read_text("utf-8") != text]
    stale += [f"{p} (left over)" for p in compact.leftovers(want)]
    assert not stale, f"stale compact forms (run python -m confgen.compact): {stale}"


def test_ceph_views_equal_their_json():
    import importlib
    import json

    from confgen.datapath import data_dir
    from confgen.matrix.compact import thaw

    views = sorted((data_dir("release_matrix") / "ceph").glob("*.json"))
    assert len(views) == len(releases.ceph().releases)
    for view in views:
        mod = importlib.import_module(f"confgen.compiled.ceph_conf.r{view.stem}")
        shipped = {k: ({n: thaw(row) for n, row in v.items()} if k in ("o", "x") else v)
                   for k, v in mod.VIEW.items()}
        assert shipped == json.loads(view.read_text("utf-8")), view.name


def test_release_registry_equals_the_toml():
    raw = compact.releases_raw()
    for fam in ("openstack", "ceph"):
        assert [{k: list(v) if isinstance(v, tuple) else v for k, v in e.items()}
                for e in RELEASES[fam]] == raw[fam]
        names = [e["name"] for e in raw[fam]]
        assert releases.family(fam).names() == names
    juno = releases.get("juno")
    assert juno.versions == {"nova": "2014.2", "cinder": "2014.2", "glance": "2014.2",
                             "glance_store": "0.1"} and juno.ceph == "firefly"


# -- the compact matrices answer exactly as the full matrices ---------------------------------
import pytest  # noqa: E402

from confgen.matrix.compact import load_compact  # noqa: E402
from confgen.matrix.load import load  # noqa: E402

MAX_PROBES = 4000  # spellings asked per file and release (a deterministic sample beyond that)


def _probes(full) -> list[tuple[str, str]]:
    """Spellings to ask about: every placement and old spelling any release had, the same
    names in [DEFAULT] and in a section nobody reads, in another case, and misspelt."""
    out: dict[tuple[str, str], None] = {}
    for opt in full.options.values():
        for era in opt.eras:
            for sec in era.sections:
                out[(sec, era.name)] = None
            for a in era.aliases:
                out[(a.section, a.name)] = None
            out[("DEFAULT", era.name)] = None
            out[("nosuchsection", era.name)] = None
            out[(era.section, era.name.upper())] = None
            out[(era.section, era.name[:-1] + "x")] = None
    probes = sorted(out)
    step = max(1, len(probes) // MAX_PROBES)
    return probes[::step]


def _answer(res) -> tuple:
    opt = res.option
    return (res.kind, opt.key if opt else None, opt == opt and opt, res.at, res.expected,
            res.since, res.removed, res.suggestions,
            tuple(getattr(res, f, None) for f in ("until", "candidates")))


@pytest.mark.parametrize("file", compact.COMPACT_FILES)
def test_compact_matrix_answers_as_the_full_matrix(file: str):
    """The oldest, a middle and the newest release (every release: the slow test below)."""
    rels = load(file).family.releases
    _check_releases(file, [rels[0], rels[len(rels) // 2], rels[-1]])


@pytest.mark.slow
@pytest.mark.parametrize("file", compact.COMPACT_FILES)
def test_compact_matrix_answers_as_the_full_matrix_in_every_release(file: str):
    _check_releases(file, load(file).family.releases)


def _check_releases(file: str, rels) -> None:
    full = load(file)
    probes = _probes(full)
    for r in rels:
        c = load_compact(file, r)
        assert c is not None, f"no compact form of {file} for {r}"
        assert [(a.option.key, a.era) for a in c.at(r)] == \
            [(a.option.key, a.era) for a in full.at(r)]
        assert c.sections(r) == full.sections(r) and c.live_names(r) == full.live_names(r)
        for sec, name in probes:
            # as written, and with the section in a run-time family (a backend, a store)
            for dyn in ({}, {"@backend": {sec}, "@store": {sec}}):
                got, want = c.resolve(r, sec, name, dyn), full.resolve(r, sec, name, dyn)
                assert _answer(got) == _answer(want), (file, r.name, sec, name, dyn)
        for key in list(full.options)[::7]:  # whole histories decode to the same options
            assert c.options[key] == full.options[key]
            assert c.options[key].removed_in(c.family) == full.options[key].removed_in(
                full.family)


@pytest.mark.parametrize("file", compact.COMPACT_FILES)
def test_compact_histories_answer_as_the_full_matrix(file: str):
    """Release detection asks the compact form (load_histories) which releases read a
    spelling: the same answers as the full matrix, for every placement and old spelling."""
    from confgen.matrix.load import load_histories

    full, c = load(file), load_histories(file)
    assert c is not full and isinstance(c, type(load_compact(file, full.family.latest)))
    for sec, name in _probes(full)[::3]:
        for dyn in ({}, {"@backend": {sec}, "@store": {sec}}):
            got = c.history(sec, name, dyn)
            assert got == full.history(sec, name, dyn), (file, sec, name, dyn)
            for key in got:
                assert c.option(key).introduced == full.option(key).introduced
