"""Migration on files `confgen render` wrote for the source release: afterwards lint for the
target finds no placement/deprecated-spelling/driver error, and what changed is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from confgen import intent, releases
from confgen.cli import main
from confgen.errors import ConfgenError
from confgen.lint import lint
from confgen.migrate import migrate, report
from confgen.render.files import render
from confgen.render.write import write_all

R = releases.openstack()
BASE = """release = {release}
[ceph]
release = {ceph}
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.1, 10.0.0.2, 10.0.0.3
osd_count = 24
"""


def rendered(tmp_path: Path, release: str, extra: str = "", ceph: str = "reef") -> Path:
    it = intent.parse(BASE.format(release=release, ceph=ceph) + extra, "t.ini")
    try:
        files = render(it)
    except ConfgenError:  # nova.conf data not complete yet: migrate what can be rendered
        files = render(it, only=["glance", "cinder", "ceph"])
    out = tmp_path / release
    write_all(files, out)
    return out


def blocking(path: Path, release: str) -> list[str]:
    """Findings a migration must not leave: wrong place, not yet there, old spelling, driver
    the release cannot load."""
    res = lint([str(path)], R.get(release), select=["CG202", "CG203", "CG204", "CG305"])
    return [f"{f.path}:{f.line} {f.rule} {f.message}" for f in res.findings
            if f.rule != "CG204" or isinstance(f.extra.get("replacement"), dict)]


# (source, target, rule expected to have fixed something, or None: nothing to fix)
PATHS = [
    ("havana", "icehouse", "CG204"),  # nova: [DEFAULT] libvirt_* -> [libvirt]
    ("icehouse", "juno", "CG204"),
    ("juno", "kilo", None),
    ("kilo", "mitaka", None),
    ("queens", "rocky", None),
    ("juno", "2026.1", "CG305"),
    ("havana", "2026.1", "CG202"),
]


@pytest.mark.parametrize(("src", "dst", "rule"), PATHS)
def test_classic_paths_lint_clean_after(tmp_path: Path, src: str, dst: str, rule: str | None):
    etc = rendered(tmp_path, src)
    before = {p: p.read_bytes() for p in etc.rglob("*.conf")}
    mig = migrate([str(etc)], R.get(dst), R.get(src))
    rules = {e.rule for ff in mig.fixes for e in ff.applied}
    assert (rule in rules) if rule else not rules, rules
    from confgen.fix import write

    write(mig.fixes)
    assert blocking(etc, dst) == []
    for p, data in before.items():
        if p.read_bytes() != data:
            assert Path(str(p) + ".bak").read_bytes() == data
        # every comment line of the original survives the migration
        comments = [ln for ln in data.decode().splitlines() if ln.startswith("#")]
        assert all(c in p.read_text().splitlines() for c in comments)


def test_multistore_rocky_files_migrate_to_2026_1(tmp_path: Path):
    etc = rendered(tmp_path, "rocky", "[glance]\nmultistore = true\n")
    mig = migrate([str(etc)], R.get("2026.1"), R.get("rocky"))
    from confgen.fix import write

    write(mig.fixes)
    assert blocking(etc, "2026.1") == []


def test_removed_option_is_listed_for_a_human(tmp_path: Path):
    etc = rendered(tmp_path, "juno")
    mig = migrate([str(etc)], R.get("2026.1"), R.get("juno"))
    text = report(mig)
    assert "glance_api_version commented out: removed in queens (last read by pike)" in text
    assert "live_migration_flag commented out: removed in newton" in text
    # nothing of it can break the Ceph setup
    assert mig.exit_code == 0, text
    assert "backup_driver cinder.backup.drivers.ceph -> cinder.backup.drivers.ceph." \
        "CephBackupDriver" in text
    # default changes are about options the files leave unset
    assert any("default changes" in a.message for a in mig.notes)


def test_cli_dry_run_diff_writes_nothing(tmp_path: Path):
    etc = rendered(tmp_path, "icehouse")
    glance = etc / "glance" / "glance-api.conf"
    old = glance.read_text()
    res = CliRunner().invoke(main, ["migrate", "--to", "kilo", "--from", "icehouse",
                                    "--dry-run", "--diff", str(etc)])
    assert res.exit_code in (0, 1), res.output
    assert "\n-known_stores = " in res.output and "\n+stores = " in res.output
    assert glance.read_text() == old and not list(etc.rglob("*.bak"))
    res = CliRunner().invoke(main, ["migrate", "--to", "kilo", "--from", "icehouse",
                                    "--no-backup", str(etc)])
    assert "moved to [glance_store] stores" in res.output
    assert glance.read_text() != old and not list(etc.rglob("*.bak"))


def test_cli_auto_source_must_be_one_release(tmp_path: Path):
    etc = rendered(tmp_path, "juno")
    from confgen.detect import from_paths

    det = from_paths([str(etc)], use_packages=False)
    res = CliRunner().invoke(main, ["migrate", "--to", "kilo", "--dry-run", str(etc)])
    assert "source release" in res.stderr
    if len(det.releases) > 1:
        assert res.exit_code == 2 and "pass --from RELEASE" in res.stderr, res.output
    else:
        assert res.exit_code in (0, 1) and f"migration from {det.releases[0]}" in res.output


def test_cli_downgrade_and_contradicting_source_are_refused(tmp_path: Path):
    etc = rendered(tmp_path, "2024.1")
    before = {p: p.read_bytes() for p in etc.rglob("*.conf")}
    res = CliRunner().invoke(main, ["migrate", "--to", "icehouse", "--from", "juno", str(etc)])
    assert res.exit_code == 2 and "contradicts the files" in res.stderr, res.output
    res = CliRunner().invoke(main, ["migrate", "--to", "2023.1", "--from", "2024.1", str(etc)])
    assert res.exit_code == 2 and "--allow-downgrade" in res.stderr, res.output
    assert before == {p: p.read_bytes() for p in etc.rglob("*.conf")}
    res = CliRunner().invoke(main, ["migrate", "--to", "2023.1", "--from", "2024.1",
                                    "--allow-downgrade", "--dry-run", str(etc)])
    assert res.exit_code in (0, 1), res.output


def test_cli_bad_release_is_a_usage_error(tmp_path: Path):
    res = CliRunner().invoke(main, ["migrate", "--to", "nonesuch", str(tmp_path)])
    assert res.exit_code == 2 and "Traceback" not in res.output


@pytest.mark.parametrize("release", [r.name for r in R.releases])
def test_detected_range_holds_the_true_release(tmp_path: Path, release: str):
    from confgen.detect import from_paths

    det = from_paths([str(rendered(tmp_path, release))], use_packages=False)
    assert R.get(release) in det.releases, (det.describe(), det.evidence)
    assert det.releases == list(R.range(det.releases[0].name, det.releases[-1].name))


def test_lint_release_auto_says_what_it_picked(tmp_path: Path):
    etc = rendered(tmp_path, "icehouse")
    res = CliRunner().invoke(main, ["lint", "--release", "auto", str(etc)])
    # the range holds the release the files were written for (a tool may lag behind
    # removals, so later releases stay possible); the newest of it is linted for
    m = re.search(r"release (\w+)\.\.([\w.]+) \(from files\); linting for ([\w.]+)", res.stderr)
    assert m, res.stderr
    fam = releases.openstack()
    assert fam.get(m[1]) <= fam.get("icehouse") <= fam.get(m[2]) and m[3] == m[2]


def test_lint_fix_diff_then_fix(tmp_path: Path):
    etc = rendered(tmp_path, "icehouse")
    glance = etc / "glance" / "glance-api.conf"
    old = glance.read_text()
    res = CliRunner().invoke(main, ["lint", "-r", "kilo", "--fix", "--diff", str(etc)])
    assert "\n+stores = " in res.output and glance.read_text() == old
    res = CliRunner().invoke(main, ["lint", "-r", "kilo", "--fix", str(etc)])
    assert "fixed " in res.stderr and "CG202" not in res.output
    assert (etc / "glance" / "glance-api.conf.bak").read_text() == old


def test_default_changes_only_for_what_a_ceph_deployment_uses(tmp_path: Path):
    """Unset options whose default changes are listed, but not those of glance stores that are
    not loaded nor the export-target options an RBD backend never reads."""
    (tmp_path / "glance").mkdir()
    (tmp_path / "glance/glance-api.conf").write_text(
        "[DEFAULT]\ndefault_store = rbd\nrbd_store_pool = images\n")
    (tmp_path / "cinder").mkdir()
    (tmp_path / "cinder/cinder.conf").write_text(
        "[DEFAULT]\nenabled_backends = ceph\n[ceph]\n"
        "volume_driver = cinder.volume.drivers.rbd.RBDDriver\nrbd_pool = volumes\n")
    text = report(migrate([str(tmp_path)], releases.get("kilo"), releases.get("icehouse")))
    # kilo no longer loads rbd unless stores names it: the migration says so by adding it
    assert "stores = file, http, rbd (glance loads the default store)" in text
    assert "sheepdog" not in text and "iscsi_" not in text and "iser_" not in text


HAVANA_GLANCE = "[DEFAULT]\ndefault_store = rbd\nrbd_store_pool = images\n"


@pytest.mark.parametrize("target,expect", [
    ("icehouse", "known_stores = glance.store.filesystem.Store, glance.store.http.Store, "
                 "glance.store.rbd.Store"),
    ("kilo", "stores = file, http, rbd"),
])
def test_default_store_stays_loaded(tmp_path: Path, target: str, expect: str):
    """havana loaded rbd by default; later releases do not: the stores list gains it."""
    (tmp_path / "glance").mkdir()
    conf = tmp_path / "glance" / "glance-api.conf"
    conf.write_text(HAVANA_GLANCE)
    mig = migrate([str(tmp_path)], R.get(target), R.get("havana"))
    from confgen.fix import write

    write(mig.fixes)
    assert expect in conf.read_text(), conf.read_text()
    res = lint([str(tmp_path)], R.get(target), select=["CG409"])
    assert res.findings == []


def test_juno_cinder_default_backend_moves_into_a_backend_section(tmp_path: Path):
    (tmp_path / "cinder").mkdir()
    conf = tmp_path / "cinder" / "cinder.conf"
    conf.write_text("[DEFAULT]\n# ceph\nvolume_driver = cinder.volume.drivers.rbd.RBDDriver\n"
                    "rbd_pool = volumes\nrbd_user = cinder\nmy_ip = 10.0.0.5\n")
    for src, dst in (("juno", "newton"), ("newton", "ocata")):
        mig = migrate([str(tmp_path)], R.get(dst), R.get(src))
        from confgen.fix import write

        write(mig.fixes, backup=False)
        assert mig.exit_code == 0, report(mig)
    text = conf.read_text()
    assert text == ("[DEFAULT]\nmy_ip = 10.0.0.5\n# confgen: the [DEFAULT] volume backend moved "
                    "to [ceph]\nenabled_backends = ceph\n\n[ceph]\n# ceph\nvolume_driver = "
                    "cinder.volume.drivers.rbd.RBDDriver\nrbd_pool = volumes\n"
                    "rbd_user = cinder\n"), text
    assert lint([str(tmp_path)], R.get("ocata"), select=["CG2", "CG410"]).findings == []
    assert "update_host" in report(mig)
