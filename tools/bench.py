"""Benchmark figures for confgen (prints numbers and the goals of issue 13; not a test).

    .venv/bin/python tools/bench.py                    # everything (about 10 minutes)
    .venv/bin/python tools/bench.py --quick            # fewer runs, memory at 1k and 10k hosts
    .venv/bin/python tools/bench.py --source DIR --json before.json   # another checkout
    .venv/bin/python tools/bench.py --compare before.json             # before/after table

What is measured is the INSTALLED package: a wheel built from --source (default: this
checkout), installed into a scratch virtualenv, every module compiled to bytecode with
`python -m compileall` (this environment may set PYTHONDONTWRITEBYTECODE=1, which would
otherwise leave an installed package compiling its modules on every start). Whole-process
runs alternate with `python -c pass` of the same interpreter (A B A B ...), and every figure
is printed as min / median / max; ratios are taken pair by pair.

1. lint of a small node: the four files `confgen render --release 2025.1` writes;
2. lint of a realistic complete node: four files, about 500 entries, built from the
   real-files corpus (tests/realfiles: kolla-ansible 2025.1 all-in-one, each file the union
   of its containers' files) plus production settings (see SUPPLEMENT);
3. a fleet of realistic hosts (copies of that node, each with its own host name and
   address), worker processes on every core: files per second and the cores kept busy;
4. fleet memory at 1k, 10k and 100k hosts: peak RSS of the whole process tree (the sum over
   the confgen process and its workers, sampled) and of its largest process;
5. render of every release (27) x every file, in-process, warm (the second pass).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = "2025.1"
CORPUS = ROOT / "tests" / "realfiles" / "kolla-ansible" / "2025.1" / "etc" / "kolla"
LAYOUT = {"nova.conf": "nova/nova.conf", "cinder.conf": "cinder/cinder.conf",
          "glance-api.conf": "glance/glance-api.conf", "ceph.conf": "ceph/ceph.conf"}
# (what, goal, how a figure meets it): ratios to `python -c pass`, files/s, growth, seconds
GOALS = {
    "small": ("lint small node / python -c pass", "<= 1.5x", lambda v: v <= 1.5),
    "complete": ("lint complete node / python -c pass", "<= 2.0x", lambda v: v <= 2.0),
    "fleet": ("fleet files/s (2 cores)", ">= 2000", lambda v: v >= 2000),
    "busy": ("fleet cores busy", ">= 1.8 of 2", lambda v: v >= 1.8),
    "memory": ("fleet memory growth 1k -> max hosts", "flat (<= 10%)", lambda v: v <= 0.10),
    "render": ("render 27 releases x files, warm", "< 0.1 s", lambda v: v < 0.1),
}

# Production settings an operator adds to what kolla-ansible writes (every name is an option
# of nova 31 / cinder 26 / glance 30 or of a library they load, checked with their
# oslo-config-generator; the values are typical, not recommendations).
SUPPLEMENT = {
    "nova.conf": """
