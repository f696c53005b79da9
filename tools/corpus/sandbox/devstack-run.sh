#!/bin/bash
# Runs INSIDE the sandbox made by build_devstack.py: an unprivileged host user (nobody) that is
# root only in its own user/mount/pid/net/uts namespaces. Every system directory devstack
# writes to is a tmpfs (/etc a private copy); no network; external commands other
# than plain text/file tools are stubs (overrides.sh). What devstack wrote under /etc is copied
# to OUT at the end. Nothing here touches the host.
# usage: devstack-run.sh WORK OUT
set -u
WORK=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)

mount -t tmpfs tmpfs "$WORK/ovl" || exit 90
# /etc: a private copy (what the host user may read of it) in the tmpfs; the directories
# devstack creates or fills elsewhere: empty tmpfs
mkdir -p "$WORK/ovl/etc"
cp -a /etc/. "$WORK/ovl/etc/" 2>/dev/null
mount --bind "$WORK/ovl/etc" /etc || exit 91
for d in /opt /home /srv /usr/local /var/lib /var/log /var/cache /var/tmp /tmp /run; do
    mount -t tmpfs tmpfs "$d" || exit 92
done
mkdir -p /usr/local/bin /usr/local/lib /usr/local/share /usr/local/etc /run/lock
mount -t proc proc /proc 2>/dev/null
# the CI node's kernel command line, not this machine's
echo "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro console=ttyS0" > "$WORK/ovl/cmdline"
mount --bind "$WORK/ovl/cmdline" /proc/cmdline || exit 94
hostname devstack

# what the CI node looked like: its distribution, its user
cp "$WORK/os-release" /etc/os-release
cp "$WORK/lsb-release" /etc/lsb-release
rm -f /etc/debian_version
mkdir -p /opt/stack/logs /opt/stack/data
cp -a "$WORK/src/." /opt/stack/
chmod 755 /opt/stack
cp "$WORK/local.conf" /opt/stack/devstack/local.conf

# restricted PATH: only text and file tools; every other command is a stub (see overrides.sh)
BIN=$WORK/bin
mkdir -p "$BIN"
for c in bash sh cat grep egrep fgrep sed awk gawk mawk cut tr head tail sort uniq wc basename \
         dirname mkdir rm cp mv ln touch chmod tee date printf readlink realpath find xargs \
         expr seq true false ls stat mktemp hostname tac cmp diff env md5sum sha1sum \
         getent rev fold paste join comm which; do
    p=$(command -v "$c") && ln -sf "$p" "$BIN/$c"
done
cat > "$BIN/python3" <<'PY'
#!/bin/bash
# devstack's own python snippets run; installing anything does not
case "$1 $2" in
    "-m pip"*|"-m venv"*|"-m virtualenv"*|"-m ensurepip"*) exit 0 ;;
esac
case "$1" in
    *get-pip.py|*pip*) exit 0 ;;
esac
exec /usr/bin/python3 "$@"
PY
chmod +x "$BIN/python3"
for v in "" 2 2.7 3.5 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13; do ln -sf python3 "$BIN/python$v"; done
# commands whose answer devstack parses: the CI node's
fake() { printf '#!/bin/bash\n%s\n' "$2" > "$BIN/$1"; chmod +x "$BIN/$1"; }
fake lsb_release 'case "$*" in *-i*) echo "$CONFGEN_LSB_ID";; *-r*) echo "$CONFGEN_LSB_RELEASE";; *-c*) echo "$CONFGEN_LSB_CODENAME";; *-d*) echo "$CONFGEN_LSB_ID $CONFGEN_LSB_RELEASE";; esac'
fake whoami 'echo stack'
fake id 'case "$*" in *-u*) echo 1000;; *-g*-n*|*-gn*|*-ng*) echo stack;; *-g*) echo 1000;; *-n*) echo stack;; *) echo "uid=1000(stack) gid=1000(stack) groups=1000(stack)";; esac'
fake uname 'case "$*" in *-m*|*-p*|*-i*) echo x86_64;; *-r*) echo 5.15.0-generic;; *-n*) echo devstack;; *-s*) echo Linux;; *-a*) echo "Linux devstack 5.15.0-generic x86_64 GNU/Linux";; *) echo Linux;; esac'
fake nproc 'echo 8'
# nothing listens here (port probes find every port free)
fake lsof 'exit 1'
# install -d -o stack: the CI user does not exist in the sandbox; ownership is dropped
fake install 'a=(); while [ $# -gt 0 ]; do case "$1" in -o|-g) shift 2;; -o*|-g*|--owner=*|--group=*) shift;; *) a+=("$1"); shift;; esac; done; exec /usr/bin/install "${a[@]}"'
fake arch 'echo x86_64'

export CONFGEN_STUB_LOG=$WORK/stub.log
export CONFGEN_OVERRIDES=$HERE/overrides.sh
cd /opt/stack/devstack
env -i HOME=/opt/stack USER=stack LOGNAME=stack PATH="$BIN" TERM=dumb SHELL=/bin/bash \
    LANG=C.UTF-8 CONFGEN_LSB_ID="$CONFGEN_LSB_ID" CONFGEN_LSB_RELEASE="$CONFGEN_LSB_RELEASE" \
    CONFGEN_LSB_CODENAME="$CONFGEN_LSB_CODENAME" CONFGEN_STUB_LOG="$CONFGEN_STUB_LOG" CONFGEN_OVERRIDES="$CONFGEN_OVERRIDES" \
    CONFGEN_UUID_SEED=devstack \
    /usr/bin/timeout -k 10 300 /bin/bash ./stack.sh > "$WORK/stack.log" 2>&1
echo "stack.sh exit: $?" >> "$WORK/stack.log"

for d in nova cinder glance ceph; do
    [ -d "/etc/$d" ] && cp -a "/etc/$d" "$OUT/" 2>/dev/null
done
