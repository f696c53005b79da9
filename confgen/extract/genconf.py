"""What a service's sample-config generator lists at a ref.

Three eras of upstream tooling:
  * an oslo-config-generator config file (`namespace = X` lines; e.g.
    etc/nova/nova-config-generator.conf, tools/config/cinder-config-generator.conf,
    etc/oslo-config-generator/glance-api.conf): the namespaces are the whole story;
  * tools/config/oslo.config.generator.rc (icehouse..kilo): the incubator's generator imported
    every non-test module of the project that contains "Opt(" and added the entry points named
    in <PROJECT>_CONFIG_GENERATOR_EXTRA_LIBRARIES and the modules named in ..._EXTRA_MODULES;
  * neither (havana): the module scan only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class GeneratorConfig:
    path: str | None  # the file read, None = none found (module scan only)
    namespaces: list[str] = field(default_factory=list)
    scan: bool = False  # the project's own modules are scanned (incubator generator)
    extra_modules: list[str] = field(default_factory=list)  # modules listed as they register


def parse_generator_conf(text: str) -> list[str]:
    """`namespace = X` lines of an oslo-config-generator config, in order, without repeats.
    (Misspelt keys such as cinder liberty's `namesapce = oslo.i18n` are ignored, as the
    generator ignores them.)"""
    out: list[str] = []
    for line in text.splitlines():
        m = re.match(r"\s*namespace\s*=\s*(\S+)", line)
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


def parse_rc(text: str) -> tuple[list[str], list[str]]:
    """(EXTRA_LIBRARIES, EXTRA_MODULES) of an oslo.config.generator.rc shell fragment."""
    libs: list[str] = []
    mods: list[str] = []
    for line in text.splitlines():
        m = re.match(r"\s*(?:export\s+)?\w*?CONFIG_GENERATOR_EXTRA_(LIBRARIES|MODULES)=(.*)", line)
        if not m:
            continue
        words = m.group(2).strip().strip("\"'").split()
        (libs if m.group(1) == "LIBRARIES" else mods).extend(words)
    return libs, mods


def read_generator_config(read, candidates: list[str]) -> GeneratorConfig:
    """`read(path)` -> text or None at the ref; the first candidate that exists wins."""
    for path in candidates:
        text = read(path)
        if text is None:
            continue
        if path.endswith(".rc"):
            libs, mods = parse_rc(text)
            return GeneratorConfig(path, libs, scan=True, extra_modules=mods)
        return GeneratorConfig(path, parse_generator_conf(text))
    return GeneratorConfig(None, [], scan=True)
