"""`confgen render` from the command line: exit codes, output layout, nothing written on error."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from confgen.cli import main
from confgen.render import files as render_files

FSID = "4b5fd580-360c-4f8c-abb5-c83bb9a3f964"
INTENT = f"release = juno\n[ceph]\nrelease = reef\nfsid = {FSID}\nmon_host = 10.0.0.1\n"


@pytest.fixture
def cli(tiny, monkeypatch, tmp_path):
    monkeypatch.setattr(render_files, "load", lambda f: tiny.get(f) or _real(f))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _real(file):
    from confgen.matrix import load

    return load(file)


def test_stdout_has_a_header_per_file_and_notices_on_stderr(cli, tmp_path):
    (tmp_path / "confgen.ini").write_text(INTENT)
    res = cli.invoke(main, ["render", "--only", "nova,cinder"])
    assert res.exit_code == 0, res.output
    heads = [line for line in res.stdout.splitlines() if line.startswith("==> ")]
    assert heads == ["==> cinder/cinder.conf <==", "==> nova/nova.conf <==",
                     "==> nova/secret.xml <=="]
    assert "secret_uuid" in res.stderr


def test_output_dir_then_refuse_then_force(cli, tmp_path):
    (tmp_path / "confgen.ini").write_text(INTENT)
    assert cli.invoke(main, ["render", "-o", "out"]).exit_code == 0
    for rel in ("glance/glance-api.conf", "cinder/cinder.conf", "nova/nova.conf",
                "nova/secret.xml", "ceph/ceph.conf", "ceph/cephx-users.sh"):
        assert (tmp_path / "out" / rel).is_file(), rel
    again = cli.invoke(main, ["render", "-o", "out"])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert cli.invoke(main, ["render", "-o", "out", "--force"]).exit_code == 0


def test_bad_intent_exits_2_lists_problems_writes_nothing(cli, tmp_path):
    (tmp_path / "site.ini").write_text(INTENT.replace(FSID, "xyz") + "[nova]\npol = vms\n")
    res = cli.invoke(main, ["render", "--intent", "site.ini", "-o", "out"])
    assert res.exit_code == 2
    assert "site.ini:4: [ceph] fsid" in res.stderr and "site.ini:7: [nova] pol" in res.stderr
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()


def test_release_the_intent_cannot_express_writes_nothing(cli, tmp_path):
    (tmp_path / "confgen.ini").write_text(INTENT.replace("juno", "havana")
                                          + "[features]\ndiscard = true\n")
    res = cli.invoke(main, ["render", "-o", "out"])
    assert res.exit_code == 2 and "icehouse" in res.stderr
    assert not (tmp_path / "out").exists()


def test_default_intent_is_used_and_printable(cli):
    res = cli.invoke(main, ["render", "--print-default-intent"])
    assert res.exit_code == 0 and "[cinder_backup]" in res.stdout
    res = cli.invoke(main, ["render", "--only", "ceph", "-r", "juno", "--ceph-release", "reef"])
    assert res.exit_code == 0 and "embedded default" in res.stderr


def test_help_teaches_with_examples(cli):
    res = cli.invoke(main, ["render", "--help"])
    assert "Examples:" in res.stdout and "--intent" in res.stdout


def test_ceph_release_follows_the_openstack_release_unless_given(tmp_path):
    from click.testing import CliRunner

    from confgen.cli import main

    run = CliRunner().invoke
    res = run(main, ["render", "-r", "juno", "--only", "ceph"])
    assert res.exit_code == 0, res.output
    assert "Ceph firefly" in res.output and "allow rwx pool=images" in res.output
    res = run(main, ["render", "-r", "juno", "--ceph-release", "reef", "--only", "ceph"])
    assert res.exit_code == 0, res.output
    assert "Ceph reef" in res.output and "profile rbd pool=images" in res.output


def test_guide_features_image_cache_off_and_client_sockets(tmp_path):
    from click.testing import CliRunner

    from confgen.cli import main

    intent = tmp_path / "site.ini"
    intent.write_text("release = 2026.1\n[ceph]\nfsid = 6b0f3c8e-3d1f-4c5a-9f6e-2a7b1c9d0e11\n"
                      "mon_host = 10.0.0.1\n[features]\nclient_sockets = true\n")
    res = CliRunner().invoke(main, ["render", "--intent", str(intent), "--only", "glance,ceph"])
    assert res.exit_code == 0, res.output
    assert "[paste_deploy]\n# " in res.output and "flavor = keystone" in res.output
    assert "admin_socket = /var/run/ceph/guests/$cluster-$type.$id.$pid.$cctid.asok" in res.output
    intent.write_text(intent.read_text().replace("client_sockets = true", "") +
                      "[glance]\nimage_cache = true\n")
    res = CliRunner().invoke(main, ["render", "--intent", str(intent), "--only", "glance,ceph"])
    assert res.exit_code == 0, res.output
    assert "flavor" not in res.output and "admin_socket" not in res.output


def test_pool_size_one_is_refused(tmp_path):
    from click.testing import CliRunner

    from confgen.cli import main

    intent = tmp_path / "site.ini"
    intent.write_text("[ceph]\nfsid = 6b0f3c8e-3d1f-4c5a-9f6e-2a7b1c9d0e11\nmon_host = 10.0.0.1\n"
                      "pool_size = 1\n")
    res = CliRunner().invoke(main, ["render", "--intent", str(intent)])
    assert res.exit_code == 2 and "pool_size" in res.output and "site.ini:4" in res.output
