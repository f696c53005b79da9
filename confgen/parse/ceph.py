"""ceph.conf, read the way Ceph's own config-file parser reads it.

What Ceph does (and so what we model):
- `#` and `;` start a comment anywhere, even inside double quotes (inline comments are fine);
- a backslash at the end of a line joins the next line to the value;
- keys are matched with runs of spaces read as `_` (`rbd cache` = `rbd_cache`); a dash is
  NOT an underscore in the file (checked with ceph-conf 16.2.15: `rbd-cache` is not read);
- a value may be wrapped in double quotes; `$cluster`, `$id`... are expanded by Ceph later
  (left as written here);
- a key repeated in one section: the later one wins;
- keys and section names are case-sensitive; `[ client ]` keeps its spaces (another section);
- a key before any section header is an error; a UTF-8 byte-order mark breaks the parser; a
  client reads [global], then [client],
  then [client.NAME], later ones overriding earlier ones.
"""

from __future__ import annotations

from confgen.parse.document import Document, Entry, Problem, SectionHeader, ceph_key
from confgen.parse.oslo import split_lines


def _strip_comment(text: str) -> tuple[str, str]:
    """(code, comment): Ceph (checked with ceph-conf 16.2) starts a comment at the first `#`
    or `;` even inside double quotes, so `"a;b"` is an unterminated quote there."""
    for i, c in enumerate(text):
        if c in "#;":
            return text[:i], text[i + 1 :].strip()
    return text, ""


def _unquote(value: str) -> tuple[str, bool]:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        out, i = [], 0
        while i < len(inner):
            if inner[i] == "\\" and i + 1 < len(inner):
                out.append(inner[i + 1])
                i += 2
                continue
            out.append(inner[i])
            i += 1
        return "".join(out), True
    return value, False


def parse_ceph(text: str, path: str = "<string>") -> Document:
    doc = Document(path=path, style="ceph", lines=split_lines(text))
    section: str | None = None
    lineno = 0
    n = len(doc.lines)
    while lineno < n:
        start = lineno + 1
        raw = doc.lines[lineno]
        lineno += 1
        # backslash continuations: glue physical lines into one logical line
        logical = raw
        while logical.rstrip().endswith("\\") and lineno < n:
            logical = logical.rstrip()[:-1] + doc.lines[lineno]
            lineno += 1
        end = lineno
        code, comment = _strip_comment(logical)
        stripped = code.strip()
        if not stripped:
            continue
        col = len(code) - len(code.lstrip()) + 1
        if stripped.startswith("["):
            if not stripped.endswith("]") or len(stripped) <= 2 or not stripped[1:-1].strip():
                msg = "bad section header (Ceph cannot parse the file)"
                doc.problems.append(Problem(start, col, "parse-error", msg, True))
                continue
            section = stripped[1:-1]  # Ceph keeps spaces: "[ client ]" is not [client]
            doc.headers.append(SectionHeader(section, start, col))
            continue
        if "=" not in stripped:
            doc.problems.append(Problem(start, col, "parse-error",
                                        "line is neither '[section]' nor 'key = value' "
                                        "(Ceph cannot parse the file)", True))
            continue
        key, _, rest = stripped.partition("=")
        key = key.strip()
        if not key:
            doc.problems.append(Problem(start, col, "parse-error",
                                        "empty key before '=' (Ceph cannot parse the file)", True))
            continue
        value, quoted = _unquote(rest.strip())
        if not quoted and value.count('"') % 2:
            doc.problems.append(Problem(start, col, "parse-error",
                                        "unbalanced double quote (Ceph cannot parse the file)",
                                        True))
        if "-" in key:
            fixed = ceph_key(key).replace("-", "_")
            doc.problems.append(Problem(start, col, "dash-key",
                                        f"Ceph does not read '-' as '_' in ceph.conf keys: "
                                        f"'{key}' is not {fixed!r}; write '{fixed}'"))
        if section is None:
            doc.problems.append(Problem(start, col, "outside-section",
                                        f"'{key}' comes before any [section]; Ceph rejects "
                                        "keys outside a section", True))
        vcol = code.index("=") + 2 + (len(rest) - len(rest.lstrip())) if value else 0
        doc.entries.append(Entry(section, key, value, start, col, end,
                                 "\n".join(doc.lines[start - 1:end]), vcol, comment))
    return doc


def client_sections(name: str) -> list[str]:
    """Sections a client `client.NAME` reads, lowest precedence first."""
    return ["global", "client", name if name.startswith("client.") else f"client.{name}"]


def effective(doc: Document, key: str, client: str) -> Entry | None:
    """The value a Ceph client named `client` (e.g. client.cinder) gets for `key`."""
    found = None
    for sec in client_sections(client):
        e = doc.get(sec, key)
        if e is not None:
            found = e
    return found


__all__ = ["ceph_key", "client_sections", "effective", "parse_ceph"]
