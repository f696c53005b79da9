"""ceph.conf, read exactly as Ceph reads it.

Ceph (luminous on; checked against ceph-conf and librados 16.2.15 by the differential test in
tests/parse/test_ceph_differential.py) parses the file with one Boost.Spirit grammar
(src/common/ConfUtils.cc). This module walks the same grammar, rule by rule, including what
makes it surprising:

- a *skipper* (`\\` + end of line, or blanks + `#`/`;` + the rest of the line) is tried before
  every piece of a key, section name or unquoted value: so an inline comment ends a value,
  a `\\` at the end of a line joins the next line (its leading blanks kept), and a comment
  line that ends in `\\` does NOT swallow the next line;
- `\\X` is X for any character (`\\#` `\\;` `\\\\` `\\"`), in keys (kept raw), names and values;
- a value is `"..."` or `'...'` (nothing may follow but a comment), or unquoted text in which a
  `"` is an ordinary character; values are trimmed, quoted ones too;
- keys: runs of blanks between words become one `_` (`rbd cache` = `rbd_cache`), a dash is
  kept, case matters; section names are kept as written (`[ client ]` is " client ");
- every line must end with a newline; a key before the first section, or blanks before a
  section header, make the whole file unreadable; a file of a single `key = value` line is
  read as [global];
- the grammar's blank test asserts its character is ASCII: a non-ASCII character where a
  blank may stand (in a key, a section name, an unquoted value, at a line start) aborts
  ceph-conf and any librados client; inside quotes or comments it is harmless;
- later sections of the same name merge, a later key wins.

Values keep Ceph's metavariables (`$cluster`, `${name}`, `$run_dir`...); `expand` applies them
the way md_config_t::_expand_meta does. A client `client.NAME` reads [client.NAME], [client],
[global], the first that has the key winning.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from confgen.parse.document import Document, Entry, Problem, SectionHeader, ceph_key
from confgen.parse.oslo import split_lines
from confgen.record import dataclass, replace

_SPACE = " \t\n\v\f\r"  # isspace: what Ceph trims from values and folds in keys


def _run_of_ascii_but(stop: str) -> re.Pattern[str]:
    """A run of ASCII characters none of which is in `stop` (a positive class: a negated
    one reaching U+10FFFF would cost milliseconds to compile at every start)."""
    return re.compile("[" + "".join(re.escape(chr(i)) for i in range(128)
                                    if chr(i) not in stop) + "]+")


# runs of characters a rule takes as they are (see _Grammar.plain)
_VALUE_RUN = _run_of_ascii_but("\\ \t#;\r\n")
_KEY_RUN = _run_of_ascii_but("\\ \t#;\r\n=[")


class _Refused(Exception):
    """The grammar's expectation failed: Ceph reports a parse error for the whole file."""

    def __init__(self, pos: int, expected: str):
        super().__init__(expected)
        self.pos, self.expected = pos, expected


class _Abort(Exception):
    """Boost.Spirit's isblank() got a non-ASCII character: the process aborts."""

    def __init__(self, pos: int):
        super().__init__(pos)
        self.pos = pos


@dataclass
class _KeyVal:
    key_start: int
    key_raw: str
    value: str  # as Ceph stores it (escapes resolved, comments dropped, trimmed)
    value_start: int  # where the value text starts (-1: empty)
    end: int  # end of the value (before the line end)
    next: int  # after the line end(s)


