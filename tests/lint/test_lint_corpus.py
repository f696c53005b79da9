"""The broken-file corpus (tests/corpus/): operator mistakes and guide snippets, each with the
findings it must produce, exactly.

A case is a file `<name>__<file type>` with `<name>__<file type>.expected`, or a directory
`<name>.d/` laid out like /etc with an `expected` file. Expected files hold `# release: R`,
optionally `# ceph-release: C`, `# select: IDS` (the rules the case is about) and
`# keyring-mode: 644`, then one finding a line: `LINE ID` (or `PATH:LINE ID` in a directory).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from confgen import releases
from confgen.lint import lint

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir()
               if p.name.endswith(".d") or (p.is_file() and "__" in p.name
                                            and not p.name.endswith(".expected")))


def _expected(path: Path) -> tuple[dict[str, str], set[tuple[str, int, str]]]:
    head: dict[str, str] = {}
    found: set[tuple[str, int, str]] = set()
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            k, _, v = line[1:].partition(":")
            head[k.strip()] = v.strip()
        elif line.strip():
            where, rule = line.split()
            rel, _, num = where.rpartition(":")
            found.add((rel, int(num), rule))
    return head, found


def test_corpus_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_case(case, tmp_path):
    src = CORPUS / case
    if src.is_dir():
        head, want = _expected(src / "expected")
        root = tmp_path / "etc"
        shutil.copytree(src, root, ignore=shutil.ignore_patterns("expected"))
        for k in root.rglob("*.keyring"):
            k.chmod(int(head.get("keyring-mode", "600"), 8))
        target, ftype = root, None
    else:
        head, want = _expected(src.with_name(src.name + ".expected"))
        target, ftype = src, src.name.split("__", 1)[1]
    res = lint([str(target)], releases.openstack().get(head["release"]),
               releases.ceph().get(head["ceph-release"]) if "ceph-release" in head else None,
               file_type=ftype,
               select=[s.strip() for s in head["select"].split(",")] if "select" in head else None)
    got = set()
    for f in res.findings:
        rel = str(Path(f.path).relative_to(target)) if src.is_dir() else ""
        got.add((rel, f.line, f.rule))
    assert got == want, "\n".join(f"{f.path}:{f.line} {f.rule} {f.message}"
                                  for f in res.findings)
