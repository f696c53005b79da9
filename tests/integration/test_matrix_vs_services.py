"""confgen's release matrix against the option definitions of the real service releases.

For every release with a validator venv (test_oslo_validator.py: 2024.1..2026.1) the venv's own
python dumps what nova / cinder / glance(+glance_store) register (dump_opts.py: every
'oslo.config.opts' entry point the service declares, as oslo.config holds the options). Then:

* forward: every option the matrix says the release has exists in the real code in the same
  section, with the same name, type, default, choices, min/max, secret flag, deprecation flag
  and old spellings;
* reverse: every real option of a section confgen owns is in the matrix.

Sections: ours name the section a user writes; the real dump names the group an option is
registered in. They differ only for sections chosen at run time:
  cinder "@backend"  drivers register their options in [backend_defaults] (SHARED_CONF_GROUP,
                     every backend section falls back to it), which cinder.opts lists them
                     under; backend_host is listed under a placeholder group "backend"
                     (cmd/volume.py registers it into each enabled backend's own group).
  glance "@store"    glance_store.multi_backend lists each driver's options under a group named
                     after the driver class (e.g. "glance.store.rbd.Store"): a store section
                     takes the options of its driver's group.
All mismatches of one release and file are collected and shown as one table.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import service_venvs as validators
from test_oslo_validator import _releases, _venv

from confgen import matrix
from confgen.matrix import OptionAt

pytestmark = pytest.mark.slow

PROJECT = {"nova.conf": "nova", "cinder.conf": "cinder", "glance-api.conf": "glance"}
# Option lists dumped besides the namespaces: the reverse check for cinder covers the RBD
# driver's own options (list_opts merges every driver into backend_defaults).
EXTRA_LISTS = {"cinder": ["cinder.volume.drivers.rbd:RBD_OPTS=backend_defaults"]}
RBD_LIST = "cinder.volume.drivers.rbd:RBD_OPTS"

# oslo.config type class (opt.type) -> our type name (SCHEMA.md); MultiStrOpt's type is
# MultiString, PortOpt's is Port, HostnameOpt's Hostname.
TYPES = {
    "String": "string", "Boolean": "bool", "Integer": "int", "Float": "float",
    "List": "list", "Dict": "dict", "MultiString": "multistring", "Port": "port", "URI": "uri",
    "HostAddress": "hostaddress", "Hostname": "hostaddress", "HostDomain": "hostaddress",
    "IPAddress": "ip",
    "Range": "string",
}

# Legitimate differences: (release or "*", file, key, field) -> why. Keep each entry explained.
# Our eras describe a stable branch as of its last commit; the venvs hold the service as PyPI
# offered it about a month after the release (CUTOFF), so later backports differ.
ALLOWED: dict[tuple[str, str, str, str], str] = {
    ("2024.1", "cinder.conf", "DEFAULT.backup_ceph_max_snapshots", "missing"):
        "backported to unmaintained/2024.1 in cinder 24.5.0 (2025-04); the venv holds 24.0.x",
    ("2024.2", "cinder.conf", "DEFAULT.backup_ceph_max_snapshots", "missing"):
        "backported to stable/2024.2 after the 25.0.x the venv holds (2024-10)",
    ("*", "cinder.conf", "@backend.backup_use_temp_snapshot", "missing"):
        "cinder.opts lists backup_opts under DEFAULT only, but every volume driver grafts them "
        "into its backend section and [backend_defaults] at start-up (volume/driver.py "
        "append_config_values(backup_opts)); the [DEFAULT] copy is read by nobody",
    ("2024.1", "glance-api.conf", "glance_store.s3_store_cacert", "missing"):
        "backported in glance_store 4.7.1, after the 4.7.0 the venv holds",
    ("2024.2", "glance-api.conf", "glance_store.s3_store_cacert", "missing"):
        "backported in glance_store 4.8.2, after the 4.8.x the venv holds",
    ("2025.1", "glance-api.conf", "glance_store.s3_store_large_object_size", "min"):
        "min=0 came to stable/2025.1 in 2025-09 (multipart upload of size-0 images), after "
        "the glance_store 4.9.1 the venv holds",
    ("*", "glance-api.conf", "@store.store_description", "missing"):
        "glance_store registers it into each store section when the store is configured "
        "(driver.py); multi_backend's option list leaves it out",
    ("*", "glance-api.conf", "@store.weight", "missing"):
        "as store_description: registered per store section by driver.py, not listed",
}
# Sections registered at run time, which no option list shows: glance's reserved stores take
# the filesystem driver's options (glance/common/wsgi.py and wsgi_app.py RESERVED_STORES,
# glance_store.register_store_opts(CONF, reserved_stores=...), stable/2025.1).
RUNTIME_ALSO = {("glance-api.conf", "os_glance_staging_store"),
                ("glance-api.conf", "os_glance_tasks_store")}
for _rel in ("2025.1", "2025.2", "2026.1"):
    for _key in ("libvirt.images_address_space_limit", "libvirt.images_cpu_time_limit"):
        ALLOWED[(_rel, "nova.conf", _key, "missing")] = (
            "qemu-img resource limits backported to the stable branch after the nova X.0.0 "
            "the venv holds (absent from tags 31.0.0, 32.0.0, 33.0.0)")


@dataclass(frozen=True)
class Mismatch:
    key: str
    field: str
    ours: Any
    real: Any

    def row(self) -> str:
        return f"{self.key:<55} {self.field:<10} ours={self.ours!r:<40.40} real={self.real!r:.60}"


class Real:
    """The dumped options of one service release, indexed by (group, name)."""

    def __init__(self, records: Iterable[dict[str, Any]]):
        self.records = list(records)
        self.by_place: dict[tuple[str, str], dict[str, Any]] = {}
        for r in self.records:
            if ":" not in r["namespace"]:
                self.by_place.setdefault((r["group"], r["name"]), r)
        self.store_groups = {r["group"] for r in self.records if r["group"] != "glance_store"
                             and r["namespace"] == "glance.multi_store"}

    def groups_for(self, file: str, section: str, name: str) -> list[str]:
        """The real groups an option of our section is registered in (see module doc)."""
        if section == "@backend":
            return ["backend_defaults", "backend"]
        if section == "@store":
            return sorted(self.store_groups)
        return [section]

    def find(self, file: str, section: str, name: str) -> tuple[str, dict[str, Any]] | None:
        for group in self.groups_for(file, section, name):
            rec = self.by_place.get((group, name))
            if rec is not None:
                return group, rec
        return None


def norm_default(value: Any) -> str:
    """One spelling per default: None and '' alike, lists joined, bools/numbers as str()."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(norm_default(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in sorted(value.items()))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _aliases(rec: dict[str, Any], group: str, section: str) -> set[tuple[str, str]]:
    """Real deprecated_opts as (section, name) in our terms: a missing group or name means the
    option's own, and the option's own (real) group is our section token."""
    out = set()
    for g, n in rec["deprecated_opts"]:
        g = g or group
        out.add((section if g == group else g, n or rec["name"]))
    return out