class _Grammar:
    """The IniGrammer of ConfUtils.cc over one text (positions are str indexes)."""

    def __init__(self, s: str):
        self.s, self.n = s, len(s)

    # -- primitives ------------------------------------------------------------------------
    def eol(self, i: int) -> int | None:
        s = self.s
        if i < self.n and s[i] == "\r":
            return i + 2 if i + 1 < self.n and s[i + 1] == "\n" else i + 1
        if i < self.n and s[i] == "\n":
            return i + 1
        return None

    def blank(self, i: int) -> bool:
        if i >= self.n:
            return False
        c = self.s[i]
        if ord(c) > 127:
            raise _Abort(i)
        return c in " \t"

    def skip_once(self, i: int) -> int | None:
        """continue_marker | comment (the grammar's skipper), or None."""
        s = self.s
        if s[i] == "\\":
            e = self.eol(i + 1)
            if e is not None:
                return e
        j = i
        while self.blank(j):
            j += 1
        if j < self.n and s[j] in "#;":
            while j < self.n and self.eol(j) is None:
                j += 1
            return j
        return None

    def pre_skip(self, i: int) -> int:
        s, n = self.s, self.n
        while i < n:
            c = s[i]
            if c < "\x80" and c not in "\\ \t#;":  # the skipper cannot start here (and an
                return i  # ASCII character is no abort): skip_once would say None
            k = self.skip_once(i)
            if k is None:
                break
            i = k
        return i

    def text_char(self, i: int) -> tuple[str, int] | None:
        """One character of text: `\\X` (X not a line end) is X; else anything but a comment
        start or a line end."""
        s, n = self.s, self.n
        if i >= n:
            return None
        c = s[i]
        if c == "\\":
            return (s[i + 1], i + 2) if i + 1 < n and s[i + 1] not in "\r\n" else (c, i + 1)
        return None if c in "#;\r\n" else (c, i + 1)

    def plain(self, i: int, stop: re.Pattern[str]) -> int:
        """End of the run of ordinary characters from i: ASCII, no skipper start, no escape,
        no line end and none of the rule's stop characters. For each of them pre_skip would
        return at once and text_char take it as it is, so a rule can take the run whole."""
        m = stop.match(self.s, i)
        return m.end() if m else i

    # -- rules -----------------------------------------------------------------------------
    def blanks(self, i: int) -> int:
        i = self.pre_skip(i)
        while self.blank(i):
            i += 1
        return i

    def empty_lines(self, i: int) -> int | None:
        """+empty_line: at least one (blanks, line end), each after a skip."""
        count = 0
        while True:
            j = self.pre_skip(i)
            while self.blank(j):
                j += 1
            e = self.eol(j)
            if e is None:
                return i if count else None
            i, count = e, count + 1

    def key(self, i: int) -> tuple[int, int] | None:
        """raw[+(text_char - char_("=[ ")) % +blank]: (start, end) of the raw key text."""
        start = self.pre_skip(i)

        def word(p: int) -> int | None:
            got = False
            while True:
                q = self.plain(p, _KEY_RUN)
                if q > p:
                    p, got = q, True
                j = self.pre_skip(p)
                if j < self.n and self.s[j] in "=[ ":
                    break
                tc = self.text_char(j)
                if tc is None:
                    break
                p, got = tc[1], True
            return p if got else None

        end = word(start)
        if end is None:
            return None
        while True:
            p, seps = end, 0
            while True:
                j = self.pre_skip(p)
                if not self.blank(j):
                    break
                p, seps = j + 1, seps + 1
            if not seps:
                break
            nxt = word(p)
            if nxt is None:
                break
            end = nxt
        return start, end

    def value(self, i: int) -> tuple[str, int, int]:
        """quoted_value | unquoted_value: (text, start, end)."""
        s = self.s
        j = self.pre_skip(i)
        for q in "\"'":
            if j < self.n and s[j] == q:
                out, k = [], j + 1
                while k < self.n and s[k] != q:
                    tc = self.text_char(k)
                    if tc is None:
                        break
                    out.append(tc[0])
                    k = tc[1]
                if k >= self.n or s[k] != q:
                    raise _Refused(k, f"closing {q}")
                return "".join(out), j, k + 1
        out, k, start = [], i, -1
        while True:
            j = self.pre_skip(k)
            q = self.plain(j, _VALUE_RUN)
            if q > j:
                if start < 0:
                    start = j
                out.append(s[j:q])
                k = q
                continue
            tc = self.text_char(j)
            if tc is None:
                break
            if start < 0:
                start = j
            out.append(tc[0])
            k = tc[1]
        return "".join(out), start, k

    def key_val(self, i: int) -> _KeyVal | None:
        p = self.blanks(i)
        k = self.key(p)
        if k is None:
            return None
        p = self.blanks(k[1])
        p = self.pre_skip(p)
        if p >= self.n or self.s[p] != "=":
            return None
        p = self.blanks(p + 1)
        text, vstart, vend = self.value(p)
        nxt = self.empty_lines(vend)
        if nxt is None:
            raise _Refused(self.pre_skip(vend), "end of line")
        value = text.strip(_SPACE)
        return _KeyVal(k[0], self.s[k[0]:k[1]], value, vstart if value else -1, vend, nxt)

    def heading(self, i: int) -> tuple[str, int, int] | None:
        """'[' name ']' +empty_line: (name, position of '[', after the line end)."""
        s = self.s
        j = self.pre_skip(i)
        if j >= self.n or s[j] != "[":
            return None
        out, k = [], j + 1
        while True:
            p = self.pre_skip(k)
            if p < self.n and s[p] == "]":
                break
            tc = self.text_char(p)
            if tc is None:
                break
            out.append(tc[0])
            k = tc[1]
        if not out:
            raise _Refused(self.pre_skip(j + 1), "a section name")
        p = self.pre_skip(k)
        if p >= self.n or s[p] != "]":
            raise _Refused(p, "']'")
        nxt = self.empty_lines(p + 1)
        if nxt is None:
            raise _Refused(self.pre_skip(p + 1), "end of line after ']'")
        return "".join(out), j, nxt

    def eols(self, i: int) -> int:
        while True:
            j = self.pre_skip(i)
            e = self.eol(j)
            if e is None:
                return i
            i = e

    def parse(self, on_section: Callable, on_key: Callable) -> None:
        """conf_file: (key_val | *eol >> *section) > eoi; reports what it reads as it goes."""
        kv = self.key_val(0)
        if kv is not None:
            on_section("global", None, 0)
            on_key(kv)
            i = kv.next
            j = self.pre_skip(i)
            if j < self.n:  # more than that one line: the key is outside any section
                raise _Refused(kv.key_start, "outside")
            return
        else:
            i = self.eols(0)
            while True:
                h = self.heading(i)
                if h is None:
                    break
                on_section(h[0], h[1], h[1])
                i = h[2]
                while self.heading_at(i) is None:
                    kv = self.key_val(i)
                    if kv is None:
                        break
                    on_key(kv)
                    i = kv.next
                i = self.eols(i)
        j = self.pre_skip(i)
        if j < self.n:
            raise _Refused(j, "a '[section]' line or the end of the file")

    def heading_at(self, i: int) -> tuple | None:
        """Would a section header start here? (key_val - heading: a header ends the keys;
        a malformed header is an error, as in Ceph.)"""
        return self.heading(i)


