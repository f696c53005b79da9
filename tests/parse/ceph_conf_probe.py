"""Read ceph.conf files with librados, as a client does. Runs under /usr/bin/python3 (Debian's
python3-rados is built for it), one file per line on stdin:

    /usr/bin/python3 ceph_conf_probe.py NAME KEY [KEY...]  < paths

For each path it prints one JSON line: {"values": {KEY: value}} or {"error": "..."} when
librados refuses the file. A file that makes librados abort kills this process: the caller
sees the exit status and starts a new one for the next file.
"""

from __future__ import annotations

import json
import sys

import rados


def main() -> None:
    name, keys = sys.argv[1], sys.argv[2:]
    for line in sys.stdin:
        path = line.rstrip("\n")
        try:
            r = rados.Rados(conffile=path, name=name)
        except rados.Error as exc:
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
            continue
        print(json.dumps({"values": {k: r.conf_get(k) for k in keys}}), flush=True)
        r.shutdown()


if __name__ == "__main__":
    main()
