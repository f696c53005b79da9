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
