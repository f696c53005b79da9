# confgen.openstack_ceph.fleet_summary: the fleet view over what the lint task fetched
# (documentation: plugins/modules/fleet_summary.py). Run it once (`run_once: true`): it reads
# fleet_dir/HOST/etc of every host of the play, failed ones included, with `confgen lint
# FLEET/`, the same command an operator runs by hand.

from __future__ import annotations

import os
import shutil
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible_collections.confgen.openstack_ceph.plugins.plugin_utils.confgen import (
    SUMMARY_SPEC,
    confgen_command,
    lint_args,
    run_json,
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=SUMMARY_SPEC)
        fleet = args["fleet_dir"] or os.path.join(task_vars.get("playbook_dir", "."),
                                                  "confgen-fleet")
        fleet = os.path.abspath(self._loader.path_dwim(fleet))
        wanted = args["hosts"]
        if wanted is None:
            wanted = list(task_vars.get("ansible_play_hosts_all") or [])
        present = [h for h in wanted if os.path.isdir(os.path.join(fleet, h))]
        missing = sorted(set(wanted) - set(present))
        if not present:
            raise AnsibleActionFail(f"no host's files under {fleet}: run "
                                    "confgen.openstack_ceph.lint first (same fleet_dir)")
        # the play's hosts only (fleet_dir may hold hosts of other plays): links in a temp dir
        view = tempfile.mkdtemp(prefix=".summary-", dir=fleet)
        try:
            for h in present:
                os.symlink(os.path.join(fleet, h), os.path.join(view, h))
            cmd = confgen_command(args["executable"]) + lint_args(args) + [view]
            doc, _err = run_json(cmd, fleet)
        finally:
            shutil.rmtree(view, ignore_errors=True)
        hosts = {}
        for h in doc["hosts"]:
            counts = {f"{s}s": sum(f["severity"] == s for f in h["findings"])
                      for s in ("error", "warning", "info")}
            hosts[h["host"]] = {"files": h["files"], "could_not_lint": h["error"], **counts}
        outliers = doc.get("disagreements", [])
        failed = sorted(h for h, c in hosts.items() if c["errors"] or c["could_not_lint"])
        lines = [f"{len(hosts)} hosts linted; with errors: {', '.join(failed) or 'none'}"]
        for h, c in sorted(hosts.items()):
            lines.append(f"  {h}: " + (c["could_not_lint"] or
                         f"error {c['errors']}, warning {c['warnings']}, info {c['infos']} "
                         f"in {c['files']} files"))
        if outliers:
            lines.append("hosts that disagree with the majority:")
            for o in outliers:
                lines.append(f"  {o['key']}: {', '.join(o['hosts'])} have {o['value']!r} where "
                             f"{o['majority_hosts']} have {o['majority']!r}")
        else:
            lines.append("all hosts agree on the values every host must share")
        if missing:
            lines.append(f"not fetched (unreachable, or lint did not run): {', '.join(missing)}")
        result.update(
            changed=False,
            hosts=hosts,
            hosts_with_errors=failed,
            outliers=outliers,
            outlier_hosts=sorted({h for o in outliers for h in o["hosts"]}),
            missing=missing,
            summary=doc["summary"],
            report=lines,
            msg=lines[0] + ("; outliers: " + ", ".join(
                sorted({h for o in outliers for h in o["hosts"]})) if outliers else ""),
        )
        if outliers and args["fail_on_outliers"]:
            result["failed"] = True
        return result
