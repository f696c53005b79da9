"""What a service of one release reads from a file, asked of the real oslo.config: every option
the release has (per the matrix) registered the way the service registers it (group, name,
old spellings as deprecated names, multi-valued or not), then the file parsed by oslo.config
itself. An independent check of confgen's own model of reading (confgen.keep.reads)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from oslo_config import cfg

from confgen.parse import parse
from confgen.rules.base import Context, LintFile


def dynamic(text: str, file_type: str) -> dict[str, set[str]]:
    doc = parse(text, file_type)
    return Context(files={file_type: LintFile(file_type, "f", doc)}, release=None).dynamic(
        file_type)


# oslo.config registers these itself when called, as command-line options ("This option must
# be set from the command-line": a file's `config_file = x` loads nothing); registering them
# again is oslo.config's DuplicateOptError: config-file, and their value would be this
# oracle's temporary path, so they are not asked here (confgen.keep keeps such lines as read).
CLI_ONLY = frozenset(o.dest for o in cfg.ConfigOpts._make_config_options([], []))
# and these in every ConfigOpts (config_source is read from the file, as oslo.config's own)
OSLO_OWN = frozenset(cfg.ConfigOpts())


def oslo_reads(text: str, file_type: str, release, matrix) -> dict[tuple[str, str], object]:
    """(option key, instance) -> value (a tuple of values for a multi-valued option) for every
    option the file sets, as oslo.config of `release`'s registrations reads it. The instance
    is "" for the option's main placement, else the section (as confgen.keep names them)."""
    dyn = dynamic(text, file_type)
    conf = cfg.ConfigOpts()
    where: dict[tuple[str, str], tuple[str | None, str, bool]] = {}
    taken: set[tuple[str, str]] = set()
    for at in matrix.at(release):
        era = at.era
        multi = era.type == "multistring"
        for token in era.sections:
            secs = sorted(dyn.get(token, set())) if token.startswith("@") else [token]
            for sec in secs:
                main = not token.startswith("@") and token == era.section
                instance = "" if main else sec
                deprecated = [cfg.DeprecatedOpt(a.name, group=a.section)
                              for a in era.aliases] if main else []
                kind = cfg.MultiStrOpt if multi else cfg.StrOpt
                opt = kind(era.name, deprecated_opts=deprecated)
                group = None if sec == "DEFAULT" else sec
                if (sec, era.name) in taken or (group is None and era.name in CLI_ONLY):
                    continue
                # one option registered by several namespaces (or a placement shared by two
                # eras' sections) is one option to oslo.config: the first registration reads
                # it; an option oslo.config registers itself (config_source) is read as its own
                if group is None and era.name in OSLO_OWN:
                    taken.add((sec, era.name))
                    where[(at.option.key, instance)] = (group, era.name, multi)
                    continue
                try:
                    conf.register_opt(opt, group=group)
                except cfg.DuplicateOptError:
                    continue
                taken.add((sec, era.name))
                where[(at.option.key, instance)] = (group, era.name, multi)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.conf"
        path.write_text(text)
        conf(args=[], default_config_files=[str(path)], use_env=False)
        out: dict[tuple[str, str], object] = {}
        for ident, (group, name, multi) in where.items():
            value = conf[group][name] if group else conf[name]
            if multi:
                if value:
                    out[ident] = tuple(sorted(value))
            elif value is not None:
                out[ident] = value
        conf.reset()
    return out
