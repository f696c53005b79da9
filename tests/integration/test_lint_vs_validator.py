"""`confgen lint` against the release's own oslo-config-validator, key by key.

Both tools are fed the same files: a set of broken ones (a typo in an owned section, an option in
the wrong section, an old spelling, a removed option, a deprecated option, a bad choice value)
and the files `confgen render` writes. For every key both can judge, the verdicts must agree:

  validator  "X/Y is not part of the sample config"  -> unknown
             "Deprecated opt X/Y found"               -> deprecated (old spellings only, see below)
  confgen    CG201 / CG202 / CG203 / CG205            -> unknown (the service ignores the key)
             CG204                                    -> deprecated

Where they disagree, KNOWN says which tool is wrong and why; an entry that no longer matches a
disagreement fails too, so the list stays true. What the validator cannot judge at all:
* option values (choices, types): CG302 is checked on its own below;
* sections chosen at run time (cinder backends, glance stores): it reads them as unknown groups,
  so it is given the file with those sections renamed to the group whose options they take
  (service_venvs.rename_sections), and its verdicts are mapped back.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import service_venvs as validators
from rendered import oslo_sections, oslo_values
from test_oslo_validator import FILES, _dynamic_sections, _releases, _venv

from confgen import releases

pytestmark = pytest.mark.slow

OURS = {"CG201": "unknown", "CG202": "unknown", "CG203": "unknown", "CG205": "unknown",
        "CG204": "deprecated"}
# Older oslo.config (2024.x) logs through the root logger, newer through oslo_config.validator.
VALIDATOR = [(re.compile(r"^ERROR:[\w.]+:(.+)/(.+) is not part of the sample config"), "unknown"),
             (re.compile(r"^WARNING:[\w.]+:Deprecated opt (.+)/(.+) found"), "deprecated")]

# Broken files, one problem per line (comments say which, "(R..)": only from release R on).
BROKEN = {
    "nova": """\
[DEFAULT]
compute_driver = libvirt.LibvirtDriver
# old [DEFAULT] spelling, icehouse only
libvirt_images_type = rbd
# old spelling still read (image_cache moved out of DEFAULT in train)
remove_unused_base_images = true
[libvirt]
images_type = rbd
# typo in an owned section
images_rbd_pol = vms
# bad choice value
hw_disk_discard = always
# old spelling still read
cpu_model = host-model
# deprecated for removal (wallaby)
live_migration_tunnelled = false
# removed in newton
live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE
[glance]
# wrong section: a [libvirt] option
images_rbd_pool = vms
[vnc]
# old spelling, read until xena only
vncserver_listen = 192.0.2.10
""",
    "cinder": """\
[DEFAULT]
enabled_backends = ceph
backup_driver = cinder.backup.drivers.ceph.CephBackupDriver
backup_ceph_pool = backups
# removed in queens
glance_api_version = 2
# typo of a [DEFAULT] option confgen knows (near miss, unowned section)
backup_ceph_usr = cinder-backup
[ceph]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
volume_backend_name = ceph
rbd_pool = volumes
# typo in an owned (RBD backend) section
rbd_pol = volumes
# wrong section: a [DEFAULT] option
backup_ceph_user = cinder-backup
# old spelling still read
iscsi_secondary_ip_addresses = 192.0.2.11
# deprecated for removal (2025.1..)
iser_port = 3260
# bad choice value
storage_protocol = NFS
# read per backend, listed by cinder under [DEFAULT] only
backup_use_temp_snapshot = true
""",
    "glance": """\
