"""Which facts of the complete inventory a release's data can vouch for.

The inventory holds, per release, the service's own options (read from its source at every
release) and the options of the library namespaces its sample-config generator listed
(`namespaces` in the file's header). A library's options that a release's service reads at
run time although its generator did not list the namespace (os-vif before nova listed it,
keystoneclient's auth_token in havana) are missing from that release's data: that an option
of such a namespace does "not exist yet" or was "removed" there is not known, only absent.
Rules and detection ask here before they claim either.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def own(matrix: Any, namespace: str) -> bool:
    """The namespace is the service's own (its generator namespaces and module scans, the
    cinder driver families, the keystoneauth sections it registers)."""
    if namespace in ("", "keystoneauth1") or namespace.startswith(("scan:", "drivers:")):
        return True
    project = matrix.meta.get("project", "")
    return bool(project) and namespace != "glance.store" and (
        namespace == project or namespace.startswith(project + "."))


def vouches(matrix: Any, namespace: str, release: Any) -> bool:
    """The release's data holds every option of `namespace` the release reads (so an option of
    it that the data lacks at that release really is not read there)."""
    listed = matrix.meta.get("namespaces")
    if listed is None:  # data without a per-release namespace list (ceph.conf, curated)
        return True
    return own(matrix, namespace) or namespace in listed.get(release.name, ())
