"""Run by a cinder venv's python: the options each volume driver really registers in its
backend section. Reads a JSON list of driver paths on stdin; for each, builds the volume
manager's Configuration for a fresh section, instantiates the driver class with it (no
do_setup, no I/O of ours) and lists what is registered in that section afterwards.
Also lists what the class declares with get_driver_options() (no instance needed).
Prints JSON {path: {"opts": [names], "error": "ExcClass" or null, "declared": [names] or
null}}."""

import json
import sys
import warnings

warnings.simplefilter("ignore")


def main():
    from cinder import objects
    from oslo_config import cfg
    from oslo_utils import importutils

    objects.register_all()  # what cinder-volume does first: the manager module needs them
    from cinder.volume import configuration, manager

    cfg.CONF([], project="cinder", default_config_files=[])
    paths = json.load(sys.stdin)
    out = {}
    for i, path in enumerate(paths):
        group = f"probe{i}"
        conf = configuration.Configuration(manager.volume_backend_opts, config_group=group)
        error = declared = None
        try:
            cls = importutils.import_class(path)
            # what the driver declares for cinder's docs and sample (no instance needed)
            get = getattr(cls, "get_driver_options", None)
            if get is not None:
                try:
                    declared = sorted({o.dest for o in get()})
                except BaseException:  # noqa: BLE001 - an abstract base may not implement it
                    declared = None
            cls(configuration=conf, db=None, host="probe@" + group)
        except BaseException as exc:  # noqa: BLE001 - report, do not stop
            error = type(exc).__name__
        grp = cfg.CONF._groups.get(group)
        names = sorted(grp._opts) if grp is not None else []
        out[path] = {"opts": names, "error": error, "declared": declared}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