[DEFAULT]
host = compute-01
instances_path = /var/lib/nova/instances
reserved_host_memory_mb = 4096
reserved_host_disk_mb = 20480
cpu_allocation_ratio = 4.0
ram_allocation_ratio = 1.0
disk_allocation_ratio = 1.0
initial_cpu_allocation_ratio = 4.0
initial_ram_allocation_ratio = 1.0
resume_guests_state_on_host_boot = true
heal_instance_info_cache_interval = 120
reboot_timeout = 0
instance_build_timeout = 0
rescue_timeout = 0
resize_confirm_window = 3600
running_deleted_instance_action = reap
running_deleted_instance_poll_interval = 1800
max_concurrent_builds = 10
max_concurrent_live_migrations = 2
block_device_allocate_retries = 300
block_device_allocate_retries_interval = 3
vif_plugging_is_fatal = true
vif_plugging_timeout = 300
metadata_workers = 4
osapi_compute_workers = 4
enabled_apis = osapi_compute,metadata
use_syslog = false
log_date_format = %Y-%m-%d %H:%M:%S
logging_context_format_string = %(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(global_request_id)s %(request_id)s %(user_identity)s] %(instance)s%(message)s
default_log_levels = amqp=WARN,amqplib=WARN,boto=WARN,qpid=WARN,sqlalchemy=WARN,suds=INFO,oslo.messaging=INFO,oslo_messaging=INFO,iso8601=WARN,requests.packages.urllib3.connectionpool=WARN,urllib3.connectionpool=WARN,websocket=WARN,keystonemiddleware=WARN,routes.middleware=WARN,stevedore=WARN,taskflow=WARN,keystoneauth=WARN,oslo.cache=INFO,oslo_policy=INFO,dogpile.core.dogpile=INFO
rpc_response_timeout = 120
executor_thread_pool_size = 64
sync_power_state_interval = 600
shutdown_timeout = 60
live_migration_retry_count = 30
[api]
auth_strategy = keystone
max_limit = 1000
dhcp_domain =
[api_database]
max_pool_size = 50
max_overflow = 50
pool_timeout = 30
connection_recycle_time = 600
[database]
max_pool_size = 50
max_overflow = 50
pool_timeout = 30
connection_recycle_time = 600
db_max_retries = 20
[libvirt]
virt_type = kvm
cpu_mode = host-model
cpu_model_extra_flags = pcid
live_migration_uri = qemu+ssh://nova@%s/system?keyfile=/var/lib/nova/.ssh/id_rsa&no_verify=1
live_migration_tunnelled = false
live_migration_permit_post_copy = true
live_migration_permit_auto_converge = true
live_migration_timeout_action = force_complete
live_migration_completion_timeout = 800
live_migration_bandwidth = 0
disk_cachemodes = network=writeback
hw_disk_discard = unmap
inject_password = false
inject_key = false
inject_partition = -2
use_virtio_for_bridges = true
volume_use_multipath = true
num_pcie_ports = 16
mem_stats_period_seconds = 10
rx_queue_size = 1024
tx_queue_size = 1024
swtpm_enabled = false
[scheduler]
discover_hosts_in_cells_interval = 300
max_attempts = 5
workers = 4
query_placement_for_image_type_support = true
enable_isolated_aggregate_filtering = true
[filter_scheduler]
enabled_filters = ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,AggregateInstanceExtraSpecsFilter,PciPassthroughFilter
available_filters = nova.scheduler.filters.all_filters
weight_classes = nova.scheduler.weights.all_weighers
host_subset_size = 3
ram_weight_multiplier = 1.0
cpu_weight_multiplier = 1.0
build_failure_weight_multiplier = 1000000.0
track_instance_changes = true
[compute]
cpu_shared_set = 0-3
cpu_dedicated_set = 4-31
consecutive_build_service_disable_threshold = 10
resource_provider_association_refresh = 300
live_migration_wait_for_vif_plug = true
max_disk_devices_to_attach = 32
[cache]
expiration_time = 600
backend_argument = memcached_expire_time:3600
[oslo_messaging_rabbit]
rabbit_ha_queues = false
heartbeat_timeout_threshold = 60
heartbeat_rate = 3
rabbit_retry_interval = 1
rabbit_retry_backoff = 2
rabbit_interval_max = 30
kombu_reconnect_delay = 1.0
rabbit_transient_queues_ttl = 1800
rabbit_qos_prefetch_count = 0
amqp_durable_queues = true
[oslo_messaging_notifications]
topics = notifications
retry = 5
[keystone_authtoken]
memcache_security_strategy = ENCRYPT
memcache_secret_key = secret-placeholder
memcache_pool_maxsize = 10
memcache_pool_socket_timeout = 3
memcache_pool_unused_timeout = 60
token_cache_time = 300
service_token_roles_required = true
interface = internal
http_connect_timeout = 30
[notifications]
notify_on_state_change = vm_and_task_state
notification_format = unversioned
[pci]
report_in_placement = false
[quota]
instances = 20
cores = 40
ram = 102400
[serial_console]
enabled = false
[spice]
enabled = false
[os_vif_ovs]
ovsdb_connection = tcp:127.0.0.1:6640
ovs_vsctl_timeout = 120
[oslo_policy]
enforce_scope = true
enforce_new_defaults = true
policy_file = policy.yaml
[cinder]
cross_az_attach = true
catalog_info = volumev3:cinderv3:internalURL
os_region_name = RegionOne
[glance]
num_retries = 3
enable_rbd_download = true
rbd_user = glance
rbd_pool = images
rbd_ceph_conf = /etc/ceph/ceph.conf
rbd_connect_timeout = 5
[neutron]
service_metadata_proxy = true
metadata_proxy_shared_secret = secret-placeholder
ovs_bridge = br-int
default_floating_pool = public
timeout = 60
[placement]
valid_interfaces = internal
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
""",
    "cinder.conf": """
