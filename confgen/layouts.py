"""Well-known ways deployment tools lay config files out on a node, recognised by `discover`:

- an /etc tree: glance/glance-api.conf, cinder/cinder.conf, nova/nova.conf, ceph/ceph.conf
  (or the files side by side in one directory). devstack runs nova-compute on
  nova/nova-cpu.conf: that file is the compute node's nova.conf (linted with the others), and
  nova/nova.conf (API, conductor, scheduler) is linted on its own, as is each cell
  conductor's nova/nova_cell<N>.conf;
- openstack-helm: cinder-volume reads cinder/conf/backends.conf (the backend sections) after
  cinder/cinder.conf; the two are linted as the one configuration the service reads (a
  finding names the file its line is in) and never rewritten;
- kolla-ansible: /etc/kolla/<container>/ holds each container's files (nova-compute/nova.conf
  with ceph.conf and keyrings beside it, cinder-volume/cinder.conf with ceph/ceph.conf, ...);
  the containers that use Ceph (nova-compute, cinder-volume, glance-api) are linted together,
  every other container's file on its own. Not a fleet of hosts.
"""

from __future__ import annotations

import os

from confgen import fspath
from confgen.lazyre import lazy
from confgen.parse import LAYOUT
from confgen.record import dataclass, field

# devstack: the compute service's own copy of nova.conf, and each cell's conductor file
COMPUTE_NOVA = "nova/nova-cpu.conf"
CELL_NOVA = ("nova", "nova_cell", ".conf")  # nova/nova_cell*.conf: directory, name prefix, suffix
# openstack-helm: cinder-volume reads the backend sections from a second --config-file
SECOND_FILES = {"cinder.conf": ("cinder/conf/backends.conf",)}
# kolla containers whose files use Ceph, linted together (file type -> container)
KOLLA_CEPH = {"nova.conf": "nova-compute", "cinder.conf": "cinder-volume",
              "glance-api.conf": "glance-api"}
_PROJECT = {"nova.conf": "nova", "cinder.conf": "cinder", "glance-api.conf": "glance"}


@dataclass
class Group:
    """Files linted together (cross-file rules see each other): one root dir, or loose files."""

    # paths are strings spelt as pathlib spells them (confgen.fspath: no pathlib import)
    root: str | None
    files: list[tuple[str, str]] = field(default_factory=list)  # (file type, path)
    keyrings: list[str] = field(default_factory=list)
    layout: str = "etc"  # etc, kolla, loose
    # file type -> further files the service reads after it (a second --config-file)
    also: dict[str, list[str]] = field(default_factory=dict)


def _exists(p: str) -> bool:
    return os.path.lexists(p)


def _keyrings(*dirs: str) -> list[str]:
    out: list[str] = []
    for d in dirs:
        try:
            out.extend(fspath.glob(d, "", ".keyring"))
        except OSError:
            pass
    return out


def etc_tree(p: str) -> list[Group]:
    """Groups of an /etc-like directory (or files side by side); [] when it holds none."""
    p = fspath.norm(p)
    g = Group(root=p)
    extra: list[Group] = []
    for ft, rel in LAYOUT.items():
        if ft == "nova.conf" and _exists(fspath.join(p, COMPUTE_NOVA)):
            g.files.append((ft, fspath.join(p, COMPUTE_NOVA)))
            if _exists(fspath.join(p, rel)):
                extra.append(Group(root=p, files=[(ft, fspath.join(p, rel))]))
            continue
        # /etc layout, or the files side by side
        for cand in (fspath.join(p, rel), fspath.join(p, ft)):
            if _exists(cand):
                g.files.append((ft, cand))
                break
    for ft, rels in SECOND_FILES.items():
        found = [fspath.join(p, r) for r in rels if _exists(fspath.join(p, r))]
        if found and any(t == ft for t, _ in g.files):
            g.also[ft] = found
    cell_dir, prefix, suffix = CELL_NOVA
    try:
        cells = fspath.glob(fspath.join(p, cell_dir), prefix, suffix)
    except OSError:
        cells = []
    extra.extend(Group(root=p, files=[("nova.conf", c)]) for c in cells)
    g.keyrings = _keyrings(fspath.join(p, "ceph"), p)
    if not g.files and not g.keyrings and not extra:
        return []
    return [g, *extra] if g.files or g.keyrings else extra


def holds_config(d: str | os.PathLike) -> bool:
    """d holds a service's config file where its layout puts it (nova/nova.conf) or by its
    own name (nova.conf): an /etc-like directory of one host."""
    return any(os.path.lexists(os.path.join(d, rel)) or os.path.lexists(os.path.join(d, ft))
               for ft, rel in LAYOUT.items())


def kolla_containers(p: str | os.PathLike) -> dict[str, list[tuple[str, str]]]:
    """container dir name -> its config files, for a kolla-ansible /etc/kolla directory
    ({} when `p` is not one): a subdirectory named after its project (nova-*, cinder-*,
    glance-*) holding that project's config file."""
    out: dict[str, list[tuple[str, str]]] = {}
    p = fspath.norm(p)
    try:
        names = os.listdir(p)  # Path.iterdir(): every entry, in no order (sorted below)
        subdirs = sorted(d for d in (fspath.join(p, n) for n in names) if fspath.is_dir(d))
    except OSError:
        return {}
    for d in subdirs:
        for ft, project in _PROJECT.items():
            if fspath.name(d).startswith(project + "-") and _exists(fspath.join(d, ft)):
                out.setdefault(fspath.name(d), []).append((ft, fspath.join(d, ft)))
    return out


