"""Release detection on real files: for every corpus tree, what `confgen lint -r auto` finds
from the files alone (no service package installed) must hold the release the tool targeted
(never wrong), and should be exactly that release.

MANIFEST.toml `detect` records what confgen finds today; trees where it is wrong (or not
exact) are xfail(strict) on that, so the tests flip when detection improves (then run
`python tools/corpus/report.py --update`).
"""

from __future__ import annotations

import corpus_lib as cl
import pytest

# detection from files takes about 5 s per tree today (every option resolved in every release)
pytestmark = pytest.mark.slow


def _names(spec: str) -> list[str]:
    from confgen import releases

    fam = releases.openstack()
    if spec in ("", "none"):
        return []
    out = []
    for part in spec.split(","):  # runs, where releases inside the range are excluded
        lo, _, hi = part.strip().partition("..")
        a, b = fam.get(lo), fam.get(hi or lo)
        out += [r.name for r in fam.releases if a <= r <= b]
    return out


def _params(kind: str):
    out = []
    for t in cl.trees():
        today = _names(t.detect)
        ok = (t.release in today) if kind == "contains" else (today == [t.release])
        marks = [] if ok else [pytest.mark.xfail(strict=True, reason=f"today: {t.detect}")]
        out.append(pytest.param(t, id=t.id, marks=marks))
    return out


@pytest.mark.parametrize("tree", _params("contains"))
def test_detected_range_holds_the_true_release(tree: cl.Tree):
    names, evidence = cl.detection(tree)
    assert tree.release in names, (
        f"detected {cl.span(names)} for files written for {tree.release}: " + "; ".join(evidence))


@pytest.mark.parametrize("tree", _params("exact"))
def test_detected_release_is_exact(tree: cl.Tree):
    names, evidence = cl.detection(tree)
    assert names == [tree.release], (
        f"detected {cl.span(names)}, not exactly {tree.release}: " + "; ".join(evidence))


def test_record_matches_today():
    """MANIFEST.toml's `detect` is what confgen finds now (else the xfail marks above lie)."""
    stale = []
    for t in cl.trees():
        now = cl.span(cl.detection(t)[0])
        if now != t.detect:
            stale.append(f"{t.id}: recorded {t.detect}, now {now}")
    assert not stale, "run `python tools/corpus/report.py --update`:\n" + "\n".join(stale)


def test_limit_tool_measures_what_detection_finds():
    """tools/corpus/detect_limit.py (the information limit of detection) computes its
    `proven` column the way `-r auto` does, and its sets are consistent with each other."""
    import importlib.util

    path = cl.HERE.parents[1] / "tools" / "corpus" / "detect_limit.py"
    spec = importlib.util.spec_from_file_location("detect_limit", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    for t in cl.trees()[:6]:
        row = tool.measure(t)
        assert row["proven"] == cl.detection(t)[0], t.id
        assert set(row["likely"]) <= set(row["proven"]) and set(row["fewest"]) <= set(row["proven"])
        assert set(row["strict"]) <= set(row["names"])