[DEFAULT]
host = rbd:volumes
storage_availability_zone = nova
default_availability_zone = nova
allow_availability_zone_fallback = true
scheduler_default_filters = AvailabilityZoneFilter,CapacityFilter,CapabilitiesFilter
scheduler_default_weighers = CapacityWeigher
osapi_volume_workers = 4
backup_workers = 2
backup_ceph_conf = /etc/ceph/ceph.conf
backup_ceph_user = cinder-backup
backup_ceph_chunk_size = 134217728
backup_ceph_pool = backups
backup_ceph_stripe_unit = 0
backup_ceph_stripe_count = 0
restore_discard_excess_bytes = true
use_syslog = false
rpc_response_timeout = 120
executor_thread_pool_size = 64
report_interval = 10
service_down_time = 60
periodic_interval = 60
image_volume_cache_enabled = true
image_volume_cache_max_size_gb = 200
image_volume_cache_max_count = 50
image_conversion_dir = /var/lib/cinder/conversion
use_multipath_for_image_xfer = true
enforce_multipath_for_image_xfer = false
volume_name_template = volume-%s
snapshot_name_template = snapshot-%s
max_over_subscription_ratio = 20.0
reserved_percentage = 5
allowed_direct_url_schemes = cinder
glance_num_retries = 3
glance_api_insecure = false
quota_volumes = 100
quota_snapshots = 100
quota_gigabytes = 10000
quota_backups = 50
quota_backup_gigabytes = 10000
no_snapshot_gb_quota = false
[database]
max_pool_size = 50
max_overflow = 50
pool_timeout = 30
connection_recycle_time = 600
db_max_retries = 20
[rbd-2]
volume_driver = cinder.volume.drivers.rbd.RBDDriver
volume_backend_name = rbd-ssd
rbd_pool = volumes-ssd
rbd_ceph_conf = /etc/ceph/ceph.conf
rbd_user = cinder
rbd_secret_uuid = 5e3a9f2c-1b7d-4c2e-8a9f-0d1e2f3a4b5c
rbd_flatten_volume_from_snapshot = false
rbd_max_clone_depth = 5
rbd_store_chunk_size = 4
rados_connect_timeout = 5
rados_connection_retries = 3
rados_connection_interval = 5
report_discard_supported = true
image_volume_cache_enabled = true
backend_host = rbd:volumes
rbd_exclusive_cinder_pool = true
[backend_defaults]
use_multipath_for_image_xfer = true
max_over_subscription_ratio = 20.0
reserved_percentage = 5
[oslo_messaging_rabbit]
heartbeat_timeout_threshold = 60
heartbeat_rate = 3
rabbit_retry_interval = 1
rabbit_retry_backoff = 2
rabbit_interval_max = 30
kombu_reconnect_delay = 1.0
rabbit_transient_queues_ttl = 1800
amqp_durable_queues = true
[keystone_authtoken]
memcache_security_strategy = ENCRYPT
memcache_secret_key = secret-placeholder
memcache_pool_maxsize = 10
token_cache_time = 300
service_token_roles_required = true
interface = internal
[oslo_policy]
enforce_scope = true
enforce_new_defaults = true
policy_file = policy.yaml
[coordination]
backend_url = etcd3+http://10.0.0.10:2379
[key_manager]
backend = barbican
[barbican]
barbican_endpoint_type = internal
auth_endpoint = http://10.0.0.250:5000/v3
[nova]
interface = internal
region_name = RegionOne
[cors]
allowed_origin = https://dashboard.example.com
""",
    "glance-api.conf": """
