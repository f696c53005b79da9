"""Where the shipped data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory `templates` or `release_matrix`.

    A wheel carries them inside the package (confgen/<name>); a checkout keeps them at the
    top level of the repository, next to the package.
    """
    for candidate in (_PKG / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"confgen data directory {name!r} is missing from the installation")


def ansible_collections_path() -> Path:
    """The directory holding `ansible_collections/confgen/openstack_ceph` (a collections path
    for ANSIBLE_COLLECTIONS_PATH): inside the package, in a checkout and in a wheel alike."""
    return _PKG
