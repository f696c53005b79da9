"""Read Ceph's own option definitions, one release at a time (maintainer tool, no Ceph code run).

Three source formats, in Ceph's history:

    src/common/config_opts.h        OPTION(name, OPT_TYPE, default) macros     dumpling..kraken
    src/common/options.cc           Option("name", TYPE, LEVEL).set_...() chains luminous..pacific
    src/common/options/*.yaml.in    YAML, one list of options per file          quincy..

plus, for pacific, the option table compiled into the installed ceph-mon (its admin socket's
`config help`), which is options.cc as built. Each reader returns {name: facts}; facts use one
vocabulary whatever the format:

    type     str bool int uint size float addr addrvec uuid secs millisecs
    default, daemon_default   typed (int/float/bool/str); a default the build computes is a
             string "<computed: EXPRESSION>"
    min, max, enum, level (basic/advanced/dev), services, flags, validator (bool)

No upstream text (descriptions, code) leaves this module: only these facts.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

# ------------------------------------------------------------------------------ C scanning

_UNITS = {"_K": 1 << 10, "_M": 1 << 20, "_G": 1 << 30, "_T": 1 << 40,
          "_min": 60, "_hr": 3600, "_day": 86400}


def strip_comments(src: str) -> str:
    """C/C++ source without comments (string and char literals kept intact)."""
    out: list[str] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            out.append(" ")
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def balanced(src: str, start: int) -> int:
    """Index just past the bracket that closes the one at `start` ((, { or [)."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack = [pairs[src[start]]]
    i = start + 1
    while stack:
        c = src[i]
        if c in "\"'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c == stack[-1]:
            stack.pop()
        elif c in ")}]":
            raise ValueError(f"unbalanced {c!r} at {i}")
        i += 1
    return i


def split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments of a call's inside."""
    args, depth, cur, i = [], 0, [], 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = i + 1
            while text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "({[<" and not (c == "<" and not re.match(r"[\w:]", text[i - 1:i] or " ")):
            depth += 1
        elif c in ")}]>" and not (c == ">" and depth == 0):
            depth -= 1
        if c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    if "".join(cur).strip():
        args.append("".join(cur).strip())
    return args


def c_string(expr: str) -> str | None:
    """The value of a (possibly concatenated) C string literal, None if not only literals."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', expr)
    rest = re.sub(r'"((?:[^"\\]|\\.)*)"', "", expr).strip()
    if not parts or rest:
        return None
    raw = "".join(parts)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), raw)


_INT_SUFFIX = re.compile(r"(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?)"
                         r"(?![\w.])")
_FLOAT_SUFFIX = re.compile(r"\b(\d+\.\d*|\.\d+|\d+)[fF]\b")


def _c_int(lit: str) -> int:
    if lit[:2].lower() == "0x":
        return int(lit, 16)
    return int(lit, 8) if len(lit) > 1 and lit[0] == "0" else int(lit)  # C: 050 is octal


def c_number(expr: str) -> int | float | None:
    """Value of a constant C/C++ arithmetic expression (literals, unit suffixes such as 4_K,
    + - * / << >> ~ and parentheses); None if anything else is in it."""
    e = expr.strip()
    e = re.sub(r"\b(\d+)(_K|_M|_G|_T|_min|_hr|_day)\b",
               lambda m: f"({m.group(1)}*{_UNITS[m.group(2)]})", e)
    e = re.sub(r"\b(?:static_cast|int64_t|uint64_t|uint32_t|int32_t|size_t|unsigned|int|"
               r"double|float|long)\s*(?:<[^>]*>)?\s*(?=\()", "", e)
    e = re.sub(r"\((?:u?int(?:8|16|32|64)_t|size_t|double|float|unsigned(?: long)*|"
               r"long(?: long)?|int)\)", "", e)
    e = _INT_SUFFIX.sub(lambda m: str(_c_int(m.group(1))), e)
    e = _FLOAT_SUFFIX.sub(lambda m: m.group(1), e)
    e = e.replace("true", "1").replace("false", "0")
    if not e or re.search(r"[A-Za-z_]", e):
        return None
    try:
        tree = ast.parse(e, mode="eval")
    except SyntaxError:
        return None
    ok = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Add, ast.Sub, ast.Mult,
          ast.Div, ast.LShift, ast.RShift, ast.USub, ast.UAdd, ast.Invert, ast.Mod, ast.BitOr)
    if not all(isinstance(n, ok) for n in ast.walk(tree)):
        return None
    try:
        v = eval(compile(tree, "<c>", "eval"), {"__builtins__": {}})  # noqa: S307 (checked AST)
    except (ArithmeticError, ValueError):
        return None
    if isinstance(v, float) and "/" in e and "." not in e:
        v = int(v)  # C integer division
    return v


_KNOWN = {
    # names the numeric evaluator cannot see, with their value on Linux x86_64 builds
    "std::numeric_limits<uint64_t>::max()": 2**64 - 1,
    "std::numeric_limits<int64_t>::max()": 2**63 - 1,
    "std::numeric_limits<uint32_t>::max()": 2**32 - 1,
    "std::numeric_limits<int32_t>::max()": 2**31 - 1,
    "std::numeric_limits<int>::max()": 2**31 - 1,
    "std::numeric_limits<unsigned>::max()": 2**32 - 1,
    "INT_MAX": 2**31 - 1, "UINT_MAX": 2**32 - 1, "LLONG_MAX": 2**63 - 1,
    "CEPH_STR_HASH_RJENKINS": 2,
    "PerfCountersBuilder::PRIO_DEBUGONLY": 0, "PerfCountersBuilder::PRIO_CRITICAL": 10,
    "PerfCountersBuilder::PRIO_USEFUL": 5, "PerfCountersBuilder::PRIO_INTERESTING": 8,
    "PerfCountersBuilder::PRIO_UNINTERESTING": 2,
}
# flags a `config help` dump shows (the binary's own list); FLAG_MGR / FLAG_MINIMAL_CONF are
# internal markers it never prints, so they are left out everywhere to compare like with like
FLAGS = ("runtime", "no_mon_update", "startup", "cluster_create", "create")


PKGLIBDIR = "<pkglibdir>"  # the build's library dir (Debian: /usr/lib/x86_64-linux-gnu/ceph)
# What a Linux x86_64 build (like Debian's) fills in for the build-time names options use;
# install directories stay symbolic (<pkglibdir>, <libdir>, <datadir>).
BUILD = {
    "CEPH_PKGLIBDIR": PKGLIBDIR, "CEPH_INSTALL_FULL_PKGLIBDIR": PKGLIBDIR,
    "CEPH_LIBDIR": "<libdir>", "CMAKE_INSTALL_LIBDIR": "<libdir>",
    "CEPH_DATADIR": "<datadir>", "CEPH_INSTALL_DATADIR": "<datadir>",
    "keyring_paths": "/etc/ceph/$cluster.$name.keyring,/etc/ceph/$cluster.keyring,"
                     "/etc/ceph/keyring,/etc/ceph/keyring.bin",
    "ms_bind_retry_count": "3", "ms_bind_retry_delay": "5",
    "osd_erasure_code_plugins": "jerasure lrc isa",  # isa with the x86_64 SIMD build
    "mgr_disabled_modules": "", "mgr_subinterpreter_modules": "",
    "rgw_luarocks_location": "/tmp/luarocks",
}
# the binary's own spelling of those directories (Debian bookworm, x86_64)
DEBIAN_DIRS = (("/usr/lib/x86_64-linux-gnu/ceph", PKGLIBDIR),
               ("/usr/lib/x86_64-linux-gnu", "<libdir>"), ("/usr/share/ceph", "<datadir>"))


def typed(kind: str, expr: str) -> Any:
    """A C++ default/min/max expression as a typed value of an option `kind`."""
    # platform branches inside an expression: keep what a Linux build compiles
    e = re.sub(r"#\s*if\s+defined\(__FreeBSD\)?.*?#\s*endif", " ", expr, flags=re.S)
    e = re.sub(r"(?m)^\s*#\s*(if|ifdef|endif|else)\b.*$", " ", e)  # others: the x86_64 branch
    e = re.sub(r"\b(CEPH_PKGLIBDIR|CEPH_LIBDIR|CEPH_DATADIR)\b",
               lambda m: f'"{BUILD[m.group(1)]}"', e).strip()
    while e.startswith("(") and e.endswith(")") and balanced(e, 0) == len(e):
        e = e[1:-1].strip()
    if kind == "bool":
        if e in ("true", "1"):
            return True
        if e in ("false", "0"):
            return False
    s = c_string(e)
    if s is not None:
        if kind in ("int", "uint", "size", "secs", "millisecs", "float"):
            n = c_number(s)
            return n if n is not None else s
        return s
    for name, value in _KNOWN.items():
        if name in e and value is not None:
            e = e.replace(name, str(value))
    n = c_number(e)
    if n is not None:
        if kind == "float":
            return float(n)
        if kind == "bool":
            return bool(n)
        return int(n) if isinstance(n, float) and n.is_integer() else n
    if e in ("uuid_d()", "entity_addr_t()", "entity_addrvec_t()", ""):
        return ""
    return f"<computed: {' '.join(e.split())}>"


# ------------------------------------------------------------------------ config_opts.h

_OPT_TYPES = {"INT": "int", "LONGLONG": "int", "STR": "str", "DOUBLE": "float", "FLOAT": "float",
              "BOOL": "bool", "ADDR": "addr", "U32": "uint", "U64": "uint", "UUID": "uuid",
              "ADDRVEC": "addrvec"}


def read_config_opts(text: str, defines: str = "") -> dict[str, dict[str, Any]]:
    """OPTION(name, OPT_TYPE, default) and SUBSYS(name, log, gather) (debug_NAME) entries;
    `defines` is header text whose simple #define constants defaults may use (config.h)."""
    src = strip_comments(text)
    consts = dict(re.findall(r"(?m)^\s*#\s*define\s+([A-Z_][A-Z0-9_]*)\s+([^\s].*?)\s*$",
                             strip_comments(defines)))
    out: dict[str, dict[str, Any]] = {}
    for m in re.finditer(r"(?m)^\s*(OPTION|SAFE_OPTION|SUBSYS|DEFAULT_SUBSYS)\s*\(", src):
        end = balanced(src, m.end() - 1)
        args = split_args(src[m.end():end - 1])
        if m.group(1) in ("OPTION", "SAFE_OPTION"):
            name, kind = args[0], _OPT_TYPES[args[1].removeprefix("OPT_")]
            expr = ",".join(args[2:])
            expr = re.sub(r"\b[A-Z_][A-Z0-9_]*\b", lambda m: consts.get(m.group(0), m.group(0)),
                          expr)
            out[name] = normalize({"type": kind, "default": typed(kind, expr)})
        else:
            sub = "none" if m.group(1) == "DEFAULT_SUBSYS" else args[0]
            log, gather = args[-2:]
            out[f"debug_{sub}"] = {"type": "str", "default": f"{log}/{gather}"}
    # a trailing comment that calls the option deprecated (config_opts.h has no descriptions)
    for name in re.findall(r"(?mi)^\s*(?:SAFE_)?OPTION\((\w+),[^\n]*//[^\n]*\bdeprecated\b", text):
        if name in out:
            out[name]["deprecated"] = True
    return out


def read_subsys(text: str) -> dict[str, dict[str, Any]]:
    """subsys.h (luminous on): debug_NAME options, string 'log/gather'."""
    out: dict[str, dict[str, Any]] = {}
    for m in re.finditer(r"(?m)^\s*(SUBSYS|DEFAULT_SUBSYS)\s*\(([^)]*)\)", strip_comments(text)):
        args = [a.strip() for a in m.group(2).split(",")]
        sub = "none" if m.group(1) == "DEFAULT_SUBSYS" else args[0]
        out[f"debug_{sub}"] = {"type": "str", "default": f"{args[-2]}/{args[-1]}",
                               "level": "advanced"}
    return out


# ----------------------------------------------------------------------------- options.cc

def read_options_cc(text: str) -> dict[str, dict[str, Any]]:
    """Option("name", Option::TYPE_X, Option::LEVEL_Y) followed by chained setters."""
    src = strip_comments(text)
    out: dict[str, dict[str, Any]] = {}
    # build_options() adds a service to every option of some groups:
    #   ingest(get_rbd_options(), "rbd");
    ingest = dict(re.findall(r"ingest\(\s*(get_\w+_options)\(\)\s*,\s*\"([^\"]+)\"", src))
    groups: list[tuple[int, int, str]] = []
    for fn, svc in ingest.items():
        fm = re.search(rf"std::vector<Option>\s+{fn}\s*\(\s*\)\s*{{", src)
        if fm:
            groups.append((fm.end() - 1, balanced(src, fm.end() - 1), svc))
    for m in re.finditer(r"\bOption\s*\(\s*\"([^\"]+)\"\s*,\s*Option::TYPE_(\w+)\s*,\s*"
                         r"Option::LEVEL_(\w+)\s*\)", src):
        name, kind, level = m.group(1), m.group(2).lower(), m.group(3).lower()
        opt: dict[str, Any] = {"type": kind, "level": level}
        i = m.end()
        while True:
            mm = re.compile(r"\s*\.\s*(\w+)\s*\(").match(src, i)
            if not mm:
                break
            end = balanced(src, mm.end() - 1)
            _setter(opt, mm.group(1), src[mm.end():end - 1])
            i = end
        for lo, hi, svc in groups:
            if lo < m.start() < hi and svc not in opt.get("services", []):
                opt["services"] = [*opt.get("services", []), svc]
        out[name] = normalize(opt)
    return out


def normalize(opt: dict[str, Any]) -> dict[str, Any]:
    """One spelling of the facts whatever the format: no 'common' service (it means all),
    only the flags Ceph reports, no empty lists."""
    services = list(dict.fromkeys(s for s in opt.get("services", []) if s != "common"))
    if services:
        opt["services"] = services
    else:
        opt.pop("services", None)
    flags = sorted(f for f in opt.get("flags", []) if f in FLAGS)
    if flags:
        opt["flags"] = flags
    else:
        opt.pop("flags", None)
    if not opt.get("enum"):
        opt.pop("enum", None)
    if "default" not in opt:  # Option() starts from the type's empty value
        opt["default"] = {"bool": False, "float": 0.0}.get(
            opt["type"], 0 if opt["type"] in ("int", "uint", "size", "secs", "millisecs") else "")
    return opt


def _strings(text: str) -> list[str]:
    return [c_string(f'"{s}"') or "" for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]


def _setter(opt: dict[str, Any], method: str, inner: str) -> None:
    kind = opt["type"]
    if method == "set_default":
        opt["default"] = typed(kind, inner)
    elif method == "set_daemon_default":
        opt["daemon_default"] = typed(kind, inner)
    elif method == "set_min_max":
        lo, hi = split_args(inner)
        opt["min"], opt["max"] = typed(kind, lo), typed(kind, hi)
    elif method == "set_min":
        opt["min"] = typed(kind, inner)
    elif method == "set_max":
        opt["max"] = typed(kind, inner)
    elif method == "set_enum_allowed":
        opt["enum"] = _strings(inner)
    elif method in ("set_flag", "set_flags"):
        flags = re.findall(r"FLAG_(\w+)", inner)
        opt["flags"] = sorted({*opt.get("flags", []), *(f.lower() for f in flags)})
    elif method == "set_description":
        if re.search(r"\bdeprecated\b", " ".join(_strings(inner)), re.I):
            opt["deprecated"] = True  # the fact that Ceph calls it deprecated, not its words
    elif method == "add_service":
        opt["services"] = [*opt.get("services", []), *_strings(inner)]
    # descriptions, tags and see_also are prose or cross references: not carried over


# -------------------------------------------------------------------------------- YAML

def read_yaml_in(text: str) -> dict[str, dict[str, Any]]:
    """One options/*.yaml.in file. `@VAR@` placeholders (filled in by the build) are kept
    as '<computed: @VAR@>' so a default the build decides is never taken for a literal."""
    import yaml  # maintainer-only dependency

    text = re.sub(r"@([A-Za-z_]+)@", lambda m: BUILD.get(m.group(1), f"<build:{m.group(1)}>"),
                  text)
    data = yaml.safe_load(text)
    out: dict[str, dict[str, Any]] = {}
    for o in data.get("options", []):
        kind = o["type"]
        opt: dict[str, Any] = {"type": kind, "level": o.get("level", "advanced")}
        for src, dst in (("default", "default"), ("daemon_default", "daemon_default"),
                         ("min", "min"), ("max", "max")):
            if src in o and o[src] is not None:
                opt[dst] = _yaml_value(kind, o[src])
        if o.get("enum_values"):
            opt["enum"] = [str(v) for v in o["enum_values"]]
        if re.search(r"\bdeprecated\b", str(o.get("desc") or ""), re.I):
            opt["deprecated"] = True
        if o.get("flags"):
            opt["flags"] = sorted(str(f) for f in o["flags"])
        if o.get("services"):
            opt["services"] = [str(s) for s in o["services"]]
        out[o["name"]] = normalize(opt)
    return out


def _yaml_value(kind: str, v: Any) -> Any:
    if isinstance(v, str) and "<build:" in v:
        return "<computed: " + re.sub(r"<build:(\w+)>", r"@\1@", v) + ">"
    if kind == "bool":
        return v if isinstance(v, bool) else str(v).strip().lower() in ("true", "1", "yes")
    if kind == "str":
        return "" if v is None else str(v)
    if kind == "float" and isinstance(v, int | float):
        return float(v)
    if kind in ("int", "uint", "size", "secs", "millisecs", "float"):
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, int | float):
            return int(v) if float(v).is_integer() else v
        n = c_number(str(v))
        if n is None:
            return str(v)
        return float(n) if kind == "float" else (int(n) if float(n).is_integer() else n)
    return str(v) if not isinstance(v, str) else v


# ------------------------------------------------------------- compiled table (pacific)

def read_config_help(text: str) -> dict[str, dict[str, Any]]:
    """`ceph daemon mon.X config help --format json`: the option table as the binary has it
    (options.cc after the build filled in every computed value)."""
    out: dict[str, dict[str, Any]] = {}
    for o in json.loads(text)["options"]:
        kind = o["type"]
        opt: dict[str, Any] = {"type": kind, "level": o["level"]}
        for f in ("default", "daemon_default", "min", "max"):
            v = o.get(f, "")
            if v == "" and f != "default":
                continue
            opt[f] = _help_value(kind, v)
        if o.get("enum_values"):
            opt["enum"] = list(o["enum_values"])
        if re.search(r"\bdeprecated\b", o.get("desc") or "", re.I):
            opt["deprecated"] = True
        flags = sorted(f for f in o.get("flags", []))
        if flags:
            opt["flags"] = flags
        opt["services"] = list(o.get("services", []))
        out[o["name"]] = normalize(opt)
    return out


def _help_value(kind: str, v: Any) -> Any:
    if kind == "bool":
        return v in (True, "true", 1)
    if kind in ("int", "uint", "size", "secs", "millisecs"):
        try:
            n = int(v)
        except (TypeError, ValueError):
            return v
        # the dump prints a negative bound of an unsigned option as its 64-bit wrap-around
        return n - 2**64 if n >= 2**63 else n
    if kind == "float":
        return float(v)
    if kind == "addr" and v == "-":
        return ""
    if isinstance(v, str):
        for path, token in DEBIAN_DIRS:
            v = v.replace(path, token)
    if kind == "uuid" and v == "00000000-0000-0000-0000-000000000000":
        return ""
    return v


# -------------------------------------------------------------------------- a release

def read_release(root: Path, fmt: str) -> dict[str, dict[str, Any]]:
    """Every option of one release whose sources are under `root` (a copy of the tree)."""
    common = root / "src" / "common"
    if fmt == "config_opts.h":
        config_h = common / "config.h"
        return read_config_opts((common / "config_opts.h").read_text("utf-8", "replace"),
                                config_h.read_text("utf-8", "replace") if config_h.exists() else "")
    if fmt == "options.cc":
        opts = read_subsys((common / "subsys.h").read_text("utf-8", "replace"))
        opts.update(read_options_cc((common / "options.cc").read_text("utf-8", "replace")))
        return opts
    if fmt == "yaml.in":
        opts = read_subsys((common / "subsys.h").read_text("utf-8", "replace")) \
            if (common / "subsys.h").exists() else {}
        for f in sorted((common / "options").glob("*.yaml.in")):
            opts.update(read_yaml_in(f.read_text("utf-8")))
        return opts
    if fmt == "config-help":
        opts = read_config_help((root / "config-help.json").read_text("utf-8"))
        # the debug_SUBSYS options are built from subsys.h beside the table: the binary's
        # `ceph-conf -D` lists them with their defaults
        dump = json.loads((root / "ceph-conf-D.json").read_text("utf-8"))
        for name, value in dump.items():
            if name.startswith("debug_") and name not in opts:
                opts[name] = {"type": "str", "default": value, "level": "advanced"}
        return dict(sorted(opts.items()))
    raise ValueError(f"unknown source format {fmt!r}")