[DEFAULT]
bind_host = 10.0.0.10
bind_port = 9292
workers = 4
image_cache_dir = /var/lib/glance/image-cache
image_cache_max_size = 10737418240
image_cache_stall_time = 86400
image_member_quota = 128
image_property_quota = 128
image_tag_quota = 128
image_location_quota = 10
image_size_cap = 1099511627776
user_storage_quota = 0
hashing_algorithm = sha512
use_syslog = false
rpc_response_timeout = 120
do_secure_hash = true
http_retries = 3
[glance_store]
default_backend = rbd
[rbd]
rbd_store_chunk_size = 8
rados_connect_timeout = 5
rbd_thin_provisioning = false
[image_format]
disk_formats = raw,qcow2,vmdk,vdi,iso,ploop
require_image_format_match = true
[taskflow_executor]
engine_mode = parallel
max_workers = 10
conversion_format = raw
[database]
max_pool_size = 20
max_overflow = 20
pool_timeout = 30
connection_recycle_time = 600
[oslo_messaging_rabbit]
heartbeat_timeout_threshold = 60
rabbit_retry_interval = 1
amqp_durable_queues = true
[keystone_authtoken]
memcache_security_strategy = ENCRYPT
memcache_secret_key = secret-placeholder
token_cache_time = 300
service_token_roles_required = true
interface = internal
[oslo_policy]
enforce_scope = true
enforce_new_defaults = true
policy_file = policy.yaml
[wsgi]
task_pool_threads = 16
""",
    "ceph.conf": """
