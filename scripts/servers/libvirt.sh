#!/usr/bin/env bash
# scripts/servers/libvirt.sh: two libvirt "hosts" on this machine for the libvirt connector's integration tests
# and for scripts/bench-vm.sh.
#
# Each host is one libvirtd started by hand (no systemd needed) in its own mount namespace, so that it has its
# own /etc/libvirt, /run, /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt (bind-mounted from
# $DIR/<host>/...), and its own host_uuid (libvirt refuses to migrate to a host with the same UUID). Guests run
# under QEMU's TCG: no /dev/kvm needed. Nothing outside $DIR is modified (the bind mounts exist only inside the
# daemons' namespaces). Recipe and measurements: shared/reference/vm-migration.md.
#
# Usage: scripts/servers/libvirt.sh start|stop|status|uris
#   start   installs the Debian packages when missing, builds the test guest image, starts both daemons (idempotent:
#           a running pair is left alone), defines the dir pools 'images', 'pool2' and 'shared' ($DIR/shared, seen by both) on both, probes QEMU once,
#           and prints the two URIs
#   stop    destroys every running guest of both hosts, stops their QEMUs and both daemons (by recorded PID)
#   status  exit 0 when both daemons answer
#   uris    prints the URIs (same lines as start)
#
# Environment:
#   CARAVAN_LIBVIRT_DIR  state directory (default /tmp/caravan-libvirt)
#   SKIP_INSTALL=1       never install packages (fail instead)
#
# Coordinates (the ITs read the same defaults from system properties / environment):
#   host A: qemu+unix:///system?socket=$DIR/A/run/libvirt/libvirt-sock   (also qemu+tcp://127.0.0.1:16601/system)
#   host B: qemu+unix:///system?socket=$DIR/B/run/libvirt/libvirt-sock   (also qemu+tcp://127.0.0.1:16602/system)
#   QEMU migration ports: A 49152-49167, B 49168-49183 (loopback); guest image: $DIR/guest/golden.qcow2
set -euo pipefail

ACTION=${1:-start}
DIR=${CARAVAN_LIBVIRT_DIR:-/tmp/caravan-libvirt}
HOSTS=(A B)
log() { echo "libvirt.sh: $*" >&2; }

uri() { echo "qemu+unix:///system?socket=$DIR/$1/run/libvirt/libvirt-sock"; }
v() { local h=$1; shift; timeout 60 virsh -q -c "$(uri "$h")" "$@"; }
host_uuid() { [ "$1" = A ] && echo 5d6c0a3e-0000-4000-8000-0000000ca00a || echo 5d6c0a3e-0000-4000-8000-0000000ca00b; }
mig_port() { [ "$1" = A ] && echo 49152 || echo 49168; }
tcp_port() { [ "$1" = A ] && echo 16601 || echo 16602; }

