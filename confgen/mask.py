"""The one place that decides how a value from the user's files may appear in any output.

- A value is *secret* when its option is (the release matrix marks it `secret` in some era,
  or its name says so: password, token, key, ...), or when the value itself looks like a
  credential (a cephx key, a long key-like token). Secret values are shown as `***`.
- A URL keeps its shape but not its password: `rabbit://nova:***@host//`.
- Findings and fix descriptions carry raw values only in fields filled by `fill()`; rules and
  fixers never format a value into their text themselves.
- Everything confgen writes to stdout and stderr goes through `scrub()` as well (installed by
  the CLI): cephx keys, URL passwords and any secret `fill()` masked elsewhere in the run are
  masked wherever they would appear (diffs, error messages, fleet summaries).

Also here: `printable()`, for names (paths, keys) that may hold control characters.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from confgen.lazyre import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs start-up time; annotations are strings here
    from typing import Any

MASK = "***"

# the last word of an option name that holds a credential (words split at '_', '-', '.', ' ')
_SECRET_WORDS = {"password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "key",
                 "credential", "credentials", "apikey", "psk"}
_ANYWHERE = {"password", "passwd", "passphrase"}
# names that end in a secret word but hold none (a boolean, a sort field)
_NOT_SECRET = {"inject_key", "sort_key", "default_sort_key", "routing_key"}
_WORD_SPLIT = lazy(r"[_\-. ]+")

CEPHX_KEY = lazy(r"AQ[A-Za-z0-9+/]{20,}={0,2}")
_KEY_LIKE = lazy(r"^[A-Za-z0-9+/_=-]{32,}$")
_UUID = lazy(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# scheme://user:password@ (the password runs to the last '@' of the authority part) and the
# further user:password@ of a multi-host URL (rabbit://a:p@h1,a:p@h2/)
_HOST_AFTER = r"@(?=[^@/\s,'\"]*(?:[,/\s'\"]|$))"
_URL_CRED = lazy(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s,'\"]*:)(?P<pw>[^/\s'\"]*?)"
                 + _HOST_AFTER)
_MORE_CRED = lazy(r"(?P<head>,[^:/@\s,'\"]*:)(?P<pw>[^/\s'\"]*?)" + _HOST_AFTER)
_QUERY_CRED = lazy(r"(?i)(?P<head>[?&;](?:password|passwd|pwd|secret|token|key)=)"
                   r"(?P<pw>[^&\s'\"]+)")

_REMEMBER_MIN = 8  # shorter secrets are masked where they are known, not searched for
_REMEMBER_MAX = 10000
_known: set[str] = set()
_known_re: re.Pattern[str] | None = None


@lru_cache(maxsize=4096)
def secret_name(name: str, file_type: str | None = None) -> bool:
    """Does option `name` hold a credential? (its name says so, or the matrix of `file_type`
    marks an option of that name secret in some release)"""
    n = "_".join(name.strip().lower().split())
    if n in _NOT_SECRET:
        return False
    words = [w for w in _WORD_SPLIT.split(n) if w]
    if words and (words[-1] in _SECRET_WORDS or _ANYWHERE.intersection(words)):
        return True
    return bool(file_type) and n in matrix_secrets(file_type)


@cache
def matrix_secrets(file_type: str) -> frozenset[str]:
    """Names (current and old spellings) the release matrix marks secret in some era: from
    the compact form (a few hundred names; reading a whole matrix would cost lint up to a
    second), else from the matrix itself."""
    from confgen.compiled.secrets import SECRETS

    if file_type in SECRETS:
        return SECRETS[file_type]
    from confgen.matrix import load

    try:
        return secret_names(load(file_type))
    except (KeyError, FileNotFoundError):
        return frozenset()


def secret_names(m: Any) -> frozenset[str]:
    """Names (current and old spellings, lower case) a FileMatrix marks secret in some era."""
    out: set[str] = set()
    for opt in m.options.values():
        for era in opt.eras:
            if era.secret:
                out.add(era.name.lower())
                out.update(a.name.lower() for a in era.aliases)
    return frozenset(out)


def looks_secret(value: str) -> bool:
    """A value that is a credential whatever its option: a cephx key, a long key-like token."""
    v = value.strip()
    if CEPHX_KEY.fullmatch(v):
        return True
    # base64/hex-like, with digits and both cases (not a path, a name or a UUID)
    return (bool(_KEY_LIKE.match(v)) and not v.startswith("/") and "//" not in v
            and not _UUID.match(v) and any(c.isdigit() for c in v)
            and any(c.isupper() for c in v) and any(c.islower() for c in v))


def value(raw: Any, secret: bool = False) -> str:
    """How a value from a file may be shown: `***` when secret, URL passwords masked."""
    text = "" if raw is None else str(raw)
    if not text:
        return text
    if secret or looks_secret(text):
        remember(text)
        return MASK
    return _scrub_patterns(text)


def fill(template: str, values: Iterable[tuple[str, Any]] | Mapping[str, Any],
         secret: bool = False) -> str:
    """`template` with `{name}` / `{name!r}` replaced by the masked `values` (fields not in
    `values` are left as they are, so braces in file names or keys are harmless)."""
    vals = dict(values.items() if isinstance(values, Mapping) else values)
    if not vals:
        return template

    def sub(m: re.Match[str]) -> str:
        name, conv = m.group(1), m.group(2)
        if name not in vals:
            return m.group(0)
        shown = value(vals[name], secret)
        return repr(shown) if conv else shown

    return _FIELD.sub(sub, template)


_FIELD = lazy(r"\{(\w+)(!r)?\}")


@lru_cache(maxsize=256)  # a fleet's findings differ host by host: a small cache stays flat
def filled(template: str, values: tuple[tuple[str, Any], ...], secret: bool = False) -> str:
    """fill() for hashable values, cached: many findings share one text and values."""
    return fill(template, values, secret)


def remember(secret: str) -> None:
    """A secret masked somewhere is masked everywhere else in this run's output too."""
    global _known_re
    s = secret.strip()
    if len(s) < _REMEMBER_MIN or s in _known or len(_known) >= _REMEMBER_MAX:
        return
    _known.add(s)
    _known_re = None


