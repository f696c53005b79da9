"""confgen: release-aware generator and linter for OpenStack + Ceph configuration files."""

__version__ = "0.1.0"