[DEFAULT]
enabled_backends = ceph:rbd
show_image_direct_url = true
# deprecated for removal (newton)
show_multiple_locations = false
# store option in [DEFAULT]: havana/icehouse spelling
rbd_store_pool = images
[glance_store]
default_backend = ceph
# typo in an owned section
rbd_store_pol = images
# old spelling still read
os_region_name = RegionOne
# deprecated for removal (multi-store replaces it)
stores = rbd
# bad choice value
swift_store_endpoint_type = public
[ceph]
rbd_store_pool = images
rbd_store_user = glance
rbd_store_ceph_conf = /etc/ceph/ceph.conf
""",
}

# (project, section, key) -> (ours, validator, who is right and why)
KNOWN: dict[tuple[str, str, str], tuple[str, str, str]] = {
    ("nova", "libvirt", "live_migration_tunnelled"): (
        "deprecated", "ok",
        "ours: deprecated_for_removal upstream; the validator only flags old spellings "
        "(deprecated_opts), never an option deprecated for removal"),
    ("cinder", "ceph", "iser_port"): (
        "deprecated", "ok", "ours: deprecated for removal; the validator ignores that flag"),
    ("glance", "DEFAULT", "show_multiple_locations"): (
        "deprecated", "ok", "ours: deprecated for removal; the validator ignores that flag"),
    ("glance", "glance_store", "stores"): (
        "deprecated", "ok", "ours: deprecated for removal; the validator ignores that flag"),
    ("cinder", "ceph", "backup_use_temp_snapshot"): (
        "ok", "unknown",
        "ours: every volume driver grafts backup_opts into its backend section and "
        "[backend_defaults] at start-up (volume/driver.py append_config_values); cinder.opts "
        "lists them under [DEFAULT] only, so the validator does not know them there"),
}


def _keys(path: Path) -> dict[int, tuple[str, str]]:
    """line number -> (section, key) of each `key = value` line (files here have no
    continuation lines); checked against oslo.config's own parser."""
    out: dict[int, tuple[str, str]] = {}
    section = ""
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if m := re.match(r"^\[([^\]]+)\]", line):
            section = m.group(1)
        elif line.strip() and not line.lstrip().startswith(("#", ";")) and "=" in line:
            out[n] = (section, line.split("=", 1)[0].strip())
    parsed = {(s, k) for s, opts in oslo_sections(path).items() for k in opts}
    assert set(out.values()) == parsed, f"{path}: line scan disagrees with oslo.config"
    return out


