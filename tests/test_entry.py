"""The lean `confgen lint` entry point: it parses plain lint command lines without click, and
behaves exactly as the click application does (same output, same exit code); everything
else goes to click."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from confgen import intent
from confgen.entry import parse_lint
from confgen.render.files import render
from confgen.render.write import write_all

LEAN = "from confgen.entry import main; main()"
CLICK = "import sys; from confgen.cli import main; main()"


@pytest.mark.parametrize("args,want", [
    (["-r", "2024.1", "etc"], {"release": "2024.1", "paths": ("etc",)}),
    (["etc", "--release=2024.1", "--select", "CG2", "--select=CG4", "--checkout"],
     {"release": "2024.1", "select": ("CG2", "CG4"), "deployed": False, "paths": ("etc",)}),
    (["--format", "json", "--color", "never", "--", "-odd-name"],
     {"fmt": "json", "color": "never", "paths": ("-odd-name",)}),
    (["-r", "juno", "-r", "kilo", "--deployed", "-"],
     {"release": "kilo", "deployed": True, "paths": ("-",)}),
])
def test_plain_lint_lines_are_parsed_here(args, want):
    assert parse_lint(args) == want


@pytest.mark.parametrize("args", [
    ["--help"], ["-h"], ["-r"], ["--release", ""], ["--release", " "], ["-r", "--format"],
    ["--format", "xml"], ["--min-severity", "fatal"], ["--fix", "etc"], ["--intent", "x.ini"],
    ["--config", "c.ini"], ["--baseline", "b.json"], ["--deployed=yes"], ["-r=juno"],
    ["-rjuno"], ["--relase", "juno"], ["--file-type", "keystone.conf", "x"],
])
def test_anything_else_goes_to_click(args):
    assert parse_lint(args) is None


@pytest.fixture(scope="module")
def node(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("entry")
    etc = root / "etc"
    write_all(render(intent.read(None).retarget(None, None)), etc)
    nova = etc / "nova" / "nova.conf"
    nova.write_text(nova.read_text() + "\n[libvirt]\nimages_typ = rbd\nimages_type = rbd\n")
    return root


def _run(code: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_CONFGEN_COMPLETE")}
    p = subprocess.run([sys.executable, "-c", f"import sys; sys.argv[1:] = {args!r}; {code}"],
                       cwd=cwd, capture_output=True, text=True, env=env, check=False)
    return p.returncode, p.stdout, p.stderr


CASES = [
    ["lint", "-r", "2024.1", "etc"],
    ["lint", "-r", "2024.1", "--ceph-release", "auto", "etc"],
    ["lint", "--release=juno", "--format", "json", "etc"],
    ["lint", "-r", "2025.1", "--format", "sarif", "etc"],
    ["lint", "-r", "2025.1", "--format", "github", "etc"],
    ["lint", "-r", "2025.1", "--select", "CG2", "--ignore", "CG204", "etc/nova/nova.conf"],
    ["lint", "-r", "2025.1", "--min-severity", "error", "--color", "always", "etc"],
    ["lint", "-r", "2025.1", "--select", "CG9", "etc"],  # no such rule: usage error
    ["lint", "-r", "nosuch", "etc"],  # unknown release
    ["lint", "etc"],  # no release
    ["lint", "-r", "2025.1", "missing"],  # no such path
    ["lint", "-r", "2025.1", "--file-type", "nova.conf", "etc/nova/nova.conf"],
    ["lint", "-r", "2025.1", "--deployed", "etc"],
    ["lint", "-r", "2025.1", "--checkout", "--", "etc"],
    ["lint", "-r", "auto", "etc"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c[1:]) for c in CASES])
def test_same_output_and_exit_code_as_click(node: Path, args: list[str]):
    assert parse_lint(args[1:]) is not None  # the case really takes the lean path
    lean, click = _run(LEAN, args, node), _run(CLICK, args, node)
    assert lean == click


def test_a_fleet_takes_the_lean_path_too(node: Path, tmp_path: Path):
    import shutil

    for host in ("a", "b"):
        shutil.copytree(node / "etc", tmp_path / "fleet" / host / "etc")
    args = ["lint", "-r", "2024.1", "--format", "json", "fleet"]
    lean, click = _run(LEAN, args, tmp_path), _run(CLICK, args, tmp_path)
    assert lean == click
    assert [h["host"] for h in json.loads(lean[1])["hosts"]] == ["a", "b"]


# what a lint of one node must not import: each costs start-up time on every commit
# (pathlib alone ~4 ms with fnmatch, urllib.parse and ipaddress; typing ~3 ms), and the fleet
# machinery is for fleets. `re` (and with it enum) stays: pip's console script imports it.
HEAVY = ("click", "dataclasses", "inspect", "tomllib", "jinja2", "typing", "pathlib",
         "ipaddress", "urllib.parse", "fnmatch", "contextlib", "json", "configobj",
         "importlib", "warnings", "confgen.fleet", "confgen.drift", "confgen.fix",
         "confgen.detect")
ROOT = Path(__file__).resolve().parent.parent


def _imports_of(args: list[str], cwd: Path) -> list[str]:
    """HEAVY modules a lean lint imports. `python -S` with the checkout on sys.path: an
    editable install's finder (a .pth file) would have imported pathlib before confgen."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.argv[1:] = {args!r}\n"
            f"{LEAN.replace('main()', '')}\ntry:\n main()\nexcept SystemExit:\n pass\n"
            f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules], file=sys.__stderr__)")
    p = subprocess.run([sys.executable, "-S", "-c", code], cwd=cwd, capture_output=True,
                       text=True, check=False)
    line = next((x for x in p.stderr.splitlines() if x.startswith("HEAVY ")), p.stderr)
    return eval(line.removeprefix("HEAVY "))  # noqa: S307 - our own print of a list of names


@pytest.mark.parametrize("args", [
    ["lint", "-r", "2025.1", "--ceph-release", "auto", "etc"],
    ["lint", "-r", "2025.1", "--ceph-release", "auto", "--format", "github", "etc"],
    # pre-commit passes the staged files themselves (their /etc root is found from them)
    ["lint", "-r", "2025.1", "--ceph-release", "auto", "etc/nova/nova.conf",
     "etc/ceph/ceph.conf"],
])
def test_lean_lint_imports_nothing_heavy(node: Path, args: list[str]):
    assert _imports_of(args, node) == []


def test_the_import_check_can_fail(node: Path):
    """The same check sees what JSON output brings in."""
    heavy = _imports_of(["lint", "-r", "2025.1", "--ceph-release", "auto", "--format", "json",
                         "etc"], node)
    assert heavy == ["json"]
