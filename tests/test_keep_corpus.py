"""Property over the real-files corpus (tests/realfiles/): `lint --fix` at a tree's release and
`migrate` from it to every later release keep every value the real oslo.config read (or, for
migrate, report it). Each node group of a tree is edited as the commands edit it (discover,
then every fix and structural change, each proven by confgen.keep); the values before and
after are read by oslo.config with the release's options registered (tests/oslo_oracle.py).

Fast: each tree fixed at its release, each tool's oldest tree migrated to 2026.1 (the newest
with a stable branch); slow: every tree to every later release."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from oslo_oracle import oslo_reads

from confgen import releases
from confgen.fix import fix_group, load_group
from confgen.lint import discover
from confgen.matrix import load
from confgen.restructure import PLANNERS

sys.path.insert(0, str(Path(__file__).resolve().parent / "realfiles"))
import corpus_lib as cl  # noqa: E402

logging.getLogger("oslo_config").setLevel(logging.ERROR)

R = releases.openstack()
OSLO = ("nova.conf", "cinder.conf", "glance-api.conf")


def kept(tree: cl.Tree, target_name: str) -> list[str]:
    """What migrating (or, at the tree's own release, fixing) the tree loses unreported."""
    source, target = R.get(tree.release), R.get(target_name)
    problems = []
    for group in discover([str(tree.path / p) for p in tree.lint]):
        files, texts = load_group(group, [])
        fixed = fix_group(files, texts, target, rounds=8,
                          source=source if source != target else None,
                          planners=PLANNERS if source != target else ())
        for ft, lf in files.items():
            if ft not in OSLO:
                continue
            ff = fixed[lf.path]
            m = load(ft)
            before = oslo_reads(texts[lf.path], ft, source, m)
            after = oslo_reads(ff.after, ft, target, m)
            carries = {c.src[2:]: c for e in ff.applied for c in e.carries}
            reported = {loss.ident[2:] for loss in ff.losses}
            if source == target and ff.losses:
                problems.append(f"{lf.path}: fix reports losses {ff.losses}")
            for ident, value in before.items():
                if m.get(ident[0], target) is None or ident in reported:
                    continue
                c = carries.get(ident)
                if c is not None and c.same is not None:
                    continue  # the edit's own claim, proven by confgen.keep
                now = after.get(c.dst[2:] if c else ident)
                if now != value and not (ident[0].endswith("_driver") and now):
                    problems.append(f"{lf.path} {ident}: {value!r} -> {now!r}")
    return problems


def _pairs(every: bool) -> list:
    """Fast: every tree fixed at its release, and each tool's oldest tree migrated to 2026.1;
    slow (every=True): every tree to every later release."""
    out, oldest = [], {}
    for t in cl.trees():
        later = [r.name for r in R.range(t.release, "2026.1")]
        if every:
            targets = later
        else:
            targets = [t.release]
            if t.tool not in oldest:
                oldest[t.tool] = t
                targets.append("2026.1")
        out += [pytest.param(t, dst, id=f"{t.id}->{dst}") for dst in sorted(set(targets))]
    return out


@pytest.mark.parametrize(("tree", "target"), _pairs(every=False))
def test_corpus_edits_keep_every_value(tree: cl.Tree, target: str):
    assert kept(tree, target) == []


@pytest.mark.slow
@pytest.mark.parametrize(("tree", "target"), _pairs(every=True))
def test_corpus_migrations_to_every_later_release_keep_every_value(tree: cl.Tree, target: str):
    assert kept(tree, target) == []
