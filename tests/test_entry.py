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


def test_lean_lint_imports_neither_click_nor_dataclasses_nor_tomllib(node: Path):
    code = (f"{LEAN.replace('main()', '')}\ntry:\n main()\nexcept SystemExit:\n pass\n"
            "heavy = [m for m in ('click', 'dataclasses', 'inspect', 'tomllib', 'jinja2')"
            " if m in sys.modules]\nsys.stderr.write(f'HEAVY={heavy}')")
    code_, _out, err = _run(code, ["lint", "-r", "2025.1", "--ceph-release", "auto", "etc"],
                            node)
    assert "HEAVY=[]" in err, err
