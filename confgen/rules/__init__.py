"""Lint rules, one module per rule. Each module defines RULE (confgen.rules.base.Rule).

Ids: CG0xx input, CG1xx structure, CG2xx release matrix, CG3xx values, CG4xx cross-file,
CG5xx safety. The drift rules (CG6xx) have their modules here too (cg6*.py: their
documentation for `confgen explain`), but confgen.drift finds them and confgen.rulelist lists
them: they are not run over parsed files.
"""

from __future__ import annotations

from functools import cache

from confgen import load_module
from confgen.rules.base import Rule

MODULES = (
    "cg001_unreadable", "cg002_parse_error",
    "cg101_duplicate_key", "cg102_outside_section", "cg103_unknown_section",
    "cg104_inline_comment", "cg105_section_name", "cg106_colon_separator", "cg107_ceph_dash_key",
    "cg201_unknown_option", "cg202_wrong_section", "cg203_not_yet", "cg204_deprecated",
    "cg205_removed", "cg206_ceph_daemon_option_in_client", "cg207_ceph_mon_config_only",
    "cg208_ceph_not_judged", "cg209_auth_plugin_option",
    "cg301_value_type", "cg302_choice", "cg303_range", "cg304_relative_path", "cg305_driver",
    "cg306_ceph_name", "cg310_ceph_value",
    "cg401_secret_uuid_mismatch", "cg402_missing_keyring", "cg403_missing_ceph_conf",
    "cg404_cow_impossible", "cg405_glance_api_version", "cg406_shared_pool",
    "cg407_enabled_backends", "cg408_duplicate_backend_name", "cg409_default_store_not_loaded",
    "cg410_cinder_default_backend",
    "cg501_client_admin", "cg502_auth_none", "cg503_keyring_mode", "cg504_secret_in_config",
    "cg505_image_locations", "cg506_vnc_listen", "cg507_rbd_cache",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    return tuple(load_module(f"confgen.rules.{m}").RULE for m in MODULES)


def by_id() -> dict[str, Rule]:
    return {r.id: r for r in all_rules()}
