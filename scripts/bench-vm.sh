#!/usr/bin/env bash
# scripts/bench-vm.sh: the same VM migrations done with `virsh migrate` and with Caravan, side by side.
#
# Live (shared nothing: memory pre-copy + disk over NBD, managed by the client, memory over tcp://127.0.0.1) and
# cold (stop, move the definition, copy the disk volume, start on the target) of the test guest (128 MiB, 32 MiB
# hot working set, 64 MiB qcow2 disk) from host A to host B of scripts/servers/libvirt.sh, RUNS times each with
# each tool. Every run starts from a freshly booted guest on A. Prints one line per run and a summary: median and
# mean wall time, median downtime and iterations (libvirt's completed-job statistics), and Caravan/virsh ratios.
#
# What each side does (cold), so the comparison is fair and its difference is visible:
#   virsh   = destroy; migrate --offline --persistent --undefinesource (the definition); vol-download --sparse to a
#             local temp file; vol-create-as (qcow2, 64M) on B; vol-upload --sparse; vol-delete on A; start on B.
#             No preflight, no verification, no journal: it does copy the disk, through a temp file.
#   Caravan = ColdMigration: preflight (state, hypervisor type, CPU, name, memory, target pool capacity; checks
#             asked side by side, the domain's layout read alongside); forced shutdown (zero grace: destroy, as virsh);
#             copy through the object engine (journal run, plan, target write probe, stream A -> B with SHA-256
#             while streaming, download/hash/upload overlapped, then a full SHA-256 read-back of the target volume);
#             define on B; start; undefine and delete the source volume. Caravan live = preflight +
#             virDomainMigrate3 + job polling + completed stats.
# Both sides start from the same freshly booted guest and must leave it running on B. Wall time is measured from
# the first step to the guest running on B (Caravan: inside one JVM whose libvirt connections are open, as a
# virsh user's libvirtd is; JVM start-up is not counted, the first use of every code path in it is). Each run
# also records its phases (ms): virsh's commands one by one and Caravan's ColdMigration phases, so the summary
# shows where the difference goes. BENCH_JAVA_OPTS adds JVM flags to the Caravan side. JVM=launcher runs the
# Caravan side the way ./caravan runs the CLI: serial collector and an application class-data archive (AppCDS, made
# by one untimed training migration first; the class path is then jars, as AppCDS requires).
#
# Kind cold-warm: the same cold migration, but the Caravan JVM has worked before the clock starts (VmBench copies a
# 1 MiB scratch volume through the same engine and runs the same preflight, untimed), as in a long-running Caravan
# (Camel route, caravan serve, a host drain at its second VM). virsh does exactly what it does for cold. The gap
# between cold and cold-warm is the first use of the engine's code in a fresh JVM.
#
# Usage: scripts/bench-vm.sh            (RUNS=5 by default; KINDS="live cold cold-warm" by default, e.g. KINDS=cold
#                                       for the cold case alone; OUT=file to keep the report)
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=${RUNS:-5}
KINDS=${KINDS:-live cold cold-warm}
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
JVM_OPTS=()
if [ "${JVM:-plain}" = launcher ]; then
  mkdir -p "$MOD/target/bench"
  (cd "$MOD/target/classes" && jar cf ../bench/main.jar .)
  (cd "$MOD/target/test-classes" && jar cf ../bench/test.jar .)
  CP="$MOD/target/bench/main.jar:$MOD/target/bench/test.jar:$(cat "$MOD/target/bench.cp")"
  JSA="$MOD/target/bench/caravan.jsa"
  LAUNCHER_OPTS=(-XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off)
  JVM_OPTS=("${LAUNCHER_OPTS[@]}")
fi
caravan() {
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
  java ${JVM_OPTS[@]+"${JVM_OPTS[@]}"} ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.caravan.connector.libvirt.VmBench "$1" \
    "$VM" "$A" "$B" 2>>"$OUT.err" > "$OUT.last" || { log "caravan $1 failed:"; tail -20 "$OUT.err" >&2; return 1; }
  sed -n "s/^phases /caravan $1 /p" "$OUT.last" >> "$OUT.phases"
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
  local t0 t1 tmp ph="" ts
  tmp=$(mktemp)
  step() { local name=$1 s; shift; s=$(now_ms); "$@" >/dev/null; ph="$ph${ph:+,}$name=$(( $(now_ms) - s ))"; }
  t0=$(now_ms)
  step destroy v "$A" destroy $VM
  step migrateOffline v "$A" migrate --offline --persistent --undefinesource $VM "$B"
  step volDownload v "$A" vol-download --pool images $VM.qcow2 "$tmp" --sparse
  step volCreate v "$B" vol-create-as images $VM.qcow2 64M --format qcow2
  step volUpload v "$B" vol-upload --pool images $VM.qcow2 "$tmp" --sparse
  step volDelete v "$A" vol-delete --pool images $VM.qcow2
  step start v "$B" start $VM
  t1=$(now_ms)
  rm -f "$tmp"
  echo "virsh $kind $ph" >> "$OUT.phases"
  echo "virsh cold $((t1 - t0)) $((t1 - t0)) 0"
}

