#!/usr/bin/env bash
# scripts/bench-vm.sh: the same VM migrations done with `virsh migrate` and with Caravan, side by side.
#
# Live (shared nothing: memory pre-copy + disk over NBD, managed by the client, memory over tcp://127.0.0.1) and
# cold (stop, move the definition, copy the disk volume, start on the target) of the test guest (128 MiB, 32 MiB
# hot working set, 64 MiB qcow2 disk) from host A to host B of scripts/servers/libvirt.sh, RUNS times each with
# each tool. Every run starts from a freshly booted guest on A. Prints one line per run and a summary: median and
# mean wall time, median downtime and iterations (libvirt's completed-job statistics), and Caravan/virsh ratios.
#
# virsh cold = destroy, migrate --offline --persistent --undefinesource, vol-download --sparse, vol-create-as,
# vol-upload --sparse, vol-delete, start (no verification). Caravan cold = ColdMigration: preflight, forced
# shutdown, copy through the object engine with a SHA-256 read-back of the target volume, define, start, undefine
# and delete the source volume. Caravan live = preflight + virDomainMigrate3 + job polling + completed stats.
#
# Usage: scripts/bench-vm.sh            (RUNS=5 by default; OUT=file to keep the report)
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=${RUNS:-5}
OUT=${OUT:-/tmp/caravan-bench-vm.txt}
DIR=${CARAVAN_LIBVIRT_DIR:-/tmp/caravan-libvirt}
export CARAVAN_LIBVIRT_DIR=$DIR
A="qemu+unix:///system?socket=$DIR/A/run/libvirt/libvirt-sock"
B="qemu+unix:///system?socket=$DIR/B/run/libvirt/libvirt-sock"
VM=cv-bench
v() { local u=$1; shift; timeout 300 virsh -q -c "$u" "$@"; }
now_ms() { date +%s%3N; }
log() { echo "bench-vm: $*" >&2; }

bash "$ROOT/scripts/servers/libvirt.sh" start >/dev/null

MOD="$ROOT/connectors/libvirt"
log "building the connector and its bench class path"
(cd "$ROOT" && mvn -q -o install -DskipTests -f connectors/libvirt/pom.xml 2>/dev/null \
  || mvn -q install -DskipTests -f connectors/libvirt/pom.xml)
(cd "$MOD" && mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null)
CP="$MOD/target/classes:$MOD/target/test-classes:$(cat "$MOD/target/bench.cp")"
caravan() {
  java -cp "$CP" dev.caravan.connector.libvirt.VmBench "$1" "$VM" "$A" "$B" 2>>"$OUT.err" > "$OUT.last" \
    || { log "caravan $1 failed:"; tail -20 "$OUT.err" >&2; return 1; }
  grep '^caravan ' "$OUT.last"
}

domxml() {
cat <<X
<domain type='qemu'><name>$VM</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>
<clock offset='utc'/><on_poweroff>destroy</on_poweroff>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>
<source file='/var/lib/libvirt/images/$VM.qcow2'/><target dev='vda' bus='virtio'/></disk>
<serial type='file'><source path='/var/log/libvirt/qemu/$VM-serial.log'/><target port='0'/></serial>
<memballoon model='none'/></devices></domain>
X
}

clean() {
  local u
  for u in "$A" "$B"; do
    v "$u" destroy $VM >/dev/null 2>&1 || true
    v "$u" undefine $VM >/dev/null 2>&1 || true
    v "$u" pool-refresh images >/dev/null 2>&1 || true
    v "$u" vol-delete --pool images $VM.qcow2 >/dev/null 2>&1 || true
  done
  rm -f "$DIR/A/lib/images/$VM.qcow2" "$DIR/B/lib/images/$VM.qcow2"
}

