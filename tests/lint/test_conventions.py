"""The conventions linters share: colour control, the rule list, rule ids checked, a baseline,
settings found up the tree, shell completion, file modes only on deployed nodes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lint_helpers import tree

from confgen.cli import main

BAD_NOVA = "[libvirt]\nimages_type = rbd\nimages_type = qcow2\n"
ESC = "\x1b["


def run(*args: str, cwd: Path | None = None, env: dict | None = None):
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), env=env)
    finally:
        os.chdir(old)


# -- colour ------------------------------------------------------------------------------------
def test_color_always_never_and_no_color(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    base = ("lint", "-r", "2024.1", "--select", "CG101", str(tmp_path))
    assert ESC in run(*base, "--color", "always").output
    assert ESC in run(*base, "--color", "always", env={"NO_COLOR": "1"}).output  # flag wins
    assert ESC not in run(*base, "--color", "never").output
    assert ESC not in run(*base).output  # auto, not a terminal
    assert ESC not in run(*base, "--color", "always", "--format", "json").output
    bad = run(*base, "--color", "sometimes")
    assert bad.exit_code == 2 and "auto" in bad.output


@pytest.mark.parametrize("env,tty,want", [
    ({}, True, True), ({}, False, False), ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": ""}, True, True), ({"TERM": "dumb"}, True, False)])
def test_auto_colour_follows_the_terminal_and_no_color(monkeypatch, env, tty, want):
    from confgen.commands.lint import use_color

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    assert use_color("auto", "text") is want


def test_colour_through_a_real_terminal(tmp_path):
    """`script` gives confgen a pseudo-terminal: auto colours there, NO_COLOR stops it."""
    if not Path("/usr/bin/script").exists():
        pytest.skip("util-linux script not installed")
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    exe = Path(sys.executable).with_name("confgen")
    cmd = f"{exe} lint -r 2024.1 --select CG101 {tmp_path}"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
    out = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True,
                         env=env, timeout=60).stdout
    assert ESC in out
    out = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True,
                         env={**env, "NO_COLOR": "1"}, timeout=60).stdout
    assert "CG101" in out and ESC not in out


# -- the rule list -----------------------------------------------------------------------------
def test_rules_lists_every_rule_text_and_json():
    from confgen.rulelist import catalogue

    r = run("rules")
    assert r.exit_code == 0
    ids = [x.id for x in catalogue()]
    assert len(ids) == len(set(ids))
    for rid in ids:
        assert re.search(rf"^{rid} ", r.output, re.M), rid
    assert "CG101  duplicate-key" in r.output and "confgen explain" in r.output
    rows = json.loads(run("rules", "--format", "json").output)
    assert [x["id"] for x in rows] == ids
    dup = next(x for x in rows if x["id"] == "CG101")
    assert dup == {"id": "CG101", "name": "duplicate-key", "severity": "warning",
                   "summary": dup["summary"], "fixable": True, "fix": dup["fix"],
                   "explain": "confgen explain CG101"}
    assert {x["id"] for x in rows} >= {"CG601", "CG701"}
    for x in rows:  # every pointer works
        assert run("explain", x["id"]).exit_code == 0, x["id"]


def test_fixable_rules_are_the_ones_fix_and_drift_act_on():
    """`fixable` must not promise what --fix does not do: each id is one the fixer or the
    drift fixer handles (by its source), and the fixer handles no other id."""
    import inspect

    from confgen import drift, fix
    from confgen.rulelist import FIXABLE

    src = inspect.getsource(fix.plan_fixes) + inspect.getsource(fix._edit_for)
    handled = set(re.findall(r'"(CG\d{3})"', src))
    assert {r for r in FIXABLE if r < "CG600"} == handled
    dsrc = inspect.getsource(drift)
    for rid in (r for r in FIXABLE if r >= "CG600"):
        name = {"CG601": "MISSING", "CG602": "VALUE", "CG603": "PLACE"}[rid]
        assert re.search(rf"{name}\.(on|at)\(", dsrc), rid


# -- rule ids are checked ----------------------------------------------------------------------
@pytest.mark.parametrize("opt,value,hint", [
    ("--select", "CG9", "did you mean"), ("--select", "CG1O1", "CG101"),
    ("--ignore", "duplicate-keys", "duplicate-key"), ("--select", "CG2,bogus", "bogus")])
def test_unknown_rule_is_a_usage_error(tmp_path, opt, value, hint):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    r = run("lint", "-r", "2024.1", opt, value, str(tmp_path))
    assert r.exit_code == 2, r.output
    assert r.output.startswith(f"confgen: error: {opt}: no rule is") and hint in r.output


def test_prefixes_names_and_later_rules_are_accepted(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    for sel in ("CG", "CG1", "cg10", "duplicate-key", "CG6", "CG701", "CG60"):
        r = run("lint", "-r", "2024.1", "--select", sel, str(tmp_path))
        assert r.exit_code in (0, 1), (sel, r.output)


def test_unknown_rule_in_settings_names_the_file(tmp_path):
    tree(tmp_path, {"etc/nova/nova.conf": BAD_NOVA,
                    "confgen.ini": "release = 2024.1\n[lint]\nignore = CG5O6\n"})
    r = run("lint", "etc", cwd=tmp_path)
    assert r.exit_code == 2
    assert "confgen.ini: [lint] ignore: no rule is 'CG5O6'" in r.output
    assert "did you mean CG506" in r.output


# -- settings found up the tree ----------------------------------------------------------------
def test_confgen_ini_is_found_from_a_subdirectory(tmp_path):
    tree(tmp_path, {"etc/nova/nova.conf": BAD_NOVA,
                    "confgen.ini": "release = 2024.1\n[lint]\nselect = CG101\npaths = etc\n",
                    "deep/er/.keep": ""})
    r = run("lint", cwd=tmp_path / "deep/er")  # no PATH: [lint] paths, relative to the file
    assert r.exit_code == 1, r.output
    assert r.output.startswith("../../etc/nova/nova.conf:2:1: CG101")
    assert r.output.count("CG") == 1  # select from the file


def test_pyproject_tool_confgen(tmp_path):
    tree(tmp_path, {"etc/nova/nova.conf": BAD_NOVA + "[vnc]\nserver_listen = 0.0.0.0\n",
                    "pyproject.toml": '[project]\nname = "x"\n[tool.confgen]\nrelease = "2024.1"\n'
                                      '[tool.confgen.lint]\nselect = ["CG1", "CG5"]\n'
                                      'min-severity = "warning"\nignore = ["CG101"]\n'
                                      'paths = ["etc"]\n',
                    "sub/.keep": ""})
    r = run("lint", "--format", "json", cwd=tmp_path / "sub")
    data = json.loads(r.output)
    assert {f["rule"] for f in data["findings"]} == {"CG506"}
    assert data["summary"]["release"] == "2024.1"


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    tree(tmp_path, {"confgen.ini": "release = juno\n",
                    "proj/pyproject.toml": '[project]\nname = "x"\n',
                    "proj/nova/nova.conf": "[libvirt]\nimages_type = rbd\n"})
    r = run("lint", "--format", "json", "nova", cwd=tmp_path / "proj")
    assert json.loads(r.output)["summary"]["release"] == "juno"


def test_explicit_config_and_bad_settings(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA, "s/other.ini": "release = kilo\n",
                    "bad.toml": "[tool.confgen\n"})
    r = run("lint", "--config", str(tmp_path / "s/other.ini"), "--format", "json",
            str(tmp_path / "nova/nova.conf"))
    assert json.loads(r.output)["summary"]["release"] == "kilo"
    r = run("lint", "--config", str(tmp_path / "missing.ini"), str(tmp_path))
    assert r.exit_code == 2 and "no such settings file" in r.output
    (tmp_path / "pyproject.toml").write_text("[tool.confgen\n")
    r = run("lint", str(tmp_path / "nova"), cwd=tmp_path)
    assert r.exit_code == 2 and "pyproject.toml: cannot read" in r.output
    (tmp_path / "pyproject.toml").write_text('[tool.confgen]\nrelease = "2024.1"\n'
                                             '[tool.confgen.lint]\nselekt = ["CG1"]\n')
    r = run("lint", str(tmp_path / "nova"), cwd=tmp_path)
    assert r.exit_code == 2 and "[lint] selekt is not a setting" in r.output


# -- baseline ----------------------------------------------------------------------------------
def test_baseline_written_then_only_new_findings_fail(tmp_path):
    nova = "[libvirt]\nimages_type = rbd\nimages_type = qcow2\n"
    tree(tmp_path, {"etc/nova/nova.conf": nova})
    args = ("lint", "-r", "2024.1", "--select", "CG101", "--baseline", "base.json", "etc")
    first = run(*args, cwd=tmp_path)
    assert first.exit_code == 0, first.output
    assert "wrote base.json (1 findings accepted)" in first.stderr
    data = json.loads((tmp_path / "base.json").read_text())
    [row] = data["findings"]
    assert row["rule"] == "CG101" and row["path"] == "etc/nova/nova.conf"
    assert "qcow2" not in (tmp_path / "base.json").read_text()  # a hash, not the content

    again = run(*args, cwd=tmp_path)
    assert again.exit_code == 0 and "1 more in the baseline" in again.output
    # lines added above: the same finding on another line is still the accepted one
    (tmp_path / "etc/nova/nova.conf").write_text("# a comment\n\n" + nova)
    assert run(*args, cwd=tmp_path).exit_code == 0
    # from another directory, with the baseline given by its absolute path
    r = run("lint", "-r", "2024.1", "--select", "CG101", "--baseline",
            str(tmp_path / "base.json"), str(tmp_path / "etc"))
    assert r.exit_code == 0, r.output
    # a new duplicate is new
    (tmp_path / "etc/nova/nova.conf").write_text(nova + "[DEFAULT]\ndebug = 1\ndebug = 2\n")
    r = run(*args, cwd=tmp_path)
    assert r.exit_code == 1 and "nova.conf:5:1: CG101" in r.output
    assert "nova.conf:2:1" not in r.output
    # the accepted line changed: no longer the accepted finding
    (tmp_path / "etc/nova/nova.conf").write_text(nova.replace("= rbd", "= raw"))
    assert run(*args, cwd=tmp_path).exit_code == 1
    # --write-baseline accepts the present state
    assert run(*args, "--write-baseline", cwd=tmp_path).exit_code == 0
    assert run(*args, cwd=tmp_path).exit_code == 0


def test_baseline_counts_equal_findings(tmp_path):
    tree(tmp_path, {"nova/nova.conf": "[libvirt]\nimages_type = rbd\nimages_type = rbd\n"})
    args = ("lint", "-r", "2024.1", "--select", "CG101", "--baseline",
            str(tmp_path / "b.json"), str(tmp_path / "nova"))
    assert run(*args).exit_code == 0
    (tmp_path / "nova/nova.conf").write_text("[libvirt]\nimages_type = rbd\nimages_type = rbd\n"
                                             "images_type = rbd\n")
    r = run(*args)
    assert r.exit_code == 1 and r.output.count("CG101") == 1


def test_bad_baseline_and_baseline_from_settings(tmp_path):
    tree(tmp_path, {"etc/nova/nova.conf": BAD_NOVA, "b.json": "[1, 2]",
                    "confgen.ini": "release = 2024.1\n[lint]\nbaseline = b.json\npaths = etc\n"})
    r = run("lint", cwd=tmp_path)
    assert r.exit_code == 2 and "b.json: cannot read the baseline" in r.output
    (tmp_path / "b.json").unlink()
    assert run("lint", cwd=tmp_path).exit_code == 0
    assert run("lint", cwd=tmp_path).exit_code == 0
    r = run("lint", "--write-baseline", "-r", "2024.1", str(tmp_path / "etc"),
            "--config", str(tmp_path / "nope.ini"))
    assert r.exit_code == 2


# -- shell completion --------------------------------------------------------------------------
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_script(shell):
    exe = Path(sys.executable).with_name("confgen")
    out = subprocess.run([str(exe)], env={**os.environ, "_CONFGEN_COMPLETE": f"{shell}_source"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "_CONFGEN_COMPLETE" in out.stdout


def test_completion_offers_commands_and_options():
    exe = Path(sys.executable).with_name("confgen")
    env = {**os.environ, "_CONFGEN_COMPLETE": "bash_complete", "COMP_WORDS": "confgen li",
           "COMP_CWORD": "1"}
    out = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "lint" in out
    env |= {"COMP_WORDS": "confgen lint --col", "COMP_CWORD": "2"}
    out = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "--color" in out


# -- file modes: a deployed node, not a git checkout -------------------------------------------
def _keyring_tree(root: Path) -> Path:
    tree(root, {"etc/ceph/ceph.conf": "[global]\nauth_cluster_required = cephx\n"})
    k = root / "etc/ceph/ceph.client.cinder.keyring"
    k.write_text("[client.cinder]\n\tkey = AQ==\n")
    k.chmod(0o644)
    return root / "etc"


def test_keyring_modes_judged_on_a_node_not_in_a_checkout(tmp_path):
    etc = _keyring_tree(tmp_path)
    r = run("lint", "-r", "2024.1", "--select", "CG503", str(etc))
    assert r.exit_code == 1 and "CG503" in r.output  # not a git tree: a node
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    r = run("lint", "-r", "2024.1", "--select", "CG503", str(etc))
    assert r.exit_code == 0, r.output
    assert "keyring modes not judged: a git checkout" in r.output
    r = run("lint", "-r", "2024.1", "--select", "CG503", "--deployed", str(etc))
    assert r.exit_code == 1 and "CG503" in r.output
    (tmp_path / ".etckeeper").write_text("")  # /etc under etckeeper is the live node
    assert run("lint", "-r", "2024.1", "--select", "CG503", str(etc)).exit_code == 1
    (tmp_path / ".etckeeper").unlink()
    r = run("lint", "-r", "2024.1", "--select", "CG503", "--format", "json", str(etc))
    assert json.loads(r.output)["summary"]["file_modes"] is False


def test_checkout_flag_without_a_tree_is_a_usage_error(tmp_path):
    r = run("lint", "-r", "2024.1", "--checkout", cwd=tmp_path)
    assert r.exit_code == 2 and "[lint]" in r.output


# -- start-up stays lean -----------------------------------------------------------------------
def test_lint_imports_nothing_it_does_not_need(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    code = ("import sys\nfrom confgen.cli import main\n"
            "try:\n    main(['lint', '-r', '2024.1', '--select', 'CG1', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('jinja2', 'confgen.render', "
            "'confgen.drift', 'confgen.fix', 'confgen.ansible_collections', 'ansible', "
            "'confgen.baseline', 'multiprocessing')))\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True, cwd=tmp_path).stdout
    assert out.strip().splitlines()[-1] == "[]"
