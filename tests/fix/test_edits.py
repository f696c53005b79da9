"""Edits on file text: whole files before/after, so every untouched byte is checked too."""

from __future__ import annotations

import os
import stat

import pytest

from confgen.errors import ConfgenError
from confgen.fix import Edit, apply, split_keep, write_atomic
from confgen.parse import parse


def run(text: str, *edits: Edit, ft: str = "glance-api.conf") -> str:
    return apply(text, parse(text, ft), list(edits))


GLANCE = """\
# site header: keep me
[DEFAULT]
debug   =   True
# the store list
# (two lines of comment)
known_stores = rbd

;   stray comment that documents nothing
workers=4
[paste_deploy]
flavor = keystone
"""


def test_move_takes_comment_block_and_creates_section_at_end():
    out = run(GLANCE, Edit("move", 6, section="glance_store", key="stores"))
    assert out == """\
# site header: keep me
[DEFAULT]
debug   =   True

;   stray comment that documents nothing
workers=4
[paste_deploy]
flavor = keystone

[glance_store]
# the store list
# (two lines of comment)
stores = rbd
"""


def test_move_into_existing_section_goes_after_its_last_setting():
    text = GLANCE + "[glance_store]\nrbd_store_pool = images\n\n# trailing comment\n"
    out = run(text, Edit("move", 9, section="glance_store"))
    moved = ";   stray comment that documents nothing\nworkers=4\n"  # comment sticks to it
    assert out == text.replace(moved, "").replace(
        "rbd_store_pool = images\n", "rbd_store_pool = images\n" + moved)


def test_rename_keeps_spacing_and_value():
    assert run(GLANCE, Edit("rename", 3, key="verbose")) == GLANCE.replace(
        "debug   =   True", "verbose   =   True")


def test_set_keeps_key_and_separator_and_drops_continuations():
    text = "[DEFAULT]\nbackup_driver=cinder.backup.drivers.ceph\n  continued\n\nx = 1\n"
    out = run(text, Edit("set", 2, value="cinder.backup.drivers.ceph.CephBackupDriver"),
              ft="cinder.conf")
    assert out == "[DEFAULT]\nbackup_driver=cinder.backup.drivers.ceph.CephBackupDriver\n\nx = 1\n"


def test_set_on_empty_value():
    assert run("[DEFAULT]\nrbd_user =\n", Edit("set", 2, value="cinder"),
               ft="cinder.conf") == "[DEFAULT]\nrbd_user = cinder\n"


def test_delete_leaves_comments_and_blank_lines():
    text = "[DEFAULT]\n# about a\na = 1\n\na = 2\n"
    assert run(text, Edit("delete", 3)) == "[DEFAULT]\n# about a\n\na = 2\n"


def test_insert_with_comment_into_existing_and_new_section():
    out = run(GLANCE, Edit("insert", section="DEFAULT", key="show_image_direct_url",
                           value="true", comment="why"),
              Edit("insert", section="glance_store", key="rbd_store_pool", value="images"))
    added = "workers=4\n# why\nshow_image_direct_url = true\n"
    new = "\n[glance_store]\nrbd_store_pool = images\n"
    assert out == GLANCE.replace("workers=4\n", added) + new


def test_crlf_and_missing_final_newline_are_kept():
    text = "[DEFAULT]\r\n# c\r\nknown_stores = rbd\r\nworkers = 2"
    out = run(text, Edit("move", 3, section="glance_store", key="stores"))
    assert out == "[DEFAULT]\r\nworkers = 2\r\n\r\n[glance_store]\r\n# c\r\nstores = rbd\r\n"
    out = run(text, Edit("insert", section="DEFAULT", key="a", value="b"))
    assert out == "[DEFAULT]\r\n# c\r\nknown_stores = rbd\r\nworkers = 2\r\na = b\r\n"


def test_ceph_indented_keys_and_spaced_names():
    text = "[global]\n\tfsid = x\n\t# cache\n\trbd cache = true\n[client]\n\tlog file = /l\n"
    out = run(text, Edit("move", 4, section="client", key="rbd_cache"), ft="ceph.conf")
    assert out == "[global]\n\tfsid = x\n[client]\n\tlog file = /l\n\t# cache\n\trbd_cache = true\n"


def test_split_keep_is_lossless_and_numbers_like_the_parser():
    text = "a = 1\r\n\nb = 2\rc = 3"
    assert "".join(split_keep(text)) == text
    assert len(split_keep(text)) == len(parse(text, "nova.conf").lines)


def test_unparsable_file_is_never_rewritten():
    text = "orphan = 1\n[DEFAULT]\nx = 1\n"
    with pytest.raises(ConfgenError, match="not rewritten"):
        run(text, Edit("delete", 3), ft="nova.conf")


def test_stale_edit_is_an_error():
    with pytest.raises(ConfgenError, match="no setting"):
        run(GLANCE, Edit("delete", 1))


# -- atomic writer ------------------------------------------------------------------------------
def test_write_atomic_keeps_mode_and_backup(tmp_path):
    p = tmp_path / "nova.conf"
    p.write_text("old\n")
    os.chmod(p, 0o640)
    bak = write_atomic(p, "new\n")
    assert p.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640
    assert bak == tmp_path / "nova.conf.bak" and bak.read_text() == "old\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["nova.conf", "nova.conf.bak"]


def test_write_atomic_no_backup_and_symlink_kept(tmp_path):
    real = tmp_path / "real.conf"
    real.write_text("old\n")
    link = tmp_path / "nova.conf"
    link.symlink_to(real)
    assert write_atomic(link, "new\n", backup=False) is None
    assert link.is_symlink() and real.read_text() == "new\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["nova.conf", "real.conf"]


def test_write_atomic_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(ConfgenError, match="cannot stat"):
        write_atomic(tmp_path / "nope.conf", "x")


def test_comment_out_keeps_the_line_visible_with_a_note():
    from confgen.fix import Edit, apply
    from confgen.parse import parse

    text = "[DEFAULT]\nglance_api_version = 2\nfoo = a\n  b\n"
    doc = parse(text, "cinder.conf")
    out = apply(text, doc, [Edit("comment", 2, comment="confgen: removed in queens"),
                            Edit("comment", 3, comment="gone")])
    assert out == ("[DEFAULT]\n# confgen: removed in queens\n# glance_api_version = 2\n"
                   "# gone\n# foo = a\n#  b\n")
    assert parse(out, "cinder.conf").entries == []
