"""CG304: a file path option (ceph.conf, keyring, admin socket, log file) given as a relative
path: the service resolves it against its working directory, which is not /etc.

Except where the service joins it to a base directory: oslo.log puts a relative [DEFAULT]
log_file under [DEFAULT] log_dir when that is set (oslo_log/_options.py, log.py
_get_log_file_path); Ceph's log file is always given with a metavariable or absolute."""

from __future__ import annotations

from collections.abc import Iterator

from confgen.rules.base import Context, Finding, Rule, entries

_SUFFIXES = ("ceph_conf", "keyring", "admin_socket", "log_file")
_ENDS = ("conf", "keyring", "socket", "file")  # the suffixes' last words


def check(ctx: Context) -> Iterator[Finding]:
    for lf, e in entries(ctx):
        if not e.key.rstrip().endswith(_ENDS):
            continue  # (ceph joins a key's words with '_': its last word ends it either way)
        key = lf.doc.norm_key(e.key)
        v = e.value.strip()
        if not v or not key.endswith(_SUFFIXES):
            continue
        if v.startswith(("/", "$")):  # ceph metavariables ($run_dir...) expand to paths
            continue
        if lf.doc.style == "oslo" and key == "log_file" and \
                (lf.doc.value(lf.doc.norm_section(e.section) or "", "log_dir") or "").strip():
            continue  # oslo.log: a relative log_file lives in log_dir
        yield RULE.on(lf, e, f"{e.key} = {v!r} is a relative path; the service resolves it "
                             "against its working directory: use an absolute path")


RULE = Rule("CG304", "relative-path", "warning", "file path option is not absolute", check)