setup() { # a freshly booted guest on A, its counter running
  clean
  cp "$DIR/guest/golden.qcow2" "$DIR/A/lib/images/$VM.qcow2"
  v "$A" pool-refresh images >/dev/null
  : > "$DIR/A/log/qemu/$VM-serial.log"; : > "$DIR/B/log/qemu/$VM-serial.log" 2>/dev/null || true
  domxml > "$DIR/$VM.xml"
  v "$A" define "$DIR/$VM.xml" >/dev/null
  v "$A" start $VM >/dev/null
  for _ in $(seq 1 300); do
    [ "$(grep -c '^[0-9a-f]\{8\}' "$DIR/A/log/qemu/$VM-serial.log" 2>/dev/null)" -ge 2 ] && return 0
    sleep 0.1
  done
  log "guest did not start"; return 1
}

virsh_live() {
  local t0 t1 info
  t0=$(now_ms)
  v "$A" migrate --live --copy-storage-all --persistent --undefinesource $VM "$B" --migrateuri tcp://127.0.0.1
  t1=$(now_ms)
  info=$(v "$B" domjobinfo $VM --completed)
  echo "virsh live $((t1 - t0)) $(awk -F: '/Total downtime/ {print $2+0}' <<<"$info") \
$(awk -F: '/^Iteration/ {print $2+0}' <<<"$info")"
}

virsh_cold() {
  local t0 t1 tmp
  tmp=$(mktemp)
  t0=$(now_ms)
  v "$A" destroy $VM >/dev/null
  v "$A" migrate --offline --persistent --undefinesource $VM "$B"
  v "$A" vol-download --pool images $VM.qcow2 "$tmp" --sparse
  v "$B" vol-create-as images $VM.qcow2 64M --format qcow2 >/dev/null
  v "$B" vol-upload --pool images $VM.qcow2 "$tmp" --sparse
  v "$A" vol-delete --pool images $VM.qcow2 >/dev/null
  v "$B" start $VM >/dev/null
  t1=$(now_ms)
  rm -f "$tmp"
  echo "virsh cold $((t1 - t0)) $((t1 - t0)) 0"
}

: > "$OUT.runs"; : > "$OUT.err"
for kind in live cold; do
  for i in $(seq 1 "$RUNS"); do
    for tool in virsh caravan; do
      setup
      if [ "$tool" = virsh ]; then line=$(virsh_$kind); else line=$(caravan $kind); fi
      # both must leave the guest running on B
      [ "$(v "$B" domstate $VM)" = running ] || { log "$tool $kind run $i: not running on B"; exit 1; }
      echo "$line" | tee -a "$OUT.runs"
    done
  done
done
clean

awk -v runs="$RUNS" '
function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
  return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
{ k = $1 " " $2; n[k]++; w[k, n[k]] = $3; d[k, n[k]] = $4; it[k, n[k]] = $5; sum[k] += $3 }
END {
  printf "\n%-14s %5s %12s %12s %15s %11s\n", "tool kind", "runs", "median wall", "mean wall", "median downtime", "median iter"
  for (k in n) {
    for (i = 1; i <= n[k]; i++) { a[i] = w[k, i]; b[i] = d[k, i]; c[i] = it[k, i] }
    mw[k] = median(a, n[k]); md[k] = median(b, n[k]); mi[k] = median(c, n[k])
  }
  split("virsh live,caravan live,virsh cold,caravan cold", order, ",")
  for (o = 1; o <= 4; o++) { k = order[o]; if (!(k in n)) continue
    printf "%-14s %5d %10.0f ms %10.0f ms %12.0f ms %11.0f\n", k, n[k], mw[k], sum[k] / n[k], md[k], mi[k] }
  printf "\nratio caravan/virsh, median wall: live %.3f, cold %.3f; median downtime: live %.3f, cold %.3f\n",
    mw["caravan live"] / mw["virsh live"], mw["caravan cold"] / mw["virsh cold"],
    md["caravan live"] / md["virsh live"], md["caravan cold"] / md["virsh cold"]
}' "$OUT.runs" | tee "$OUT"
