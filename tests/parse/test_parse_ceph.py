"""ceph-style parsing: key spellings, comments, quotes, continuations, client precedence;
differential against the real `ceph-conf` when it is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from confgen.parse import parse_ceph
from confgen.parse.ceph import effective, expand

TEXT = """\
; cluster-wide
[global]
fsid = 0b7d4b9c-36a1-4c53-a6f5-4a8b2f3c0d11   # inline comment
mon host = 10.0.0.1,10.0.0.2
rbd cache = false
log_file = /var/log/ceph/$cluster-$name.log

[client]
rbd cache = true
rbd cache writethrough until flush = true
admin socket = "/var/run/ceph/guests/$cluster-$type.$id.asok" ; quoted
keyring = /etc/ceph/$cluster.$name.keyring

[client.cinder]
rbd_cache = false
long value = a \\
  b
"""


def test_keys_spellings_and_precedence():
    doc = parse_ceph(TEXT)
    assert doc.value("global", "fsid") == "0b7d4b9c-36a1-4c53-a6f5-4a8b2f3c0d11"
    assert doc.get("global", "mon_host").line == 4
    assert doc.value("client", "rbd_cache_writethrough_until_flush") == "true"
    assert doc.value("client", "admin_socket") == "/var/run/ceph/guests/$cluster-$type.$id.asok"
    assert doc.value("global", "log file") == "/var/log/ceph/$cluster-$name.log"
    assert effective(doc, "rbd cache", "client.cinder").value == "false"
    assert effective(doc, "rbd cache", "client.glance").value == "true"
    assert effective(doc, "mon_host", "client.glance").line == 4
    cont = doc.get("client.cinder", "long_value")
    assert (cont.line, cont.end_line, cont.value) == (16, 17, "a   b")
    assert not doc.problems


@pytest.mark.parametrize(
    "text,line,code",
    [
        ("fsid = x\n[global]\n", 1, "outside-section"),
        ("[global\n", 1, "parse-error"),
        ("[global]\nno equals here\n", 2, "parse-error"),
        ("[global]\n = x\n", 2, "parse-error"),
        ('[global]\na = "open\n', 2, "parse-error"),
        ('[global]\na = "x;y"\n', 2, "parse-error"),  # ';' starts a comment even in quotes
        ("[global]\nrbd-cache = true\n", 2, "dash-key"),
    ],
)
def test_problems(text, line, code):
    doc = parse_ceph(text)
    assert [(p.line, p.code) for p in doc.problems][:1] == [(line, code)]


def test_later_duplicate_wins():
    doc = parse_ceph("[global]\nrbd cache = true\nrbd_cache = false\n[ global ]\nrbd_cache = 1\n")
    assert [e.line for e in doc.all("global", "rbd  cache")] == [2, 3]
    assert doc.value("global", "rbd cache") == "false"


def test_against_ceph_conf(tmp_path, need):
    exe = shutil.which("ceph-conf")
    need(exe is not None, "ceph-conf (package ceph-common) is not installed")
    path = tmp_path / "ceph.conf"
    path.write_text(TEXT)  # ($cluster etc. are expanded by ceph-conf, kept by us: not compared)
    doc = parse_ceph(TEXT)
    for name, key in [("client.cinder", "rbd_cache"), ("client.glance", "rbd_cache"),
                      ("client.glance", "mon_host"), ("client.glance", "fsid"),
                      ("client.cinder", "long_value"),
                      ("client.glance", "rbd_cache_writethrough_until_flush")]:
        real = subprocess.run([exe, "-c", str(path), "--name", name, "--lookup", key],
                              capture_output=True, text=True, check=False).stdout.strip()
        ours = effective(doc, key, name)
        assert (ours.value if ours else "") == real, (name, key)
    # what the real parser refuses, we report as fatal
    for bad in ['[global]\na = "x;y"\n', "a = 1\n[global]\n", "[global]\nno equals\n",
                "[global\n"]:
        path.write_text(bad)
        proc = subprocess.run([exe, "-c", str(path), "--name", "client.x", "--lookup", "a"],
                              capture_output=True, text=True, check=False)
        assert "parse error" in proc.stderr
        assert any(p.fatal for p in parse_ceph(bad).problems), bad


# The ten ways the old reader disagreed with Ceph (issue 10), as Ceph 16.2.15 decides them
# (the differential test in test_ceph_differential.py checks the same files against the real
# ceph-conf and librados).
CLASSES = [
    ("[global]\n# disabled: \\\nauth_client_required = none\n", "read", "none"),
    ("[global]\nauth_client_required = 'none'\n", "read", "none"),
    ("[global]\nauth_client_required = a\\#b\\;c\\\\d\n", "read", "a#b;c\\d"),
    ('[global]\nauth_client_required = in"side\n', "read", 'in"side'),
    (" [global]\nauth_client_required = a\n", "refused", None),
    ("[global]\nauth_client_required = a", "refused", None),
    ("[global]\nauth_client_required = \u00e9\n", "aborted", None),
    ('[global]\nauth_client_required = "a" b\n', "refused", None),
    ("[global]\nauth_client_required = a\\", "refused", None),
    ("[client]\nauth_client_required = $cluster.${cluster}.$name.$id\n", "read",
     "ceph.ceph.client.x.x"),
]


@pytest.mark.parametrize("text,status,value", CLASSES)
def test_disagreement_classes(text, status, value):
    doc = parse_ceph(text)
    fatal = [p for p in doc.problems if p.fatal]
    if status == "read":
        assert not fatal, fatal
        e = effective(doc, "auth_client_required", "client.x")
        assert expand(e.value, "client.x") == value
    else:
        assert fatal and fatal[0].code == "parse-error"
        assert ("non-ASCII" in fatal[0].message) == (status == "aborted")


def test_lone_key_is_global_and_positions():
    doc = parse_ceph("rbd cache = false\n")
    assert doc.value("global", "rbd_cache") == "false"  # a one-line file is read as [global]
    doc = parse_ceph("[global]\nmon host = a\n\n[client.glance]\n  rbd\tcache = true ; x\n")
    e = doc.get("client.glance", "rbd_cache")
    assert (e.line, e.column, e.value_column, e.comment) == (5, 3, 15, "x")


def test_expand_as_ceph():
    assert expand("${x.$nope$", "client.g") == "$.$nope$"  # an unclosed ${ eats the name
    assert expand("$run_dir/$cluster-$name.asok", "client.g", "ceph",
                  lambda v: "/run/ceph" if v == "run_dir" else None) == \
        "/run/ceph/ceph-client.g.asok"


def test_ordinary_runs_are_exactly_the_characters_the_grammar_takes_as_they_are():
    """The parser takes runs of 'ordinary' characters whole: ASCII, no skipper start, no
    escape, no line end (and for keys no '=' or '['); anything else goes rule by rule."""
    from confgen.parse import ceph

    for pattern, stop in ((ceph._VALUE_RUN, "\\ \t#;\r\n"), (ceph._KEY_RUN, "\\ \t#;\r\n=[")):
        for i in (*range(0x300), 0x2028, 0xFEFF, 0x10FFFF):
            ch = chr(i)
            assert bool(pattern.fullmatch(ch)) == (i < 128 and ch not in stop), hex(i)
