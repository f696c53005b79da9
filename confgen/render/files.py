"""Intent -> {relative path: text} for every output file. Jinja2 is imported only here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from confgen import cephdata
from confgen.datapath import data_dir
from confgen.errors import ConfgenError
from confgen.intent import Intent
from confgen.matrix import FileMatrix, load
from confgen.releases import Release
from confgen.render import escape, plan
from confgen.render.model import Doc, Placer

# service name (--only) -> output files, in the order they are printed
SERVICES: dict[str, tuple[str, ...]] = {
    "glance": ("glance/glance-api.conf",),
    "cinder": ("cinder/cinder.conf",),
    "nova": ("nova/nova.conf", "nova/secret.xml"),
    "ceph": ("ceph/ceph.conf", "ceph/cephx-users.sh"),
}


@dataclass(frozen=True)
class Context:
    """What every template sees as `ctx`."""

    source: str
    openstack: Release
    ceph: Release
    fsid: str
    doc: Doc | None = None


def environment(templates: Path | None = None) -> jinja2.Environment:
    """User templates first (--templates DIR), built-in ones for whatever they lack.

    Every template is read by confgen's one input reader (regular files only, size cap,
    strict UTF-8). XML templates (`*.xml.j2`) are autoescaped; the filters make text safe for
    the place it lands in: `comment` (one line of an INI or shell comment), `xml_comment`
    (inside <!-- -->), `sh` (one shell word)."""
    paths = ([templates] if templates else []) + [data_dir("templates")]
    env = jinja2.Environment(
        loader=escape.TemplateLoader(paths),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(["xml", "xml.j2"], default_for_string=False,
                                            default=False),
    )
    env.filters.update(comment=escape.comment, xml_comment=escape.xml_comment, sh=escape.sh,
                       sh_in_xml_comment=escape.sh_in_xml_comment)
    return env


def _services_used(it: Intent) -> set[str]:
    used = {"ceph"}
    if it.glance.enabled:
        used.add("glance")
    if it.rbd_backends or it.backup.enabled or (it.cinder_enabled and it.backends):
        used.add("cinder")
    if it.nova_uses_ceph:
        used.add("nova")
    return used


def render(
    it: Intent,
    only: Iterable[str] | None = None,
    templates: Path | None = None,
    matrices: Mapping[str, FileMatrix] | None = None,
) -> dict[str, str]:
    """Every requested file's text, or ConfgenError listing every problem (nothing partial)."""
    wanted = list(only) if only else list(SERVICES)
    unknown = [s for s in wanted if s not in SERVICES]
    if unknown:
        raise ConfgenError(
            f"--only: unknown {', '.join(unknown)}; choose from {', '.join(SERVICES)}"
        )
    used = _services_used(it)
    env = environment(templates)
    errors: list[str] = []
    out: dict[str, str] = {}
    for service in SERVICES:
        if service not in wanted or service not in used:
            continue
        for path in SERVICES[service]:
            for name, text in _render_one(it, path, env, errors, matrices).items():
                out[name] = text
    if errors:
        raise ConfgenError(
            f"{it.source}: the intent asks for what this release cannot do; nothing written:\n  "
            + "\n  ".join(errors)
        )
    return out


def _matrix(file: str, matrices: Mapping[str, FileMatrix] | None) -> FileMatrix:
    if matrices is not None and file in matrices:
        return matrices[file]
    try:
        return load(file)
    except FileNotFoundError:
        raise ConfgenError(f"confgen has no release data for {file} yet") from None


def _render_one(
    it: Intent, path: str, env: jinja2.Environment, errors: list[str],
    matrices: Mapping[str, FileMatrix] | None,
) -> dict[str, str]:
    file = path.rpartition("/")[2]
    ctx = Context(escape.comment(it.source), it.release, it.ceph_release, it.fsid)
    if file in plan.BUILDERS:
        matrix = _matrix(file, matrices)
        rel = it.ceph_release if matrix.family.name == "ceph" else it.release
        doc = Doc(file, rel)
        plan.BUILDERS[file](it, Placer(matrix, rel, doc, errors))
        _extra(it, doc)
        if file == "cinder.conf":
            doc.notes.extend(_volume_type_notes(it))
        return {path: _template(env, file, ctx=_with(ctx, doc))}
    if file == "secret.xml":
        return _secrets(it, env, ctx)
    if file == "cephx-users.sh":
        return {path: _template(env, file, ctx=ctx, **_cephx(it, errors))}
    raise AssertionError(path)


