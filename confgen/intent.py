"""The operator's intent (confgen.ini): what they want, typed and checked, with line numbers.

Parsed with configobj against a configspec so every key has a type. Problems are collected,
not raised one by one: the user sees every mistake with its line in one go.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from configobj import ConfigObj, ConfigObjError, flatten_errors, get_extra_values, validate

from confgen import releases
from confgen.errors import ConfgenError
from confgen.mask import printable
from confgen.releases import Release

DEFAULT_INTENT = Path(__file__).with_name("default_intent.ini")
# Sections owned by someone else (lint settings) or free-form (extra options): never type-checked.
_FREE_SECTIONS = ("lint", "extra")
# [ceph] release = auto: the Ceph release paired with the OpenStack release (releases.toml)
AUTO_CEPH = "auto"
_RENDERED_FILES = ("glance-api.conf", "cinder.conf", "nova.conf", "ceph.conf")
MAX_INTENT_BYTES = 1024 * 1024  # an intent is a page or two
# Fixed namespace so a derived libvirt secret uuid is the same on every machine and every run.
_SECRET_NS = uuid.UUID("0b5c2f38-6f0e-5d5e-9a61-3c0f6a7de4b1")

CONFIGSPEC = """
release = os_release(default='latest')
[ceph]
release = ceph_release(default='auto')
fsid = fsid()
mon_host = mon_list()
public_network = network(default='')
cluster_network = network(default='')
cephx = boolean(default=True)
osd_count = integer(min=1, max=100000, default=None)
pool_size = integer(min=2, max=10, default=3)
conf_path = abs_path(default='/etc/ceph/ceph.conf')
[glance]
enabled = boolean(default=True)
pool = pool_name(default='images')
user = cephx_user(default='glance')
multistore = boolean(default=None)
store_name = section_name(default='ceph')
image_cache = boolean(default=False)
[cinder]
enabled = boolean(default=True)
default_backend = string(default='')
[[backends]]
[[[__many__]]]
driver = option('rbd', 'lvm', default='rbd')
pool = pool_name(default='volumes')
user = cephx_user(default='cinder')
secret_uuid = uuid_str(default='')
backend_name = string(default='')
volume_group = lvm_name(default='cinder-volumes')
[cinder_backup]
enabled = boolean(default=True)
pool = pool_name(default='backups')
user = cephx_user(default='cinder-backup')
[nova]
ephemeral = boolean(default=True)
pool = pool_name(default='vms')
user = cephx_user(default='cinder')
secret_uuid = uuid_str(default='')
[features]
copy_on_write = boolean(default=True)
rbd_cache = boolean(default=True)
live_migration = boolean(default=None)
discard = boolean(default=None)
file_injection = boolean(default=False)
client_sockets = boolean(default=False)
""".splitlines()

class _Bad(validate.ValidateError):
    """A value our own check refuses; str() is the whole message."""


# Sections the services already use for something else: a backend or store cannot be named so.
_RESERVED_SECTIONS = {
    "backend_defaults", "glance_store", "libvirt", "database", "keystone_authtoken",
}
_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _pool_name(value: Any) -> str:
    v = validate.is_string(value)
    if not v:
        raise _Bad("a pool name cannot be empty")
    if v.startswith("."):
        raise _Bad(f"{v!r}: names starting with '.' are reserved by Ceph")
    if not _NAME_RE.match(v):
        raise _Bad(
            f"{v!r}: use letters, digits, '_', '-', '.' only ('/' and '@' break RBD image specs)"
        )
    return v


def _cephx_user(value: Any) -> str:
    v = validate.is_string(value)
    if v.startswith("client."):
        raise _Bad(f"{v!r}: give the name without 'client.' ({v[7:]!r})")
    if not _NAME_RE.match(v):
        raise _Bad(f"{v!r}: use letters, digits, '_', '-', '.' only")
    return v


def _section_name(value: Any) -> str:
    v = validate.is_string(value)
    if not re.match(r"^[A-Za-z0-9_-]+$", v) or v in _RESERVED_SECTIONS or v.upper() == "DEFAULT":
        raise _Bad(f"{v!r} cannot be a config section name")
    return v


def _uuid_str(value: Any) -> str:
    v = validate.is_string(value).strip()
    if v == "":
        return v
    try:
        return str(uuid.UUID(v))
    except ValueError:
        raise _Bad(f"{v!r} is not a UUID (like 4b5fd580-360c-4f8c-abb5-c83bb9a3f964)") from None


def _fsid(value: Any) -> str:
    v = _uuid_str(value)
    if not v:
        raise _Bad("give the cluster's fsid (`ceph fsid` prints it); it cannot be empty")
    return v


def _abs_path(value: Any) -> str:
    v = validate.is_string(value)
    if not v.startswith("/"):
        raise _Bad(f"{v!r} is not an absolute path (the services do not run from your "
                   "working directory)")
    return v


_LVM_NAME = re.compile(r"^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$")


def _lvm_name(value: Any) -> str:
    v = validate.is_string(value)
    if not _LVM_NAME.match(v):
        raise _Bad(f"{v!r} is not an LVM volume group name (letters, digits, '+_.-')")
    return v


def _network(value: Any) -> str:
    v = validate.is_string(value).strip()
    if v == "":
        return v
    for part in v.split(","):
        try:
            ipaddress.ip_network(part.strip(), strict=False)
        except ValueError:
            raise _Bad(f"{part.strip()!r} is not a network like 10.0.0.0/24") from None
    return v


_MON_ADDR = re.compile(r"^[A-Za-z0-9._:\[\]/-]+$")


def _mon_list(value: Any) -> list[str]:
    items = validate.force_list(value)
    out = []
    for item in items:
        s = str(item).strip()
        if not _MON_ADDR.match(s):
            raise _Bad(f"{s!r} is not a monitor address (host, IP, host:port or "
                       "[v2:IP:port,v1:IP:port])")
        out.append(s)
    if not out:
        raise _Bad("give at least one monitor address")
    return out


def _os_release(value: Any) -> str:
    try:
        return releases.openstack().get(validate.is_string(value)).name
    except ConfgenError as exc:
        raise _Bad(str(exc)) from None


def _ceph_release(value: Any) -> str:
    text = validate.is_string(value)
    if text.strip().lower() == AUTO_CEPH:
        return AUTO_CEPH
    try:
        return releases.ceph().get(text).name
    except ConfgenError as exc:
        raise _Bad(str(exc)) from None


_CHECKS = {
    "os_release": _os_release,
    "ceph_release": _ceph_release,
    "pool_name": _pool_name,
    "cephx_user": _cephx_user,
    "section_name": _section_name,
    "uuid_str": _uuid_str,
    "network": _network,
    "mon_list": _mon_list,
    "fsid": _fsid,
    "abs_path": _abs_path,
    "lvm_name": _lvm_name,
}


@dataclass(frozen=True)
class CinderBackend:
    name: str  # section name in cinder.conf
    driver: str  # "rbd" | "lvm"
    pool: str
    user: str
    secret_uuid: str
    backend_name: str  # volume_backend_name (what a volume type's property points at)
    volume_group: str


@dataclass(frozen=True)
class Service:
    enabled: bool
    pool: str
    user: str


@dataclass(frozen=True)
class Intent:
    source: str  # how the header names the intent ("confgen.ini", "embedded default")
    release: Release
    ceph_release: Release
    ceph_auto: bool  # ceph_release follows `release` (intent said `auto`)
    fsid: str
    mon_host: tuple[str, ...]
    public_network: str
    cluster_network: str
    cephx: bool
    osd_count: int | None
    pool_size: int
    ceph_conf: str
    glance: Service
    glance_multistore: bool | None  # None: use multi-store where the release prefers it
    glance_store_name: str
    glance_image_cache: bool
    cinder_enabled: bool
    backends: tuple[CinderBackend, ...]
    default_backend: str
    backup: Service
    nova: Service  # enabled = ephemeral disks in Ceph
    nova_secret_uuid: str
    copy_on_write: bool
    rbd_cache: bool
    live_migration: bool | None  # None: where the release can express it
    discard: bool | None
    file_injection: bool
    client_sockets: bool
    extra: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)  # cephx user -> libvirt secret uuid
    notices: tuple[str, ...] = ()  # advice to print (not errors)

    @property
    def rbd_backends(self) -> tuple[CinderBackend, ...]:
        return tuple(b for b in self.backends if b.driver == "rbd") if self.cinder_enabled else ()

    @property
    def nova_uses_ceph(self) -> bool:
        """nova needs the Ceph client for its own disks or to attach cinder RBD volumes."""
        return self.nova.enabled or bool(self.rbd_backends)

    def retarget(self, release: Release | None = None, ceph_release: Release | None = None
                 ) -> Intent:
        """The same intent for other releases (command-line overrides, drift, migration).
        A Ceph release left on `auto` follows the OpenStack release."""
        it = self
        if release is not None:
            it = replace(it, release=release)
            if it.ceph_auto:
                it = replace(it, ceph_release=releases.paired_ceph(release))
        if ceph_release is not None:
            it = replace(it, ceph_release=ceph_release, ceph_auto=False)
        return it


def derive_secret_uuid(fsid: str, user: str) -> str:
    """A stable uuid for the libvirt secret of client.USER in cluster FSID."""
    return str(uuid.uuid5(_SECRET_NS, f"{fsid}/client.{user}"))


class _Problems:
    def __init__(self, source: str, lines: dict[tuple[str, ...], int]):
        self.source, self.lines, self.items = source, lines, []

    def add(self, path: tuple[str, ...], msg: str) -> None:
        line = self.lines.get(path) or self.lines.get(path[:-1])
        where = f"{self.source}:{line}" if line else self.source
        self.items.append((line or 0, f"{where}: {_label(path)}: {msg}"))

    def raise_if_any(self) -> None:
        if self.items:
            msgs = [m for _, m in sorted(self.items)]
            raise ConfgenError(
                f"{len(msgs)} problem(s) in the intent, nothing written:\n  " + "\n  ".join(msgs)
            )


def _label(path: tuple[str, ...]) -> str:
    *secs, key = (printable(p) for p in path)
    return f"[{'.'.join(secs)}] {key}" if secs else key


# -- text that lands in generated files -------------------------------------------------------
# A line break (any Unicode one) or another control character would start a new INI line or
# shell command in a rendered file: no intent key, value or section name may hold one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")
_HEADER = re.compile(r"^\s*((?:\[\s*)+)")
MAX_DEPTH = 3  # [extra] [[nova.conf]] [[[DEFAULT]]]


def _check_nesting(text: str, source: str) -> None:
    """configobj recurses once per level: refuse what no intent needs before it does."""
    for no, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m and m.group(1).count("[") > MAX_DEPTH:
            raise ConfgenError(
                f"{source}:{no}: sections nest at most {MAX_DEPTH} levels deep "
                "([extra] [[nova.conf]] [[[DEFAULT]]]); this header is nested "
                f"{m.group(1).count('[')} levels"
            )


def _check_text(section: Any, problems: _Problems, path: tuple[str, ...] = ()) -> None:
    for name in section.sections:
        if _CONTROL.search(name):
            problems.add((*path, name), "a section name cannot hold a line break or another "
                                        "control character")
        _check_text(section[name], problems, (*path, name))
    for name in section.scalars:
        value = section[name]
        if _CONTROL.search(name):
            problems.add((*path, name), "a key cannot hold a line break or another control "
                                        "character")
        elif any(_CONTROL.search(v) for v in (value if isinstance(value, list) else [value])
                 if isinstance(v, str)):
            problems.add((*path, name), "the value holds a line break or another control "
                                        "character; it would become more lines in a generated "
                                        "file")


def _line_index(text: str) -> dict[tuple[str, ...], int]:
    """(section path..., key) -> line number, and (section path...) -> header line."""
    index: dict[tuple[str, ...], int] = {}
    stack: list[str] = []
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\[+)\s*([^\]]+?)\s*(\]+)", line)
        if m:
            depth = len(m.group(1))
            stack = stack[: depth - 1] + [m.group(2).strip("\"'")]
            index.setdefault(tuple(stack), no)
            continue
        key = re.split(r"\s*=", line, maxsplit=1)[0].strip().strip("\"'")
        index.setdefault((*stack, key), no)
    return index


def _spec_keys(spec: ConfigObj, path: tuple[str, ...]) -> list[str]:
    sec: Any = spec
    for p in path:
        if p in sec:
            sec = sec[p]
        elif "__many__" in sec:
            sec = sec["__many__"]
        else:
            return []
    return [k for k in sec if k != "__many__"]


def _spec_check(spec: ConfigObj, path: tuple[str, ...]) -> str:
    sec: Any = spec
    for p in path[:-1]:
        sec = sec[p] if p in sec else sec["__many__"]
    return re.sub(r",?\s*default=[^,)]*", "", sec.get(path[-1], "?"))


def read(path: Path | None = None, display: str | None = None) -> Intent:
    """Read an intent file (the embedded default when path is None)."""
    from confgen.parse.reader import ReadError, read_text

    if path is None:
        text, source = DEFAULT_INTENT.read_text("utf-8"), display or "embedded default intent"
    else:
        try:
            text = read_text(path, limit=MAX_INTENT_BYTES, what="intent file")
        except ReadError as exc:
            raise ConfgenError(f"intent {exc.describe()}") from None
        source = display or str(path)
    return parse(text, source)


def parse(text: str, source: str = "confgen.ini") -> Intent:
    shown = printable(source)
    _check_nesting(text, shown)
    spec = ConfigObj(CONFIGSPEC, list_values=False, _inspec=True)
    try:
        cfg = ConfigObj(text.splitlines(), configspec=spec, interpolation=False)
        problems = _Problems(shown, _line_index(text))
        _check_text(cfg, problems)
        result = cfg.validate(validate.Validator(_CHECKS), preserve_errors=True)
    except ConfigObjError as exc:
        raise ConfgenError(f"{shown}: not a valid intent file: {printable(str(exc))}") from None
    except RecursionError:
        raise ConfgenError(f"{shown}: sections nest too deeply") from None
    for secs, key, err in flatten_errors(cfg, result):
        if key is None:
            continue  # a missing section: the defaults fill it
        if err is False:
            problems.add((*secs, key), "is required")
        elif isinstance(err, _Bad):
            problems.add((*secs, key), str(err))
        else:  # configobj's own checks: say what was expected
            check = _spec_check(spec, (*secs, key))
            problems.add((*secs, key), f"expected {check}: {err}")
    for secs, name in get_extra_values(cfg):
        if secs and secs[0] in _FREE_SECTIONS or (not secs and name in _FREE_SECTIONS):
            continue
        known = _spec_keys(spec, tuple(secs))
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
        problems.add((*secs, name), f"unknown key{hint}")
    problems.raise_if_any()
    return _build(cfg, source, problems)


def _build(cfg: ConfigObj, source: str, problems: _Problems) -> Intent:
    ceph = cfg["ceph"]
    os_rel = releases.openstack().get(cfg["release"])
    ceph_auto = ceph["release"] == AUTO_CEPH
    ceph_rel = releases.ceph_for(ceph["release"], os_rel)
    c = cfg["cinder"]
    raw_backends = c.get("backends", {})
    if not raw_backends:
        raw_backends = {"ceph": {"driver": "rbd", "pool": "volumes", "user": "cinder",
                                 "secret_uuid": "", "backend_name": "", "volume_group": ""}}
    backends = []
    for name, b in raw_backends.items():
        try:
            _section_name(name)
        except validate.ValidateError as exc:
            problems.add(("cinder", "backends", name), str(exc))
        backends.append(CinderBackend(name, b["driver"], b["pool"], b["user"], b["secret_uuid"],
                                      b["backend_name"] or name, b["volume_group"]))
    default_backend = c["default_backend"]
    if default_backend and default_backend not in raw_backends:
        problems.add(("cinder", "default_backend"),
                     f"{default_backend!r} is not one of the backends ({', '.join(raw_backends)})")
    g, bk, n, f = cfg["glance"], cfg["cinder_backup"], cfg["nova"], cfg["features"]
    glance = Service(g["enabled"], g["pool"], g["user"])
    backup = Service(bk["enabled"], bk["pool"], bk["user"])
    nova = Service(n["ephemeral"], n["pool"], n["user"])
    extra = _extra(cfg.get("extra", {}), problems)
    intent = Intent(
        source=source, release=os_rel, ceph_release=ceph_rel, ceph_auto=ceph_auto,
        fsid=ceph["fsid"],
        mon_host=tuple(ceph["mon_host"]), public_network=ceph["public_network"],
        cluster_network=ceph["cluster_network"], cephx=ceph["cephx"], osd_count=ceph["osd_count"],
        pool_size=ceph["pool_size"], ceph_conf=ceph["conf_path"], glance=glance,
        glance_multistore=g["multistore"], glance_store_name=g["store_name"],
        glance_image_cache=g["image_cache"],
        cinder_enabled=c["enabled"], backends=tuple(backends), default_backend=default_backend,
        backup=backup, nova=nova, nova_secret_uuid=n["secret_uuid"],
        copy_on_write=f["copy_on_write"], rbd_cache=f["rbd_cache"],
        live_migration=f["live_migration"], discard=f["discard"],
        file_injection=f["file_injection"], client_sockets=f["client_sockets"], extra=extra,
    )
    secrets, notices = _secrets(intent, problems)
    if not intent.cephx:
        notices.append("cephx is off ([ceph] cephx = false): anyone who reaches the monitors "
                       "can read and delete data; `confgen lint` reports it as an error")
    _check_users(intent, problems)
    problems.raise_if_any()
    return _replace(intent, secrets=secrets, notices=tuple(notices))


def _replace(intent: Intent, **kw: Any) -> Intent:
    from dataclasses import replace

    return replace(intent, **kw)


def _extra(raw: Any, problems: _Problems) -> dict[str, dict[str, dict[str, str]]]:
    """[extra] [[nova.conf]] [[[libvirt]]] key = value: passed through to the file as given."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for fname, sections in raw.items():
        if fname not in _RENDERED_FILES or not isinstance(sections, dict):
            close = difflib.get_close_matches(fname, _RENDERED_FILES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.add(("extra", fname), f"not a file confgen renders{hint}")
            continue
        for sec, opts in sections.items():
            if not isinstance(opts, dict):
                problems.add(("extra", fname, sec),
                             "put options under a section: [[[SECTION]]] then key = value")
                continue
            if not _EXTRA_SECTION.match(sec):
                problems.add(("extra", fname, sec), "not a section name (letters, digits, "
                                                    "'_', '.', '-')")
                continue
            values = {}
            for k, v in opts.items():
                text = ",".join(map(str, v)) if isinstance(v, list) else str(v)
                why = _extra_problem(fname, k, text, isinstance(v, dict))
                if why:
                    problems.add(("extra", fname, sec, k), why)
                values[k] = text
            out.setdefault(fname, {})[sec] = values
    return out


_EXTRA_SECTION = re.compile(r"^[A-Za-z0-9_.-]+$")
_EXTRA_KEY = re.compile(r"^[A-Za-z0-9_.-]+$")
_CEPH_KEY = re.compile(r"^[A-Za-z0-9_.-]+( [A-Za-z0-9_.-]+)*$")  # Ceph reads spaces as '_'


def _extra_problem(fname: str, key: str, value: str, nested: bool) -> str:
    """Why `key = value` cannot be written into `fname` as one line the service reads as
    exactly that key and value ("" when it can)."""
    if nested:
        return "sections nest at most three levels: [extra] [[FILE]] [[[SECTION]]]"
    ceph = fname == "ceph.conf"
    if not (_CEPH_KEY if ceph else _EXTRA_KEY).match(key):
        return ("not an option name (letters, digits, '_', '.', '-'); '=', ':' or '#' would "
                "split it into another key and value")
    if _CONTROL.search(value):
        return ""  # reported by _check_text
    if ceph and ("#" in value or ";" in value):
        return "Ceph starts a comment at '#' or ';' anywhere in a line: the value would be cut"
    if ceph and value.rstrip().endswith("\\"):
        return "a trailing backslash makes Ceph join the next line to this value"
    if ceph and value.count('"') % 2:
        return "an unbalanced double quote makes ceph.conf unreadable for Ceph"
    return ""


def _secrets(intent: Intent, problems: _Problems) -> tuple[dict[str, str], list[str]]:
    """One libvirt secret per cephx user that nova/cinder hand to libvirt."""
    wanted: list[tuple[str, str, tuple[str, ...]]] = []  # (user, uuid or "", key path)
    if intent.nova_uses_ceph:
        wanted.append((intent.nova.user, intent.nova_secret_uuid, ("nova", "secret_uuid")))
    for b in intent.rbd_backends:
        wanted.append((b.user, b.secret_uuid, ("cinder", "backends", b.name, "secret_uuid")))
    given: dict[str, tuple[str, tuple[str, ...]]] = {}
    for user, value, path in wanted:
        if not value:
            continue
        if user in given and given[user][0] != value:
            problems.add(path, f"client.{user} already has secret {given[user][0]} at "
                               f"{_label(given[user][1])}; one user has one libvirt secret")
        given.setdefault(user, (value, path))
    secrets: dict[str, str] = {}
    notices: list[str] = []
    for user, _, path in wanted:
        if user in secrets:
            continue
        if user in given:
            secrets[user] = given[user][0]
        else:
            secrets[user] = derive_secret_uuid(intent.fsid, user)
            notices.append(
                f"no secret_uuid for client.{user}: using {secrets[user]} (derived from the fsid, "
                f"so every render gives the same one). Pin it: put 'secret_uuid = {secrets[user]}' "
                f"under {_label(path).split(']')[0]}] in your intent."
            )
    return secrets, notices


def _check_users(intent: Intent, problems: _Problems) -> None:
    """A cephx user shared by two services must not have them write the same pool for different
    purposes (e.g. backups and volumes mixed under one identity: each would clean up the other's
    images)."""
    uses: list[tuple[str, str, str, tuple[str, ...]]] = []  # (user, pool, purpose, path)
    if intent.glance.enabled:
        uses.append((intent.glance.user, intent.glance.pool, "glance images", ("glance", "pool")))
    for b in intent.rbd_backends:
        uses.append((b.user, b.pool, "cinder volumes", ("cinder", "backends", b.name, "pool")))
    if intent.backup.enabled:
        uses.append((intent.backup.user, intent.backup.pool, "cinder backups",
                     ("cinder_backup", "pool")))
    if intent.nova.enabled:
        uses.append((intent.nova.user, intent.nova.pool, "nova disks", ("nova", "pool")))
    seen: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    for user, pool, purpose, path in uses:
        prev = seen.get((user, pool))
        if prev and prev[0] != purpose:
            problems.add(path, f"client.{user} would keep both {prev[0]} ({_label(prev[1])}) and "
                               f"{purpose} in pool {pool!r}: give each its own pool")
        seen.setdefault((user, pool), (purpose, path))
