"""confgen: release-aware generator and linter for OpenStack + Ceph configuration files."""

import sys

__version__ = "0.1.0"


def load_module(name: str):
    """importlib.import_module(name) for an absolute name (a rule, a compiled data slice),
    without importing the importlib package: it imports warnings, about 0.6 ms of every
    `confgen lint`'s start-up."""
    __import__(name)
    return sys.modules[name]
