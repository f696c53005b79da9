"""Where the shipped data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

import os
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # pathlib costs lint's start-up: lint asks data_path(), others data_dir()
    from pathlib import Path

_PKG = os.path.dirname(os.path.realpath(__file__))


@cache
def data_path(name: str) -> str:
    """The directory `templates` or `release_matrix`, as a string.

    A wheel carries them inside the package (confgen/<name>); a checkout keeps them at the
    top level of the repository, next to the package.
    """
    for candidate in (os.path.join(_PKG, name), os.path.join(os.path.dirname(_PKG), name)):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError(f"confgen data directory {name!r} is missing from the installation")


def data_dir(name: str) -> Path:
    """data_path() as a Path."""
    from pathlib import Path

    return Path(data_path(name))


def ansible_collections_path() -> Path:
    """The directory holding `ansible_collections/confgen/openstack_ceph` (a collections path
    for ANSIBLE_COLLECTIONS_PATH): inside the package, in a checkout and in a wheel alike."""
    from pathlib import Path

    return Path(_PKG)
