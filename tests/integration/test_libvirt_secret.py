"""The rendered libvirt secret: valid for libvirt's own schema, and the uuid nova/cinder name."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rendered import oslo_values

SCHEMA = Path("/usr/share/libvirt/schemas/secret.rng")  # shipped by Debian's libvirt0


@pytest.fixture(scope="module")
def validator(need) -> str:
    tool = shutil.which("virt-xml-validate")
    need(tool is not None, "virt-xml-validate not installed (apt-get install libvirt-clients)")
    need(SCHEMA.is_file(), f"libvirt RNG schemas missing ({SCHEMA}; Debian package libvirt0)")
    # virt-xml-validate is a shell script around xmllint (only a Recommends of libvirt-clients)
    need(shutil.which("xmllint") is not None,
         "xmllint not installed (apt-get install libxml2-utils)")
    return str(tool)


@pytest.mark.parametrize("release", ["juno", "2026.1"])
def test_secret_xml_validates_and_matches_nova_and_cinder(render, validator, release) -> None:
    out = render(f"secret-{release}", None, "--release", release)
    secret = out / "nova" / "secret.xml"
    res = subprocess.run([validator, str(secret), "secret"], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    root = ET.parse(secret).getroot()
    uuid = root.findtext("uuid")
    assert root.find("usage").get("type") == "ceph"
    assert oslo_values(out / "nova" / "nova.conf", "rbd_secret_uuid") == {uuid}
    assert oslo_values(out / "cinder" / "cinder.conf", "rbd_secret_uuid") == {uuid}


def test_validator_rejects_a_broken_secret(validator, tmp_path) -> None:
    """Control: the schema check does catch a secret libvirt would refuse."""
    bad = tmp_path / "secret.xml"
    bad.write_text("<secret ephemeral='maybe'><uuid>not-a-uuid</uuid></secret>")
    res = subprocess.run([validator, str(bad), "secret"], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode != 0
