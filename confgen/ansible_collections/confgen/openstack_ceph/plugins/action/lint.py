# confgen.openstack_ceph.lint: lint one host's OpenStack-on-Ceph configuration on the
# controller (documentation: plugins/modules/lint.py, `ansible-doc confgen.openstack_ceph.lint`).
#
# Why on the controller: the hosts need nothing but the Python Ansible's own modules use
# (find, slurp, copy), not confgen; the files of one host are linted together, so the
# cross-file rules see them all; and the copies stay in fleet_dir for fleet_summary, which
# needs every host at once.

from __future__ import annotations

import base64
import os
import re
import shutil
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible_collections.confgen.openstack_ceph.plugins.plugin_utils.confgen import (
    LINT_SPEC,
    at_or_above,
    confgen_command,
    lint_args,
    report_lines,
    run_json,
    summary_line,
)

# where confgen looks under a node's /etc (confgen/parse LAYOUT), and the keyrings
FILES = ("glance/glance-api.conf", "cinder/cinder.conf", "nova/nova.conf", "ceph/ceph.conf")
KEYRING = re.compile(r"^ceph/[^/]+\.keyring$")
# cephx keys are never stored on the controller: no rule needs them
KEY_LINE = re.compile(rb"^(\s*key\s*=\s*)\S.*$", re.M)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=LINT_SPEC)
        host = task_vars.get("inventory_hostname", "localhost")
        etc = args["etc"].rstrip("/") or "/"
        fleet = self._fleet_dir(args, task_vars)
        confgen = confgen_command(args["executable"])
        intent = self._loader.path_dwim(args["intent"]) if args["intent"] else None
        if intent and not os.path.isfile(intent):
            raise AnsibleActionFail(f"intent: {intent}: no such file on the controller")
        try:
            fetched = self._fetch(etc, os.path.join(fleet, host), task_vars)
            local_etc = os.path.join(fleet, host, "etc")
            base = confgen + lint_args(args) + (["--intent", intent] if intent else [])
            if intent and not args["missing_files"]:
                base += ["--ignore", "CG600"]  # a compute node carries no glance-api.conf
            doc, _err = run_json(base + [local_etc], fleet)
            findings = doc["findings"]
            files = doc["summary"]["files"]
            result["changed"] = False
            fixed: list[str] = []
            if args["fix"]:
                findings, fixed, diffs = self._fix(base, local_etc, etc, args, task_vars,
                                                   fleet)
                result["changed"] = bool(fixed)
                if diffs and self._task.diff:
                    result["diff"] = [{"prepared": d} for d in diffs]
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        shown = [self._host_paths(f, local_etc, etc) for f in findings]
        failing = at_or_above(shown, args["fail_on"])
        lines = report_lines(shown) + [summary_line(shown, files)]
        result.update(
            findings=shown,
            summary={**doc["summary"], "files": files},
            files=fetched,
            fixed=fixed,
            report=lines,
            fleet_dir=fleet,
        )
        if failing:
            result["failed"] = True
            result["msg"] = (f"{summary_line(shown, files)}; {len(failing)} at or above "
                             f"{args['fail_on']}: " + "; ".join(report_lines(failing)[:5]))
        else:
            result["msg"] = summary_line(shown, files)
        return result

    # -- fetch -------------------------------------------------------------------------------
    def _fleet_dir(self, args: dict, task_vars: dict) -> str:
        d = args["fleet_dir"] or os.path.join(task_vars.get("playbook_dir", "."),
                                              "confgen-fleet")
        d = os.path.abspath(self._loader.path_dwim(d))
        os.makedirs(d, mode=0o700, exist_ok=True)  # copies of config files: passwords inside
        return d

    def _module(self, name: str, module_args: dict, task_vars: dict) -> dict:
        res = self._execute_module(module_name=name, module_args=module_args,
                                   task_vars=task_vars)
        if res.get("failed") or res.get("unreachable"):
            raise AnsibleActionFail(f"{name}: {res.get('msg', 'failed')}", result=res)
        return res

    def _fetch(self, etc: str, host_dir: str, task_vars: dict) -> list[str]:
        """The host's config files and keyrings into host_dir/etc, modes kept, keys masked."""
        found = self._module("ansible.builtin.find", {
            "paths": [f"{etc}/{d}" for d in ("glance", "cinder", "nova", "ceph")],
            "patterns": [f.rsplit("/", 1)[1] for f in FILES] + ["*.keyring"],
            "file_type": "file", "follow": True,
        }, task_vars)
        if os.path.isdir(host_dir):
            shutil.rmtree(host_dir)  # last run's files must not stand in for deleted ones
        local_etc = os.path.join(host_dir, "etc")
        os.makedirs(local_etc)
        fetched = []
        for item in sorted(found.get("files", []), key=lambda i: i["path"]):
            rel = os.path.relpath(item["path"], etc)
            if rel not in FILES and not KEYRING.match(rel):
                continue
            data = base64.b64decode(self._module("ansible.builtin.slurp", {"src": item["path"]},
                                                 task_vars)["content"])
            if rel.endswith(".keyring"):
                data = KEY_LINE.sub(rb"\1(not fetched by confgen)", data)
            dest = os.path.join(local_etc, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as fh:
                fh.write(data)
            os.chmod(dest, int(item.get("mode", "0600"), 8) & 0o777)  # CG503 judges the host's
            fetched.append(item["path"])
        return fetched

    # -- fix ---------------------------------------------------------------------------------
    def _fix(self, base: list[str], local_etc: str, etc: str, args: dict, task_vars: dict,
             fleet: str) -> tuple[list[dict], list[str], list[str]]:
        """Fix a scratch copy; (findings left after the fix, files changed, diffs). Check
        mode stops there (the prediction); otherwise the changed files go to the host with
        Ansible's copy (atomic, owner and mode kept, `backup`)."""
        scratch = tempfile.mkdtemp(prefix=".fix-", dir=fleet)
        try:
            work = os.path.join(scratch, "etc")
            shutil.copytree(local_etc, work)
            shown = self._diff_header(work, etc)
            doc, _ = run_json(base + ["--fix", "--diff", work], fleet)
            diffs = [shown(d) for d in doc.get("diffs", [])]
            after, _ = run_json(base + ["--fix", "--no-backup", work], fleet)
            changed = []
            for rel in _walk(work):
                mine, theirs = os.path.join(work, rel), os.path.join(local_etc, rel)
                if rel.endswith(".keyring") or _read(mine) == _read(theirs):
                    continue  # (keyrings are never written back: their keys were masked)
                remote = f"{etc}/{rel}"
                changed.append(remote)
                if self._task.check_mode:
                    continue
                res = self._push(mine, remote, args["backup"], task_vars)
                if res.get("failed"):
                    raise AnsibleActionFail(f"{remote}: {res.get('msg', 'copy failed')}",
                                            result=res)
                shutil.copy2(mine, theirs)  # the copy in fleet_dir is the host's file again
            findings = [
                {**f, "path": f["path"].replace(work, local_etc),
                 "message": f["message"].replace(work, local_etc)}
                for f in after["findings"]]
            return findings, changed, diffs
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _push(self, src: str, dest: str, backup: bool, task_vars: dict) -> dict:
        task = self._task.copy()
        task.args = {"src": src, "dest": dest, "backup": backup, "follow": True}
        copy = self._shared_loader_obj.action_loader.get(
            "ansible.legacy.copy", task=task, connection=self._connection,
            play_context=self._play_context, loader=self._loader, templar=self._templar,
            shared_loader_obj=self._shared_loader_obj)
        return copy.run(task_vars=task_vars)

    @staticmethod
    def _diff_header(work: str, etc: str):
        lead = etc if etc.startswith("/") else "/" + etc

        def shown(d: str) -> str:
            return d.replace(f"a/{work}", f"a{lead}").replace(f"b/{work}", f"b{lead}") \
                    .replace(work, etc)
        return shown

    @staticmethod
    def _host_paths(f: dict, local_etc: str, etc: str) -> dict:
        """Findings name the host's files (/etc/nova/nova.conf), not the controller's copy."""
        return {**f, "path": f["path"].replace(local_etc, etc),
                "message": f["message"].replace(local_etc, etc)}


def _walk(root: str) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _dirs, files in os.walk(root) for f in files)


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None
