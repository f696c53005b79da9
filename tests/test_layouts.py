"""Well-known layouts: an /etc tree (devstack's nova-cpu.conf), kolla-ansible's /etc/kolla."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from confgen import releases
from confgen.cli import main
from confgen.lint import discover, lint

UUID = "457eb676-33da-42ec-9a8c-9293d545c337"
CEPH = f"[global]\nfsid = {UUID}\nmon_host = 10.0.0.1\n"
KEY = "[client.x]\nkey = AQBhKxNgAAAAABAAm8ivBFmUC4rGZY0xP/Hm2A==\n"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        if rel.endswith(".keyring"):
            p.chmod(0o600)


KOLLA = {
    "nova-compute/nova.conf": "[libvirt]\nimages_type = rbd\nimages_rbd_pool = vms\n"
                              f"rbd_user = nova\nrbd_secret_uuid = {UUID}\n",
    "nova-compute/ceph.conf": CEPH,
    "nova-compute/ceph.client.nova.keyring": KEY,
    "nova-api/nova.conf": "[DEFAULT]\nosapi_compute_listen = 10.0.0.2\n",
    "nova-scheduler/nova.conf": "[DEFAULT]\nosapi_compute_listen = 10.0.0.2\n",
    "cinder-volume/cinder.conf": "[DEFAULT]\nenabled_backends = rbd-1\n[rbd-1]\n"
                                 "volume_driver = cinder.volume.drivers.rbd.RBDDriver\n"
                                 "rbd_pool = volumes\nrbd_user = cinder\n"
                                 f"rbd_secret_uuid = {UUID}\n",
    "cinder-volume/ceph/ceph.conf": CEPH,
    "cinder-volume/ceph/ceph.client.cinder.keyring": KEY,
    "cinder-api/cinder.conf": "[DEFAULT]\nosapi_volume_listen = 10.0.0.2\n",
    "cinder-backup/cinder.conf": "[DEFAULT]\nbackup_driver = "
                                 "cinder.backup.drivers.ceph.CephBackupDriver\n"
                                 "backup_ceph_user = cinder-backup\n",
    "cinder-backup/ceph.conf": CEPH,
    "cinder-backup/ceph.client.cinder-backup.keyring": KEY,
    "glance-api/glance-api.conf": "[DEFAULT]\nshow_image_direct_url = True\n"
                                  "enabled_backends = rbd:rbd\n[glance_store]\n"
                                  "default_backend = rbd\n[rbd]\nrbd_store_pool = images\n"
                                  "rbd_store_user = glance\n",
    "glance-api/ceph/ceph.conf": CEPH,
    "glance-api/ceph/ceph.client.glance.keyring": KEY,
}


def test_kolla_containers_are_one_node_not_a_fleet(tmp_path: Path):
    kolla = tmp_path / "kolla"
    write(kolla, KOLLA)
    groups = discover([str(kolla)])
    main_group = groups[0]
    assert sorted(ft for ft, _ in main_group.files) == [
        "ceph.conf", "cinder.conf", "glance-api.conf", "nova.conf"]
    assert {Path(p).parent.name for ft, p in main_group.files if ft != "ceph.conf"} == {
        "nova-compute", "cinder-volume", "glance-api"}
    # every other container's file is linted on its own
    assert sorted(str(Path(p).relative_to(kolla)) for g in groups[1:] for _, p in g.files) == [
        "cinder-api/cinder.conf", "cinder-backup/ceph.conf", "cinder-backup/cinder.conf",
        "nova-api/nova.conf", "nova-scheduler/nova.conf"]
    res = lint([str(kolla)], releases.get("2024.1"))
    rules = {(Path(f.path).parent.name, f.rule) for f in res.findings}
    # the cross-file rules see the containers together: one secret for two cephx users
    assert ("cinder-volume", "CG401") in rules, res.findings
    # each container's ceph.conf and keyrings are where kolla puts them: none is missing
    assert not {r for _, r in rules if r in ("CG402", "CG403")}, res.findings
    out = CliRunner().invoke(main, ["lint", "-r", "2024.1", str(kolla)])
    assert "host" not in out.output.splitlines()[0].lower(), out.output


def test_linting_etc_of_a_kolla_host_finds_etc_kolla(tmp_path: Path):
    write(tmp_path / "kolla", KOLLA)
    groups = discover([str(tmp_path)])
    assert any(Path(p).parent.name == "nova-compute" for g in groups for _, p in g.files)


def test_devstack_nova_cpu_conf_is_the_compute_nodes_nova_conf(tmp_path: Path):
    write(tmp_path, {
        "nova/nova.conf": "[DEFAULT]\nmy_ip = 10.0.0.5\n",
        "nova/nova-cpu.conf": "[libvirt]\nimages_type = rbd\nrbd_user = cinder\n"
                              f"rbd_secret_uuid = {UUID}\n",
        "cinder/cinder.conf": "[DEFAULT]\nenabled_backends = ceph\n[ceph]\n"
                              "volume_driver = cinder.volume.drivers.rbd.RBDDriver\n"
                              f"rbd_user = cinder\nrbd_secret_uuid = {UUID}\n",
    })
    groups = discover([str(tmp_path)])
    assert [(ft, Path(p).name) for ft, p in groups[0].files] == [
        ("cinder.conf", "cinder.conf"), ("nova.conf", "nova-cpu.conf")]
    assert [(ft, Path(p).name) for ft, p in groups[1].files] == [("nova.conf", "nova.conf")]


def test_a_fleet_of_kolla_nodes(tmp_path: Path):
    from confgen.fleet import hosts, is_fleet

    for host in ("node1", "node2"):
        write(tmp_path / host / "etc" / "kolla", KOLLA)
    assert is_fleet(tmp_path)
    assert [h for h, _ in hosts(tmp_path)] == ["node1", "node2"]
    groups = discover([str(tmp_path / "node1" / "etc")])
    assert any(Path(p).parent.name == "nova-compute" for g in groups for _, p in g.files)


def test_devstack_cell_conductor_files_are_nova_confs(tmp_path: Path):
    write(tmp_path, {"nova/nova.conf": "[DEFAULT]\nmy_ip = 10.0.0.5\n",
                     "nova/nova_cell1.conf": "[DEFAULT]\nmy_ip = 10.0.0.5\n"})
    groups = discover([str(tmp_path)])
    assert [(ft, Path(p).name) for g in groups for ft, p in g.files] == [
        ("nova.conf", "nova.conf"), ("nova.conf", "nova_cell1.conf")]
