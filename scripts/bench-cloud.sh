#!/usr/bin/env bash
# scripts/bench-cloud.sh: Caravan side by side with rclone and `aws s3 sync` in ONE run, on the local S3Proxy
# (127.0.0.1:18080) and Azurite (127.0.0.1:18010):
#   local -> S3, S3 -> Azure, S3 -> S3 (internal, server-side) on the small set (2,000 files of 4-64 KiB) and the
#   large set (4 x 256 MiB) from scripts/gen-bench-data.sh, plus a no-change rerun and a verification pass
#   (`rclone check` versus `caravan verify`). Wall time, throughput and peak RSS from /usr/bin/time, and the CPU
#   seconds S3Proxy and Azurite spent during each command (/proc/PID/stat): on 2 cores the servers' CPU bounds most
#   rows, so these columns tell a tool that costs the server more work from one that waits on it.
# Usage: scripts/bench-cloud.sh [OUT.md]   (env: RUNS=1, BENCH_DIR=/tmp/caravan-bench, SETS="small large",
#        TOOLS="caravan rclone aws", PAIRS="local-s3 s3-azure s3-s3" (which pairs to measure; local -> S3 always runs,
#        since the others read the bucket it wrote), CARAVAN_HEAP=256m, CARAVAN_JAVA_OPTS=extra JVM flags as for the
#        launcher, CARAVAN_TARGET=DIR to run a copy of a built CLI as ./caravan does (DIR holds caravan-cli-*.jar and
#        lib/; e.g. a copy of framework/cli/target kept from before a change, to measure old and new builds interleaved
#        under the same load), CARAVAN_LAUNCHER=1 (0: run java directly, as before the launcher's daemon; 1: through
#        ./caravan as users run it, with its daemon; tool caravan-cold: the launcher without its daemon), NOOP_REPEAT=1 (how often each no-change rerun row is measured), KEEP=1 to keep the buckets and containers written, deleted after each tool otherwise), BENCH_SYNC=1 (`sync` before every
#        measured command, unmeasured: S3Proxy writes each object to this machine's disk, and a copy measured right
#        after a fast one of a gigabyte otherwise pays for writing that one out), BENCH_SETTLE_MAX=180 (after each
#        tool, wait up to this many seconds until S3Proxy and Azurite are idle, unmeasured; 0: do not wait),
#        BENCH_SETTLE_EACH=1 (also before every measured command, up to BENCH_SETTLE_EACH_MAX=30 s: S3Proxy goes on
#        working for seconds after a large transfer, and that work otherwise lands in the next command's row, which
#        penalises the tool whose previous command ended soonest; 0: not), BENCH_ROTATE=1 (run N starts with the
#        Nth tool of TOOLS and goes round, so that no tool always measures right after the same other one or in the
#        same place in the run: what ran before moves a row, see docs/benchmarks.md; 0: TOOLS' order in every run),
#        BENCH_WARM_SERVERS=1 (an unmeasured rclone copy of the small set to S3 and on to Azure before run 1, so that
#        the first tool measured does not pay for the servers' own warm-up; 0: not)
# Azurite keeps every blob in memory (--inMemoryPersistence): after the large set it can hold gigabytes and answer
# slowly (seen: 3 GiB, a container create answered after 3 minutes; 6.9 GB after two whole benchmarks, when one
# 1 GiB upload cost it 278 CPU seconds), so the benchmark starts it afresh (BENCH_FRESH_AZURITE=1; 0: keep it), and
# tests run after a benchmark need it restarted: scripts/servers/azurite.sh stop && scripts/servers/azurite.sh start.
# Caravan runs from framework/cli/target + the connectors' class paths (until the CLI pom has the connectors, the
# launcher `CARAVAN_NO_BUILD=1 ./caravan` cannot see them). aws: /usr/bin/aws (Debian's v2) when installed, else
# `apt-get install -y awscli`, else the aws on PATH; the table says which version ran.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
RUNS="${RUNS:-1}"
BENCH_DIR="${BENCH_DIR:-/tmp/caravan-bench}"
SETS="${SETS:-small large}"
TOOLS="${TOOLS:-caravan rclone aws}"
PAIRS="${PAIRS:-local-s3 s3-azure s3-s3}"
HEAP="${CARAVAN_HEAP:-256m}"
OUT="${1:-$BENCH_DIR/cloud-results.md}"
# shellcheck source=scripts/bench-s3.sh
. scripts/bench-s3.sh
# shellcheck source=scripts/bench-cli.sh
. "$ROOT/scripts/bench-cli.sh"
AZ_ACCOUNT=devstoreaccount1
AZ_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
AZ_EP="http://127.0.0.1:18010/$AZ_ACCOUNT"
AZ_CS="DefaultEndpointsProtocol=http;AccountName=$AZ_ACCOUNT;AccountKey=$AZ_KEY;BlobEndpoint=$AZ_EP;"
mkdir -p "$BENCH_DIR"
scripts/servers/s3proxy.sh start >/dev/null
if [ "${BENCH_FRESH_AZURITE:-1}" = 1 ]; then scripts/servers/azurite.sh stop >/dev/null 2>&1 || true; fi
scripts/servers/azurite.sh start >/dev/null
scripts/gen-bench-data.sh "$BENCH_DIR/data" >/dev/null

