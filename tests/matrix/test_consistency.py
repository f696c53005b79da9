"""Whole-matrix invariants over the shipped data (every file that exists)."""

import json
import tomllib
from pathlib import Path

import pytest

from confgen import releases
from confgen.datapath import data_dir
from confgen.matrix import FILES, load

PRESENT = [f for f in FILES if (data_dir("release_matrix") / f"{f}.json").exists()]
SOURCES = Path(__file__).resolve().parents[2] / "release_matrix" / "sources"


@pytest.fixture(params=PRESENT)
def matrix(request):
    return load(request.param)


def test_every_release_named_in_the_data_is_known(matrix):
    raw = json.loads((data_dir("release_matrix") / f"{matrix.file}.json").read_text())
    fam = releases.family(raw.get("family", "openstack"))
    for opt in raw["options"]:
        for era in opt["eras"]:
            fam.get(era["from"])
            fam.get(era["to"])
    for rel in raw.get("refs", {}):
        fam.get(rel)


def test_eras_are_ordered_and_do_not_overlap(matrix):
    for opt in matrix.options.values():
        prev = None
        for era in opt.eras:
            assert era.first <= era.last, (opt.key, era)
            if prev is not None:
                assert prev.last < era.first, f"{opt.key}: overlapping eras"
            prev = era


def test_no_two_options_claim_the_same_placement(matrix):
    for rel in matrix.family.releases:
        seen: dict[tuple[str, str], str] = {}
        for at in matrix.at(rel):
            for section in at.era.sections:
                k = (section, matrix._norm(at.era.name))
                assert k not in seen, f"{rel}: {k} claimed by {seen[k]} and {at.option.key}"
                seen[k] = at.option.key


def test_an_alias_that_is_also_a_live_option_resolves_to_the_live_option(matrix):
    """The complete inventory has old spellings that are still options of their own (upstream
    keeps [keystone_authtoken] auth_uri registered while www_authenticate_uri lists it as
    deprecated; keystoneauth plugins disagree on username/user_name). Resolution must then
    say what the release reads: the live option, never "renamed"."""
    for rel in matrix.family.releases:
        live = {(s, matrix._norm(a.era.name)): a for a in matrix.at(rel) for s in a.era.sections
                if not s.startswith("@")}
        for at in matrix.at(rel):
            for alias in at.era.aliases:
                k = (alias.section, matrix._norm(alias.name))
                if k in live and alias.name != at.era.name:
                    res = matrix.resolve(rel, alias.section, alias.name)
                    assert res.kind in ("current", "deprecated"), f"{rel}: {k} -> {res.kind}"
                    assert res.option is not None
                    assert matrix._norm(res.at.era.name) == k[1], f"{rel}: {k}"


def _curated_keys(file: str) -> set[str]:
    """Option keys the spec gives our own help (the Ceph-relevant ones); the complete inventory
    has no help for the others (upstream help is never copied: explain shows type, default and
    source instead)."""
    spec = SOURCES / f"{file}.toml"
    if not spec.exists():
        return set()
    return {k for k, v in tomllib.loads(spec.read_text())["options"].items() if v.get("help")}


def test_curated_options_have_help_and_every_era_a_source(matrix):
    # ceph.conf's complete list (every option Ceph defines) carries our own help only for the
    # options confgen renders or talks about; upstream descriptions are never copied
    if matrix.file == "ceph.conf":
        curated = set() if matrix.meta.get("complete") else set(matrix.options)
    else:
        curated = _curated_keys(matrix.file)
    missing = sorted(k for k in curated if k not in matrix.options or not matrix.options[k].help)
    assert not missing, f"curated options without help: {missing[:10]}"
    unsourced = [o.key for o in matrix.options.values() if not all(e.source for e in o.eras)]
    assert not unsourced, f"eras without source: {unsourced[:10]}"


def test_library_facts_name_a_library_the_release_read(matrix):
    """An era read from a library names it and its tags; that library is among the versions
    the data says each release of the era read (meta `libraries`, from openstack/requirements)."""
    libs = matrix.meta.get("libraries")
    if libs is None:
        pytest.skip("not a complete-inventory file")
    project_repo = f"openstack/{matrix.meta['project']}"
    for opt in matrix.options.values():
        for era in opt.eras:
            repo, _, rest = era.source.partition(":")
            if repo == project_repo:
                continue
            first = rest.rpartition("@")[2].split("..")[0]
            read = libs.get(era.first.name, {}).values()
            assert first in read, f"{opt.key} {era.first.name}: {era.source} not among {read}"


def test_replacements_point_to_real_options(matrix):
    for opt in matrix.options.values():
        for era in opt.eras:
            if era.replacement:
                assert era.replacement in matrix.options or "." in era.replacement, (
                    opt.key, era.replacement)


def test_sections_are_spelt_as_oslo_config_reads_them(matrix):
    """oslo.config looks groups up in lower case (except DEFAULT): a section the data holds
    in another case (cinder's generator listed 'COORDINATION' in mitaka..ocata) would never
    match a file's section, and the option would look 'not yet' where it is read."""
    if matrix.family.name != releases.OPENSTACK:
        return
    for opt in matrix.options.values():
        for era in opt.eras:
            places = [*era.sections, *(a.section for a in era.aliases)]
            bad = [s for s in places if s != "DEFAULT" and not s.startswith("@")
                   and s != s.lower()]
            assert not bad, f"{opt.key} {era.first}..{era.last}: {bad}"