def compare(file: str, at: OptionAt, group: str, rec: dict[str, Any]) -> list[Mismatch]:
    era, key = at.era, at.option.key
    out: list[Mismatch] = []

    def check(field: str, ours: Any, real: Any) -> None:
        if ours != real:
            out.append(Mismatch(key, field, ours, real))

    # a MultiOpt of any item type is our "multistring" (the schema's one repeatable type)
    real_type = "multistring" if rec.get("multi") else TYPES.get(rec["type"], rec["type"])
    check("type", era.type, real_type)
    check("default", norm_default(era.default), norm_default(rec["default"]))
    check("choices", sorted(map(norm_default, era.choices)),
          sorted(map(norm_default, rec["choices"] or [])))
    real_range = (rec["min"], rec["max"])
    if era.type == "port" and real_range == (0, 65535):
        real_range = (None, None)  # types.Port's own range, implied by our type "port"
    check("min", era.min, real_range[0])
    check("max", era.max, real_range[1])
    check("secret", era.secret, rec["secret"])
    check("deprecated", era.deprecated, rec["deprecated_for_removal"])
    check("aliases", sorted((a.section, a.name) for a in era.aliases),
          sorted(_aliases(rec, group, era.section)))
    return out


def _allowed(release: str, file: str, m: Mismatch) -> bool:
    return any((r, file, m.key, m.field) in ALLOWED for r in (release, "*"))