: > "$OUT.runs"; : > "$OUT.err"; : > "$OUT.phases"
if [ "${JVM:-plain}" = launcher ]; then # the training run that makes the class-data archive, as ./caravan's first run
  log "training run for the class-data archive (not measured)"
  rm -f "$JSA"; setup
  JVM_OPTS=("${LAUNCHER_OPTS[@]}" -XX:ArchiveClassesAtExit="$JSA"); caravan cold >/dev/null
  JVM_OPTS=("${LAUNCHER_OPTS[@]}" -XX:SharedArchiveFile="$JSA" -Xshare:auto); : > "$OUT.phases"
fi
for kind in $KINDS; do
  for i in $(seq 1 "$RUNS"); do
    for tool in virsh caravan; do
      setup
      if [ "$tool" = virsh ]; then line=$(virsh_${kind%-warm} | sed "s/^virsh ${kind%-warm} /virsh $kind /"); \
      else line=$(caravan "$kind"); fi
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
  printf "\n%-18s %5s %12s %12s %15s %11s\n", "tool kind", "runs", "median wall", "mean wall", "median downtime", "median iter"
  for (k in n) {
    for (i = 1; i <= n[k]; i++) { a[i] = w[k, i]; b[i] = d[k, i]; c[i] = it[k, i] }
    mw[k] = median(a, n[k]); md[k] = median(b, n[k]); mi[k] = median(c, n[k])
  }
  split("virsh live,caravan live,virsh cold,caravan cold,virsh cold-warm,caravan cold-warm", order, ",")
  for (o = 1; o <= 6; o++) { k = order[o]; if (!(k in n)) continue
    printf "%-18s %5d %10.0f ms %10.0f ms %12.0f ms %11.0f\n", k, n[k], mw[k], sum[k] / n[k], md[k], mi[k] }
  printf "\nratio caravan/virsh:"
  split("live cold cold-warm", kinds, " ")
  for (j = 1; j <= 3; j++) { kd = kinds[j]; if (!(("virsh " kd) in n) || !(("caravan " kd) in n)) continue
    printf " %s median wall %.3f, median downtime %.3f;", kd, mw["caravan " kd] / mw["virsh " kd],
      (md["virsh " kd] > 0 ? md["caravan " kd] / md["virsh " kd] : 0) }
  printf "\n"
}' "$OUT.runs" | tee "$OUT"

# median of each phase per tool and kind (ms), in the order the phases happen
awk '
function median(arr, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
  return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
{ k = $1 " " $2; if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
  np = split($3, parts, ",")
  for (i = 1; i <= np; i++) { split(parts[i], kv, "="); p = kv[1]
    if (!((k, p) in cnt)) { order[k, ++no[k]] = p }
    v[k, p, ++cnt[k, p]] = kv[2]
    if (p != "destroy" && p != "shutdown" && p != "start") own += kv[2] }
  mine[k, ++nmine[k]] = own; own = 0 }
END {
  if (nk) printf "\nmedian phases (ms)\n"
  for (x = 1; x <= nk; x++) { k = keys[x]; line = sprintf("%-18s", k)
    for (i = 1; i <= no[k]; i++) { p = order[k, i]; delete a
      for (j = 1; j <= cnt[k, p]; j++) a[j] = v[k, p, j]
      line = line sprintf(" %s=%d", p, median(a, cnt[k, p])) }
    print line }
  if (nk) printf "\nmedian of each run without the power-off and the boot (the same libvirt calls on both sides,\n" \
    "and the noisiest: libvirt polls for the QEMU exit every 200 ms), i.e. what each tool adds (ms)\n"
  for (x = 1; x <= nk; x++) { k = keys[x]; delete a
    for (j = 1; j <= nmine[k]; j++) a[j] = mine[k, j]
    own_med[k] = median(a, nmine[k]); printf "%-18s %d\n", k, own_med[k] }
}' "$OUT.phases" | tee -a "$OUT"
