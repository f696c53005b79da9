"""The value-keeping proof (confgen.keep): what a release reads from a file, and which edits
would change it."""

from __future__ import annotations

from confgen import releases
from confgen.fix import Edit, FileFix, proven
from confgen.keep import Proof, reads
from confgen.matrix import load
from confgen.parse import parse

R = releases.openstack()

NOVA = """\
[DEFAULT]
rbd_user = old
[libvirt]
images_type = rbd
rbd_user = nova
rbd_user = nova2
"""

CINDER = """\
[DEFAULT]
enabled_backends = ceph
[ceph]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
replication_device = backend_id:a
replication_device = backend_id:b
[keystone_authtoken]
auth_url = http://x
auth_url = http://y
acme_realm = a
acme_realm = b
"""


def _reads(text: str, ft: str, rel: str):
    doc = parse(text, ft)
    from confgen.rules.base import Context, LintFile

    dyn = Context(files={ft: LintFile(ft, "f", doc)}, release=R.get(rel)).dynamic(ft)
    return reads(ft, doc, R.get(rel), load(ft), dyn)


def test_reads_by_identity_last_line_wins_and_unread_lines_do_not_count():
    got = _reads(NOVA, "nova.conf", "2024.1")
    assert got[("nova.conf", "opt", "libvirt.rbd_user", "")].values == ("nova2",)
    # [DEFAULT] rbd_user is not read by 2024.1 (its spelling ended in icehouse)
    assert all(r.values != ("old",) for r in got.values())
    # havana reads it as the same option
    assert _reads("[DEFAULT]\nrbd_user = old\n", "nova.conf", "havana")[
        ("nova.conf", "opt", "libvirt.rbd_user", "")].values == ("old",)


def test_reads_multi_valued_and_unknown_keep_every_line():
    got = _reads(CINDER, "cinder.conf", "2024.1")
    assert got[("cinder.conf", "opt", "@backend.replication_device", "ceph")].values == (
        "backend_id:a", "backend_id:b")
    # an option the data does not know (an out-of-tree auth plugin's): every line counts,
    # confgen cannot say how it is read
    assert got[("cinder.conf", "raw", "keystone_authtoken", "acme_realm")].values == ("a", "b")
    # keystoneauth1's auth-url is a single-valued string in every plugin that reads it
    # (keystoneauth1/loading/identity.py): oslo.config reads the last line
    assert got[("cinder.conf", "opt", "keystone_authtoken.auth_url", "")].values == ("http://y",)


def test_a_line_read_by_several_options_counts_for_each():
    # kilo's oslo.messaging reads the old [DEFAULT] rabbit_durable_queues as the rabbit and
    # the qpid driver's amqp_durable_queues alike (both declare it as their deprecated name)
    text = "[DEFAULT]\nrabbit_durable_queues = True\n"
    got = _reads(text, "glance-api.conf", "kilo")
    assert {k[2] for k in got} == {"oslo_messaging_rabbit.amqp_durable_queues",
                                   "oslo_messaging_qpid.amqp_durable_queues"}
    # so moving it to one of them is refused: the other would lose it
    ok, ff = _check(text, "glance-api.conf", "kilo", [
        Edit("move", 2, section="oslo_messaging_qpid", key="amqp_durable_queues", reason="m")])
    assert ok == [] and "as [oslo_messaging_rabbit] amqp_durable_queues" in ff.withheld[0][1]


def test_old_spellings_in_upper_case_sections_are_read():
    # oslo.config lower-cases group names (DEFAULT aside): havana nova reads the deprecated
    # [DATABASE] sql_max_pool_size as [database] max_pool_size
    got = _reads("[DATABASE]\nsql_max_pool_size = 7\n", "nova.conf", "havana")
    assert got[("nova.conf", "opt", "database.max_pool_size", "")].values == ("7",)


def _check(text, ft, rel, edits, source=None):
    doc = parse(text, ft, "f")
    ff = FileFix(ft, "f", text, text)
    proof = Proof(ft, doc, R.get(source or rel), R.get(rel))
    return proven(ff, doc, edits, proof), ff


def test_edits_that_would_lose_a_value_are_withheld():
    # deleting one of two multi-valued lines, or a line of an option confgen cannot type
    ok, ff = _check(CINDER, "cinder.conf", "2024.1", [
        Edit("delete", 5, reason="drop first replication_device"),
        Edit("delete", 8, reason="drop first auth_url"),
        Edit("delete", 10, reason="drop first acme_realm"),
    ])
    # the one edit that passes: auth_url is single-valued (see above), so its first line is
    # an overridden duplicate the service never reads; nothing else may go
    assert [e.reason for e in ok] == ["drop first auth_url"] and len(ff.withheld) == 2
    assert "replication_device" in ff.withheld[0][1]  # its values count as secrets: masked
    assert "backend_id:a" not in ff.withheld[0][1] and "acme_realm" in ff.withheld[1][1]
    # moving the unread old spelling on top of the value nova reads changes that value
    ok, ff = _check(NOVA, "nova.conf", "2024.1",
                    [Edit("move", 2, section="libvirt", key="rbd_user", reason="move")])
    assert ok == [] and "'nova2'" in ff.withheld[0][1]


def test_edits_that_keep_every_value_pass():
    ok, ff = _check(NOVA, "nova.conf", "2024.1", [
        Edit("delete", 5, reason="overridden duplicate"),  # nova reads line 6
        Edit("delete", 2, reason="unread old spelling"),
    ])
    assert len(ok) == 2 and not ff.withheld


def test_a_migration_may_move_but_not_drop_what_the_source_read():
    havana = "[DEFAULT]\nrbd_user = nova\nlibvirt_images_type = rbd\n"
    ok, ff = _check(havana, "nova.conf", "2025.1", [
        Edit("move", 2, section="libvirt", key="rbd_user", reason="move user"),
        Edit("delete", 3, reason="drop images_type"),
    ], source="havana")
    assert [e.reason for e in ok] == ["move user"]
    assert "libvirt_images_type" in ff.withheld[0][1]
