#!/usr/bin/python
# The documentation of the confgen.openstack_ceph.lint action plugin (plugins/action/lint.py),
# which does the work on the controller; Ansible reads this file for ansible-doc.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lint
short_description: Lint a host's OpenStack-on-Ceph configuration with confgen
version_added: "0.1.0"
description:
  - Fetches the host's C(glance/glance-api.conf), C(cinder/cinder.conf), C(nova/nova.conf),
    C(ceph/ceph.conf) and C(ceph/*.keyring) under O(etc) to the controller, into
    O(fleet_dir)/HOST/etc, keeping each file's mode (so keyring modes are judged as on the
    host); cephx keys are masked before they are stored.
  - Runs C(confgen lint) on the controller over that copy, so the host needs no confgen, and
    the files of the host are linted together (cross-file rules such as CG401).
  - Fails the host when a finding is at or above O(fail_on).
  - With O(intent), also reports drift from what C(confgen render) writes for that intent.
  - With O(fix=true), applies C(confgen lint --fix) (and, with O(intent), brings the files to
    the intent) and copies the changed files back to the host, atomically, owner and mode
    kept, with a backup. In check mode it changes nothing and predicts the findings that
    would be left, the files it would change, and (with C(--diff)) confgen's diff of them.
  - Run M(confgen.openstack_ceph.fleet_summary) once afterwards for the hosts that disagree
    with the others.
options:
  etc:
    description: The host's directory holding glance/, cinder/, nova/ and ceph/.
    type: path
    default: /etc
  release:
    description:
      - OpenStack release the files are for (C(confgen releases) lists them), or C(auto) to
        detect it from the options in the files.
    type: str
    default: auto
  ceph_release:
    description: Ceph release for ceph.conf checks; C(auto) pairs it with O(release).
    type: str
  select:
    description: Only these rule ids, id prefixes or names (C(confgen rules) lists them).
    type: list
    elements: str
    default: []
  ignore:
    description: Skip these rule ids, id prefixes or names.
    type: list
    elements: str
    default: []
  min_severity:
    description: Report findings at or above this severity.
    type: str
    choices: [info, warning, error]
    default: info
  fail_on:
    description: Fail the host when a finding is at or above this severity (C(never) reports only).
    type: str
    choices: [info, warning, error, never]
    default: error
  intent:
    description:
      - A confgen intent file on the controller (relative paths from the playbook); drift
        from it is reported (rules CG6xx) and, with O(fix=true), repaired.
    type: path
  missing_files:
    description:
      - With O(intent), also report the files the intent implies that the host does not have
        (CG600). Off by default, since a host carries only its own services' files (a compute
        node has no glance-api.conf).
    type: bool
    default: false
  fix:
    description:
      - Apply the fixes confgen knows (and the intent's values) and copy the changed files
        to the host.
      - 'Ask for it per host, for example C(fix: "{{ confgen_fix | default(false) }}") with
        C(confgen_fix=true) on the hosts to repair.'

    type: bool
    default: false
  backup:
    description: With O(fix=true), keep a timestamped backup of each changed file on the host.
    type: bool
    default: true
  fleet_dir:
    description:
      - Directory on the controller for the copies, one HOST/etc per host (mode 0700; the
        copies hold whatever passwords the config files hold).
      - Defaults to C(confgen-fleet) beside the playbook.
    type: path
  executable:
    description: The confgen program on the controller (default C($CONFGEN_EXECUTABLE), else PATH).
    type: path
attributes:
  check_mode:
    support: full
    description: Lints as usual; with O(fix=true) reports what would change and changes nothing.
  diff_mode:
    support: full
    description: With O(fix=true), returns confgen's unified diff of each file it would change.
  action:
    support: full
    description: Runs on the controller; the host runs only find, slurp and copy.
notes:
  - The controller needs confgen installed;
    C(export ANSIBLE_COLLECTIONS_PATH="$(confgen ansible-path)") makes this collection,
    which always matches that confgen, visible to Ansible.
seealso:
  - module: confgen.openstack_ceph.fleet_summary
author:
  - confgen developers
"""

EXAMPLES = r"""
- name: Lint /etc of every host; fail the hosts with errors
  confgen.openstack_ceph.lint:
    release: "2024.1"
    ceph_release: reef
  register: confgen

- name: Show each host's findings
  ansible.builtin.debug:
    var: confgen.report

- name: Bring the hosts that ask for it to the intent (try with --check --diff first)
  confgen.openstack_ceph.lint:
    release: "2024.1"
    intent: confgen.ini
    fix: "{{ confgen_fix | default(false) }}"
"""

RETURN = r"""
findings:
  description: Every finding on the host, paths as on the host.
  returned: always
  type: list
  elements: dict
  sample:
    - path: /etc/nova/nova.conf
      line: 3
      column: 1
      rule: CG202
      name: wrong-section
      severity: error
      message: libvirt_images_type is not read from [DEFAULT] in juno
summary:
  description: Counts (files, findings, error, warning, info) and the releases used.
  returned: always
  type: dict
report:
  description: The findings as confgen prints them, one line each, and a summary line.
  returned: always
  type: list
  elements: str
files:
  description: The host's files that were fetched and linted.
  returned: always
  type: list
  elements: str
fixed:
  description: Files changed on the host (in check mode, that would be changed).
  returned: always
  type: list
  elements: str
fleet_dir:
  description: Where the copies are, for fleet_summary.
  returned: always
  type: str
"""


def main() -> None:
    import json
    import sys

    print(json.dumps({"failed": True, "msg": "confgen.openstack_ceph.lint runs on the "
                      "controller as an action plugin; it cannot run on a host"}))
    sys.exit(1)


if __name__ == "__main__":
    main()
