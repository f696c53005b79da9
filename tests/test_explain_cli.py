"""`confgen explain` and `confgen releases` through the real CLI entry point."""

import json

from click.testing import CliRunner

from confgen.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_releases_lists_both_families():
    res = run("releases")
    assert res.exit_code == 0
    assert "juno (2014.2)" in res.output and "tentacle" in res.output


def test_releases_json():
    data = json.loads(run("releases", "--format", "json").output)
    assert data["openstack"][2]["name"] == "juno"
    assert data["ceph"][-1]["name"] == "tentacle"


def test_explain_old_name_for_juno():
    res = run("explain", "libvirt_images_type", "--release", "juno")
    assert res.exit_code == 0, res.output
    assert "In juno: [libvirt] images_type" in res.output


def test_explain_json_fields():
    data = json.loads(run("explain", "images_type", "-r", "havana", "--format", "json").output)
    for field in ("file", "section", "name", "type", "default", "status", "aliases"):
        assert field in data
    assert data["section"] == "DEFAULT" and data["name"] == "libvirt_images_type"
    assert data["status"] == "current"


def test_explain_unknown_release_is_a_clean_error():
    res = run("explain", "images_type", "--release", "junno")
    assert res.exit_code == 2
    assert "did you mean juno?" in res.output.lower()
    assert "Traceback" not in res.output


def test_explain_unknown_option():
    res = run("explain", "no_such_option_anywhere")
    assert res.exit_code == 2 and "no option" in res.output


def test_history_rows_say_what_changed():
    res = run("explain", "images_type", "--file", "nova.conf")
    assert res.exit_code == 0
    rows = [ln for ln in res.output.splitlines() if "[libvirt]" in ln and "images_type" in ln]
    # the row where [DEFAULT] libvirt_images_type stopped being read says so
    assert any("old spellings no longer read" in ln for ln in rows), rows


def test_explain_a_lint_rule_by_id_or_name():
    by_id = run("explain", "CG402")
    assert by_id.exit_code == 0 and "missing-keyring" in by_id.output
    by_name = json.loads(run("explain", "missing-keyring", "--format", "json").output)
    assert by_name["rule"] == "CG402" and by_name["severity"] == "warning"
