"""Our oslo-style parser against oslo.config's own parser, on the same bytes."""

from __future__ import annotations

import pytest
from oslo_config import cfg, iniparser

from confgen.parse import parse_oslo

CASES = {
    "plain": "[DEFAULT]\ndebug = true\n[libvirt]\nimages_type = rbd\n",
    "repeated": "[DEFAULT]\na = 1\na = 2\n[DEFAULT]\na = 3\n",
    "continuation": "[DEFAULT]\nlist = a,\n  b,\n\tc\n\nnext = 1\n",
    "indented-comment-joins": "[DEFAULT]\na = 1\n  # not a comment\n",
    "comments": "# top\n; also\n[DEFAULT]\n#a = 1\n;b = 2\nc = 3\n",
    "inline-hash": "[libvirt]\nhw_disk_discard = unmap # enable discard\n",
    "equals-in-value": "[database]\nconnection = mysql+pymysql://u:p@h/db?charset=utf8\n",
    "colon-key": "[DEFAULT]\nkey: value\nother: x = y\n",
    "quotes": "[DEFAULT]\na = \"quoted\"\nb = 'single'\nc = \"mismatch'\nd = \"\n",
    "empty-value": "[DEFAULT]\na =\nb = \n",
    "backend-sections": "[DEFAULT]\nenabled_backends = ceph,ceph2\n[ceph]\nrbd_pool = v\n"
                        "[ceph2]\nrbd_pool = w\n",
    "section-case": "[Libvirt]\nimages_type = rbd\n[default]\nx = 1\n",
    "spaces-in-header": "[ libvirt ]\na = 1\n",
    "crlf": "[DEFAULT]\r\na = 1\r\n  b\r\n",
    "cr-only": "[DEFAULT]\ra = 1\r",
    "trailing-ws": "[DEFAULT]   \na = 1   \n",
    "empty": "",
    "only-comments": "# nothing\n",
    "bom": "\ufeff[DEFAULT]\na = 1\n",
    "key-before-section": "a = 1\n[DEFAULT]\n",
    "bad-header": "[DEFAULT\na = 1\n",
    "empty-header": "[]\n",
    "no-separator": "[DEFAULT]\njust words\n",
    "empty-key": "[DEFAULT]\n= 1\n",
    "stray-continuation": "[DEFAULT]\n  a = 1\n",
    "unicode": "[DEFAULT]\nmotd = café ☕\n",
    "form-feed": "[DEFAULT]\na = 1\x0cb\n",
}


def oslo_read(path) -> dict | iniparser.ParseError:
    sections: dict = {}
    parser = cfg.ConfigParser(str(path), sections)
    try:
        parser.parse()
    except iniparser.ParseError as exc:
        return exc
    return sections


def ours(doc) -> dict:
    out: dict = {}
    for h in doc.headers:
        out.setdefault(h.name, {})
    for e in doc.entries:
        out.setdefault(e.section, {}).setdefault(e.key, []).append(e.value)
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_as_oslo(name, tmp_path):
    text = CASES[name]
    path = tmp_path / "x.conf"
    path.write_bytes(text.encode("utf-8"))
    expected = oslo_read(path)
    doc = parse_oslo(path.read_bytes().decode("utf-8"), str(path))
    fatal = [p for p in doc.problems if p.fatal]
    if isinstance(expected, iniparser.ParseError):
        assert fatal, f"oslo refuses this file ({expected}) but we found no fatal problem"
        if fatal[0].code == "outside-section":
            # oslo notices this only when the value ends (next line); we point at the key
            assert fatal[0].line < expected.lineno
        else:
            assert fatal[0].line == expected.lineno
    else:
        assert not fatal, f"we report {fatal} but oslo reads the file"
        assert ours(doc) == expected


def test_oslo_uses_last_value_and_lowercases_groups(tmp_path):
    """What `ConfigOpts` finally reads: the last repeated value; [Libvirt] is [libvirt];
    [default] is not [DEFAULT] (our Document.get must agree)."""
    path = tmp_path / "n.conf"
    text = "[DEFAULT]\na = 1\na = 2\n[default]\na = 9\n[Libvirt]\nb = x\n"
    path.write_text(text)
    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.StrOpt("a"))
    conf.register_opt(cfg.StrOpt("b"), group="libvirt")
    conf(args=[], default_config_files=[str(path)], default_config_dirs=[])
    doc = parse_oslo(text)
    assert doc.value("DEFAULT", "a") == conf.a == "2"
    assert doc.value("libvirt", "b") == conf.libvirt.b == "x"
