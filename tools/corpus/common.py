"""Shared by the corpus builders (tools/corpus/build_*.py): mirrors, git reads, and the one
way every tree is written (only section headers and `option = value` lines, a header naming
tool, source file and ref, secrets replaced by placeholders).

Maintainer tools: they read the upstream mirrors (`fetch` puts them under /work/.mirror) and
write tests/realfiles/. Tests never import this module.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tarfile
from pathlib import Path

MIRRORS = Path(os.environ.get("CONFGEN_MIRRORS", "/work/.mirror"))
ROOT = Path(__file__).resolve().parents[2]
REALFILES = ROOT / "tests" / "realfiles"


def mirror(repo: str) -> Path:
    """Git dir of openstack/<repo> (as `fetch` lays it out)."""
    owner, _, name = repo.partition("/") if "/" in repo else ("openstack", "", repo)
    path = MIRRORS / f"{owner}+{name}" / "repo"
    if not path.exists():
        raise SystemExit(f"mirror missing: {path} (fetch github:{owner}/{name} first)")
    return path


def git(repo: str, *args: str, binary: bool = False):
    out = subprocess.run(["git", "-C", str(mirror(repo)), *args], capture_output=True,
                         check=True)
    return out.stdout if binary else out.stdout.decode("utf-8", "replace")


def show(repo: str, ref: str, path: str) -> str:
    return git(repo, "show", f"{ref}:{path}")


def exists(repo: str, ref: str, path: str) -> bool:
    r = subprocess.run(["git", "-C", str(mirror(repo)), "cat-file", "-e", f"{ref}:{path}"],
                       capture_output=True)
    return r.returncode == 0


def commit_of(repo: str, ref: str) -> str:
    return git(repo, "rev-parse", f"{ref}^{{commit}}").strip()


def commit_date(repo: str, ref: str) -> str:
    return git(repo, "log", "-1", "--format=%cI", ref).strip()


def commit_before(repo: str, branch: str, date: str) -> str:
    """Last commit of `branch` at or before `date` (ISO)."""
    return git(repo, "rev-list", "-1", f"--before={date}", branch).strip()


def extract(repo: str, ref: str, dest: Path, subdir: str | None = None) -> None:
    """Unpack the tree at `ref` (or one sub-directory of it) into dest (a scratch dir)."""
    args = ["archive", "--format=tar", ref] + ([subdir] if subdir else [])
    data = git(repo, *args, binary=True)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        tf.extractall(dest, filter="data")


# ---- writing a tree -------------------------------------------------------------------------

# values that look like credentials are replaced; CI's own obvious passwords are kept as they are
# (secretdatabase, secretservice, ...): they are what the tools write and are plainly fake
_CEPH_KEY = re.compile(r"AQ[A-Za-z0-9+/]{30,}={0,2}")
PLACEHOLDER_CEPH_KEY = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="


# options whose value is a key even where a tool writes a published constant
_KEY_OPTIONS = re.compile(r"^(\s*(?:fixed_key|metadata_proxy_shared_secret|memcache_secret_key|"
                          r"secret_key|encryption_key)\s*[=:]\s*)(\S.*)$")


def scrub(line: str) -> str:
    line = _CEPH_KEY.sub(PLACEHOLDER_CEPH_KEY, line)
    m = _KEY_OPTIONS.match(line)
    if m and not m.group(2).startswith("PLACEHOLDER"):
        v = m.group(2)
        line = m.group(1) + ("0" * len(v) if re.fullmatch(r"[0-9a-fA-F]+", v)
                             else "PLACEHOLDER_SECRET")
    return line


_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")


def config_lines(text: str, style: str = "oslo") -> list[str]:
    """Only what a service reads: section headers and option lines (continuation lines kept);
    comments and blank lines dropped (the comments of sample files are upstream help text)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        s = line.strip()
        if not s or s.startswith("#") or s.startswith(";"):
            continue
        if _SECTION.match(line):
            if out:
                out.append("")
            out.append(s)
            continue
        out.append(scrub(line))
    # drop sections left empty
    cleaned: list[str] = []
    for i, line in enumerate(out):
        if _SECTION.match(line):
            nxt = next((x for x in out[i + 1:] if x), None)
            if nxt is None or _SECTION.match(nxt):
                continue
        cleaned.append(line)
    while cleaned and cleaned[0] == "":
        cleaned.pop(0)
    text = "\n".join(cleaned)
    return re.sub(r"\n{3,}", "\n\n", text).split("\n") if text else []


def write_config(dest: Path, header: list[str], text: str, style: str = "oslo") -> int:
    """Write one corpus file; returns the number of option lines."""
    lines = config_lines(text, style)
    dest.parent.mkdir(parents=True, exist_ok=True)
    head = [f"# {h}" if h else "#" for h in header]
    dest.write_text("\n".join(head + [""] + lines) + "\n")
    return sum(1 for x in lines if x and not _SECTION.match(x))


def write_keyring(dest: Path, header: list[str], entity: str) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    head = [f"# {h}" for h in header]
    dest.write_text("\n".join(head + [f"[{entity}]", f"\tkey = {PLACEHOLDER_CEPH_KEY}"]) + "\n")


def run_builder(doc: str, releases: list, build, keep_option: bool = False) -> None:
    """The command line every builder shares: `build_X.py [RELEASE ...] [--keep]` builds the
    named releases (all by default) and prints what each wrote."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("releases", nargs="*")
    if keep_option:
        ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    by_name = {r.name: r for r in releases}
    unknown = [n for n in args.releases if n not in by_name]
    if unknown:
        ap.error(f"unknown release(s) {', '.join(unknown)}; known: {', '.join(by_name)}")
    for rel in [by_name[n] for n in args.releases] if args.releases else releases:
        print(rel.name, build(rel, args.keep) if keep_option else build(rel))
