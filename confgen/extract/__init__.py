"""Maintainer tool: upstream git history -> release_matrix/<file>.json (format: SCHEMA.md).

    python -m confgen.extract --all --mirrors /work/.mirror          # the three shipped files
    python -m confgen.extract release_matrix/sources/nova.conf.toml \\
        --mirrors /work/.mirror --out release_matrix/nova.conf.json

For every release in the spec's [refs] it reads the service and its libraries straight from
git (`git cat-file`, no checkout). A spec with an [inventory] gets the complete inventory
(inventory.py): the namespaces the service's generator config lists at that ref, each
evaluated statically across the service and every library pinned by openstack/requirements
(pins.py, interp.py; upstream code is never imported or run), plus module scans, keystoneauth
sections (ksa.py) and run-time section families (families.py); [[place]] rules put the groups
into confgen's sections. [[scan]] entries read further files of the spec's repo (pyopts.py).
Then it links the releases into options with one stable key, folds identical consecutive
releases into eras and applies the curation written in the spec.
Output is deterministic (options sorted by key, eras by release). Warnings go to stderr:
those about kept options, unparseable files and the spec always; notes about options that
were not kept only with --verbose.

Spec format (TOML; comments welcome, every hand fix carries a `why`). Mind TOML: plain keys
written after a [table] header belong to that table, so top-level `select`/`exclude` must
come before the first [table] / [[scan]].

    file = "nova.conf"                  # required: the config file
                                        # (lines below: comments welcome)
    project = "nova"                    # required
    repo = "openstack/nova"             # for `source` (default openstack/<project>)
    family = "openstack"                # release family of [refs] (default openstack)
    owned_sections = ["libvirt"]        # copied to the output
    [dynamic_sections]                  # copied to the output, e.g. "@backend" = "..."

    [refs]                              # required: release -> git ref read for it; a release
    havana = "havana-eol"               # without a ref is not read (no option exists in it)
    "2026.2" = "master"
    [ref_labels]                        # optional: what the output's "refs" shows instead
    "2026.2" = "master@2026-08"

    [constants]                         # group expressions the parser cannot follow -> group
    "configuration.SHARED_CONF_GROUP" = "backend_defaults"

    [inventory]                         # the complete inventory (or [[scan]]s, or both)
    package = "nova"                    # the service's import package
    generator = ["etc/nova/nova-config-generator.conf", "tools/config/oslo.config.generator.rc"]
    own = ["nova", "nova.conf"]         # its own namespaces (no list_opts at a ref: module scan)
    libraries = "libraries.toml"        # library pins spec (pins.py), next to this one
    [inventory.namespace_aliases]       # rc spellings -> entry point names
    oslo_db = "oslo.db"
    [[inventory.extra]]                 # a namespace the generator config does not list
    namespace = "glance.multi_store"    # (target = "module:function" if nobody declares it)
    from = "rocky"
    why = "..."
    [[inventory.scan]]                  # modules registering options no namespace lists
    paths = ["nova/**/*.py"]            # (exclude, library = "glance-store", unregistered,
    why = "..."                         #  group: the section for a registration whose group
                                        #  is a run-time parameter, e.g. a privsep context's)
    [[inventory.family]]                # families.py: cinder_backends (group =) | glance_stores
    kind = "cinder_backends"
    group = "backend_defaults"
    why = "..."

    [[place]]                           # listed group -> confgen section
    match = ["backend_defaults.*"]      # globs over "group.name"; conditions: paths,
    section = "@backend"                # namespace, family, from/to
    also = ["backend_defaults"]
    merge = "@backend"                  # absorbed by that section's equal option, if any
    why = "..."

    [[scan]]                            # one or more (without [inventory]): files to read
    paths = ["nova/virt/libvirt/*.py", "nova/conf/**/*.py"]   # globs (* within a directory)
    select = ["libvirt.*", "*.rbd_user"]  # globs over "group.name" as registered (default "*")
    exclude = ["DEFAULT.debug"]         # same form, removed after select
    section = "@backend"                # optional: put matches in this section instead of
                                        # their group (same-group aliases follow)
    also = ["backend_defaults"]         # optional: further sections the option is read from
    unregistered = "DEFAULT"            # optional: group for options defined but never
                                        # registered in their own file
    from = "newton"                     # optional release range for this scan
    to = "2026.2"

    select = ["libvirt.*"]              # optional top-level selection, applied per option
    exclude = ["libvirt.xen_*"]         # after linking: an option is kept when any of its
                                        # spellings in any release (name or alias) matches

    [[link]]                            # a rename the code does not declare
    old = "DEFAULT.x"                   # the older spelling ...
    new = "libvirt.y"                   # ... becomes part of the option spelled like this
    why = "moved in icehouse without deprecated_name (checked nova/virt/libvirt/driver.py)"

    [options."libvirt.images_type"]     # per stable key (newest "section.name")
    help = "Our own one-line words."
    notes = "Curated remark shown by `confgen explain`."
    [[options."libvirt.images_type".override]]
    from = "havana"                     # release range (default: all)
    to = "havana"
    default = "default"                 # any era field: section name type default choices
    why = "computed upstream"           # min max secret deprecated deprecated_reason
                                        # deprecated_since replacement also aliases

Linking: the newest release's placement names the option (key = "section.name"). Going back
one release at a time, a fact joins an option when it has the same placement, or when it is
an older spelling the newer releases declare (deprecated_name/group/opts) or a [[link]] names.
Upstream help and deprecation prose are never copied: `help` and `deprecated_reason` come from
the spec only.
"""

from confgen.extract.build import extract
from confgen.extract.spec import load_spec, parse_spec

__all__ = ["extract", "load_spec", "parse_spec"]
