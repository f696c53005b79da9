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
    style = STYLE.get(file_type)
    key = (style, text)
    done = _PARSED.get(key)
    if done is None:
        done = parse_ceph(text, path) if style == "ceph" else parse_oslo(text, path)
        if len(text) > _PARSED_TEXT:  # a huge file is not kept (memory stays one file's)
            return done
        if len(_PARSED) >= 16:
            del _PARSED[next(iter(_PARSED))]  # the oldest
        _PARSED[key] = done
    # The parse is a function of the text alone (the path is only carried), and a fleet's
    # hosts often share a file (one cluster's ceph.conf): each caller gets its own document
    # (its own lists, which --fix may edit) sharing the frozen entries, headers, problems.
    return Document(path, done.style, list(done.lines), list(done.entries),
                    list(done.headers), list(done.problems))


# the last few texts parsed -> their document (never handed out itself)
_PARSED: dict[tuple[str | None, str], Document] = {}
_PARSED_TEXT = 256 * 1024  # larger texts are parsed each time


__all__ = ["LAYOUT", "Document", "Entry", "Problem", "ReadError", "SectionHeader", "parse",
           "parse_ceph", "parse_oslo", "read_text"]