# --- tools -------------------------------------------------------------------------------------------------------
command -v rclone >/dev/null || apt-get install -y rclone >/dev/null
if [ ! -x /usr/bin/aws ]; then apt-get install -y awscli >/dev/null 2>&1 || true; fi
AWS_BIN="${AWS_BIN:-$( [ -x /usr/bin/aws ] && echo /usr/bin/aws || command -v aws || true)}"
AWS_VERSION="$($AWS_BIN --version 2>&1 | head -1 || echo none)"

CP_FILE="$BENCH_DIR/caravan.cp"
CARAVAN_LABEL=caravan
if [ -n "${CARAVAN_TARGET:-}" ]; then # a copy of a built CLI: its jar and every jar of its lib/, as ./caravan runs it
  CARAVAN_TARGET="$(cd "$CARAVAN_TARGET" && pwd)"
  CARAVAN_LABEL="caravan[$(basename "$CARAVAN_TARGET")]"
  CP_FILE="$BENCH_DIR/caravan-$(printf '%s' "$CARAVAN_TARGET" | md5sum | cut -c1-10).cp"
  { ls "$CARAVAN_TARGET"/caravan-cli-*.jar | grep -v sources | head -1; ls "$CARAVAN_TARGET"/lib/*.jar; } | paste -sd: > "$CP_FILE"
elif [ ! -s "$CP_FILE" ]; then
  for m in framework/cli connectors/s3 connectors/azure-blob; do
    mvn -q -o dependency:build-classpath -f "$m/pom.xml" -Dmdep.includeScope=runtime -Dmdep.outputFile="$BENCH_DIR/cp.$(basename $m)" >/dev/null
  done
  { ls "$ROOT"/framework/cli/target/caravan-cli-*.jar | grep -v sources | head -1
    ls "$HOME"/.m2/repository/dev/caravan/caravan-connector-s3/0.1.0-SNAPSHOT/caravan-connector-s3-0.1.0-SNAPSHOT.jar
    ls "$HOME"/.m2/repository/dev/caravan/caravan-connector-azure-blob/0.1.0-SNAPSHOT/caravan-connector-azure-blob-0.1.0-SNAPSHOT.jar
    for f in cli s3 azure-blob; do tr ':' '\n' < "$BENCH_DIR/cp.$f"; echo; done; } | awk 'NF && !seen[$0]++' | paste -sd: > "$CP_FILE"
fi
# JVM flags as the launcher `./caravan` sets them (scripts/jvm-flags.sh: serial collector, young generation, JIT) and an application class-data archive (AppCDS)
# made once by an unmeasured run (the launcher makes it on the first real command after a build), plus
# CARAVAN_JAVA_OPTS (the launcher's variable; the table header shows what ran).
# (a string, since the tools run as exported functions in a child bash; BENCH_DIR must not contain spaces).
JSA="$BENCH_DIR/caravan-$({ tr ':' '\n' < "$CP_FILE" | xargs ls -ld --time-style=+%s 2>/dev/null || true; } | md5sum | cut -c1-10).jsa"
# shellcheck source=scripts/jvm-flags.sh
. "$ROOT/scripts/jvm-flags.sh" # the launcher's collector and JIT flags
CARAVAN_JVM="-Xmx$HEAP ${CARAVAN_GC_FLAGS[*]} ${CARAVAN_JIT_FLAGS[*]}"
# shellcheck disable=SC2086 # flag lists
caravan() { java $CARAVAN_JVM ${CARAVAN_JAVA_OPTS:-} -cp "$(cat "$CP_FILE")" dev.caravan.cli.Main \
  --home "$BENCH_DIR/caravan-home" --no-progress --quiet "$@"; }
AZT=(--target-option "connectionString=$AZ_CS" --target-option createContainer=true)

# rclone config: s3 remote, azure remote through an account SAS URL (rclone 1.60 cannot point azureblob at a port)
sas() {
  local sv=2019-12-12 ss=b srt=sco sp=racwdlup se=2030-01-01T00:00:00Z spr=https,http sig
  sig="$(printf '%s\n%s\n%s\n%s\n\n%s\n\n%s\n%s\n' "$AZ_ACCOUNT" "$sp" "$ss" "$srt" "$se" "$spr" "$sv" |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(printf '%s' "$AZ_KEY" | base64 -d | xxd -p -c 256)" -binary | base64 -w0)"
  printf 'sv=%s&ss=%s&srt=%s&sp=%s&se=%s&spr=%s&sig=%s' "$sv" "$ss" "$srt" "$sp" "$se" "$spr" \
    "$(printf '%s' "$sig" | sed -e 's/+/%2B/g;s/\//%2F/g;s/=/%3D/g')"
}
RCLONE_CONF="$BENCH_DIR/rclone.conf"
{ rclone_s3_remote; printf '\n[az]\ntype = azureblob\nsas_url = %s?%s\n' "$AZ_EP" "$(sas)"; } > "$RCLONE_CONF"
rc() { env -u AWS_CA_BUNDLE rclone --config "$RCLONE_CONF" "$@"; }
awss3() { AWS_ACCESS_KEY_ID=$S3_ID AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=us-east-1 \
  "$AWS_BIN" --endpoint-url "$S3_EP" --no-progress --only-show-errors s3 "$@"; }
# empty bucket / container (fresh target per copy run)
s3_reset() { rc purge "s3:$1" >/dev/null 2>&1 || true; rc mkdir "s3:$1"; }
az_reset() { rc purge "az:$1" >/dev/null 2>&1 || true; rc mkdir "az:$1"; }

PURGE_LATER=() # buckets of many small files, deleted after the measurements (see the clean-up in the loop)
# The archive comes from a local -> S3 copy: the Azure SDK's jars are signed, so CDS cannot hold their classes, and
# OpenJDK 17.0.15 crashes (SIGSEGV in adjust_lambda_proxy_class_dictionary) when it dumps the archive at the end of
# an S3 -> Azure run (lambdas of excluded signed classes).
if [ "${CARAVAN_LAUNCHER:-1}" != 1 ] && [[ " $TOOLS " == *" caravan "* ]] && [ ! -s "$JSA" ]; then # an unmeasured run that loads the engine and S3
  rm -f "$BENCH_DIR"/caravan-*.jsa; s3_reset bench-cds; rm -rf "$BENCH_DIR/caravan-home"
  CARAVAN_JVM="$CARAVAN_JVM -XX:ArchiveClassesAtExit=$JSA -Xlog:cds=off -Xlog:cds+dynamic=off" \
    caravan copy "local:$BENCH_DIR/data/small" s3:bench-cds "${S3O[@]}" >/dev/null 2>&1 || rm -f "$JSA"
  PURGE_LATER+=(s3:bench-cds)
fi
if [ -s "$JSA" ]; then CARAVAN_JVM="$CARAVAN_JVM -XX:SharedArchiveFile=$JSA -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"; fi
CARAVAN_LAUNCHER="${CARAVAN_LAUNCHER:-1}"
if [ "$CARAVAN_LAUNCHER" = 1 ]; then
  # through the launcher (its flags, class-data archives and daemon) on a copy of the built CLI taken now, so that
  # builds of the working tree meanwhile change nothing; the daemon's memory is added to each row's (bench-daemons.sh)
  CT="${CARAVAN_TARGET:-}"
  if [ -z "$CT" ]; then
    CT="$BENCH_DIR/cli-snapshot-cloud"; cli_snapshot "$CT"
  fi
  # shellcheck source=scripts/bench-daemons.sh
  . "$ROOT/scripts/bench-daemons.sh"
  stop_daemons
  trap stop_daemons EXIT
  CARAVAN_JVM="(the launcher's) -Xmx$HEAP"
  caravan() { env CARAVAN_TARGET="$CT" CARAVAN_JAVA_OPTS="-Xmx$HEAP ${CARAVAN_JAVA_OPTS:-}" "$ROOT/caravan" \
    --home "$BENCH_DIR/caravan-home" --no-progress --quiet "$@"; }
  # the launcher trains its class-data archive for S3 on its first S3 command: here, unmeasured and without a daemon
  s3_reset bench-cds; CARAVAN_DAEMON=0 caravan copy "local:$BENCH_DIR/data/small" s3:bench-cds "${S3O[@]}" >/dev/null
  PURGE_LATER+=(s3:bench-cds)
  export CT HEAP ROOT
fi
caravan_cold() { CARAVAN_DAEMON=0 caravan "$@"; }
export -f caravan caravan_cold rc awss3
export BENCH_DIR HEAP CP_FILE RCLONE_CONF AWS_BIN S3_EP S3_ID S3_SECRET CARAVAN_JVM
# --- measurement -------------------------------------------------------------------------------------------------
{ echo "| tool | case | run | wall s | MiB/s | peak RSS MiB | S3Proxy CPU s | Azurite CPU s | exit |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"; } > "$OUT.rows"
# CPU seconds (user + system) a server spent while a command ran: how hard each tool makes the servers work, and
# whether a server was busy with something left over from the command before (the machine has 2 cores)
S3PROXY_PID="$(cat /tmp/caravan-servers/s3proxy-18080/pid 2>/dev/null || true)"
AZURITE_PID="$(cat /tmp/caravan-servers/azurite-18010/pid 2>/dev/null || true)"
CLK_TCK="$(getconf CLK_TCK)" # clock ticks per second, the unit of /proc/PID/stat's times
cpu_ticks() { # PID: utime + stime in clock ticks, 0 when the process is gone
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
measure() { # TOOL CASE BYTES CMD...
  local tool="$1" case="$2" bytes="$3"; shift 3
  local tf; tf="$(mktemp)"; local code=0 s3_before az_before
  # dirty pages of the command before (S3Proxy and Azurite write every object to this machine's disk) are written
  # out first, so that no command pays for the write-back of the one before it (BENCH_SYNC=0: not)
  [ "${BENCH_SYNC:-1}" = 0 ] || sync
  [ "${BENCH_SETTLE_EACH:-1}" = 0 ] || settle "${BENCH_SETTLE_EACH_MAX:-30}"
  s3_before="$(cpu_ticks "$S3PROXY_PID")"; az_before="$(cpu_ticks "$AZURITE_PID")"
  # the tools are shell functions: run them in a child bash (peak RSS = the largest process of the tree)
  /usr/bin/time -f '%e %M' -o "$tf" bash -c '"$@"' _ "$@" >"$BENCH_DIR/last.log" 2>&1 || code=$?
  local s3_cpu az_cpu
  s3_cpu="$(awk -v a="$s3_before" -v b="$(cpu_ticks "$S3PROXY_PID")" -v hz="$CLK_TCK" 'BEGIN{ printf "%.2f", (b-a)/hz }')"
  az_cpu="$(awk -v a="$az_before" -v b="$(cpu_ticks "$AZURITE_PID")" -v hz="$CLK_TCK" 'BEGIN{ printf "%.2f", (b-a)/hz }')"
  read -r wall rss < <(tail -1 "$tf"); rm -f "$tf"
  if [[ "$tool" == caravan* ]] && [ "$CARAVAN_LAUNCHER" = 1 ]; then rss=$((rss + $(daemon_hwm_kib))); fi
  local mibs; mibs="$(awk -v b="$bytes" -v w="$wall" 'BEGIN{ if (w>0 && b>0) printf "%.1f", b/1048576/w; else print "-" }')"
  echo "| $tool | $case | $run | $wall | $mibs | $((rss / 1024)) | $s3_cpu | $az_cpu | $code |" | tee -a "$OUT.rows"
}

settle() { # [MAX]: waits (unmeasured, up to MAX, default BENCH_SETTLE_MAX=180 s) until neither server uses more than
  # 10% of a core over a second: Azurite sweeps its memory for minutes after large deletions, and that work must not
  # land in the next tool's rows (BENCH_SETTLE_MAX=0: not)
  local waited=0 max="${1:-${BENCH_SETTLE_MAX:-180}}" s3a aza s3b azb
  while [ "$waited" -lt "$max" ]; do
    s3a="$(cpu_ticks "$S3PROXY_PID")"; aza="$(cpu_ticks "$AZURITE_PID")"; sleep 1; waited=$((waited + 1))
    s3b="$(cpu_ticks "$S3PROXY_PID")"; azb="$(cpu_ticks "$AZURITE_PID")"
    if [ $((s3b - s3a)) -le $((CLK_TCK / 10)) ] && [ $((azb - aza)) -le $((CLK_TCK / 10)) ]; then
      return 0
    fi
  done
  echo "bench-cloud: the servers were still busy after ${waited} s; going on" >&2
}
pair() { [[ " $PAIRS " == *" $1 "* ]]; }
noop() { # TOOL CASE CMD...: a no-change rerun, measured NOOP_REPEAT times (short rows are the noisiest)
  local tool="$1" case="$2" k; shift 2
  for k in $(seq 1 "${NOOP_REPEAT:-1}"); do measure "$tool" "$case" 0 "$@"; done
}
# Both servers start cold (S3Proxy's JIT, Azurite's V8 and its in-memory store): the first tool of run 1 would pay
# for warming them up. An unmeasured rclone copy of the small set to each, then deleted, does that for every tool.
if [ "${BENCH_WARM_SERVERS:-1}" = 1 ] && [ -d "$BENCH_DIR/data/small" ]; then
  s3_reset bench-warm-up; az_reset bench-warm-up
  rc copy "$BENCH_DIR/data/small" s3:bench-warm-up >/dev/null 2>&1 || true
  rc copy s3:bench-warm-up az:bench-warm-up >/dev/null 2>&1 || true
  rc purge s3:bench-warm-up >/dev/null 2>&1 || true; rc purge az:bench-warm-up >/dev/null 2>&1 || true
  settle
fi
for run in $(seq 1 "$RUNS"); do
  for set in $SETS; do
    SRC="$BENCH_DIR/data/$set"; BYTES="$(du -sb "$SRC" | cut -f1)"
    read -r -a ORDER <<< "$TOOLS"
    if [ "${BENCH_ROTATE:-1}" = 1 ]; then
      k=$(( (run - 1) % ${#ORDER[@]} )); ORDER=("${ORDER[@]:k}" "${ORDER[@]:0:k}")
    fi
    for tool in "${ORDER[@]}"; do
      # names of their own per run: see the clean-up below
      B="bench-$tool-$set-$run"; B2="bench-$tool-$set-$run-copy"; C="bench-$tool-$set-$run"
      s3_reset "$B"; s3_reset "$B2"; az_reset "$C"
      case "$tool" in
        caravan|caravan-cold)
          CARAVAN_LABEL_RUN="$CARAVAN_LABEL"; CMD=caravan
          if [ "$tool" = caravan-cold ]; then CARAVAN_LABEL_RUN="$CARAVAN_LABEL (no daemon)"; CMD=caravan_cold; fi
          rm -rf "$BENCH_DIR/caravan-home"
          measure "$CARAVAN_LABEL_RUN" "$set: local->s3 copy" "$BYTES" "$CMD" copy "local:$SRC" "s3:$B" "${S3O[@]}" --transfers 16
          if pair local-s3; then
            noop "$CARAVAN_LABEL_RUN" "$set: local->s3 no-op re-run" "$CMD" copy "local:$SRC" "s3:$B" "${S3O[@]}" --transfers 16
            measure "$CARAVAN_LABEL_RUN" "$set: verify local vs s3" 0 "$CMD" verify "local:$SRC" "s3:$B" "${S3O[@]}"
          fi
          if pair s3-azure; then
            measure "$CARAVAN_LABEL_RUN" "$set: s3->azure copy" "$BYTES" "$CMD" copy "s3:$B" "azblob:$C" "${S3S[@]}" "${AZT[@]}" --transfers 8
            noop "$CARAVAN_LABEL_RUN" "$set: s3->azure no-op re-run" "$CMD" copy "s3:$B" "azblob:$C" "${S3S[@]}" "${AZT[@]}" --transfers 8
            measure "$CARAVAN_LABEL_RUN" "$set: verify s3 vs azure" 0 "$CMD" verify "s3:$B" "azblob:$C" "${S3S[@]}" "${AZT[@]}"
          fi
          if pair s3-s3; then
            measure "$CARAVAN_LABEL_RUN" "$set: s3->s3 server-side" "$BYTES" "$CMD" copy "s3:$B" "s3:$B2" "${S3S[@]}" "${S3O[@]}" --transfers 16
          fi ;;
        rclone)
          measure rclone "$set: local->s3 copy" "$BYTES" rc copy "$SRC" "s3:$B"
          if pair local-s3; then
            noop rclone "$set: local->s3 no-op re-run" rc copy "$SRC" "s3:$B"
            measure rclone "$set: verify local vs s3" 0 rc check --one-way "$SRC" "s3:$B"
          fi
          if pair s3-azure; then
            measure rclone "$set: s3->azure copy" "$BYTES" rc copy "s3:$B" "az:$C"
            noop rclone "$set: s3->azure no-op re-run" rc copy "s3:$B" "az:$C"
            measure rclone "$set: verify s3 vs azure" 0 rc check --one-way "s3:$B" "az:$C"
          fi
          if pair s3-s3; then
            measure rclone "$set: s3->s3 server-side" "$BYTES" rc copy "s3:$B" "s3:$B2"
          fi ;;
        aws)
          [ -n "$AWS_BIN" ] || continue
          measure "aws ($AWS_VERSION)" "$set: local->s3 sync" "$BYTES" awss3 sync "$SRC" "s3://$B/"
          if pair local-s3; then noop "aws ($AWS_VERSION)" "$set: local->s3 no-op re-run" awss3 sync "$SRC" "s3://$B/"; fi
          if pair s3-s3; then measure "aws ($AWS_VERSION)" "$set: s3->s3 sync (server-side)" "$BYTES" awss3 sync "s3://$B/" "s3://$B2/"; fi ;;
      esac
      # give the space back (Azurite keeps blobs in memory; its extent sweep after large deletions blocks it for
      # minutes, see scripts/servers/azurite.sh): KEEP=1 keeps the benchmark's buckets and containers to look at
      # S3Proxy keeps each object in a file on this machine's root file system, ext4 without a journal, where creating
      # a file skips, one by one, the inodes freed in the last 5 s (up to 5 min while their inode table is dirty): a
      # set of many small files is deleted at the end of the benchmark, not just before the next tool's copy (where
      # it added up to a second of S3Proxy's system time to whichever tool came next)
      if [ "${KEEP:-0}" != 1 ]; then
        if [ "$(find "$SRC" -type f | wc -l)" -lt 100 ]; then
          rc purge "s3:$B" >/dev/null 2>&1 || true; rc purge "s3:$B2" >/dev/null 2>&1 || true
        else
          PURGE_LATER+=("s3:$B" "s3:$B2")
        fi
        rc purge "az:$C" >/dev/null 2>&1 || true
      fi
      settle
    done
  done
done
for b in ${PURGE_LATER[@]+"${PURGE_LATER[@]}"}; do rc purge "$b" >/dev/null 2>&1 || true; done
{ echo "Cloud benchmark $(date -u +%FT%TZ), RUNS=$RUNS, tool order $([ "${BENCH_ROTATE:-1}" = 1 ] && echo "rotated each run" || echo "as TOOLS"), $(nproc) cores; rclone $(rclone version | head -1 | awk '{print $2}'), aws: $AWS_VERSION, Caravan JVM: $CARAVAN_JVM ${CARAVAN_JAVA_OPTS:-}, Caravan: ${CARAVAN_TARGET:-class path of framework/cli/target and the installed connectors}"
  echo; echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare rows of one run, not runs)"
  echo; cat "$OUT.rows"; } > "$OUT"
echo "results: $OUT"
