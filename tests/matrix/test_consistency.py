"""Whole-matrix invariants over the shipped data (every file that exists)."""

import json

import pytest

from confgen import releases
from confgen.datapath import data_dir
from confgen.matrix import FILES, load

PRESENT = [f for f in FILES if (data_dir("release_matrix") / f"{f}.json").exists()]


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


def test_aliases_do_not_shadow_a_live_option(matrix):
    for rel in matrix.family.releases:
        live = {(s, matrix._norm(a.era.name)) for a in matrix.at(rel) for s in a.era.sections}
        for at in matrix.at(rel):
            for alias in at.era.aliases:
                k = (alias.section, matrix._norm(alias.name))
                assert k not in live or alias.name == at.era.name, f"{rel}: alias {k} is live"


def test_every_option_has_help_and_source(matrix):
    # a complete list (ceph.conf: every option Ceph defines) carries our own help only for the
    # options confgen renders or talks about; upstream descriptions are never copied
    missing = [] if matrix.meta.get("complete") else [
        o.key for o in matrix.options.values() if not o.help.strip()]
    assert not missing, f"options without help: {missing[:10]}"
    unsourced = [o.key for o in matrix.options.values() if not all(e.source for e in o.eras)]
    assert not unsourced, f"eras without source: {unsourced[:10]}"


def test_replacements_point_to_real_options(matrix):
    for opt in matrix.options.values():
        for era in opt.eras:
            if era.replacement:
                assert era.replacement in matrix.options or "." in era.replacement, (
                    opt.key, era.replacement)
