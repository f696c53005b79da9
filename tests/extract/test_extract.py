"""The extractor against a throw-away git repository whose tags stand for releases.

The fixture modules (tests/extract/fixtures/<release>/*.py.txt, our own code) imitate the
oslo.config idioms of each era; the tests assert the facts the extractor must derive.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from confgen.errors import ConfgenError
from confgen.extract import extract, parse_spec
from confgen.extract.__main__ import dumps
from confgen.matrix.load import from_dict
from confgen.releases import openstack

FIXTURES = Path(__file__).parent / "fixtures"
# where each fixture file lives in the fake project
LAYOUT = {
    "imagebackend.py": "proj/virt/imagebackend.py",
    "driver.py": "proj/virt/driver.py",
    "fakevirt.py": "proj/conf/fakevirt.py",
    "backend.py": "proj/volume/backend.py",
}
RELEASES = ["havana", "icehouse", "juno", "kilo"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        check=True, capture_output=True,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One commit + tag per release; each commit holds exactly that release's fixture files."""
    path = tmp_path_factory.mktemp("upstream")
    _git(path, "init", "-q")
    for rel in RELEASES:
        for old in LAYOUT.values():
            (path / old).unlink(missing_ok=True)
        for src in sorted((FIXTURES / rel).glob("*.py.txt")):
            dest = path / LAYOUT[src.name.removesuffix(".txt")]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(src.read_text())
        _git(path, "add", "-A")
        _git(path, "commit", "-q", "-m", rel)
        _git(path, "tag", f"{rel}-eol")
    return path


def _spec(**extra) -> dict:
    spec = {
        "file": "nova.conf",
        "project": "proj",
        "refs": {r: f"{r}-eol" for r in RELEASES},
        "owned_sections": ["fakevirt"],
        "constants": {"configuration.SHARED_CONF_GROUP": "backend_defaults"},
        "scan": [
            {"paths": ["proj/virt/*.py", "proj/conf/*.py"]},
            {"paths": ["proj/volume/*.py"], "section": "@backend", "also": ["backend_defaults"]},
        ],
        "select": ["fakevirt.*", "fakevnc.*", "@backend.*"],
        "exclude": ["*.debugging"],
        "link": [{
            "old": "DEFAULT.fake_inject_password", "new": "fakevirt.inject_password",
            "why": "fixture: moved without deprecated_name",
        }],
        "options": {
            "fakevirt.images_type": {"help": "Where disks live."},
            "fakevirt.images_conf_path": {"override": [{
                "from": "havana", "to": "juno", "default": "/etc/fake",
                "why": "computed upstream: os.path.join of constants",
            }]},
            "fakevirt.migration_flags": {"override": [{
                "from": "juno", "deprecated_reason": "our words: use migration_tunnelled",
                "replacement": "fakevirt.migration_tunnelled", "why": "fixture replacement",
            }]},
        },
    }
    spec.update(extra)
    return {k: v for k, v in spec.items() if v is not None}  # None: leave the key out


@pytest.fixture(scope="module")
def data(repo: Path) -> dict:
    out, _ = extract(parse_spec(_spec()), str(repo))
    return out


def _opt(data: dict, key: str) -> dict:
    found = [o for o in data["options"] if o["key"] == key]
    assert found, f"{key} missing; have {[o['key'] for o in data['options']]}"
    return found[0]


def _spans(opt: dict) -> list[tuple[str, str, str, str]]:
    return [(e["from"], e["to"], e["section"], e["name"]) for e in opt["eras"]]


def test_default_section_move_is_linked_by_deprecated_name_and_group(data):
    opt = _opt(data, "fakevirt.images_type")
    assert _spans(opt) == [
        ("havana", "havana", "DEFAULT", "fake_images_type"),
        ("icehouse", "kilo", "fakevirt", "images_type"),  # identical facts: one era
    ]
    new = opt["eras"][1]
    assert new["aliases"] == [["DEFAULT", "fake_images_type"]]
    assert new["choices"] == ["raw", "qcow2", "rbd", "default"]
    assert new["default"] == "default"
    assert new["source"] == "openstack/proj:proj/virt/imagebackend.py@icehouse-eol..kilo-eol"
    assert opt["eras"][0]["source"] == "openstack/proj:proj/virt/imagebackend.py@havana-eol"
    assert opt["help"] == "Where disks live."


def test_deprecated_opts_give_aliases(data):
    era = _opt(data, "fakevirt.images_pool")["eras"][-1]
    assert era["aliases"] == [["DEFAULT", "fake_images_pool"]]


def test_choice_tuples_keep_only_values_and_new_options_start_late(data):
    opt = _opt(data, "fakevirt.disk_discard")
    assert _spans(opt) == [("icehouse", "kilo", "fakevirt", "disk_discard")]
    assert opt["eras"][0]["choices"] == ["ignore", "unmap"]
    assert "default" not in opt["eras"][0]  # None is omitted


def test_concatenated_lists_constant_group_and_file_move(data):
    opt = _opt(data, "fakevirt.migration_flags")
    assert _spans(opt) == [
        ("havana", "havana", "DEFAULT", "migration_flags"),
        ("icehouse", "icehouse", "fakevirt", "migration_flags"),
        ("juno", "juno", "fakevirt", "migration_flags"),
    ]
    assert opt["eras"][1]["aliases"] == [["DEFAULT", "migration_flags"]]
    assert opt["eras"][1]["source"].endswith("proj/virt/driver.py@icehouse-eol")
    juno = opt["eras"][2]
    assert juno["source"].endswith("proj/conf/fakevirt.py@juno-eol")
    assert juno["deprecated"] is True and juno["deprecated_since"] == "13.0.0"
    # upstream prose is never copied; the spec's own words are used
    assert juno["deprecated_reason"] == "our words: use migration_tunnelled"
    assert juno["replacement"] == "fakevirt.migration_tunnelled"
    assert juno["curated"] == "fixture replacement"
    assert "upstream prose" not in json.dumps(data)


