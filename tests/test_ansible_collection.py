"""The Ansible collection as files (no Ansible needed): where `confgen ansible-path` points,
documentation that parses and matches the action plugins' argument specs, the version.
tests/integration/test_ansible.py runs it with the real ansible-core."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from click.testing import CliRunner

from confgen import __version__
from confgen.cli import main

COLL = Path(CliRunner().invoke(main, ["ansible-path"]).output.strip()) / \
    "ansible_collections" / "confgen" / "openstack_ceph"


def _doc(name: str) -> dict[str, dict]:
    tree = ast.parse((COLL / "plugins" / "modules" / f"{name}.py").read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            out[node.targets[0].id] = yaml.safe_load(node.value.value)
    return out


def test_ansible_path_holds_the_collection_at_confgens_version():
    assert (COLL / "plugins" / "action" / "lint.py").is_file()
    galaxy = yaml.safe_load((COLL / "galaxy.yml").read_text())
    assert (galaxy["namespace"], galaxy["name"]) == ("confgen", "openstack_ceph")
    assert galaxy["version"] == __version__


def test_documentation_parses_and_names_every_return_and_option():
    for name in ("lint", "fleet_summary"):
        d = _doc(name)
        assert set(d) == {"DOCUMENTATION", "EXAMPLES", "RETURN"}, name
        assert d["DOCUMENTATION"]["module"] == name
        assert d["DOCUMENTATION"]["attributes"]["check_mode"]["support"] == "full"
        assert isinstance(d["EXAMPLES"], list) and d["RETURN"]


def test_documented_options_match_the_argument_specs():
    """The specs live beside the action plugins (plugin_utils); parse them without Ansible."""
    src = (COLL / "plugins" / "plugin_utils" / "confgen.py").read_text()
    tree = ast.parse(src)
    env: dict = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id in (
                "SEVERITIES", "COMMON", "LINT_SPEC", "SUMMARY_SPEC"):
            exec(compile(ast.Module([node], []), "spec", "exec"), env)  # plain literals
    for name, spec in (("lint", env["LINT_SPEC"]), ("fleet_summary", env["SUMMARY_SPEC"])):
        opts = _doc(name)["DOCUMENTATION"]["options"]
        assert set(opts) == set(spec), name
        for k, s in spec.items():
            assert opts[k]["type"] == s["type"], (name, k)
            assert opts[k].get("default") == s.get("default"), (name, k)
            assert opts[k].get("choices") == s.get("choices"), (name, k)
            assert opts[k].get("elements") == s.get("elements"), (name, k)
