"""Text from the user made safe for the language of the file it lands in, and the loader that
reads templates through confgen's one input reader.

Values are validated when the intent is read (no line breaks or control characters, names
from a safe alphabet); these filters are the second line: whatever reaches a template still
cannot start a new line, close a comment or become another shell word.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from confgen.errors import ConfgenError
from confgen.mask import printable
from confgen.parse.reader import ReadError, read_text

MAX_TEMPLATE_BYTES = 1024 * 1024


def comment(text: Any) -> str:
    """One line of an INI or shell comment: line breaks and control characters escaped."""
    return printable(str(text))


def xml_comment(text: Any) -> Markup:
    """Text inside <!-- -->: one line, never `--` (XML forbids it in a comment) and never a
    final `-`. Comments are not entity-decoded, so the result is marked safe as it is."""
    out = re.sub(r"-(?=-)", "- ", comment(text))
    return Markup(out + " " if out.endswith("-") else out)


def sh(word: Any) -> str:
    """One shell word (quoted only when it needs to be)."""
    return shlex.quote(str(word))


def sh_in_xml_comment(word: Any) -> Markup:
    """A shell word shown in an XML comment: `a--b` is written `a-''-b`, which the shell reads
    as the same word and XML accepts in a comment."""
    return Markup(re.sub(r"-(?=-)", "-''", sh(comment(word))))


class TemplateLoader(jinja2.BaseLoader):
    """Templates from the first directory that has them, read like every other input."""

    def __init__(self, dirs: list[Path]):
        self.dirs = [Path(d) for d in dirs]

    def get_source(self, environment: jinja2.Environment, template: str):
        parts = jinja2.loaders.split_template_path(template)  # refuses '..'
        for d in self.dirs:
            path = d.joinpath(*parts)
            if not os.path.lexists(path):
                continue
            try:
                text = read_text(path, limit=MAX_TEMPLATE_BYTES, what="template")
            except ReadError as exc:
                raise ConfgenError(exc.describe()) from None
            return text, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)