def lint(path: Path, release: str) -> tuple[dict[tuple[str, str], str], list[dict]]:
    """Our verdict per (section, key), and all findings."""
    confgen = Path(sys.executable).with_name("confgen")
    res = subprocess.run([str(confgen), "lint", "-r", release, "--format", "json", str(path)],
                         capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert res.returncode in (0, 1), res.stderr
    findings = json.loads(res.stdout)["findings"]
    keys = _keys(path)
    verdicts = {k: "ok" for k in keys.values()}
    for f in findings:
        kind = OURS.get(f["rule"])
        place = keys.get(f["line"])
        if kind and place and verdicts[place] != "unknown":  # unknown outranks deprecated
            verdicts[place] = kind
    return verdicts, findings


def _renamed(path: Path, project: str) -> dict[str, str]:
    """Dynamic section -> the group the validator knows its options in. A glance store section
    takes its driver's options, which glance_store.multi_backend lists under a group named after
    the driver class (lower-cased by the generator: 'glance.store.rbd.store'); renaming it to
    [glance_store] as test_oslo_validator does would merge it with the real [glance_store]."""
    if project != "glance":
        return _dynamic_sections(path, project)
    enabled = ",".join(oslo_values(path, "enabled_backends"))
    pairs = [item.split(":", 1) for item in enabled.split(",") if ":" in item]
    return {name.strip(): f"glance.store.{kind.strip()}.store" for name, kind in pairs}


def validator(need, project: str, release: str, path: Path,
              tmp: Path) -> dict[tuple[str, str], str]:
    """The release's oslo-config-validator verdict per (section, key) of `path`, dynamic
    sections renamed for it and mapped back."""
    env_dir = _venv(need, project, release)
    dists = [project, "glance_store"] if project == "glance" else [project]
    mapping = _renamed(path, project)
    fed = tmp / f"validator-{path.name}"
    fed.write_text(validators.rename_sections(path.read_text(), mapping))
    res = validators.validate(env_dir, fed, validators.namespaces(env_dir, *dists))
    back = {v: k for k, v in mapping.items()}
    verdicts = {k: "ok" for k in _keys(path).values()}
    for line in res.stderr.splitlines():
        for rx, kind in VALIDATOR:
            if m := rx.search(line):
                section, key = back.get(m.group(1), m.group(1)), m.group(2).strip()
                assert (section, key) in verdicts, f"validator named a key not in the file: {line}"
                verdicts[(section, key)] = kind
    # its exit status must match what we read from its log (else the log format changed)
    assert res.returncode == (1 if set(verdicts.values()) - {"ok"} else 0), res.stderr[-3000:]
    return verdicts


def disagreements(project: str, ours: dict, theirs: dict) -> dict[tuple[str, str, str], tuple]:
    return {(project, *place): (ours[place], theirs[place])
            for place in ours if ours[place] != theirs[place]}


def _check(project: str, ours: dict, theirs: dict, expected_known: bool,
           release: str = "") -> None:
    found = disagreements(project, ours, theirs)
    unexplained = {k: v for k, v in found.items() if KNOWN.get(k, ())[:2] != v}
    table = "\n".join(f"  [{s}] {k}: confgen={o} validator={t}"
                      for (_, s, k), (o, t) in unexplained.items())
    assert not unexplained, f"disagreements (fix ours or document theirs in KNOWN):\n{table}"
    if expected_known:
        live = broken_keys(project, release)
        stale = {k for k in KNOWN if k[0] == project and k[1:] in live and k not in found}
        assert not stale, f"KNOWN entries that no longer disagree: {sorted(stale)}"


def broken_keys(project: str, release: str) -> set[tuple[str, str]]:
    """(section, key) of the lines BROKEN marks as a problem for the validator or lint in this
    release (a bad value is a problem for lint only, and is left out)."""
    out, section, why = set(), "", ""
    for line in BROKEN[project].splitlines():
        if m := re.match(r"^\[([^\]]+)\]", line):
            section = m.group(1)
        elif line.startswith("# "):
            why = line
        elif "=" in line:
            since = re.search(r"\((\S+)\.\.\)", why)
            live = not since or releases.get(since.group(1)).index <= releases.get(release).index
            if why and live and "bad choice" not in why:
                out.add((section, line.split("=", 1)[0].strip()))
            why = ""
    return out


@pytest.mark.parametrize("project", sorted(BROKEN))
@pytest.mark.parametrize("release", _releases())
def test_broken_files_get_the_validators_verdicts(need, tmp_path, release, project):
    path = tmp_path / Path(FILES[project]).name
    path.write_text(BROKEN[project])
    theirs = validator(need, project, release, path, tmp_path)
    ours, findings = lint(path, release)
    # exactly the lines meant to be wrong are wrong for at least one tool
    wrong = {place for place in ours if ours[place] != "ok" or theirs[place] != "ok"}
    assert wrong == broken_keys(project, release), (ours, theirs)
    _check(project, ours, theirs, expected_known=True, release=release)
    # values: only ours judges them (the validator has no value checks without --check-defaults)
    assert any(f["rule"] == "CG302" for f in findings), findings


@pytest.mark.parametrize("project", sorted(BROKEN))
@pytest.mark.parametrize("release", _releases())
def test_rendered_files_get_the_validators_verdicts(render, need, tmp_path, release, project):
    out = render(f"lint-{release}", None, "--release", release, "--only", project)
    path = out / FILES[project]
    theirs = validator(need, project, release, path, tmp_path)
    ours, _ = lint(path, release)
    assert set(theirs.values()) == {"ok"}, theirs
    _check(project, ours, theirs, expected_known=False)


def test_validator_does_not_know_backend_sections(need, tmp_path):
    """Documents theirs: fed a cinder backend section as is, the validator calls every key in it
    unknown (it only knows [backend_defaults]), which is why the sections are renamed above."""
    release = _releases()[-1]
    path = tmp_path / "cinder.conf"
    path.write_text("[DEFAULT]\nenabled_backends = ceph\n[ceph]\nrbd_pool = volumes\n")
    env_dir = _venv(need, "cinder", release)
    res = validators.validate(env_dir, path, validators.namespaces(env_dir, "cinder"))
    assert "ceph/rbd_pool is not part of the sample config" in res.stderr
    ours, _ = lint(path, release)
    assert ours[("ceph", "rbd_pool")] == "ok"
