"""oslo.config-style INI, read the way oslo_config.iniparser.BaseParser reads it.

What the service does (and so what we model):
- a line starting with whitespace continues the previous value (even if it looks like a
  comment); a blank line ends a value; a continuation with no open value is an error;
- `#` and `;` start a comment only at the beginning of a line (no inline comments: the
  rest of the line belongs to the value);
- the key ends at the first `=` or `:`, whichever comes first; a value wrapped in matching
  quotes loses them; keys may repeat (the last one wins for single-valued options);
- an assignment before any section header is an error, as are `[foo` and `[]`.
oslo stops at the first error; we record it and keep going so the user sees everything.
"""

from __future__ import annotations

from confgen.lazyre import lazy
from confgen.parse.document import Document, Entry, Problem, SectionHeader

_INLINE_COMMENT = lazy(r"\s[#;]")
# assignment line text -> (key, value, value column, problems without their line number)
_ASSIGNMENTS: dict[str, tuple] = {}
# (section, line number, line text) -> its one-line entry
_ENTRIES: dict[tuple, Entry] = {}
_KEPT = 4096  # lines remembered (host-specific lines fill it: then it starts over)


def split_lines(text: str) -> list[str]:
    """Lines as Python's universal-newline reading (used by oslo) produces them."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_oslo(text: str, path: str = "<string>") -> Document:
    doc = Document(path=path, style="oslo", lines=split_lines(text))
    lines, entries, problems = doc.lines, doc.entries, doc.problems
    section: str | None = None
    # the assignment whose value may still continue: [section, key, values, line, end, vcol]
    pending: list | None = None

    def flush() -> None:
        nonlocal pending
        sec, key, values, first, end, vcol = pending  # type: ignore[misc]
        pending = None
        if sec is None:
            problems.append(
                Problem(first, 1, "outside-section",
                        f"'{key}' comes before any [section]; oslo.config refuses "
                        "to load the file (Section must be started before assignment)", True)
            )
        if end == first:
            # a one-line entry is a function of its section, line number and text: the same
            # line at the same place in another host's file is the same (frozen) entry
            raw = lines[first - 1]
            shared = (sec, first, raw)
            e = seen.get(shared)
            if e is None:
                e = Entry(sec, key, values[0], first, 1, end, raw, vcol)
                if len(seen) < _KEPT:
                    seen[shared] = e
            entries.append(e)
            return
        raw = "\n".join(lines[first - 1:end])
        entries.append(Entry(sec, key, values[0] if len(values) == 1 else "\n".join(values),
                             first, 1, end, raw, vcol))

    def fatal(lineno: int, col: int, msg: str) -> None:
        problems.append(Problem(lineno, col, "parse-error", msg, True))

    known, seen = _ASSIGNMENTS, _ENTRIES
    if len(known) >= _KEPT:  # bounded: a stream of files of made-up lines starts over
        known.clear()
    if len(seen) >= _KEPT:
        seen.clear()
    for lineno, raw in enumerate(lines, start=1):
        hit = known.get(raw)
        if hit is not None:  # an assignment line seen before (a fleet's hosts share most)
            if pending is not None:
                flush()
            key, value, vcol, found = hit
            for col, code, msg, pkey, pvalues in found:
                problems.append(Problem(lineno, col, code, msg, key=pkey, values=pvalues))
            pending = [section, key, [value], lineno, lineno, vcol]
            continue
        line = raw.rstrip()
        if not line:
            if pending is not None:
                flush()
            continue
        first_char = line[0]
        if first_char == " " or first_char == "\t":
            if pending is None:
                fatal(lineno, 1, "indented line continues nothing (oslo: Unexpected "
                      "continuation line); remove the leading whitespace")
            else:
                pending[2].append(line.lstrip())
                pending[4] = lineno
            continue
        if pending is not None:
            flush()
        if first_char == "[":
            if not line.endswith("]"):
                fatal(lineno, 1, "section header does not end with ']' (oslo refuses the file)")
            elif len(line) <= 2:
                fatal(lineno, 1, "empty section name '[]' (oslo refuses the file)")
            else:
                section = line[1:-1]
                doc.headers.append(SectionHeader(section, lineno))
            continue
        if first_char == "#" or first_char == ";":
            continue
        colon, equal = line.find(":"), line.find("=")
        if colon < 0 and equal < 0:
            fatal(lineno, 1, "line is neither a section, a comment nor 'key = value' "
                  "(oslo: No ':' or '=' found in assignment)")
            continue
        cut = equal if colon < 0 or (0 <= equal < colon) else colon
        key, rest = line[:cut].strip(), line[cut + 1:]
        value = rest.strip()
        vcol = cut + 2 + (len(rest) - len(rest.lstrip())) if value else 0
        if value and value[0] == value[-1] and value.startswith(('"', "'")):
            value = value[1:-1]
        if not key:
            fatal(lineno, 1, "empty key before '=' (oslo: Key cannot be empty)")
            continue
        found: list[tuple[int, str, str, str, tuple[tuple[str, str], ...]]] = []
        if cut == colon and equal >= 0:
            found.append((cut + 1, "colon-separator",
                          f"':' separates key {key!r} from its value here, so the '=' is part "
                          "of the value; write 'key = value'", "", ()))
        m = _INLINE_COMMENT.search(rest) if ("#" in rest or ";" in rest) else None
        if m:
            found.append((cut + 2 + m.start() + 1, "inline-comment",
                          "oslo.config has no inline comments: {comment!r} is part of the value "
                          f"of {key!r}; move the comment to its own line", key,
                          (("comment", rest[m.start() + 1:].strip()),)))
        for col, code, msg, pkey, pvalues in found:
            problems.append(Problem(lineno, col, code, msg, key=pkey, values=pvalues))
        # everything above is a function of the line's text alone: remembered for the next
        # file that has the same line (only the line number differs)
        if len(known) < _KEPT:
            known[raw] = (key, value, vcol, tuple(found))
        pending = [section, key, [value], lineno, lineno, vcol]
    if pending is not None:
        flush()
    return doc
