"""Run by a service venv's python: what the installed keystoneauth1 hands oslo.config.

Prints JSON {"version", "session", "adapter", "adapter_lean", "common", "plugins": {name: [opt]}}
where an opt is {"name": dest, "secret", "deprecated": [names], "type"}. Plugins that fail to
load (optional extras missing) are listed under "unloadable" with the error's class name.
"""

import json
import sys
from importlib.metadata import entry_points, version

from keystoneauth1 import loading


def _opt(o):
    return {
        "name": o.dest,
        "secret": bool(o.secret),
        "deprecated": sorted({d.name for d in o.deprecated_opts if d.name}),
        "type": getattr(o.type, "type_name", getattr(o.type, "__name__", str(o.type))),
    }


def main():
    out = {"version": version("keystoneauth1"), "plugins": {}, "unloadable": {}}
    out["session"] = [_opt(o) for o in loading.get_session_conf_options()]
    out["adapter"] = [_opt(o) for o in loading.get_adapter_conf_options()]
    out["adapter_lean"] = [
        _opt(o) for o in loading.get_adapter_conf_options(include_deprecated=False)
    ]
    out["common"] = [_opt(o) for o in loading.get_auth_common_conf_options()]
    for ep in entry_points(group="keystoneauth1.plugin"):
        if ep.dist is not None and ep.dist.name.lower() != "keystoneauth1":
            continue  # another distribution's plugin (e.g. a client's noauth)
        try:
            opts = loading.get_auth_plugin_conf_options(ep.name)
            out["plugins"][ep.name] = [_opt(o) for o in opts]
        except Exception as exc:  # noqa: BLE001 - report, do not stop
            out["unloadable"][ep.name] = type(exc).__name__
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