def test_removal_is_visible_through_the_matrix_model(data):
    matrix = from_dict(data)
    fam = openstack()
    opt = matrix.option("fakevirt.migration_flags")
    assert opt.removed_in(fam) == fam.get("kilo")
    assert matrix.resolve("kilo", "fakevirt", "migration_flags").kind == "removed"
    assert matrix.resolve("icehouse", "DEFAULT", "migration_flags").kind == "alias"
    assert _opt(data, "fakevirt.migration_tunnelled")["eras"][0]["from"] == "juno"


def test_inline_register_opt_and_rename_via_deprecated_opts(data):
    opt = _opt(data, "fakevnc.server_listen")
    assert _spans(opt) == [
        ("havana", "havana", "DEFAULT", "fakeserver_listen"),
        ("icehouse", "icehouse", "fakevnc", "fakeserver_listen"),  # group from OptGroup.name
        ("juno", "kilo", "fakevnc", "server_listen"),
    ]
    assert opt["eras"][2]["aliases"] == [["DEFAULT", "fakeserver_listen"],
                                         ["fakevnc", "fakeserver_listen"]]


def test_spec_link_joins_an_undeclared_rename(data, repo):
    assert _spans(_opt(data, "fakevirt.inject_password"))[0] == (
        "havana", "havana", "DEFAULT", "fake_inject_password")
    unlinked, _ = extract(parse_spec(_spec(link=[], select=None, exclude=[])), str(repo))
    assert _spans(_opt(unlinked, "DEFAULT.fake_inject_password")) == [
        ("havana", "havana", "DEFAULT", "fake_inject_password")]
    assert _spans(_opt(unlinked, "fakevirt.inject_password"))[0][0] == "icehouse"


def test_types_restrictions_secret_and_computed_defaults(data, repo):
    retries = _opt(data, "fakevirt.retries")["eras"][0]
    got = (retries["type"], retries["min"], retries["max"], retries["default"])
    assert got == ("int", 1, 10, 3)
    assert _opt(data, "fakevirt.port")["eras"][0]["type"] == "port"
    wait = _opt(data, "fakevirt.wait")["eras"][0]
    assert (wait["default"], wait["min"]) == (0, 0)  # zero is kept, not dropped as "empty"
    assert _opt(data, "fakevirt.secret_uuid")["eras"][0]["secret"] is True
    conf_path = _opt(data, "fakevirt.images_conf_path")
    assert conf_path["eras"][0]["default"] == "/etc/fake"  # override
    assert conf_path["eras"][-1]["from"] == "kilo"  # outside the override: computed marker
    assert conf_path["eras"][-1]["default"] == "<computed: os.path.join('/etc', 'fake')>"


def test_selection_and_exclusion(data):
    keys = {o["key"] for o in data["options"]}
    assert not any(k.endswith(".debugging") for k in keys)
    assert all(k.split(".")[0] in {"fakevirt", "fakevnc", "@backend"} for k in keys)


def test_dynamic_section_with_constant_group(data):
    opt = _opt(data, "@backend.fake_rbd_user")
    era = opt["eras"][0]
    assert (era["from"], era["to"], era["also"]) == ("juno", "kilo", ["backend_defaults"])
    assert era["aliases"] == [["@backend", "fake_rbd_username"]]


def test_refs_and_header(data):
    assert data["refs"] == {r: f"{r}-eol" for r in RELEASES}
    assert data["owned_sections"] == ["fakevirt"] and data["schema"] == 1


def test_output_is_deterministic(repo):
    a, _ = extract(parse_spec(_spec()), str(repo))
    b, _ = extract(parse_spec(_spec()), str(repo))
    assert dumps(a) == dumps(b)


def test_cli_writes_file_and_reports_user_errors(repo, tmp_path):
    toml = tmp_path / "spec.toml"
    toml.write_text(
        'file = "nova.conf"\nproject = "proj"\n[refs]\nhavana = "havana-eol"\n'
        '[[scan]]\npaths = ["proj/virt/*.py"]\n'
    )
    out = tmp_path / "out.json"
    run = [sys.executable, "-m", "confgen.extract", str(toml), "--repo", str(repo)]
    ok = subprocess.run([*run, "--out", str(out), "-q"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert {o["key"] for o in json.loads(out.read_text())["options"]} >= {
        "DEFAULT.fake_images_type", "DEFAULT.fakeserver_listen"}
    toml.write_text(toml.read_text().replace("havana-eol", "nosuchref"))
    bad = subprocess.run(run, capture_output=True, text=True)
    assert bad.returncode == 2 and "nosuchref" in bad.stderr and "Traceback" not in bad.stderr


def test_spec_errors_are_user_errors():
    with pytest.raises(ConfgenError, match="why"):
        parse_spec(_spec(link=[{"old": "DEFAULT.a", "new": "x.b"}]))
    with pytest.raises(ConfgenError, match="unknown key"):
        parse_spec(_spec(bogus=1))


def test_groups_are_the_sections_oslo_config_reads():
    # oslo.config lower-cases every group name but DEFAULT (cfg.py _normalize_group_name), so
    # cinder.opts' ('COORDINATION', ...) is the [coordination] files spell; families stay
    from confgen.extract.build import oslo_group

    assert [oslo_group(g) for g in ("COORDINATION", "FC-ZONE-MANAGER", "DEFAULT", "database",
                                    "@backend", "<unresolved:x>")] == [
        "coordination", "fc-zone-manager", "DEFAULT", "database", "@backend", "<unresolved:x>"]
