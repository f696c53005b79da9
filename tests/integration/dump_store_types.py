"""Run by a glance venv's python: what the installed glance_store registers in multi-store
sections. argv[1] is a JSON list of store types; one section per type is enabled, plus
glance's two reserved stores; options are registered and each store object is built as
glance-api's create_multi_stores does. Prints JSON
{"version", "types": {type: [names]}, "reserved": {store: [names]}, "glance",
"glance_reserved": {store: type} (glance's RESERVED_STORES), "errors": {...}}."""

import json
import sys
import warnings

warnings.simplefilter("ignore")


def main():
    from importlib.metadata import version

    import glance_store
    from glance_store import multi_backend
    from oslo_config import cfg

    types = json.loads(sys.argv[1])
    reserved = {"os_glance_staging_store": "file", "os_glance_tasks_store": "file"}
    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.DictOpt("enabled_backends"))
    conf([], project="glance", default_config_files=[])
    backends = {f"probe_{t}": t for t in types}
    conf.set_override("enabled_backends", backends)
    multi_backend.register_store_opts(conf, reserved_stores=reserved)
    errors = {}
    # what create_multi_stores does per store, one at a time (so one store that cannot be
    # configured here, e.g. rbd without librados, does not hide the others): build the
    # store object for its section; its __init__ registers the section's options
    for section, t in [*backends.items(), *reserved.items()]:
        try:
            multi_backend._load_multi_store(conf, t, backend=section)
        except BaseException as exc:  # noqa: BLE001 - report, do not stop
            errors[section] = type(exc).__name__
    out = {"version": version("glance_store"), "types": {}, "reserved": {}, "errors": errors}
    try:  # what glance itself asks for (glance-api's wsgi module)
        from glance.common import wsgi

        out["glance"] = version("glance")
        out["glance_reserved"] = dict(getattr(wsgi, "RESERVED_STORES", {}))
    except BaseException as exc:  # noqa: BLE001 - report, do not stop
        errors["glance.common.wsgi"] = type(exc).__name__
    for section, t in backends.items():
        grp = conf._groups.get(section)
        out["types"][t] = sorted(grp._opts) if grp is not None else []
    for section in reserved:
        grp = conf._groups.get(section)
        out["reserved"][section] = sorted(grp._opts) if grp is not None else []
    del glance_store
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