ensure_packages() {
  local need=()
  command -v virsh >/dev/null || need+=(libvirt-clients)
  [ -x /usr/sbin/libvirtd ] || need+=(libvirt-daemon-system libvirt-daemon-driver-qemu)
  command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
  command -v qemu-img >/dev/null || need+=(qemu-utils)
  # JNA loads the unversioned libvirt.so (Native.load("virt")): only libvirt-dev ships that link
  ls /usr/lib/*/libvirt.so >/dev/null 2>&1 || need+=(libvirt-dev)
  command -v unshare >/dev/null || need+=(util-linux)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "${SKIP_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
      log "missing packages: ${need[*]} (install them as root: apt-get install -y --no-install-recommends ${need[*]})"
      exit 1
    fi
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# The guest: a 512-byte boot sector (source: connectors/libvirt/src/test/resources/guest/boot.S, assembled once;
# embedded here so no assembler is needed) that enters 32-bit mode, dirties one dword in each 4 KiB page of a
# 32 MiB working set in an endless loop and prints a hex pass counter on COM1 every 1024 passes; plus 16 MiB of
# random data, in a 64 MiB qcow2. The serial log proves a live move (the counter continues, no second BOOT line).
build_guest() {
  [ -s "$DIR/guest/golden.qcow2" ] && return 0
  mkdir -p "$DIR/guest"
  local boot='+jHAjtiOwI7QvAB85JIMAiT+5pIPARbIfA8gwGaDyAEPIsDqKHwIAGa4EACO2I7AjtC8AHwAAL7efAAA6EwAAAAx278AABAA/weBxwAQAACB/wAAEAJy8EP3w/8DAAB14oneuQgAAADBxgSJ8IPgD4qAznwAAOgfAAAA4uuwDegWAAAAsAroDwAAAOu2rITAdAfoAwAAAOv0w1Bmuv0D7KggdPtYZrr4A+7DjXQmAJAAAAAAAAAAAP//AAAAms8A//8AAACSzwAXALB8AAAwMTIzNDU2Nzg5YWJjZGVmQk9PVCBtaWd0ZXN0DQo='
  echo "$boot" | base64 -d > "$DIR/guest/boot.bin"
  truncate -s 510 "$DIR/guest/boot.bin"; printf '\x55\xaa' >> "$DIR/guest/boot.bin"
  { cat "$DIR/guest/boot.bin"; head -c 16M /dev/urandom; } > "$DIR/guest/disk.raw"
  truncate -s 64M "$DIR/guest/disk.raw"
  qemu-img convert -f raw -O qcow2 "$DIR/guest/disk.raw" "$DIR/guest/golden.qcow2.tmp"
  rm -f "$DIR/guest/disk.raw"; mv "$DIR/guest/golden.qcow2.tmp" "$DIR/guest/golden.qcow2"
}

host_setup() {
  local h=$1 R=$DIR/$1 p; p=$(mig_port "$h")
  mkdir -p "$R/etc/qemu" "$R/run" "$R/lib/images" "$R/lib/pool2" "$R/cache" "$R/log/qemu"
  cat > "$R/etc/libvirtd.conf" <<EOF
host_uuid = "$(host_uuid "$h")"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
listen_tcp = 1
listen_tls = 0
listen_addr = "127.0.0.1"
tcp_port = "$(tcp_port "$h")"
auth_tcp = "none"
# warnings and errors, plus who waits for a domain's job lock and the phases of each migration: enough to see why
# a call blocked (scripts/test.sh prints the tail of this log when a libvirt test fails)
log_level = 3
log_filters = "1:conf.virdomainjob 1:qemu.qemu_migration"
log_outputs = "1:file:/var/log/libvirt/libvirtd.log"
EOF
  # every line has a reason: see shared/reference/vm-migration.md section 2
  cat > "$R/etc/qemu.conf" <<EOF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
migration_port_min = $p
migration_port_max = $((p + 15))
EOF
}

daemon_alive() { # host -> 0 when its recorded libvirtd runs and its socket answers
  local R=$DIR/$1
  [ -f "$R/libvirtd.pid" ] && kill -0 "$(cat "$R/libvirtd.pid")" 2>/dev/null && [ -S "$R/run/libvirt/libvirt-sock" ] \
    && timeout 20 virsh -q -c "$(uri "$1")" version >/dev/null 2>&1
}

host_start() {
  local h=$1 R=$DIR/$1
  if daemon_alive "$h"; then log "host $h already running (libvirtd pid $(cat "$R/libvirtd.pid"))"; return 0; fi
  host_setup "$h"
  rm -f "$R/run/libvirt/libvirt-sock" "$R/run/libvirtd.pid"
  mkdir -p /etc/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run   # mount points
  # unshare execs bash, bash execs libvirtd: $! is the PID of the daemon that listens
  setsid unshare -m --propagation private bash -c "
    mount --bind '$R/etc' /etc/libvirt
    mount --bind '$R/run' /run
    mount --bind '$R/lib' /var/lib/libvirt
    mount --bind '$R/cache' /var/cache/libvirt
    mount --bind '$R/log' /var/log/libvirt
    exec /usr/sbin/libvirtd --listen -f /etc/libvirt/libvirtd.conf" > "$R/daemon.out" 2>&1 < /dev/null &
  echo $! > "$R/libvirtd.pid"
  for _ in $(seq 1 150); do
    if [ -S "$R/run/libvirt/libvirt-sock" ] && timeout 20 virsh -q -c "$(uri "$h")" version >/dev/null 2>&1; then
      log "host $h: libvirtd pid $(cat "$R/libvirtd.pid") listening"; return 0
    fi
    kill -0 "$(cat "$R/libvirtd.pid")" 2>/dev/null || break
    sleep 0.2
  done
  log "libvirtd $h did not start:"; cat "$R/daemon.out" >&2; tail -20 "$R/log/libvirtd.log" >&2 2>/dev/null || true
  return 1
}

ensure_pools() {
  local h=$1 p dir
  for p in images pool2 shared; do
    # 'shared': one directory outside the namespaces' bind mounts, so both hosts see the same files (shared disk)
    [ "$p" = shared ] && dir=$DIR/shared || dir=/var/lib/libvirt/$p
    if ! v "$h" pool-info "$p" >/dev/null 2>&1; then
      v "$h" pool-define-as "$p" dir --target "$dir" >/dev/null
    fi
    case "$(v "$h" pool-info "$p" 2>/dev/null)" in *running*) ;; *) v "$h" pool-start "$p" >/dev/null ;; esac
    v "$h" pool-refresh "$p" >/dev/null
  done
}

print_uris() {
  echo "LIBVIRT_SRC_URI=$(uri A)"
  echo "LIBVIRT_DST_URI=$(uri B)"
  echo "CARAVAN_LIBVIRT_DIR=$DIR"
}

start() {
  ensure_packages
  mkdir -p "$DIR/shared"
  build_guest
  for h in "${HOSTS[@]}"; do host_start "$h"; done
  for h in "${HOSTS[@]}"; do ensure_pools "$h"; done
  # the first QEMU use probes its capabilities (~3 s); do it now, in parallel, not in the first test
  local pids=()
  for h in "${HOSTS[@]}"; do v "$h" domcapabilities --virttype qemu >/dev/null & pids+=($!); done
  wait "${pids[@]}"
  print_uris
}

stop() {
  local h f p
  for h in "${HOSTS[@]}"; do
    daemon_alive "$h" || continue
    for d in $(v "$h" list --name 2>/dev/null); do v "$h" destroy "$d" >/dev/null 2>&1 || true; done
  done
  for f in "$DIR"/*/run/libvirt/qemu/*.pid; do   # QEMU is daemonized and outlives libvirtd: stop it by PID
    [ -f "$f" ] || continue
    p=$(cat "$f" 2>/dev/null || true)
    [ -n "$p" ] && grep -q qemu "/proc/$p/cmdline" 2>/dev/null && kill "$p" 2>/dev/null || true
  done
  for h in "${HOSTS[@]}"; do
    [ -f "$DIR/$h/libvirtd.pid" ] || continue
    p=$(cat "$DIR/$h/libvirtd.pid")
    if kill -0 "$p" 2>/dev/null; then
      kill "$p" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$DIR/$h/libvirtd.pid"
    log "host $h stopped"
  done
}

case "$ACTION" in
  start) start ;;
  stop) stop ;;
  status) for h in "${HOSTS[@]}"; do daemon_alive "$h" || { log "host $h is not running"; exit 1; }; done; print_uris ;;
  uris) print_uris ;;
  *) echo "usage: $0 start|stop|status|uris" >&2; exit 2 ;;
esac
