"""confgen reads ceph.conf as Ceph does: a differential test against the real parsers.

Hypothesis writes ceph.conf files from pieces that cover the ways readers of this format
disagree (comments ending in a backslash, quotes of both kinds, backslash escapes, a quote
inside an unquoted value, blanks before a section header, no final newline, non-ASCII
characters, text after a closing quote, a trailing backslash, metavariables). Each file is
read three ways and the readings must be equal:

- confgen: `parse_ceph`, then what client.x gets (`effective` + `expand`);
- ceph-conf 16.2.15: `-L` (the sections) and `--name client.x -D` (the values);
- librados 16.2.15: `Rados(conffile=..., name="client.x").conf_get(...)`.

A reading is "aborted" (the process dies), "refused" (parse error) or the sections and the
values of four string options (rgw_dns_name, rgw_zone, rgw_zonegroup, rgw_realm: no
validator, so what the file says is what the client gets).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from confgen.parse.ceph import effective, expand, parse_ceph

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
NAME = "client.x"
CHECK = ["rgw_dns_name", "rgw_zone", "rgw_zonegroup", "rgw_realm"]

# ---------------------------------------------------------------------- the generator

KEYS = ["rgw_zone", "rgw zone", "rgw_dns_name", "rgw  dns\tname", "rgw_realm", "rgw-realm",
        "RGW_ZONEGROUP", "rgw_zonegroup", "rgw zone\\\n group"]
SECTIONS = ["global", "client", "client.x", "client.y", " client ", "mon", "cli#ent", "client\\]"]
FRAGMENTS = [
    "a", "b c", "z9", '"q v"', "'s v'", '" pad "', '"x" y', '"x" "y"', '"""z"""', '"a;b"',
    "'it''s'", "\\#", "\\;", "\\\\", "\\t", "\\ ", 'in"side', "it's", " # c", " ; c", "\t#c",
    "$cluster", "${name}", "$id", "$type", "$num", "$nope", "${x", "$", "${cluster}x",
    "é", '"é"', "'ü'", "\\", "\\  ", " ",
]


PLAIN = ["a", "b c", "z9", "v1.2", "$cluster", "${name}", "$id"]  # weight towards readable files


@st.composite
def values(draw) -> str:
    pieces = st.one_of(st.sampled_from(PLAIN), st.sampled_from(FRAGMENTS))
    return "".join(draw(st.lists(pieces, max_size=3)))


@st.composite
def key_lines(draw) -> str:
    indent = draw(st.sampled_from(["", " ", "\t"]))
    sep = draw(st.sampled_from(["=", " = ", "\t=  ", " ="]))
    line = f"{indent}{draw(st.sampled_from(KEYS))}{sep}{draw(values())}"
    if draw(st.integers(0, 5)) == 0:  # continued on the next line
        line += "\\\n" + draw(st.sampled_from(["  more", "x", "", " # c"]))
    return line


@st.composite
def other_lines(draw) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["no equals here", "= empty key", "[unclosed"]))
    return draw(st.sampled_from([
        "", "  ", "\t", "# comment", "; comment", "   # indented", "# disabled: \\",
        "; off \\", "# é", "#",
    ]))


@st.composite
def headers(draw) -> str:
    odd = draw(st.integers(0, 9)) == 0  # now and then a header Ceph refuses or reads oddly
    lead = " " if odd and draw(st.booleans()) else ""
    tail = draw(st.sampled_from(["", "", "", " # c", "\t", " x"] if odd else ["", " # c"]))
    name = draw(st.sampled_from(SECTIONS if odd else SECTIONS[:4]))
    return f"{lead}[{name}]{tail}"


@st.composite
def conf_files(draw) -> str:
    lines: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(key_lines()))  # a key before any section
    lines += draw(st.lists(st.sampled_from(["", "# top", "; top", "  "]), max_size=2))
    for _ in range(draw(st.integers(0, 3))):
        lines.append(draw(headers()))
        for _ in range(draw(st.integers(0, 4))):
            lines.append(draw(st.one_of(key_lines(), key_lines(), other_lines())))
    text = "\n".join(lines)
    end = "\n" if draw(st.integers(0, 2)) else draw(
        st.sampled_from(["", "\\", "\\\n", "\n\n", "\r\n", " "]))
    return text + end


# ------------------------------------------------------------------------- the readers

def confgen_reading(text: str) -> tuple:
    doc = parse_ceph(text, "ceph.conf")
    fatal = [p for p in doc.problems if p.fatal]
    if fatal:
        return ("aborted",) if "non-ASCII" in fatal[0].message else ("refused",)
    sections = set(doc.sections()) | {e.section for e in doc.entries if e.section}
    got = {}
    for key in CHECK:
        e = effective(doc, key, NAME)
        got[key] = expand(e.value, NAME, "ceph") if e else ""
    return ("read", sorted(sections), got)


def ceph_conf_reading(path: Path) -> tuple:
    listing = subprocess.run(["ceph-conf", "-c", str(path), "-L"], capture_output=True,
                             text=True, cwd=path.parent, timeout=60)
    if listing.returncode != 0:
        return _failure(listing)
    dump = subprocess.run(["ceph-conf", "-c", str(path), "--name", NAME, "-D", "--format",
                           "json"], capture_output=True, text=True, cwd=path.parent, timeout=60)
    if dump.returncode != 0:
        return _failure(dump)
    values = json.loads(dump.stdout)
    return ("read", sorted(x for x in listing.stdout.split("\n") if x),
            {k: values[k] for k in CHECK})


def _failure(proc: subprocess.CompletedProcess) -> tuple:
    if proc.returncode < 0 or proc.returncode == 134 or "Assertion" in proc.stderr:
        return ("aborted",)
    assert "parse error" in proc.stderr, proc.stderr
    return ("refused",)


class Librados:
    """A /usr/bin/python3 reading files with librados, restarted when a file kills it."""

    def __init__(self):
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen([SYSTEM_PYTHON, str(HERE / "ceph_conf_probe.py"), NAME, *CHECK],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)

    def reading(self, path: Path) -> tuple:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=30)
            self.proc = None
            return ("aborted",)
        got = json.loads(line)
        return ("refused",) if "error" in got else ("values", got["values"])

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def readers(need, tmp_path_factory):
    need(shutil.which("ceph-conf") is not None, "ceph-conf (package ceph-common) is not installed")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import rados"], capture_output=True)
    need(probe.returncode == 0, "python3-rados for /usr/bin/python3 is not installed")
    lib = Librados()
    yield tmp_path_factory.mktemp("differential"), lib
    lib.close()


# ------------------------------------------------------------------------- the test

CLASSES = [  # one file per disagreement class the old reader had (issue 10)
    "[global]\n# disabled: \\\nrgw_zone = none\n",             # 1 comment ending in '\'
    "[global]\nrgw_zone = 'false'\n",                          # 2 single quotes
    "[global]\nrgw_zone = a\\#b\\;c\\\\d\n",                    # 3 escapes
    '[global]\nrgw_zone = in"side\n',                          # 4 quote inside a value
    " [global]\nrgw_zone = a\n",                               # 5 blanks before a header
    "[global]\nrgw_zone = a",                                  # 6 no final newline
    "[global]\nrgw_zone = \u00e9\n",                           # 7 non-ASCII
    '[global]\nrgw_zone = "a" b\n',                            # 8 text after quotes
    "[global]\nrgw_zone = a\\",                                # 9 trailing '\' at the end
    "[client]\nrgw_zone = $cluster.${cluster}.$name.$id\n",    # 10 metavariables
]


@settings(max_examples=90, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(text=conf_files())
@example(text=CLASSES[0])
@example(text=CLASSES[1])
@example(text=CLASSES[2])
@example(text=CLASSES[3])
@example(text=CLASSES[4])
@example(text=CLASSES[5])
@example(text=CLASSES[6])
@example(text=CLASSES[7])
@example(text=CLASSES[8])
@example(text=CLASSES[9])
def test_confgen_reads_ceph_conf_as_ceph_does(readers, text):
    tmp, lib = readers
    path = tmp / "ceph.conf"  # the file name gives $cluster: ceph
    path.write_bytes(text.encode("utf-8"))
    ours = confgen_reading(text)
    real = ceph_conf_reading(path)
    assert ours == real, f"ceph-conf reads {text!r} as {real}, confgen as {ours}"
    rados = lib.reading(path)
    if ours[0] == "read":
        assert rados == ("values", ours[2]), f"librados reads {text!r} as {rados}"
    else:
        assert rados == ours, f"librados: {rados} for {text!r}, confgen: {ours}"

