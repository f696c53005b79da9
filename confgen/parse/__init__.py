"""Line-preserving parsers: oslo-style INI (glance/cinder/nova) and ceph-style INI (ceph.conf)."""

from confgen.parse.ceph import parse_ceph
from confgen.parse.document import Document, Entry, Problem, SectionHeader
from confgen.parse.oslo import parse_oslo
from confgen.parse.reader import ReadError, read_text

# where each file lives under an /etc-like root
LAYOUT = {
    "glance-api.conf": "glance/glance-api.conf",
    "cinder.conf": "cinder/cinder.conf",
    "nova.conf": "nova/nova.conf",
    "ceph.conf": "ceph/ceph.conf",
}
STYLE = {"nova.conf": "oslo", "cinder.conf": "oslo", "glance-api.conf": "oslo", "ceph.conf": "ceph"}


def parse(text: str, file_type: str, path: str = "<string>") -> Document:
    """Parse `text` as the file type's service would (ceph.conf -> ceph style, else oslo)."""
    return parse_ceph(text, path) if STYLE.get(file_type) == "ceph" else parse_oslo(text, path)


__all__ = ["LAYOUT", "Document", "Entry", "Problem", "ReadError", "SectionHeader", "parse",
           "parse_ceph", "parse_oslo", "read_text"]
