"""Property tests: random intents and random config files through render, lint and fix.

For every example: no traceback, no hang (a per-example alarm; subprocesses have timeouts),
exit codes as documented (render 0/2; lint 0/1, 2 exactly when input is unreadable), no planted
secret in any output, generated shell passes `sh -n` and, run with fake `ceph`/`rbd` on an
otherwise empty PATH, runs nothing else, generated XML passes xmllint and virt-xml-validate,
no injected line in any generated file, and every value the service read survives `--fix`
(the backup holding the original bytes).

The smoke variants run in the fast suite; the `slow` ones explore more examples."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FSID, cli, only_ceph_and_rbd, run_sandboxed
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from confgen.parse import parse

PER_EXAMPLE_SECONDS = 60
XMLLINT = shutil.which("xmllint")
VIRT_XML = shutil.which("virt-xml-validate")


@contextlib.contextmanager
def alarm(seconds: int = PER_EXAMPLE_SECONDS) -> Iterator[None]:
    """Fail (not hang) when one example takes longer than `seconds`."""
    def hang(signum, frame):
        raise TimeoutError(f"confgen did not finish within {seconds}s: a hang")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def no_traceback(r) -> None:
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output


# -- building blocks ---------------------------------------------------------------------------
secret_token = st.from_regex(r"\AZZ[a-z0-9]{10}\Z")  # a planted secret: unique, only as a value
hostile = st.sampled_from([
    "\n[DEFAULT]\nINJECTED = 1", "\r[INJECTED]", "$(touch INJECTED)", "`touch INJECTED`",
    "; touch INJECTED", "a--b", "-->", "<x>&amp;'\"", "\u2028INJECTED = 1", "\\", "#x", ";x",
    "\x1b[31m", "a b", "x=y", "[s]", "",
])
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.-", min_size=1, max_size=10)
name = st.one_of(word, hostile, st.text(max_size=8))


def q(value: str) -> str:
    """A configobj value as a user might write it: bare, quoted, or triple-quoted."""
    if "\n" in value or "\r" in value:
        return f'"""{value}"""'
    if any(c in value for c in ",#\"'") or value != value.strip() or not value:
        return f"'{value}'" if "'" not in value else f'"{value}"'
    return value


valid_name = st.from_regex(r"\A[a-z][a-z0-9_-]{0,8}\Z")
# allowed by the intent, still hostile where it lands (INI value, shell, XML, comment)
odd_but_valid = st.sampled_from(["$(touch INJECTED)", "`id`", "<x>&amp;'\"", "a--b", "-->",
                                 "a;b", "x=y", "%(x)s", "\\", "é"])


@st.composite
def intents(draw) -> tuple[str, str, list[str]]:
    """(intent text, intent file name, planted secrets). Half are valid intents with values
    that are hostile where they land; half break one field with something invalid."""
    secrets = [draw(secret_token) for _ in range(2)]
    bad = draw(st.booleans())

    def pick(good, evil=None):
        if bad and draw(st.integers(0, 4)) == 0:
            return draw(evil if evil is not None else st.one_of(hostile, name))
        return draw(good)

    rel = pick(st.sampled_from(["juno", "kilo", "queens", "2024.1", "latest"]),
               st.sampled_from(["", " ", "nope"]))
    ceph = pick(st.sampled_from(["auto", "firefly", "reef", "octopus"]),
                st.sampled_from(["", " ", "x"]))
    fsid = pick(st.just(FSID), st.sampled_from(["", "not-a-uuid", "AQBvaBFZAAAAABAA2bYPn8Z=="]))
    mons = [pick(st.sampled_from(["10.0.0.1", "mon1:6789", "mon-2.example"]))
            for _ in range(draw(st.integers(1, 3)))]
    osds = pick(st.sampled_from(["3", "12", "500"]), st.sampled_from(["0", "1" * 30, "x"]))
    lines = [f"release = {q(rel)}", "[ceph]", f"release = {q(ceph)}", f"fsid = {q(fsid)}",
             "mon_host = " + ", ".join(q(m) for m in mons), f"osd_count = {osds}"]
    if draw(st.booleans()):
        path = pick(st.sampled_from(["/etc/ceph/ceph.conf", "/x/c.conf"]),
                    st.sampled_from(["rel", "/a\n[x]"]))
        lines.append(f"conf_path = {q(path)}")
    for svc in ("glance", "nova", "cinder_backup"):
        if draw(st.booleans()):
            user = pick(st.one_of(valid_name, st.just("a--b")))
            lines += [f"[{svc}]", f"pool = {q(pick(valid_name))}", f"user = {q(user)}"]
    if draw(st.booleans()):
        backend = pick(valid_name, st.one_of(word, hostile))
        lines += ["[cinder]", "[[backends]]", f"[[[{backend}]]]", f"pool = {q(pick(valid_name))}",
                  f"backend_name = {q(pick(st.one_of(valid_name, odd_but_valid)))}",
                  f"driver = {draw(st.sampled_from(['rbd', 'lvm']))}",
                  f"volume_group = {q(pick(valid_name))}"]
    if draw(st.booleans()):
        section = pick(st.sampled_from(["DEFAULT", "keystone_authtoken", "libvirt"]))
        key = pick(st.sampled_from(["debug", "x", "log_dir"]))
        lines += ["[extra]", "[[nova.conf]]", f"[[[{section}]]]",
                  f"password = {secrets[0]}",
                  f"transport_url = rabbit://nova:{secrets[1]}@h//",
                  f"{q(key) if key.strip() else 'k'} = {q(pick(odd_but_valid))}"]
    fname = draw(st.sampled_from(["site.ini", "x\ntouch INJECTED\n.ini", "a-->b--.ini",
                                  "$(touch INJECTED).ini", "é.ini", "a\x1b[2J.ini"]))
    return "\n".join(lines) + "\n", fname, secrets


KEYS = {
    "nova.conf": [("libvirt", "images_type"), ("DEFAULT", "libvirt_images_type"),
                  ("libvirt", "images_rbd_pool"), ("libvirt", "rbd_user"),
                  ("libvirt", "rbd_secret_uuid"), ("libvirt", "inject_partition"),
                  ("DEFAULT", "transport_url"), ("database", "connection"),
                  ("keystone_authtoken", "password"), ("vnc", "server_listen"),
                  ("DEFAULT", "debug"), ("libvirt", "disk_cachemodes")],
    "cinder.conf": [("DEFAULT", "enabled_backends"), ("ceph", "rbd_pool"),
                    ("ceph", "chap_password"), ("ceph", "rbd_user"),
                    ("DEFAULT", "glance_api_version"), ("ceph", "rbd_secret_uuid"),
                    ("DEFAULT", "backup_ceph_pool")],
    "ceph.conf": [("global", "fsid"), ("global", "mon_host"), ("client", "rbd cache"),
                  ("client", "rbd_cache"), ("client.admin", "key"), ("global", "auth_supported"),
                  ("client", "rbd-cache"), ("global", "auth_client_required")],
}
SECRET_KEYS = {"password", "chap_password", "key"}
URL_KEYS = {"transport_url", "connection"}


@st.composite
def config_files(draw) -> tuple[str, bytes, list[str]]:
    """(file type, bytes, planted secrets)."""
    ft = draw(st.sampled_from(sorted(KEYS)))
    secrets: list[str] = []
    eol = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    lines: list[str] = []
    section = None
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["kv", "kv", "kv", "kv", "dup", "dup", "section",
                                     "comment", "blank", "cont", "unknown", "garbage"]))
        if kind == "dup" and lines and "=" in lines[-1] and section is not None:
            lines.append(lines[-1].split("=", 1)[0] + "= " + draw(word))
            continue
        if kind == "dup":
            kind = "kv"
        if kind == "garbage" and draw(st.booleans()):
            kind = "comment"
        if kind == "section" or (kind == "kv" and section is None and draw(st.booleans())):
            section = draw(st.one_of(st.sampled_from(sorted({s for s, _ in KEYS[ft]})), word))
            lines.append(f"[{section}]")
            if kind == "section":
                continue
        if kind == "kv":
            sec, key = draw(st.sampled_from(KEYS[ft]))
            if section != sec and draw(st.booleans()):
                section = sec
                lines.append(f"[{sec}]")
            if key in SECRET_KEYS:
                token = draw(secret_token)
                secrets.append(token)
                value = token + draw(st.sampled_from(["", " # note", " ; note"]))
            elif key in URL_KEYS:
                token = draw(secret_token)
                secrets.append(token)
                value = f"mysql+pymysql://nova:{token}@db/nova"
            else:
                value = draw(st.one_of(word, st.sampled_from(
                    ["rbd", "qcow2", "true", "-2", "99", "0.0.0.0", FSID, "1", ""])))
            lines.append(f"{key}{draw(st.sampled_from([' = ', '=', ' : ']))}{value}")
        elif kind == "unknown":
            lines.append(f"{draw(word)} = {draw(word)}")
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["# c", "; c", "#", "# confgen: ignore=CG101"])))
        elif kind == "blank":
            lines.append("")
        elif kind == "cont":
            lines.append("  " + draw(word))
        else:
            lines.append(draw(st.sampled_from(["garbage", "[unclosed", "= x", "[]"])))
    data = (eol.join(lines) + (eol if lines and draw(st.booleans()) else "")).encode()
    if draw(st.integers(0, 9)) == 0:
        data += draw(st.sampled_from([b"\xff\xfe", b"\x00", b"caf\xe9"]))
    return ft, data, secrets


SERVICE = {"nova.conf": "nova", "cinder.conf": "cinder", "ceph.conf": "ceph"}


def read_values(text: str, ft: str, release: str) -> dict[tuple[str, str], str]:
    """(section, key) -> value for what the service reads: the last assignment of each key,
    where the release reads it (or a key confgen does not model). A value in a section the
    release does not read it from is not read, so moving or merging it loses nothing read."""
    from confgen import releases
    from confgen.rules.base import Context, LintFile, resolved

    doc = parse(text, ft)
    rel = releases.get(release)
    ctx = Context(files={ft: LintFile(ft, "<p>", doc)}, release=rel,
                  ceph_release=releases.ceph().get("reef"))
    kinds = {id(e): res.kind for _, e, res, _ in resolved(ctx)}
    last = {(doc.norm_section(e.section), doc.norm_key(e.key)): e
            for e in doc.entries if e.section is not None}
    return {k: e.value for k, e in last.items()
            if kinds.get(id(e), "unknown") in ("current", "alias", "deprecated", "unknown")}


# -- render -----------------------------------------------------------------------------------
def check_render(text: str, fname: str, secrets: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        intent = root / fname.replace("/", "_")
        intent.write_text(text)
        out = root / "out"
        with alarm():
            r = cli("render", "--intent", str(intent), "-o", str(out))
        no_traceback(r)
        event(f"render exit {r.exit_code}")
        assert r.exit_code in (0, 2), r.output
        assert not [s for s in secrets if s in r.stderr], r.stderr
        if r.exit_code == 2:
            assert r.stderr.count("confgen: error:") == 1, r.stderr
            assert not out.exists() or not any(out.rglob("*.conf"))
            return
        files = [p for p in out.rglob("*") if p.is_file()]
        for f in files:
            body = f.read_text()
            assert not any(ln.lstrip("[").startswith("INJECTED") for ln in body.splitlines()), f
            if f.suffix == ".conf":
                doc = parse(body, f.name)
                assert not [p for p in doc.problems if p.fatal], (f, doc.problems)
        script = out / "ceph" / "cephx-users.sh"
        assert subprocess.run(["sh", "-n", str(script)], timeout=30).returncode == 0
        res, calls, traced = run_sandboxed(script, root / "sandbox")
        assert res.returncode == 0, res.stderr
        assert only_ceph_and_rbd(traced) == [], traced
        assert all(c.split(" ", 1)[0] in ("ceph", "rbd") for c in calls), calls
        assert not list(root.rglob("INJECTED*"))
        for x in (out / "nova").glob("*.xml") if (out / "nova").is_dir() else ():
            if XMLLINT:
                lint = subprocess.run([XMLLINT, "--noout", str(x)], capture_output=True,
                                      timeout=30)
                assert lint.returncode == 0, lint.stderr
            if VIRT_XML:
                val = subprocess.run([VIRT_XML, str(x), "secret"], capture_output=True,
                                     timeout=60)
                assert val.returncode == 0, val.stdout + val.stderr


SMOKE = settings(max_examples=12, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# CONFGEN_PROPERTY_EXAMPLES=400 explores further (a few minutes)
MORE = settings(max_examples=int(os.environ.get("CONFGEN_PROPERTY_EXAMPLES", "60")),
                deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SMOKE
@given(intents())
def test_render_random_intents_smoke(case):
    check_render(*case)


@pytest.mark.slow
@MORE
@given(intents())
def test_render_random_intents(case):
    check_render(*case)


# -- lint and fix -----------------------------------------------------------------------------
def check_lint_fix(files: list[tuple[str, bytes, list[str]]], release: str, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "etc"
        secrets: list[str] = []
        written: dict[Path, tuple[str, bytes]] = {}
        for ft, data, planted in files:
            p = root / SERVICE[ft] / ft
            if p in written:
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
            written[p] = (ft, data)
            secrets += planted
        if not written:
            return
        unreadable = False
        for _, data in written.values():
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                unreadable = True
                continue
            unreadable |= "\x00" in text
        args = ["lint", "-r", release, "--ceph-release", "reef", "--format", fmt, str(root)]
        with alarm():
            r = cli(*args)
        no_traceback(r)
        event(f"lint exit {r.exit_code}")
        assert r.exit_code in (0, 1, 2)
        assert (r.exit_code == 2) == unreadable, r.output
        if fmt in ("json", "sarif"):
            json.loads(r.stdout)
        assert not [s for s in secrets if s in r.output], r.output
        with alarm():
            d = cli("lint", "-r", release, "--ceph-release", "reef", "--fix", "--diff", str(root))
            f = cli("lint", "-r", release, "--ceph-release", "reef", "--fix", str(root))
        for res in (d, f):
            no_traceback(res)
            assert res.exit_code in (0, 1, 2)
            assert not [s for s in secrets if s in res.output], res.output
        for p, (ft, data) in written.items():
            bak = Path(str(p) + ".bak")
            event("fixed" if bak.exists() else "not rewritten")
            if not bak.exists():
                assert p.read_bytes() == data  # not rewritten
                continue
            assert bak.read_bytes() == data
            before, after = read_values(data.decode(), ft, release), p.read_text()
            kept = {e.value for e in parse(after, ft).entries}
            lost = {k: v for k, v in before.items()
                    if v not in kept and k[1] not in ("volume_driver", "backup_driver")}
            assert not lost, (lost, data.decode(), after)


@SMOKE
@given(st.lists(config_files(), min_size=1, max_size=3),
       st.sampled_from(["juno", "kilo", "2024.1"]),
       st.sampled_from(["text", "json", "sarif", "github"]))
def test_lint_and_fix_random_files_smoke(files, release, fmt):
    check_lint_fix(files, release, fmt)


@pytest.mark.slow
@MORE
@given(st.lists(config_files(), min_size=1, max_size=3),
       st.sampled_from(["havana", "juno", "kilo", "queens", "2024.1", "2026.1"]),
       st.sampled_from(["text", "json", "sarif", "github"]))
def test_lint_and_fix_random_files(files, release, fmt):
    check_lint_fix(files, release, fmt)
