#!/usr/bin/env bash
# scripts/bench-fixed-cost.sh: the fixed cost of one warm command, Caravan (./caravan with its daemon, as users run it)
# side by side with rclone: an S3 -> S3 copy of 4 objects of 1 KiB into a new bucket on the local S3Proxy
# (127.0.0.1:18080), the tools taking turns, ROUNDS rounds. What it measures is everything but the bytes: the client,
# opening the stores, listing both sides, planning, the journal, the write probe, 4 CopyObjects and the report.
# Prints per tool the median, the minimum and every time in ms, and the median ratio rclone / Caravan.
# Usage: scripts/bench-fixed-cost.sh
#   env: ROUNDS=20, BENCH_DIR=/tmp/caravan-bench, CARAVAN_HEAP=256m,
#        CARAVAN_TARGET=DIR (a copy of a built CLI: caravan-cli-*.jar and lib/; default: a copy of
#        framework/cli/target taken now, so that a build meanwhile changes nothing),
#        CARAVAN_BASELINE=DIR (a second build measured in the same rounds: before and after a change)
# docs/benchmarks.md ("the fixed cost of a command") has results.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
ROUNDS="${ROUNDS:-20}"
BENCH_DIR="${BENCH_DIR:-/tmp/caravan-bench}"
HEAP="${CARAVAN_HEAP:-256m}"
# shellcheck source=scripts/bench-s3.sh
. scripts/bench-s3.sh
# shellcheck source=scripts/bench-cli.sh
. "$ROOT/scripts/bench-cli.sh"
mkdir -p "$BENCH_DIR"
scripts/servers/s3proxy.sh start >/dev/null
command -v rclone >/dev/null || apt-get install -y rclone >/dev/null

RCLONE_CONF="$BENCH_DIR/rclone-fixed-cost.conf"
rclone_s3_remote > "$RCLONE_CONF"
rc() { env -u AWS_CA_BUNDLE rclone --config "$RCLONE_CONF" "$@"; }

NEW="${CARAVAN_TARGET:-}"
if [ -z "$NEW" ]; then
  NEW="$BENCH_DIR/cli-snapshot-fixed"; cli_snapshot "$NEW"
fi
TOOLS=(caravan rclone)
[ -n "${CARAVAN_BASELINE:-}" ] && TOOLS=(baseline caravan rclone)
# shellcheck source=scripts/bench-daemons.sh
. "$ROOT/scripts/bench-daemons.sh"
stop_daemons
trap 'stop_daemons; for b in "${BUCKETS[@]}"; do rc purge "s3:$b" >/dev/null 2>&1 || true; done' EXIT
BUCKETS=(fixed-cost-src)
car() { # BUILD ARGS...
  local build="$1"; shift
  env CARAVAN_TARGET="$build" CARAVAN_JAVA_OPTS="-Xmx$HEAP ${CARAVAN_JAVA_OPTS:-}" "$ROOT/caravan" \
    --home "$BENCH_DIR/fixed-cost-home-$(basename "$build")" --no-progress --quiet "$@"
}
one() { # TOOL BUCKET: one copy into a new bucket
  case "$1" in
    caravan) car "$NEW" copy s3:fixed-cost-src "s3:$2" "${S3S[@]}" "${S3O[@]}" --transfers 16 ;;
    baseline) car "$CARAVAN_BASELINE" copy s3:fixed-cost-src "s3:$2" "${S3S[@]}" "${S3O[@]}" --transfers 16 ;;
    rclone) rc copy s3:fixed-cost-src "s3:$2" 2>/dev/null ;;
  esac
}

src="$(mktemp -d)"
for i in 0 1 2 3; do head -c 1024 /dev/urandom > "$src/object-$i.bin"; done
rc purge s3:fixed-cost-src >/dev/null 2>&1 || true
rc mkdir s3:fixed-cost-src 2>/dev/null; rc copy "$src" s3:fixed-cost-src 2>/dev/null; rm -rf "$src"
for tool in "${TOOLS[@]}"; do # unmeasured: starts each daemon and warms it up
  for i in 1 2 3; do
    rc mkdir "s3:fixed-cost-warm-$i" 2>/dev/null; one "$tool" "fixed-cost-warm-$i"
    rc purge "s3:fixed-cost-warm-$i" >/dev/null 2>&1 || true
  done
done
times="$(mktemp)"
for round in $(seq 1 "$ROUNDS"); do
  for tool in "${TOOLS[@]}"; do
    bucket="fixed-cost-$tool-$round"; BUCKETS+=("$bucket")
    rc mkdir "s3:$bucket" 2>/dev/null
    start=$(date +%s%N); one "$tool" "$bucket"; end=$(date +%s%N)
    echo "$tool $(( (end - start) / 1000000 ))" >> "$times"
    rc purge "s3:$bucket" >/dev/null 2>&1 || true
  done
done
python3 - "$times" <<'PY'
import collections, statistics, sys
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    tool, ms = line.split()
    runs.setdefault(tool, []).append(int(ms))
for tool, ms in runs.items():
    print(f"{tool:9s} median {statistics.median(ms):7.1f} ms  min {min(ms):5d}  all {sorted(ms)}")
if "rclone" in runs and "caravan" in runs:
    print(f"ratio (rclone / caravan, medians): {statistics.median(runs['rclone']) / statistics.median(runs['caravan']):.2f}x")
PY
rm -f "$times"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