def _ceph_conf(d: str) -> str | None:
    for cand in (fspath.join(d, "ceph", "ceph.conf"), fspath.join(d, "ceph.conf")):
        if _exists(cand):
            return cand
    return None


def kolla_tree(p: str) -> list[Group]:
    p = fspath.norm(p)
    containers = kolla_containers(p)
    if not containers:
        return []
    main = Group(root=p, layout="kolla")
    rest: list[Group] = []
    used: set[str] = set()
    for ft, name in KOLLA_CEPH.items():
        files = dict(containers.get(name, []))
        if ft in files:
            main.files.append((ft, files[ft]))
            main.keyrings.extend(_keyrings(fspath.join(p, name), fspath.join(p, name, "ceph")))
            used.add(name)
    conf = next((c for c in (_ceph_conf(fspath.join(p, n)) for n in KOLLA_CEPH.values()
                             if n in used) if c is not None), None)
    if conf is not None:
        main.files.append(("ceph.conf", conf))
    for name, files in containers.items():
        if name in used:
            continue
        # each other container alone, with the ceph.conf and keyrings kolla gives it
        own = _ceph_conf(fspath.join(p, name))
        for f in files:
            g = Group(root=p, files=[f], layout="kolla",
                      keyrings=_keyrings(fspath.join(p, name), fspath.join(p, name, "ceph")))
            if own is not None:
                g.files.append(("ceph.conf", own))
            rest.append(g)
    return ([main] if main.files else []) + rest


def tree(p: str) -> list[Group]:
    """The groups of a directory given to lint, whatever well-known layout it has."""
    found = etc_tree(p)
    if found:
        return found
    for k in (p, fspath.join(p, "kolla")):
        found = kolla_tree(k)
        if found:
            return found
    return []


def is_kolla(p: str | os.PathLike) -> bool:
    return not etc_tree(p) and bool(kolla_containers(p))


def etc_candidates(root: str | None, file_type: str, path: str, rel: tuple[str, ...]
                   ) -> list[str]:
    """Where the file a service sees at /etc/<rel> is on disk (first existing wins): under
    the root of an /etc tree; for files side by side (a kolla container's directory, a
    directory of loose files) in that directory's own ceph/ subdirectory (kolla's newer
    layout) or beside the file itself."""
    if root is None:
        return []
    here = fspath.parent(path)
    layout = LAYOUT.get(file_type, "")
    if layout and here == fspath.join(root, fspath.parent(layout)):
        return [fspath.join(root, *rel)]
    if len(rel) > 1:
        return [fspath.join(here, *rel), fspath.join(here, *rel[1:])]
    return [fspath.join(here, *rel)]


# OpenStack-Ansible: LXC containers named HOST_<project>[_<kind>]_container
_OSA = lazy(r"(?:^|_)(nova|cinder|glance)(?:_([a-z]+))?_container$")
_OSA_KIND = {("nova", "api"): {"nova-api", "nova-conductor", "nova-scheduler"},
             ("cinder", "api"): {"cinder-api", "cinder-scheduler"},
             ("cinder", "volumes"): {"cinder-volume", "cinder-backup"},
             ("glance", None): {"glance-api"}}
_KOLLA_NAME = lazy(r"^(nova|cinder|glance)-[a-z0-9-]+$")


def runs(path: str) -> frozenset[str] | None:
    """The services that run with this file, when its place says (a kolla container's
    directory, an OpenStack-Ansible container); None when it does not (a node's /etc: every
    service may run there)."""
    ps = fspath.parts(path)
    if len(ps) >= 2 and _KOLLA_NAME.match(ps[-2]):
        return frozenset({ps[-2]})
    for part in reversed(ps[:-1]):
        m = _OSA.search(part)
        if m:
            kinds = _OSA_KIND.get((m.group(1), m.group(2)))
            return frozenset(kinds) if kinds else None
    return None


def ceph_files_seen(root: str | None, file_type: str, path: str) -> bool:
    """Does the tree show the service's Ceph client files at all (a ceph/ directory, a
    ceph.conf or a keyring where its layout keeps them)? When it does not (openstack-helm
    mounts them from another chart, a repository may hold only the OpenStack files), what
    is missing there cannot be judged."""
    if root is None:
        return False
    dirs = {fspath.parent(c) for c in etc_candidates(root, file_type, path, ("ceph", "ceph.conf"))}
    for d in dirs:
        try:
            if fspath.name(d) == "ceph" and fspath.is_dir(d):
                return True
            if fspath.glob(d, "", ".keyring") or fspath.exists(fspath.join(d, "ceph.conf")):
                return True
        except OSError:
            continue
    return False


@dataclass(frozen=True)
class Segment:
    """Lines `first`..`last` of a text read together stand for `path`'s lines from 1."""

    first: int
    last: int
    path: str


def read_together(texts: list[tuple[str, str]]) -> tuple[str, list[Segment]]:
    """One text for files a service reads one after the other ((path, text) in order), as
    oslo.config reads them: later files add sections and override values of earlier ones."""
    out: list[str] = []
    segs: list[Segment] = []
    line = 1
    for path, text in texts:
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
        n = len(text.splitlines())
        segs.append(Segment(line, line + n - 1, path))
        out.append(text)
        line += n
    return "".join(out), segs


def where(segments: list[Segment], line: int) -> tuple[str, int] | None:
    """(path, line) of a line of a text read together (None: the first file's own)."""
    for s in segments[1:]:
        if s.first <= line <= s.last:
            return s.path, line - s.first + 1
    return None