def forget() -> None:
    """Start a run with nothing remembered (the CLI calls it per command)."""
    global _known_re
    _known.clear()
    _known_re = None
    filled.cache_clear()  # its secrets are remembered again when filled again


def unmasked(stream: Any) -> Any:
    """The stream under a ScrubbedStream: for the one output that is the user's own content
    on purpose (`confgen render` printing the files it renders)."""
    return getattr(stream, "wrapped", stream)


def _scrub_patterns(text: str) -> str:
    if "://" in text:
        text = _URL_CRED.sub(lambda m: m.group("head") + MASK + "@", text)
        text = _MORE_CRED.sub(lambda m: m.group("head") + MASK + "@", text)
    if "AQ" in text:
        text = CEPHX_KEY.sub(MASK, text)
    if "=" in text:
        text = _QUERY_CRED.sub(lambda m: m.group("head") + MASK, text)
    return text


def scrub(text: str) -> str:
    """Free text (a report, a diff, an error message) with every credential masked."""
    global _known_re
    text = _scrub_patterns(text)
    if _known:
        if _known_re is None:
            alts = sorted(_known, key=len, reverse=True)
            _known_re = re.compile("|".join(re.escape(s) for s in alts))
        text = _known_re.sub(MASK, text)
    return text


def printable(text: str) -> str:
    """A name (path, key, section) as it may appear in one line of output: unchanged when
    printable, else escaped like a Python string (a newline must not start a new line)."""
    return text if text.isprintable() else repr(text)[1:-1]


_CHUNK = 1 << 20


class ScrubbedStream(io.TextIOBase):
    """stdout/stderr as confgen writes them: every write masked by `scrub()`."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, s: str) -> int:
        if not isinstance(s, str):  # a text stream, as click expects (bytes go to .buffer)
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        # a big report goes out in pieces cut at line ends (no credential spans a line): never
        # a second and third copy of all of it (scrubbed, then encoded) at once
        start, n = 0, len(s)
        while start < n:
            end = n if n - start <= _CHUNK else s.find("\n", start + _CHUNK) + 1 or n
            self._stream.write(scrub(s[start:end]))
            start = end
        return n

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)

    @property
    def wrapped(self) -> Any:
        return self._stream

    @property
    def buffer(self) -> _ScrubbedBuffer:
        return _ScrubbedBuffer(self)


class _ScrubbedBuffer:
    """The binary side of a ScrubbedStream (click.echo(b"...") writes here)."""

    def __init__(self, text: ScrubbedStream):
        self._text = text

    def write(self, data: bytes) -> int:
        shown = scrub(bytes(data).decode("utf-8", "surrogateescape"))
        self._text.flush()
        raw = getattr(self._text.wrapped, "buffer", None)
        if raw is not None:
            raw.write(shown.encode("utf-8", "surrogateescape"))
        else:
            self._text.wrapped.write(shown)
        return len(data)

    def flush(self) -> None:
        self._text.flush()
        raw = getattr(self._text.wrapped, "buffer", None)
        if raw is not None:
            raw.flush()