def _with(ctx: Context, doc: Doc) -> Context:
    return Context(ctx.source, ctx.openstack, ctx.ceph, ctx.fsid, doc)


def _template(env: jinja2.Environment, file: str, **kw: Any) -> str:
    try:
        return env.get_template(f"{file}.j2").render(**kw)
    except jinja2.TemplateError as exc:
        syntax = isinstance(exc, jinja2.TemplateSyntaxError)
        where = f"({exc.filename}:{exc.lineno})" if syntax else ""
        raise ConfgenError(f"template {file}.j2 {where}: {exc.message or exc}") from None


def _extra(it: Intent, doc: Doc) -> None:
    """[extra] options go in as given (the intent's last word wins over ours)."""
    for section, opts in it.extra.get(doc.file, {}).items():
        for name, value in opts.items():
            doc.set(section, name, value, "from the intent's [extra] section")


def _volume_type_notes(it: Intent) -> list[str]:
    if not it.cinder_enabled or len(it.backends) < 2:
        return []
    notes = ["Several backends: create one volume type per backend, for example"]
    notes += [f"  openstack volume type create {b.backend_name} --property "
              f"volume_backend_name={b.backend_name}" for b in it.backends]
    return notes


def _secrets(it: Intent, env: jinja2.Environment, ctx: Context) -> dict[str, str]:
    if not it.cephx:
        return {}
    out = {}
    for user, uuid in it.secrets.items():
        name = "secret.xml" if user == it.nova.user else f"secret-client.{user}.xml"
        out[f"nova/{name}"] = _template(env, "secret.xml", ctx=ctx, user=user, uuid=uuid,
                                        filename=name)
    return out


def _pool_purposes(it: Intent) -> dict[str, str]:
    pools: dict[str, str] = {}
    if it.glance.enabled:
        pools.setdefault(it.glance.pool, "glance images")
    for b in it.rbd_backends:
        pools.setdefault(b.pool, f"cinder volumes (backend {b.name})")
    if it.backup.enabled:
        pools.setdefault(it.backup.pool, "cinder backups")
    if it.nova.enabled:
        pools.setdefault(it.nova.pool, "nova instance disks")
    return pools


def _user_pools(it: Intent) -> dict[str, dict[str, str]]:
    """cephx user -> {pool: rw|ro}: each service writes its pools and reads images to clone."""
    users: dict[str, dict[str, str]] = {}

    def grant(user: str, pool: str, access: str) -> None:
        cur = users.setdefault(user, {})
        if cur.get(pool) != cephdata.RW:
            cur[pool] = access

    reads_images = it.glance.enabled and it.copy_on_write
    if it.glance.enabled:
        grant(it.glance.user, it.glance.pool, cephdata.RW)
    for b in it.rbd_backends:
        grant(b.user, b.pool, cephdata.RW)
        if reads_images:
            grant(b.user, it.glance.pool, cephdata.RO)
    if it.backup.enabled:
        grant(it.backup.user, it.backup.pool, cephdata.RW)
    if it.nova_uses_ceph:
        if it.nova.enabled:
            grant(it.nova.user, it.nova.pool, cephdata.RW)
        for b in it.rbd_backends:  # nova attaches cinder volumes with its own user
            grant(it.nova.user, b.pool, cephdata.RW)
        if reads_images and it.nova.enabled:
            grant(it.nova.user, it.glance.pool, cephdata.RO)
    return users


def _cephx(it: Intent, errors: list[str]) -> dict[str, Any]:
    rel = it.ceph_release
    pools = _pool_purposes(it)
    needs_pgs = not cephdata.has("pg_autoscaler_on", rel)
    if needs_pgs and it.osd_count is None:
        errors.append(
            f"[ceph] osd_count: Ceph {rel} has no PG autoscaler on by default, so pools need a PG "
            f"count; give the number of OSDs (the autoscaler is on from "
            f"{cephdata.since('pg_autoscaler_on')})"
        )
        return {"pools": [], "users": []}
    pool_rows = [
        {"name": p, "purpose": purpose,
         "commands": cephdata.pool_commands(rel, p, it.osd_count or 1, it.pool_size, len(pools))}
        for p, purpose in pools.items()
    ]
    users = []
    if it.cephx:
        users = [{"name": u, "command": cephdata.auth_command(rel, u, access)}
                 for u, access in _user_pools(it).items()]
    return {"pools": pool_rows, "users": users}

