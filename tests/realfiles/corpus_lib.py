"""The real-files corpus (tests/realfiles/): what each tree is, and confgen run over it.

Shared by the tests in this directory and by tools/corpus/report.py (which writes the
findings part of MANIFEST.toml). No network, no mirrors: the trees are committed files.

A tree is a directory laid out as its tool lays the files out on a node. MANIFEST.toml says,
per tree: tool, the release it targets, layout, the upstream refs it was built from, how, the
node directories confgen lints as one node (`lint`), files of a known type under other names
(`extra`, e.g. devstack's nova-cpu.conf), keyring mode as the tool leaves it, and the findings:
`expected` (real problems of the tool's files, each with why) and `false` (what confgen says
today that is wrong; each checked against the release's source, see VERDICTS.toml).
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "MANIFEST.toml"
VERDICTS = HERE / "VERDICTS.toml"
JUDGED = ("warning", "error")  # severities the corpus judges (info says what was not judged)


@dataclass
class Tree:
    id: str
    tool: str
    release: str
    path: Path
    layout: str
    lint: list[str]
    extra: list[tuple[str, str]]
    keyring_mode: str
    sources: list[str]
    built: str
    ceph_release: str = ""
    keyring_modes: dict[str, str] = field(default_factory=dict)  # per keyring, where they differ
    detect: str = ""
    expected: dict[str, str] = field(default_factory=dict)  # "path:line RULE" -> why
    false: dict[str, str] = field(default_factory=dict)  # "path:line RULE" -> message today
    missed: dict[str, str] = field(default_factory=dict)  # real problems not reported yet
    raw: dict = field(default_factory=dict)


@cache
def trees() -> list[Tree]:
    data = tomllib.loads(MANIFEST.read_text())
    out = []
    for t in data.get("tree", []):
        out.append(Tree(
            id=t["id"], tool=t["tool"], release=t["release"], path=HERE / t["id"],
            layout=t["layout"], lint=list(t.get("lint", [])),
            extra=[tuple(x) for x in t.get("extra", [])], keyring_mode=t.get("keyring_mode", "600"),
            sources=list(t.get("sources", [])), built=t.get("built", ""),
            ceph_release=t.get("ceph_release", ""), detect=t.get("detect", ""),
            keyring_modes=dict(t.get("keyring_modes", {})),
            expected={e["at"]: e["why"] for e in t.get("expected", [])},
            false={e["at"]: e["what"] for e in t.get("false", [])},
            missed={e["at"]: e["why"] for e in t.get("missed", [])},
            raw=t,
        ))
    return out


def staged(tree: Tree, tmp: Path) -> Path:
    """A copy of the tree with the file modes the tool leaves (git keeps none)."""
    dest = tmp / "tree"
    shutil.copytree(tree.path, dest)
    for k in dest.rglob("*.keyring"):
        mode = tree.keyring_modes.get(k.relative_to(dest).as_posix(), tree.keyring_mode)
        k.chmod(int(mode, 8))
    return dest


@dataclass(frozen=True)
class Seen:
    at: str  # "relpath:line RULE"
    rule: str
    severity: str
    message: str
    relpath: str
    line: int


def _lint(paths: list[str], release: str, ceph_release: str, file_type: str | None):
    from confgen import releases
    from confgen.lint import lint

    rel = releases.openstack().get(release)
    ceph = releases.ceph_for(ceph_release or "auto", rel)
    return lint(paths, rel, ceph, file_type=file_type)


_FINDINGS: dict[str, list[Seen]] = {}


def findings(tree: Tree) -> list[Seen]:
    """Every warning and error `confgen lint --release TREE_RELEASE` gives on the tree: each
    node directory as one node, each extra file alone as its type (once per session)."""
    if tree.id not in _FINDINGS:
        _FINDINGS[tree.id] = _findings(tree)
    return _FINDINGS[tree.id]


def _findings(tree: Tree) -> list[Seen]:
    with tempfile.TemporaryDirectory() as td:
        root = staged(tree, Path(td))
        out: list[Seen] = []
        runs = [([str(root / p) for p in tree.lint], None)] if tree.lint else []
        runs += [([str(root / p)], ft) for p, ft in tree.extra]
        for paths, ft in runs:
            res = _lint(paths, tree.release, tree.ceph_release, ft)
            for f in res.findings:
                if f.severity not in JUDGED:
                    continue
                rel = Path(f.path).resolve().relative_to(root.resolve()).as_posix()
                out.append(Seen(f"{rel}:{f.line} {f.rule}", f.rule, f.severity, f.message,
                                rel, f.line))
        return sorted(set(out), key=lambda s: (s.relpath, s.line, s.rule, s.message))


@cache
def _detect(path: str, lint: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from confgen.detect import from_paths

    det = from_paths([str(Path(path) / p) for p in lint], use_packages=False)
    return tuple(r.name for r in det.releases), tuple(det.evidence)


def detection(tree: Tree) -> tuple[list[str], list[str]]:
    """(candidate releases oldest first, evidence) from the files alone, as `-r auto` does
    where no service package is installed (computed once per tree and session)."""
    names, evidence = _detect(str(tree.path), tuple(tree.lint))
    return list(names), list(evidence)


def span(names: list[str]) -> str:
    """'pike..rocky'; runs joined by ',' where releases inside are excluded."""
    if not names:
        return "none"
    from confgen import releases

    fam = releases.openstack()
    runs: list[list[str]] = []
    for n in names:
        if runs and fam.get(runs[-1][-1]).index + 1 == fam.get(n).index:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(r[0] if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)


def entry_at(path: Path, line: int) -> tuple[str, str]:
    """(section, option) of the assignment at `line` of an INI file ('' where none)."""
    section = ""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return "", ""
    for n, raw in enumerate(lines, start=1):
        s = raw.strip()
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip()
        if n == line:
            if "=" in s and not s.startswith(("#", ";", "[")):
                return section, s.split("=", 1)[0].strip()
            return section, ""
    return section, ""
