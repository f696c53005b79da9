"""Rendered files read back by the real parsers: oslo.config (with each option registered with
the matrix's type, choices and bounds for that release) and, when installed, Ceph's ceph-conf."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from intents import RICH_CASES, rich
from oslo_config import cfg

from confgen import intent, releases
from confgen.matrix import load
from confgen.render.files import render
from confgen.render.model import format_value

_OPTS = {
    "string": cfg.StrOpt, "bool": cfg.BoolOpt, "int": cfg.IntOpt, "float": cfg.FloatOpt,
    "list": cfg.ListOpt, "multistring": cfg.MultiStrOpt, "dict": cfg.DictOpt,
    "port": cfg.PortOpt, "uri": cfg.URIOpt, "hostaddress": cfg.HostAddressOpt, "ip": cfg.IPOpt,
}
OPENSTACK_FILES = {"glance/glance-api.conf": "glance-api.conf", "cinder/cinder.conf":
                   "cinder.conf", "nova/nova.conf": "nova.conf"}


def _cases() -> list:
    return list(_gen())


def _gen():
    for rel in releases.openstack().names():
        yield pytest.param(replace(intent.read(), release=releases.get(rel)), id=f"default-{rel}")
    for name, rel, ceph in RICH_CASES:
        yield pytest.param(rich(name, rel, ceph), id=f"{name}-{rel}-{ceph}")


def _sections(text: str) -> dict[str, dict[str, str]]:
    cp = configparser.RawConfigParser(strict=True, interpolation=None, default_section="\0")
    cp.optionxform = str  # type: ignore[assignment]
    cp.read_string(text)
    return {s: dict(cp[s]) for s in cp.sections()}


def _dynamic(file: str, sections: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    backends = sections.get("DEFAULT", {}).get("enabled_backends", "")
    if file == "cinder.conf":
        return {"@backend": {b.strip() for b in backends.split(",") if b.strip()}}
    if file == "glance-api.conf":
        return {"@store": {b.split(":")[0].strip() for b in backends.split(",") if b.strip()}}
    return {}


def _opt(era, name: str):
    kw = {}
    if era.choices and era.type == "string":
        kw["choices"] = [c[0] if isinstance(c, list | tuple) else c for c in era.choices]
    if era.type in ("int", "float", "port"):
        kw.update({k: v for k, v in (("min", era.min), ("max", era.max)) if v is not None})
    return _OPTS.get(era.type, cfg.StrOpt)(name, **kw)


@pytest.mark.parametrize("it", _cases())
def test_oslo_config_reads_every_option_back_with_the_matrix_type(it, tmp_path):
    files = render(it)
    checked = 0
    for path, fname in OPENSTACK_FILES.items():
        if path not in files:
            continue
        text = files[path]
        conf_file = tmp_path / fname
        conf_file.write_text(text)
        sections = _sections(text)
        matrix = load(fname)
        dyn = _dynamic(fname, sections)
        conf = cfg.ConfigOpts()
        expect: list[tuple[str, str, str, str]] = []
        for section, opts in sections.items():
            for name, raw in opts.items():
                res = matrix.resolve(it.release, section, name, dyn)
                assert res.kind in ("current", "deprecated"), (fname, section, name, res.kind)
                group = None if section == "DEFAULT" else section
                conf.register_opt(_opt(res.at.era, name), group=group)
                expect.append((section, name, raw, res.at.era.type))
        conf(args=[], default_config_files=[str(conf_file)], use_env=False)
        for section, name, raw, type_ in expect:
            value = conf[name] if section == "DEFAULT" else conf[section][name]
            assert format_value(value, type_) == raw, (fname, section, name)
            checked += 1
    assert checked > 0


def _ceph_lookup(conf: Path, name: str, key: str) -> str:
    out = subprocess.run(["ceph-conf", "-c", str(conf), "-n", name, "--lookup", key],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, (name, key, out.stderr)
    return out.stdout.strip()


@pytest.mark.parametrize(
    ("it"),
    [pytest.param(replace(intent.read(), ceph_release=releases.ceph().get(c), osd_count=6),
                  id=f"default-{c}")
     for c in ("firefly", "luminous", "pacific", "tentacle")]
    + [pytest.param(rich(*c), id="-".join(c)) for c in RICH_CASES[:3]],
)
def test_ceph_conf_reads_back_with_real_ceph_conf(it, tmp_path, need):
    need(shutil.which("ceph-conf") is not None, "ceph-conf not installed (apt-get install "
         "ceph-common) so ceph.conf is not read back by Ceph's own parser")
    text = render(it, only=["ceph"])["ceph/ceph.conf"]
    conf = tmp_path / "ceph.conf"
    conf.write_text(text)
    sections = _sections(text)
    users = [s for s in sections if s.startswith("client.")] or ["client.admin"]
    for section, opts in sections.items():
        names = [section] if section.startswith("client.") else users
        for key, raw in opts.items():
            for name in names:
                assert _ceph_lookup(conf, name, key) == raw, (section, key, name)