[global]
fsid = 4b5fd580-360c-4f8c-abb5-c83bb9a3f964
mon_host = 10.0.0.11,10.0.0.12,10.0.0.13
public_network = 10.0.0.0/24
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
ms_bind_ipv4 = true
ms_bind_ipv6 = false
mon_client_hunt_interval = 3
[client]
rbd_cache = true
rbd_cache_writethrough_until_flush = true
rbd_cache_size = 67108864
rbd_cache_max_dirty = 50331648
rbd_concurrent_management_ops = 20
admin_socket = /var/run/ceph/guests/$cluster-$type.$id.$pid.$cctid.asok
log_file = /var/log/ceph/qemu-guest-$pid.log
rbd_default_features = 61
[client.cinder]
keyring = /etc/ceph/ceph.client.cinder.keyring
[client.glance]
keyring = /etc/ceph/ceph.client.glance.keyring
[client.cinder-backup]
keyring = /etc/ceph/ceph.client.cinder-backup.keyring
""",
}


# -- the files ---------------------------------------------------------------------------------
def _sections(text: str) -> dict[str, dict[str, str]]:
    """INI text -> {section: {key: the option's line(s)}} in order (first one kept)."""
    out: dict[str, dict[str, str]] = {}
    cur: dict[str, str] | None = None
    last = None
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if line[0] in " \t" and cur is not None and last is not None:
            cur[last] += "\n" + line  # continuation
        elif s.startswith("[") and s.endswith("]"):
            cur = out.setdefault(s[1:-1], {})
        elif cur is not None:
            last = re.split(r"\s*[=:]", s, maxsplit=1)[0]
            cur.setdefault(last, line)
    return out


def complete_node(dest: Path) -> int:
    """Write the realistic complete node under dest (an /etc); returns its entry count."""
    if not CORPUS.is_dir():
        sys.exit(f"bench: {CORPUS} is missing (the real-files corpus); cannot build the node")
    total = 0
    for ft, rel in LAYOUT.items():
        merged: dict[str, dict[str, str]] = {}
        for f in sorted(CORPUS.glob(f"*/{ft}")):
            for sec, keys in _sections(f.read_text()).items():
                for k, line in keys.items():
                    merged.setdefault(sec, {}).setdefault(k, line)
        for sec, keys in _sections(SUPPLEMENT[ft]).items():
            for k, line in keys.items():
                merged.setdefault(sec, {}).setdefault(k, line)
        if ft == "cinder.conf":  # the second backend of the supplement is enabled too
            eb = merged["DEFAULT"].get("enabled_backends")
            if eb and "rbd-2" not in eb:
                merged["DEFAULT"]["enabled_backends"] = eb.rstrip() + ",rbd-2"
        lines = [f"# realistic complete node for tools/bench.py: kolla-ansible 2025.1 "
                 f"all-in-one ({ft} of every container) + production settings"]
        for sec, keys in merged.items():
            lines += ["", f"[{sec}]", *keys.values()]
            total += len(keys)
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
    return total


def host_variant(node: Path, dest: Path, i: int) -> None:
    """A copy of node for host i: its own host name and address."""
    for rel in LAYOUT.values():
        text = (node / rel).read_text()
        text = text.replace("compute-01", f"compute-{i:05d}").replace(
            "10.0.0.10", f"10.{1 + i // 65536 % 200}.{i // 256 % 256}.{i % 256}")
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text)


def make_fleet(node: Path, root: Path, n: int, distinct: int | None = None) -> int:
    """n hosts under root (root/HOSTNAME/etc/...); with `distinct`, hosts cycle through that many
    different variants as hard links (a 100k-host fleet without 2 GB of copies). Host 3 has
    another rbd_secret_uuid (one outlier, as real fleets have)."""
    variants = root / ".variants"
    count = distinct or n
    for v in range(min(count, n)):
        host_variant(node, variants / str(v), v)
    odd = variants / "3" / LAYOUT["nova.conf"]
    if odd.exists():
        odd.write_text(re.sub(r"(?m)^rbd_secret_uuid = .*$",
                              "rbd_secret_uuid = 11111111-2222-3333-4444-555555555555",
                              odd.read_text()))
    for i in range(n):
        src = variants / str(i % count)
        etc = root / f"host{i:06d}" / "etc"
        for rel in LAYOUT.values():
            (etc / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(src / rel, etc / rel)
    shutil.rmtree(variants)
    return n * len(LAYOUT)


# -- the installed package ----------------------------------------------------------------------
def install(source: Path, work: Path) -> tuple[Path, str]:
    """Build a wheel from source, install it into a scratch venv, compile its bytecode."""
    wheels, src = work / "wheels", work / "src"
    # a copy: building in place would leave build/ and *.egg-info in the checkout
    shutil.copytree(source, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "out"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--disable-pip-version-check", "-w", str(wheels), str(src)], check=True,
                   stderr=subprocess.DEVNULL)
    wheel = next(wheels.glob("confgen-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True, stderr=subprocess.DEVNULL)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    purelib = Path(site.stdout.strip())
    subprocess.run([str(py), "-m", "compileall", "-q", "-j", "0", str(purelib)], check=True)
    pkg = purelib / "confgen"
    sources = [p for p in pkg.rglob("*.py") if "ansible_collections" not in p.parts]
    compiled = [p for p in sources
                if list((p.parent / "__pycache__").glob(f"{p.stem}.cpython-*.pyc"))]
    info = (f"wheel {wheel.name} ({wheel.stat().st_size // 1024} KiB) installed in a scratch venv; "
            f"bytecode compiled with compileall: {len(compiled)} of {len(sources)} confgen "
            f"modules have a .pyc (PYTHONDONTWRITEBYTECODE="
            f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r} here)")
    return py, info


# -- whole-process timing -----------------------------------------------------------------------
def run(cmd: list[str], cwd: Path) -> tuple[float, int, float, int]:
    """(wall seconds, exit code, user+sys seconds, peak RSS KiB) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, p.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def side_by_side(cmd: list[str], base: list[str], runs: int, cwd: Path) -> dict:
    """cmd and base alternately (one warm-up each); times and pairwise ratios."""
    run(cmd, cwd), run(base, cwd)
    a, b, codes = [], [], set()
    for _ in range(runs):
        wall, code, _cpu, _rss = run(cmd, cwd)
        a.append(wall)
        codes.add(code)
        b.append(run(base, cwd)[0])
    return {"a": a, "b": b, "ratio": [x / y for x, y in zip(a, b, strict=True)],
            "codes": sorted(codes)}


def mmm(values: list[float], scale: float = 1.0, fmt: str = "{:.1f}") -> str:
    return " / ".join(fmt.format(v * scale) for v in (min(values), statistics.median(values),
                                                      max(values)))


# -- fleet --------------------------------------------------------------------------------------
def _tree_rss_kib(root_pid: int) -> int:
    """Sum of RSS over root_pid and all its descendants (from /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") // 1024
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                stat = fh.read()
            with open(f"/proc/{d}/statm") as fh:
                rss[int(d)] = int(fh.read().split()[1]) * page
        except OSError:
            continue
        parent[int(d)] = int(stat[stat.rindex(")") + 2:].split()[1])
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(c for c, pp in parent.items() if pp == pid)
    return total


def fleet_run(py: Path, root: Path, cwd: Path) -> dict:
    """One `confgen lint FLEET`: wall, CPU of the tree, peak RSS (tree sum, largest process)."""
    cmd = [str(py.parent / "confgen"), "lint", "-r", RELEASE, "--ceph-release", "auto",
           str(root)]
    peak = [0]
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(p.pid))
            done.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    done.set()
    th.join()
    # the workers are the confgen process's children: their CPU is in ru only if reaped by it
    return {"wall": wall, "code": os.waitstatus_to_exitcode(status),
            "cpu": ru.ru_utime + ru.ru_stime, "tree_rss": peak[0], "max_rss": ru.ru_maxrss}


def fleet_cpu(py: Path, root: Path, cwd: Path) -> dict:
    """fleet_run, with the CPU of the whole tree (workers included) from a wrapper process."""
    code = ("import os,resource,subprocess,sys,time;t=time.perf_counter();"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "w=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "print(w,r.ru_utime+r.ru_stime)")
    cmd = [str(py.parent / "confgen"), "lint", "-r", RELEASE, "--ceph-release", "auto",
           str(root)]
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, capture_output=True,
                         text=True, check=True)
    wall, cpu = map(float, out.stdout.split())
    return {"wall": wall, "cpu": cpu}


# -- render -------------------------------------------------------------------------------------
RENDER = """
import statistics, sys, time
from confgen import intent, releases
from confgen.render.files import render

base = intent.read(None)
rels = releases.openstack().releases
def once():
    n = 0
    for r in rels:
        n += len(render(base.retarget(r, None)))
    return n
n = once()  # cold: imports, data, templates
times = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    once()
    times.append(time.perf_counter() - t)
print(len(rels), n, " ".join(map(str, times)))
"""


def render_warm(py: Path, cwd: Path, runs: int) -> dict:
    out = subprocess.run([str(py), "-c", RENDER, str(runs)], cwd=cwd, capture_output=True,
                         text=True, check=True)
    nrel, nfiles, *times = out.stdout.split()
    return {"releases": int(nrel), "files": int(nfiles), "times": [float(t) for t in times]}


def importtime(py: Path, node: Path, cwd: Path) -> tuple[list[tuple[int, str]], int, bool]:
    p = subprocess.run([str(py), "-X", "importtime", "-c",
                        "import sys; sys.argv=['confgen','lint','-r','2025.1',sys.argv[1]];"
                        "from confgen.cli import main; main()", str(node)],
                       capture_output=True, text=True, check=False, cwd=cwd)
    rows = []
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), m.group(4)))
    top = [r for r in rows if not r[1].startswith(" ")]
    heavy = any(n.split(".")[0] in ("jinja2", "click", "dataclasses", "inspect", "tomllib")
                for _, n in rows)
    return sorted(top, reverse=True)[:8], len(rows), heavy


