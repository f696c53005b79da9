"""Real files are the test: `confgen lint --release TRUE_RELEASE` over every tree of the corpus
(devstack CI per release, kolla-ansible, OpenStack-Ansible, puppet, charms, openstack-helm;
tests/realfiles/MANIFEST.toml) reports exactly the tree's expected findings: the real problems
of the tool's files, each with why. Any other warning or error is a false finding.

Trees where confgen gives false findings today are xfail(strict) with exactly those recorded
(MANIFEST.toml `false`): the test fails if a new false finding appears, if a recorded one goes
away (update the manifest: `python tools/corpus/report.py --update`), and XPASS-fails when all
are fixed, so the record follows the data.
"""

from __future__ import annotations

from collections import Counter

import corpus_lib as cl
import pytest


class FalseFindings(AssertionError):
    """Exactly the recorded false findings: the known gap, xfailed."""


def _params():
    out = []
    for t in cl.trees():
        marks = []
        if t.false:
            by_rule = Counter(a.split()[-1] for a in t.false)
            why = ", ".join(f"{r} x{n}" for r, n in sorted(by_rule.items()))
            marks.append(pytest.mark.xfail(raises=FalseFindings, strict=True,
                                           reason=f"false findings today: {why}"))
        out.append(pytest.param(t, id=t.id, marks=marks))
    return out


def test_manifest_is_complete():
    trees = cl.trees()
    assert trees, "MANIFEST.toml lists no tree"
    tools = Counter(t.tool for t in trees)
    # devstack CI for every release havana..2026.1; at least 3 releases of every other tool
    assert tools["devstack"] >= 26, tools
    for tool in ("kolla-ansible", "openstack-ansible", "puppet", "charms", "openstack-helm"):
        assert tools[tool] >= 3, tools
    for t in trees:
        assert t.path.is_dir(), f"{t.id}: no directory {t.path}"
        assert t.lint or t.extra, f"{t.id}: nothing to lint"
        for p in t.lint:
            assert (t.path / p).is_dir(), f"{t.id}: lint root {p} missing"
        for p, _ft in t.extra:
            assert (t.path / p).is_file(), f"{t.id}: extra file {p} missing"
        assert t.sources and t.built, f"{t.id}: sources/built missing"
        for e in list(t.expected) + list(t.false):
            path = e.split(":", 1)[0]
            assert (t.path / path).is_file(), f"{t.id}: finding on missing file {path}"


def test_every_file_says_where_it_comes_from():
    for t in cl.trees():
        for f in t.path.rglob("*"):
            if f.is_file():
                first = f.read_text(errors="replace").splitlines()[:1]
                assert first and first[0].startswith("#"), f"{f}: no provenance header"


@pytest.mark.parametrize("tree", _params())
def test_no_false_findings(tree: cl.Tree):
    seen = {s.at: s for s in cl.findings(tree)}
    missing = sorted(set(tree.expected) - set(seen))
    assert not missing, (
        "expected findings (real problems of the tool's files) no longer reported: "
        + "; ".join(f"{a} ({tree.expected[a]})" for a in missing))
    unexpected = {a: s for a, s in seen.items() if a not in tree.expected}
    new = sorted(set(unexpected) - set(tree.false))
    gone = sorted(set(tree.false) - set(unexpected))
    assert not new, "new false findings:\n" + "\n".join(
        f"  {a} {unexpected[a].severity}: {unexpected[a].message}" for a in new)
    assert not gone, ("recorded false findings no longer reported (confgen improved: run "
                      "`python tools/corpus/report.py --update`):\n  " + "\n  ".join(gone))
    if unexpected:
        raise FalseFindings("\n".join(f"{a}: {s.message}" for a, s in sorted(unexpected.items())))


def _missed_params():
    out = []
    for t in cl.trees():
        for at, why in sorted(t.missed.items()):
            out.append(pytest.param(t, at, id=f"{t.id}:{at}", marks=[pytest.mark.xfail(
                strict=True, reason=f"not reported today: {why}")]))
    return out


@pytest.mark.parametrize(("tree", "at"), _missed_params())
def test_real_problem_is_reported(tree: cl.Tree, at: str):
    """Real problems of the tools' files that confgen does not report yet (MANIFEST `missed`):
    xfail until it does; then move the entry to `expected`."""
    assert at in {s.at for s in cl.findings(tree)}, f"{tree.id}: {at} not reported"
