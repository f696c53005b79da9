"""Linear-time linting: four times the lines must cost about four times the time and memory,
not sixteen (1M `a=1` lines took 362 s; 40k sections 21 s; a 4 MB file used 1.16 GB).

These compare a run with its own 4x bigger self, so they hold on a slow or busy machine;
absolute figures are in tools/bench.py. Reproduction of issue 12 ("Hangs and tracebacks")."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from confgen import releases
from confgen.fix import fix_paths
from confgen.lint import forget_memos, lint

SHAPES: dict[str, Callable[[int], str]] = {
    "one key repeated": lambda n: "[DEFAULT]\n" + "a=1\n" * n,
    "distinct keys": lambda n: "[DEFAULT]\n" + "".join(f"k{i}=1\n" for i in range(n)),
    "many sections": lambda n: "".join(f"[s{i}]\na=1\n" for i in range(n // 2)),
    "owned section": lambda n: "[libvirt]\n" + "".join(f"images_typ{i} = rbd\n"
                                                       for i in range(n)),
}


def _tree(root: Path, text: str) -> Path:
    (root / "nova").mkdir(parents=True)
    (root / "nova" / "nova.conf").write_text(text)
    return root


def _seconds(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        forget_memos()  # a repeat would reuse the first run's parse and key meanings
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_lint_time_grows_linearly(tmp_path, shape):
    rel = releases.get("2024.1")
    small = _tree(tmp_path / "s", SHAPES[shape](20_000))
    big = _tree(tmp_path / "b", SHAPES[shape](80_000))
    t_small = _seconds(lambda: lint([str(small)], rel))
    t_big = _seconds(lambda: lint([str(big)], rel))
    assert t_big / t_small < 8, (t_small, t_big)  # linear ~4, quadratic ~16


@pytest.mark.slow
def test_fix_time_grows_linearly(tmp_path):
    rel = releases.get("2024.1")
    text = lambda n: "[DEFAULT]\n" + "images_type = rbd\n" * n  # noqa: E731  (moved + deduped)
    small = _tree(tmp_path / "s", text(5_000))
    big = _tree(tmp_path / "b", text(20_000))
    t_small = _seconds(lambda: fix_paths([str(small)], rel))
    t_big = _seconds(lambda: fix_paths([str(big)], rel))
    assert t_big / t_small < 8, (t_small, t_big)


@pytest.mark.slow
def test_lint_memory_grows_linearly(tmp_path):
    rel = releases.get("2024.1")
    peaks = []
    for n in (20_000, 80_000):
        root = _tree(tmp_path / str(n), SHAPES["one key repeated"](n))
        gc.collect()
        tracemalloc.start()
        lint([str(root)], rel)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] / peaks[0] < 6, peaks
    assert peaks[1] / (80_000 * 4) < 1000, "more than 1 KB per input byte"


@pytest.mark.slow
def test_ceph_conf_lint_time_grows_linearly(tmp_path):
    rel, ceph = releases.get("2024.1"), releases.ceph().get("reef")
    roots = []
    for n in (10_000, 40_000):
        root = tmp_path / str(n)
        (root / "ceph").mkdir(parents=True)
        (root / "ceph" / "ceph.conf").write_text(
            "[global]\n" + "".join(f"rbd cache = {i % 2}\nk{i} = 1\n" for i in range(n // 2)))
        roots.append(root)
    t_small = _seconds(lambda: lint([str(roots[0])], rel, ceph))
    t_big = _seconds(lambda: lint([str(roots[1])], rel, ceph))
    assert t_big / t_small < 8, (t_small, t_big)
