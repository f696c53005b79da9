# Shared by the lint and fleet_summary action plugins: argument specs, running the confgen CLI
# on the controller, turning its JSON into Ansible results.
#
# The plugins run `confgen lint --format json` as a program rather than importing confgen:
# Ansible and confgen often live in different virtualenvs, and the JSON document is the
# interface confgen keeps stable for scripts.

from __future__ import annotations

import json
import os
import shutil
import subprocess

from ansible.errors import AnsibleActionFail

SEVERITIES = ("info", "warning", "error")

# what both plugins pass to `confgen lint`
COMMON = {
    "release": {"type": "str", "default": "auto"},
    "ceph_release": {"type": "str"},
    "select": {"type": "list", "elements": "str", "default": []},
    "ignore": {"type": "list", "elements": "str", "default": []},
    "fleet_dir": {"type": "path"},
    "executable": {"type": "path"},
}

LINT_SPEC = {
    **COMMON,
    "etc": {"type": "path", "default": "/etc"},
    "min_severity": {"type": "str", "default": "info", "choices": list(SEVERITIES)},
    "fail_on": {"type": "str", "default": "error", "choices": [*SEVERITIES, "never"]},
    "intent": {"type": "path"},
    "fix": {"type": "bool", "default": False},
    "missing_files": {"type": "bool", "default": False},
    "backup": {"type": "bool", "default": True},
}

SUMMARY_SPEC = {
    **COMMON,
    "hosts": {"type": "list", "elements": "str"},
    "fail_on_outliers": {"type": "bool", "default": False},
}


def confgen_command(executable: str | None) -> list[str]:
    """The confgen program on the controller: `executable`, $CONFGEN_EXECUTABLE, or PATH."""
    exe = executable or os.environ.get("CONFGEN_EXECUTABLE") or shutil.which("confgen")
    if not exe or not os.access(exe, os.X_OK):
        raise AnsibleActionFail(
            "confgen is not installed on the controller (not on PATH): `pip install confgen` "
            "where ansible-playbook runs, or set `executable:` / $CONFGEN_EXECUTABLE")
    return [exe]


def lint_args(args: dict, release: str | None = None) -> list[str]:
    out = ["lint", "--format", "json", "--color", "never", "--deployed",
           "--release", release or args["release"]]
    if args.get("ceph_release"):
        out += ["--ceph-release", args["ceph_release"]]
    for opt in ("select", "ignore"):
        if args.get(opt):
            out += [f"--{opt}", ",".join(args[opt])]
    if args.get("min_severity"):
        out += ["--min-severity", args["min_severity"]]
    return out


def run_json(cmd: list[str], cwd: str) -> tuple[dict, str]:
    """Run confgen; (its JSON document, stderr). Exit 0/1 are verdicts; 2 without a document
    is a usage or input error, reported as the task's failure."""
    try:
        res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600,
                             stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise AnsibleActionFail(f"cannot run {cmd[0]}: {exc}") from None
    try:
        doc = json.loads(res.stdout)
    except ValueError:
        err = (res.stderr or res.stdout).strip().splitlines()
        raise AnsibleActionFail(err[-1] if err else f"confgen exited {res.returncode}") from None
    return doc, res.stderr


def summary_line(findings: list[dict], files: int) -> str:
    n = len(findings)
    plural = "s" if files != 1 else ""
    if not n:
        return f"no findings in {files} file{plural}"
    counts = {s: sum(f["severity"] == s for f in findings) for s in SEVERITIES}
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
             for s in ("error", "warning", "info") if counts[s]]
    return f"{n} finding{'s' if n != 1 else ''} ({', '.join(parts)}) in {files} file{plural}"


def report_lines(findings: list[dict]) -> list[str]:
    return [f"{f['path']}:{f['line']}:{f['column']}: {f['rule']} {f['severity']} {f['message']}"
            for f in findings]


def at_or_above(findings: list[dict], floor: str) -> list[dict]:
    if floor == "never":
        return []
    rank = SEVERITIES.index(floor)
    return [f for f in findings if SEVERITIES.index(f["severity"]) >= rank]
