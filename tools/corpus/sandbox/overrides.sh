# Sourced by devstack's function files inside the sandbox (build_devstack.py appends the
# `source` line): devstack's configuration logic runs as written, while everything that would
# install, start, wait for or talk to something is a stub that succeeds and prints nothing
# (or the little a caller parses). Recorded in $CONFGEN_STUB_LOG for review.

_confgen_log() { printf '%s\n' "$*" >> "${CONFGEN_STUB_LOG:-/dev/null}"; }

_confgen_uuid_n=0
command_not_found_handle() {
    local cmd=$1
    shift
    _confgen_log "stub: $cmd $*"
    case "$cmd" in
        ceph-mon|ceph-create-keys)
            # a monitor creates the admin keyring devstack waits for
            mkdir -p "${CEPH_CONF_DIR:-/etc/ceph}"
            [ -f "${CEPH_CONF_DIR:-/etc/ceph}/ceph.client.admin.keyring" ] ||
                printf '[client.admin]\n\tkey = PLACEHOLDER\n' \
                    > "${CEPH_CONF_DIR:-/etc/ceph}/ceph.client.admin.keyring" ;;
        cephadm)
            _confgen_cephadm "$@" ;;
        sleep)
            _confgen_sleeps=$((${_confgen_sleeps:-0} + 1))
            if [ $((_confgen_sleeps % 200)) -eq 0 ]; then
                _confgen_log "loop? ${FUNCNAME[*]} ${BASH_LINENO[*]}"
            fi ;;
        uuidgen)
            _confgen_uuid_n=$((_confgen_uuid_n + 1))
            printf '00000000-0000-4000-8000-%012d\n' "$_confgen_uuid_n" ;;
        hexdump|openssl|od)
            # random hex strings (keys, tokens): a fixed placeholder of the usual length
            echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ;;
    esac
    return 0
}

# cephadm: what it writes that the services read. `bootstrap` writes the minimal ceph.conf
# and the admin keyring it is told to; `shell ... ceph auth get-or-create NAME -o FILE` a
# keyring; `ls` an empty list; `ceph -s -f json` a cluster with one OSD up.
_confgen_cephadm() {
    local a prev="" conf="" keyring="" fsid="" ip="" out="" name="" sawauth=""
    for a in "$@"; do
        case "$prev" in
            --output-config) conf=$a ;;
            --output-keyring) keyring=$a ;;
            --fsid) fsid=$a ;;
            --mon-ip) ip=$a ;;
            -o) out=$a ;;
            get-or-create) name=$a ;;
        esac
        [ "$a" = auth ] && sawauth=1
        prev=$a
    done
    case " $* " in
        *" bootstrap "*)
            [ -n "$conf" ] && printf '# minimal ceph.conf for %s\n[global]\n\tfsid = %s\n\tmon_host = [v2:%s:3300/0,v1:%s:6789/0]\n' \
                "$fsid" "$fsid" "$ip" "$ip" > "$conf"
            [ -n "$keyring" ] && printf '[client.admin]\n\tkey = PLACEHOLDER\n' > "$keyring" ;;
        *" ls "*|*" ls") echo "[]" ;;
        *" -s -f json"*) echo '{"osdmap": {"num_up_osds": 1}}' ;;
        *)
            if [ -n "$sawauth" ] && [ -n "$name" ] && [ -n "$out" ]; then
                printf '[%s]\n\tkey = PLACEHOLDER\n' "$name" > "$out"
            fi ;;
    esac
}

# sudo runs the command as it is (we are root of the sandbox); its options are dropped
sudo() {
    while [ $# -gt 0 ]; do
        case "$1" in
            -u|-g|-C|-D|-h|-p|-r|-t|-U) shift 2 ;;
            --preserve-env=*|--user=*|--group=*) shift ;;
            -*) shift ;;
            *) break ;;
        esac
    done
    [ $# -eq 0 ] && return 0
    # an absolute path to a tool that is not here (e.g. a downloaded /usr/bin/cephadm) is a
    # stub like any other missing command
    if [[ "$1" == /* && ! -x "$1" ]]; then
        command_not_found_handle "${1##*/}" "${@:2}"
        return
    fi
    "$@"
}

die() {
    _confgen_log "die: $*"
    echo "confgen-sandbox: die: $*" >&2
    return 1
}

# these would wait for a service that never runs here
wait_for_service() { return 0; }
wait_for_compute() { return 0; }
wait_for_sock_file() { return 0; }
wait_for_db_file() { return 0; }