# -- report -------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=ROOT,
                    help="checkout to build the wheel from (default: this one)")
    ap.add_argument("--runs", type=int, default=21, help="pairs of whole-process runs")
    ap.add_argument("--hosts", type=int, default=1000, help="hosts of the throughput fleet")
    ap.add_argument("--memory", default="1000,10000,100000",
                    help="host counts of the memory runs (comma-separated; '' skips)")
    ap.add_argument("--quick", action="store_true",
                    help="9 pairs, memory at 1000,10000 hosts, 3 render passes")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--compare", type=Path, help="figures of an earlier run (--json) to show "
                    "as 'before'")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.memory = min(args.runs, 9), "1000,10000"
    counts = [int(x) for x in args.memory.split(",") if x.strip()]
    res: dict = {"source": str(args.source)}
    before = json.loads(args.compare.read_text()) if args.compare else None
    with tempfile.TemporaryDirectory(prefix="confgen-bench-") as tmp:
        work = Path(tmp)
        cwd = work / "cwd"  # no confgen.ini above it
        cwd.mkdir()
        py, info = install(args.source.resolve(), work)
        confgen = str(py.parent / "confgen")
        base = [str(py), "-c", "pass"]
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work shares the cores)")
        print(f"package: {info}")
        small = work / "small"
        subprocess.run([confgen, "render", "--release", RELEASE, "-o", str(small)], cwd=cwd,
                       check=True, capture_output=True)
        node = work / "complete"
        n_entries = complete_node(node)
        n_small = sum(len(re.findall(r"(?m)^[^#;\[\s].*=", (small / r).read_text()))
                      for r in LAYOUT.values())
        print(f"small node: render --release {RELEASE} ({n_small} entries in 4 files); "
              f"complete node: {n_entries} entries in 4 files\n")

        print(f"1-2. whole-process lint vs `python -c pass` ({args.runs} pairs, alternating), "
              "ms min / median / max")
        print(f"     commands: {Path(confgen).name} lint -r {RELEASE} --ceph-release auto NODE; "
              "python -c pass")
        for key, where in (("small", small), ("complete", node)):
            r = side_by_side([confgen, "lint", "-r", RELEASE, "--ceph-release", "auto",
                              str(where)], base, args.runs, cwd)
            res[key] = statistics.median(r["ratio"])
            res[key + "_ms"] = statistics.median(r["a"]) * 1000
            res["python_ms"] = statistics.median(r["b"]) * 1000
            print(f"     {key:9s} lint {mmm(r['a'], 1000):>22s}   python -c pass "
                  f"{mmm(r['b'], 1000):>20s}   ratio {mmm(r['ratio'], 1, '{:.2f}')}  "
                  f"(exit {','.join(map(str, r['codes']))})")
        top, nmods, heavy = importtime(py, small, cwd)
        print(f"     imports of a small lint: {nmods} modules; click/dataclasses/inspect/"
              f"tomllib/jinja2 among them: {'yes' if heavy else 'no'}; top cumulative (us): "
              + ", ".join(f"{n} {us}" for us, n in top[:5]))

        print(f"\n3. fleet of {args.hosts} realistic hosts ({n_entries} entries each), "
              f"{os.cpu_count()} cores")
        fl = work / "fleet"
        nfiles = make_fleet(node, fl, args.hosts)
        runs = [fleet_cpu(py, fl, cwd) for _ in range(3)]
        rates = [nfiles / r["wall"] for r in runs]
        busy = [r["cpu"] / r["wall"] for r in runs]
        res["fleet"], res["busy"] = statistics.median(rates), statistics.median(busy)
        print(f"     files/s {mmm(rates, 1, '{:.0f}')}; cores busy (CPU s / wall s) "
              f"{mmm(busy, 1, '{:.2f}')}; wall s {mmm([r['wall'] for r in runs], 1, '{:.2f}')}")
        shutil.rmtree(fl)

        if counts:
            print("\n4. fleet memory: peak RSS of the whole process tree (sum) and of its "
                  "largest process, MiB")
            mem = {}
            for n in counts:
                fl = work / f"fleet-{n}"
                nf = make_fleet(node, fl, n, distinct=min(n, 64))
                r = fleet_run(py, fl, cwd)
                mem[n] = r["tree_rss"]
                print(f"     {n:7d} hosts: tree {r['tree_rss'] / 1024:7.1f}, largest process "
                      f"{r['max_rss'] / 1024:6.1f}; {nf / r['wall']:6.0f} files/s "
                      f"(exit {r['code']})")
                shutil.rmtree(fl)
            first, last = mem[counts[0]], mem[counts[-1]]
            res["memory"] = (last - first) / first
            res["memory_hosts"] = counts
            print(f"     growth {counts[0]} -> {counts[-1]} hosts: {res['memory'] * 100:+.1f}%")

        rr = render_warm(py, cwd, 3 if args.quick else 7)
        res["render"] = statistics.median(rr["times"])
        print(f"\n5. render {rr['releases']} releases ({rr['files']} files), in-process, warm: "
              f"s {mmm(rr['times'], 1, '{:.3f}')}")

    print("\ngoal                                       " + ("before     " if before else "")
          + "now        goal           met?")
    for key, (what, goal, ok) in GOALS.items():
        if key not in res:
            continue
        v = res[key]
        shown = _shown(key, v)
        was = _shown(key, before[key]) if before and key in before else ""
        print(f"{what:42s} " + (f"{was:10s} " if before else "") + f"{shown:10s} {goal:14s} "
              f"{'yes' if ok(v) else 'NO'}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")


def _shown(key: str, v: float) -> str:
    if key in ("small", "complete"):
        return f"{v:.2f}x"
    if key == "fleet":
        return f"{v:.0f}"
    if key == "busy":
        return f"{v:.2f}"
    if key == "memory":
        return f"{v * 100:+.1f}%"
    return f"{v:.3f} s"


if __name__ == "__main__":
    main()