def _owned_real(file: str, real: Real) -> list[tuple[str, str, str]]:
    """(our section, group, name) of every real option in a section confgen owns."""
    if file == "nova.conf":
        return [("libvirt", "libvirt", n) for g, n in real.by_place if g == "libvirt"]
    if file == "cinder.conf":
        return [("@backend", r["group"], r["name"]) for r in real.records
                if r["namespace"] == RBD_LIST]
    out = [("glance_store", g, n) for g, n in real.by_place if g == "glance_store"]
    return out + [("@store", g, n) for g, n in real.by_place if g in real.store_groups]


def _real(need, project: str, release: str) -> Real:
    env_dir = _venv(need, project, release)
    dists = [project, "glance_store"] if project == "glance" else [project]
    names = validators.namespaces(env_dir, *dists) + EXTRA_LISTS.get(project, [])
    return Real(validators.dump_options(env_dir, names))


def _curated(file: str) -> set[str]:
    """The Ceph-relevant options the specs curate (our own help). The complete inventory is
    checked option by option against the real generator, extracted at the venv's own library
    versions, by test_inventory_vs_generator.py; here the shipped data (the release's pinned
    versions) is checked for the options confgen renders and owns."""
    spec = Path(__file__).resolve().parents[2] / "release_matrix/sources" / f"{file}.toml"
    return {k for k, v in tomllib.loads(spec.read_text())["options"].items() if v.get("help")}


def diff(file: str, release: str, real: Real) -> list[Mismatch]:
    fm = matrix.load(file)
    found: list[Mismatch] = []
    ours_places: set[tuple[str, str]] = set()
    curated = _curated(file)
    for at in fm.at(release):
        era = at.era
        for sec in era.sections:
            ours_places.add((sec, era.name))
        ours_places.update((a.section, a.name) for a in era.aliases)
        if at.option.key not in curated:
            continue
        hit = real.find(file, era.section, era.name)
        if hit is None:
            elsewhere = sorted(g for g, n in real.by_place if n == era.name)
            found.append(Mismatch(at.option.key, "missing", f"[{era.section}]",
                                  f"in {elsewhere}" if elsewhere else "no such option"))
            continue
        found += compare(file, at, *hit)
        for sec in era.also:
            if (file, sec) in RUNTIME_ALSO:
                continue
            if real.find(file, sec, era.name) is None:
                found.append(Mismatch(at.option.key, "also", sec, "not registered there"))
    for section, group, name in _owned_real(file, real):
        if (section, name) not in ours_places:
            found.append(Mismatch(f"{section}.{name}", "unmodeled", None, f"[{group}] {name}"))
    return [m for m in found if not _allowed(release, file, m)]


@pytest.mark.parametrize("file", sorted(PROJECT))
@pytest.mark.parametrize("release", _releases())
def test_matrix_matches_the_service_code(need, release, file):
    real = _real(need, PROJECT[file], release)
    found = diff(file, release, real)
    table = "\n".join(m.row() for m in sorted(found, key=lambda m: (m.key, m.field)))
    assert not found, f"{release} {file}: {len(found)} mismatches with the real code\n{table}"


def test_diff_sees_a_wrong_default(need):
    """Control: a matrix fact changed by hand is reported (the comparison can fail)."""
    release = _releases()[-1]
    real = _real(need, "nova", release)
    at = matrix.load("nova.conf").get("libvirt.images_type", release)
    assert at is not None
    group, rec = real.find("nova.conf", "libvirt", "images_type") or ("", {})
    assert compare("nova.conf", at, group, rec) == []
    wrong = dict(rec, default="qcow2", type="Integer")
    fields = {m.field for m in compare("nova.conf", at, group, wrong)}
    assert fields == {"default", "type"}


def test_diff_sees_an_unmodeled_option_in_an_owned_section(need):
    """Control for the reverse check: a [libvirt] option the matrix lacks is reported, one in a
    section confgen does not own is not."""
    release = _releases()[-1]
    real = _real(need, "nova", release)
    extra = dict(real.by_place[("libvirt", "images_type")], name="images_rbd_fancy")
    elsewhere = dict(extra, group="DEFAULT")
    found = diff("nova.conf", release, Real([*real.records, extra, elsewhere]))
    assert [(m.key, m.field) for m in found] == [("libvirt.images_rbd_fancy", "unmodeled")]