def _line_col(starts: list[int], pos: int) -> tuple[int, int]:
    """1-based line and column of a text position."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, pos - starts[lo] + 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    if "\r" not in text:  # the usual file: str.find, not a Python loop over characters
        i = text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        return starts
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r":
            i += 2 if i + 1 < n and text[i + 1] == "\n" else 1
            starts.append(i)
        elif c == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


def parse_ceph(text: str, path: str = "<string>") -> Document:
    doc = Document(path=path, style="ceph", lines=split_lines(text))
    starts = _line_starts(text)
    g = _Grammar(text)
    section: list[str | None] = [None]

    def on_section(name: str, pos: int | None, _start: int) -> None:
        section[0] = name
        if pos is None:  # a file of one key = value line: Ceph reads it as [global]
            return
        line, col = _line_col(starts, pos)
        doc.headers.append(SectionHeader(name, line, col))

    def on_key(kv: _KeyVal) -> None:
        line, col = _line_col(starts, kv.key_start)
        end_line = _line_col(starts, max(kv.end - 1, kv.key_start))[0]
        vcol = _line_col(starts, kv.value_start)[1] if kv.value_start >= 0 else 0
        key = kv.key_raw.strip(_SPACE)
        if "\n" in key or "\r" in key:  # a key continued over lines: show Ceph's spelling
            key = ceph_key(key)
        raw = "\n".join(doc.lines[line - 1:end_line])
        comment = _comment_after(text, kv.end, starts)
        doc.entries.append(Entry(section[0], key, kv.value, line, col, end_line, raw, vcol,
                                 comment))
        _spelling_problems(doc, key, line, col)

    try:
        g.parse(on_section, on_key)
    except _Refused as exc:
        line, col = _line_col(starts, exc.pos)
        if exc.expected == "outside":
            key = doc.entries[0].key
            doc.entries[0] = replace(doc.entries[0], section=None)
            doc.problems.append(Problem(line, col, "outside-section",
                                        f"'{key}' comes before any [section]; Ceph refuses "
                                        "the whole file (ceph-conf and librados)", True))
        else:
            doc.problems.append(Problem(line, col, "parse-error",
                                        _refusal(text, exc, starts), True))
    except _Abort as exc:
        line, col = _line_col(starts, exc.pos)
        ch = text[exc.pos]
        doc.problems.append(Problem(
            line, col, "parse-error",
            f"non-ASCII character {ch!r} (U+{ord(ch):04X}) where Ceph's parser tests for a "
            "blank: ceph-conf and every librados client (QEMU, cinder, glance) abort on this "
            "file; keep non-ASCII text inside quotes or comments", True))
    return doc


def _refusal(text: str, exc: _Refused, starts: list[int]) -> str:
    line, col = _line_col(starts, exc.pos)
    at = text[exc.pos:exc.pos + 1]
    what = {"": "the end of the file", "\n": "the end of the line", "\r": "the end of the line"}
    found = what.get(at, repr(at))
    hint = ""
    if exc.pos >= len(text) and text and text[-1] not in "\r\n":
        hint = " (the last line has no newline; Ceph needs one)"
    elif exc.expected.startswith("a '[section]'") and line == 1:
        hint = " (keys before the first [section], or blanks before a '[', are refused)"
    return (f"Ceph cannot parse the file: expected {exc.expected}, found {found}{hint}; "
            "ceph-conf and librados refuse the whole file")


def _comment_after(text: str, end: int, starts: list[int]) -> str:
    """The inline comment after a value (for display only)."""
    j = end
    while j < len(text) and text[j] in " \t":
        j += 1
    if j < len(text) and text[j] in "#;":
        k = j
        while k < len(text) and text[k] not in "\r\n":
            k += 1
        return text[j + 1:k].strip()
    return ""


def _spelling_problems(doc: Document, key: str, line: int, col: int) -> None:
    if "-" in key:
        fixed = ceph_key(key).replace("-", "_")
        doc.problems.append(Problem(line, col, "dash-key",
                                    f"Ceph does not read '-' as '_' in ceph.conf keys: "
                                    f"'{key}' is not {fixed!r}; write '{fixed}'"))


# -------------------------------------------------------------------- what a client reads

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


_VAR = "abcdefghijklmnopqrstuvwxyz_"


def expand(value: str, name: str = "client.admin", cluster: str = "ceph",
           lookup: Callable[[str], str | None] | None = None, host: str | None = None) -> str:
    """Ceph's metavariable expansion (md_config_t::_expand_meta): `$var` or `${var}` with var
    made of a-z and '_': type, cluster, name, host, num, id, pid, cctid, home; any other
    name is an option whose value `lookup` gives (None: left as written, as Ceph does)."""
    if "$" not in value:
        return value
    typ, _, ident = name.partition(".")
    out: list[str] = []
    pos, last = value.find("$"), 0
    n = len(value)
    while pos != -1:
        out.append(value[last:pos])
        var, end = "", None
        if pos + 1 < n and value[pos + 1] == "{":
            e = pos + 2
            while e < n and value[e] in _VAR:
                e += 1
            if e < n and value[e] == "}":
                var, end = value[pos + 2:e], e + 1
            else:
                end = e if e < n else None
        else:
            e = pos + 1
            while e < n and value[e] in _VAR:
                e += 1
            var, end = value[pos + 1:e], (e if e < n else None)
        if not var:
            out.append("$")
        elif var == "type":
            out.append(typ)
        elif var == "cluster":
            out.append(cluster)
        elif var == "name":
            out.append(name)
        elif var == "host":
            if host is None:
                import socket  # only for $host

                host = socket.gethostname().split(".")[0]
            out.append(host)
        elif var in ("num", "id"):
            out.append(ident)
        elif var == "pid":
            out.append(os.environ.get("PID", str(os.getpid())))
        elif var == "home":
            out = [os.environ.get("HOME", "")]  # Ceph replaces everything before, too
        else:
            got = lookup(var) if lookup else None
            out.append(got if got is not None else value[pos:end if end is not None else n])
        if end is None:
            last = n
            break
        last = end
        pos = value.find("$", last)
    out.append(value[last:])
    return "".join(out)


__all__ = ["ceph_key", "client_sections", "effective", "expand", "parse_ceph"]
