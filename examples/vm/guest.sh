#!/usr/bin/env bash
# examples/vm/guest.sh: the example's test guest on the two local libvirt "hosts" of scripts/servers/libvirt.sh.
#
# Usage: examples/vm/guest.sh start|where|serial|stop
#   start   defines and starts the guest on host A (a copy of the hosts' test image: a tiny boot-sector program that
#           dirties 32 MiB of RAM and prints a pass counter on its serial port), waits until it counts
#   where   prints the guest's state on each host
#   serial  prints the last lines of the guest's serial log on each host (the counter continues after a live move,
#           with no second BOOT line)
#   stop    destroys and undefines the guest on both hosts and deletes its disk from every pool of both hosts
#
# Environment: CARAVAN_LIBVIRT_DIR (default /tmp/caravan-libvirt, as scripts/servers/libvirt.sh),
#              CARAVAN_EXAMPLE_VM (default caravan-example: the domain name live.yaml moves)
set -euo pipefail

DIR=${CARAVAN_LIBVIRT_DIR:-/tmp/caravan-libvirt}
VM=${CARAVAN_EXAMPLE_VM:-caravan-example}
uri() { echo "qemu+unix:///system?socket=$DIR/$1/run/libvirt/libvirt-sock"; }
v() { local h=$1; shift; timeout 60 virsh -q -c "$(uri "$h")" "$@"; }
log() { echo "guest.sh: $*" >&2; }
serial_log() { echo "$DIR/$1/log/qemu/$VM-serial.log"; }
state() { v "$1" domstate "$VM" 2>/dev/null || echo "absent"; }

require_hosts() {
  for h in A B; do
    if ! v "$h" version >/dev/null 2>&1; then
      log "libvirt host $h is not running: start both with  bash scripts/servers/libvirt.sh start"; exit 1
    fi
  done
}

start() {
  require_hosts
  for h in A B; do
    case "$(state "$h")" in
      running) log "$VM already runs on host $h"; return 0 ;;
      absent) ;;
      *) v "$h" undefine "$VM" >/dev/null ;;
    esac
  done
  [ -s "$DIR/guest/golden.qcow2" ] || { log "no guest image $DIR/guest/golden.qcow2: run scripts/servers/libvirt.sh start"; exit 1; }
  cp "$DIR/guest/golden.qcow2" "$DIR/A/lib/images/$VM.qcow2"   # pool 'images' of host A is this directory
  v A pool-refresh images >/dev/null
  for h in A B; do mkdir -p "$(dirname "$(serial_log "$h")")"; : > "$(serial_log "$h")"; done
  local xml; xml=$(mktemp)
  cat > "$xml" <<XML
<domain type='qemu'>
  <name>$VM</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='/var/lib/libvirt/images/$VM.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'><source path='/var/log/libvirt/qemu/$VM-serial.log'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
  v A define "$xml" >/dev/null
  rm -f "$xml"
  v A start "$VM" >/dev/null
  for _ in $(seq 1 300); do
    if [ "$(grep -cE '^[0-9a-f]{8}' "$(serial_log A)" 2>/dev/null || true)" -ge 2 ]; then
      log "$VM runs on host A ($(uri A))"; return 0
    fi
    sleep 0.2
  done
  log "$VM did not start counting on host A"; exit 1
}

where() {
  for h in A B; do echo "host $h: $(state "$h")"; done
}

serial() {
  for h in A B; do
    echo "--- host $h ($(serial_log "$h"))"
    tail -n 3 "$(serial_log "$h")" 2>/dev/null || true
  done
}

stop() {
  for h in A B; do
    v "$h" version >/dev/null 2>&1 || continue
    [ "$(state "$h")" = running ] && v "$h" destroy "$VM" >/dev/null 2>&1 || true
    [ "$(state "$h")" != absent ] && v "$h" undefine "$VM" >/dev/null 2>&1 || true
    local pool
    for pool in $(v "$h" pool-list --name 2>/dev/null); do   # 'images', and 'pool2' after a vm-storage move
      v "$h" vol-delete --pool "$pool" "$VM.qcow2" >/dev/null 2>&1 || true
    done
  done
  log "$VM removed from both hosts"
}

case "${1:-}" in
  start) start ;;
  where) where ;;
  serial) serial ;;
  stop) stop ;;
  *) echo "usage: $0 start|where|serial|stop" >&2; exit 2 ;;
esac
