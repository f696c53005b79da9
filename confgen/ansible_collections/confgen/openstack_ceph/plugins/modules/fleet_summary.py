#!/usr/bin/python
# The documentation of the confgen.openstack_ceph.fleet_summary action plugin
# (plugins/action/fleet_summary.py); Ansible reads this file for ansible-doc.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: fleet_summary
short_description: The fleet view of confgen's lint, over every host's fetched files
version_added: "0.1.0"
description:
  - Runs C(confgen lint FLEET/) on the controller over the copies that
    M(confgen.openstack_ceph.lint) left in O(fleet_dir), for the hosts of the play (failed
    hosts included).
  - Reports each host's counts and the hosts that disagree with the majority on the values
    every host of one cloud must share (fsid, mon_host, rbd_secret_uuid, rbd pools and users;
    rule CG701).
  - 'Run it once, after the lint task (C(run_once: true)).'
options:
  hosts:
    description: Hosts to include (default the play's hosts, C(ansible_play_hosts_all)).
    type: list
    elements: str
  release:
    description: OpenStack release, as for the lint task (C(auto) detects it per host).
    type: str
    default: auto
  ceph_release:
    description: Ceph release, as for the lint task.
    type: str
  select:
    description: Only these rule ids, prefixes or names.
    type: list
    elements: str
    default: []
  ignore:
    description: Skip these rule ids, prefixes or names (C(CG701) leaves out the outliers).
    type: list
    elements: str
    default: []
  fail_on_outliers:
    description: Fail when some host disagrees with the majority.
    type: bool
    default: false
  fleet_dir:
    description: Where the lint task put the copies (default C(confgen-fleet) beside the playbook).
    type: path
  executable:
    description: The confgen program on the controller (default C($CONFGEN_EXECUTABLE), else PATH).
    type: path
attributes:
  check_mode:
    support: full
    description: Reads only; the same in check mode.
  diff_mode:
    support: none
    description: Changes nothing.
  action:
    support: full
    description: Runs on the controller only.
seealso:
  - module: confgen.openstack_ceph.lint
author:
  - confgen developers
"""

EXAMPLES = r"""
- name: Hosts that disagree with the others
  confgen.openstack_ceph.fleet_summary:
    release: "2024.1"
  run_once: true
"""

RETURN = r"""
hosts:
  description: Per host, files linted and errors, warnings, infos (could_not_lint when it failed).
  returned: always
  type: dict
hosts_with_errors:
  description: Hosts with error findings or whose files could not be linted.
  returned: always
  type: list
  elements: str
outliers:
  description:
    Each disagreement, with key, majority value and host count, the odd value and its hosts.
  returned: always
  type: list
  elements: dict
outlier_hosts:
  description: The hosts named in outliers.
  returned: always
  type: list
  elements: str
missing:
  description: Play hosts with no copy in fleet_dir (unreachable, or the lint task did not run).
  returned: always
  type: list
  elements: str
report:
  description: The summary as lines of text.
  returned: always
  type: list
  elements: str
"""


def main() -> None:
    import json
    import sys

    print(json.dumps({"failed": True, "msg": "confgen.openstack_ceph.fleet_summary runs on "
                      "the controller as an action plugin; it cannot run on a host"}))
    sys.exit(1)


if __name__ == "__main__":
    main()
