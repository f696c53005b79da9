"""Which ceph.conf values Ceph takes (confgen.rules.ceph_values, behind CG310): unit cases,
and a differential test against ceph-conf 16.2.15, which shows an option at its default when
it did not take the value from the file."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from confgen import releases
from confgen.matrix.load import load_for
from confgen.rules.ceph_values import Rejected, parse


@pytest.mark.parametrize("kind,value,expected", [
    ("bool", "true", True), ("bool", "FALSE", False), ("bool", "0", False), ("bool", "7", True),
    ("int", "-5", -5), ("int", "2K", 2000), ("uint", "3M", 3_000_000),
    ("size", "4Mi", 4 << 20), ("size", "4M", 4 << 20), ("size", "4MB", 4 << 20),
    ("size", "10", 10), ("float", "1e1", 10.0), ("float", ".5", 0.5),
    ("secs", "1h", 3600), ("secs", "90", 90), ("secs", "1h 30m", 5400), ("secs", "", 0),
    ("millisecs", "25ms", 25),
])
def test_taken(kind, value, expected):
    assert parse(kind, value) == expected


@pytest.mark.parametrize("kind,value", [
    ("bool", "yes"), ("bool", "on"), ("bool", ""), ("int", "0x10"), ("int", "1.5"),
    ("int", "2k"), ("uint", "-1"), ("size", "4 M"), ("size", "4Bi"), ("size", "4MiB"),
    ("size", "-1"), ("float", "1,5"), ("float", "1_0"), ("secs", "1 fortnight"),
    ("secs", "0 0"), ("secs", "5ms"),
    ("uuid", "not-a-uuid"),
])
def test_refused(kind, value):
    with pytest.raises(Rejected):
        parse(kind, value)


# ------------------------------------------------------------ against the real ceph-conf

KINDS = ("bool", "int", "uint", "float", "size", "secs")
ALPHABET = {
    "bool": "01tTrRuUeEfFaAlLsSyYnNoO-+ ",
    "int": "0123456789+-KMGTPEBkmix. ",
    "uint": "0123456789+-KMGTPEBkmix. ",
    "float": "0123456789+-.eEinfaINFAx ",
    "size": "0123456789+-KMGTPEBik ",
    "secs": "0123456789smhdwy ",
}


def _plain_options() -> dict[str, list[str]]:
    """pacific options of each kind with no limits, choices or daemon default (so the value
    ceph-conf prints is the file's value or the default, nothing else)."""
    view = load_for("ceph.conf", releases.ceph().get("pacific"))
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for name, row in sorted(view.rows.items()):
        if row[5] not in out or not name.startswith(("client_", "rgw_", "rbd_", "ms_",
                                                     "objecter_")):
            continue
        era = view.option_named(name).eras[0]  # the decoded facts, whatever the row layout
        if era.min is None and era.max is None and not era.choices \
                and era.extra.get("daemon_default") is None:
            out[row[5]].append(name)
    return out


def _shown(kind: str, value) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return f"{value:.6f}"
    return str(int(value))


@pytest.mark.integration
@settings(max_examples=40, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # the message lists every mismatch
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_values_taken_as_ceph_conf_takes_them(need, tmp_path, data):
    need(shutil.which("ceph-conf") is not None, "ceph-conf (package ceph-common) is not installed")
    options = _plain_options()
    view = load_for("ceph.conf", releases.ceph().get("pacific"))
    lines, expect = ["[global]"], {}
    for kind in KINDS:
        for name in options[kind][:6]:
            text = data.draw(st.text(ALPHABET[kind], min_size=1, max_size=6).map(str.strip)
                             .filter(bool), label=name)
            lines.append(f"{name} = {text}")
            default = view.option_named(name).eras[0].default
            try:
                got = parse(kind, text)
            except Rejected:
                got = default
            expect[name] = (text, _shown(kind, got))
    (tmp_path / "ceph.conf").write_text("\n".join(lines) + "\n")
    res = subprocess.run(["ceph-conf", "-c", "ceph.conf", "--name", "client.x", "-D",
                          "--format", "json"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    wrong = {n: (t, shown[n], want) for n, (t, want) in expect.items() if shown[n] != want}
    assert not wrong, f"value: (written, ceph-conf shows, confgen expects): {wrong}"
