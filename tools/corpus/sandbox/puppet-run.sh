#!/bin/bash
# Runs INSIDE the sandbox made by build_puppet.py: an unprivileged host user (nobody) that is
# root only in its own user/mount/pid/net/uts/ipc namespaces. /etc is a private copy in a
# tmpfs, the other directories puppet or facter may write are empty tmpfs, there is no network.
# `puppet apply` compiles the whole integration scenario and applies only the resources that
# write the configuration files kept in the corpus (--tags); what it wrote under /etc is copied
# to OUT at the end. Nothing here touches the host.
# usage: puppet-run.sh WORK OUT TAGS SKIP_TAGS
set -u
WORK=$1
OUT=$2
TAGS=$3
SKIP_TAGS=$4

mount -t tmpfs tmpfs "$WORK/ovl" || exit 90
mkdir -p "$WORK/ovl/etc"
cp -a /etc/. "$WORK/ovl/etc/" 2>/dev/null
mount --bind "$WORK/ovl/etc" /etc || exit 91
for d in /opt /home /srv /var/lib /var/log /var/cache /var/tmp /var/spool /tmp /run; do
    mount -t tmpfs tmpfs "$d" || exit 92
done
hostname "$(cat "$WORK/hostname")"

# the CI node as facter reports it (external facts override the core facts of this machine)
rm -rf /etc/facter /etc/puppetlabs /etc/puppet
# no puppet service user: puppet's own state directories stay owned by the sandbox root
sed -i '/^puppet:/d' /etc/passwd /etc/group 2>/dev/null
mkdir -p /etc/facter/facts.d
cp "$WORK/facts.yaml" /etc/facter/facts.d/ci-node.yaml
# the directories the distribution's packages create (puppet writes into them), empty: this
# machine's own /etc/ceph must not leak into the node
for d in nova cinder glance ceph; do
    rm -rf "/etc/$d"
    mkdir -p "/etc/$d"
done
# the service users the kept resources name (ceph::key user => 'ceph') own files as the
# sandbox's root: ownership is not part of the corpus, and other ids cannot be mapped
sed -i -E 's/^(ceph:[^:]*):[0-9]+:[0-9]+:/\1:0:0:/' /etc/passwd
sed -i -E 's/^(ceph:[^:]*):[0-9]+:/\1:0:/' /etc/group
mkdir -p /var/lib/ceph/bootstrap-osd /var/log/puppet /var/lib/puppet /var/cache/puppet \
    "$WORK/puppet/var/state"

# branches whose CI ran puppet 4/5: puppet 5 / Ruby 2 behaviour they rely on (compat-puppet5.rb)
RUBYOPT=
[ -f "$WORK/compat-puppet5.rb" ] && RUBYOPT="-r$WORK/compat-puppet5.rb"
cd "$WORK/integration"
env -i HOME=/root RUBYOPT="$RUBYOPT" USER=root LOGNAME=root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    /usr/bin/timeout -k 10 900 /usr/bin/puppet apply \
    --confdir "$WORK/puppet/conf" --vardir "$WORK/puppet/var" --codedir "$WORK/puppet/code" \
    --rundir "$WORK/puppet/run" --logdir "$WORK/puppet/log" \
    --modulepath "$WORK/modules" --hiera_config "$WORK/hiera.yaml" \
    --color=false --detailed-exitcodes --verbose --summarize \
    --tags "$TAGS" --skip_tags "$SKIP_TAGS" \
    --write-catalog-summary \
    fixtures/scenario001.pp > "$WORK/puppet.log" 2>&1
echo "puppet apply exit: $?" >> "$WORK/puppet.log"
cp "$WORK/puppet/var/state/resources.txt" "$OUT/resources.txt" 2>/dev/null
cp "$WORK/puppet/var/state/classes.txt" "$OUT/classes.txt" 2>/dev/null

for d in nova cinder glance ceph; do
    [ -d "/etc/$d" ] && cp -a "/etc/$d" "$OUT/" 2>/dev/null
done
# keyrings outside /etc (ceph::key keyring_path), with their modes
find /var/lib/ceph -name '*.keyring' -exec cp -a --parents {} "$OUT/" \; 2>/dev/null
exit 0
