"""pyopts on small sources: the idioms that do not need a git repository."""

from __future__ import annotations

from confgen.extract.pyopts import parse_module


def _opts(src: str) -> dict[str, tuple[str, object]]:
    mod = parse_module(src, "m.py")
    assert not mod.warnings, mod.warnings
    return {r.opt.name: (r.group, r.opt) for r in mod.registered}


def test_arithmetic_constant_and_negative_defaults():
    got = _opts(
        "from oslo_config import cfg\n"
        "DAY = 24 * 3600\n"
        "o = [cfg.IntOpt('a', default=DAY), cfg.IntOpt('b', default=-2),\n"
        "     cfg.StrOpt('c', default='x' + 'y'), cfg.FloatOpt('d', default=1.5)]\n"
        "cfg.CONF.register_opts(o, 'grp')\n"
    )
    assert {k: v[1].default for k, v in got.items()} == {"a": 86400, "b": -2, "c": "xy", "d": 1.5}
    assert {v[0] for v in got.values()} == {"grp"}
    assert got["d"][1].type == "float"


def test_py2_module_with_async_and_three_argument_raise():
    got = _opts(
        "from oslo.config import cfg\n"
        "opts = [cfg.MultiStrOpt('m', default=[]), cfg.DictOpt('d', default={})]\n"
        "cfg.CONF.register_opts(opts, group='g')\n"
        "def f(async=False):\n"
        "    print 'old'\n"
        "    raise exc[0], exc[1], exc[2]\n"
    )
    assert {k: v[1].type for k, v in got.items()} == {"m": "multistring", "d": "dict"}


def test_register_opts_of_conf_is_not_a_warning_and_unregistered_are_listed():
    mod = parse_module(
        "from oslo_config import cfg\n"
        "from x import libvirt\n"
        "free = [cfg.BoolOpt('lonely')]\n"
        "def register_all(conf):\n"
        "    libvirt.register_opts(conf)\n",
        "m.py",
    )
    assert mod.warnings == [] and mod.registered == []
    assert [o.name for o in mod.unregistered] == ["lonely"]


def test_type_object_bound_to_a_name_and_host_domain():
    """nova's rx/tx_queue_size share `QueueSizeType = types.Integer(choices=(...))`."""
    got = _opts(
        "from oslo_config import cfg, types\n"
        "QueueSizeType = types.Integer(choices=(256, 512, 1024))\n"
        "o = [cfg.Opt('rx', type=QueueSizeType), cfg.Opt('s', type=str),\n"
        "     cfg.HostDomainOpt('h')]\n"
        "cfg.CONF.register_opts(o, 'libvirt')\n"
    )
    assert (got["rx"][1].type, got["rx"][1].choices) == ("int", [256, 512, 1024])
    assert got["s"][1].type == "string"
    assert got["h"][1].type == "hostaddress"
