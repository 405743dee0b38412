#!/usr/bin/env bash
# scripts/bench-startup.sh: start-up of short commands with the launcher's class-data archive (AppCDS) of two builds
# or launchers, interleaved run by run (the machine is shared: compare rows of one run, never runs), side by side with
# rclone. Cases on the small set of scripts/gen-bench-data.sh (2,000 files of 4-64 KiB): `--version`; local -> local
# copy into an empty directory and its no-change rerun; local -> S3 (S3Proxy on 127.0.0.1:18080) copy into an empty
# bucket and its no-change rerun. Wall time, CPU (user + system) and peak RSS from /usr/bin/time; the load average
# before each command is kept in the raw rows.
# Usage: scripts/bench-startup.sh [OUT.md]
# Environment: BASE=DIR and NEW=DIR (copies of framework/cli/target: caravan-cli-*.jar and lib/; default: one copy of
#   the current build for each, so only the launchers differ), BASE_LAUNCHER (default: the launcher of git HEAD, run
#   from a scratch root with HEAD's scripts/jvm-flags.sh), NEW_LAUNCHER (default: ./caravan of this checkout), RUNS=5,
#   NOOP_REPEAT=2, BENCH_DIR=/tmp/caravan-startup-bench, TOOLS="base new rclone".
# Each variant's archive is made by its own launcher's training run before the measurements (timed once, shown in
# the settings), so the rows compare what users get after a build. Also checked: -Xlog:cds of an S3 no-op rerun
# shows no "failed"/"error", and how many classes that run takes from the archive versus from jars.
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/caravan-startup-bench}"
RUNS="${RUNS:-5}"
NOOP_REPEAT="${NOOP_REPEAT:-2}"
TOOLS="${TOOLS:-base new rclone}"
OUT="${1:-$BENCH_DIR/startup-results.md}"
ROWS="$BENCH_DIR/rows.tsv"
S3_EP=http://127.0.0.1:18080 S3_ID=local-identity S3_SECRET=local-credential
mkdir -p "$BENCH_DIR"
log() { echo "bench: $*" >&2; }

"$ROOT/scripts/servers/s3proxy.sh" start >/dev/null
SETS=small "$ROOT/scripts/gen-bench-data.sh" "$BENCH_DIR/data" >/dev/null
SRC="$BENCH_DIR/data/small"
# shellcheck source=scripts/bench-cli.sh
. "$ROOT/scripts/bench-cli.sh"

snapshot() { # DIR: a copy of the current build
  [ -d "$1/lib" ] && return 0
  CARAVAN_NO_CDS=1 "$ROOT/caravan" --version >/dev/null # builds when stale
  cli_snapshot "$1"
}
BASE="${BASE:-$BENCH_DIR/base}"; NEW="${NEW:-$BENCH_DIR/new}"
snapshot "$BASE"; snapshot "$NEW"
if [ -z "${BASE_LAUNCHER:-}" ]; then
  mkdir -p "$BENCH_DIR/head-root/scripts"
  git -C "$ROOT" show HEAD:caravan >"$BENCH_DIR/head-root/caravan"; chmod +x "$BENCH_DIR/head-root/caravan"
  git -C "$ROOT" show HEAD:scripts/jvm-flags.sh >"$BENCH_DIR/head-root/scripts/jvm-flags.sh"
  # the compiler directives that jvm-flags.sh names, where HEAD has them
  git -C "$ROOT" show HEAD:scripts/jit-directives.json >"$BENCH_DIR/head-root/scripts/jit-directives.json" 2>/dev/null \
    || rm -f "$BENCH_DIR/head-root/scripts/jit-directives.json"
  BASE_LAUNCHER="$BENCH_DIR/head-root/caravan"
fi
NEW_LAUNCHER="${NEW_LAUNCHER:-$ROOT/caravan}"
launcher() { case "$1" in base) echo "$BASE_LAUNCHER";; new) echo "$NEW_LAUNCHER";; esac; }
target() { case "$1" in base) echo "$BASE";; new) echo "$NEW";; esac; }
cv() { # VARIANT ARGS...: the launcher as users run it, on a fixed copy of a build
  local v="$1"; shift
  CARAVAN_NO_BUILD=1 CARAVAN_TARGET="$(target "$v")" "$(launcher "$v")" "$@"
}

RC_CONF="$BENCH_DIR/rclone.conf"
printf '[s3]\ntype = s3\nprovider = Other\nendpoint = %s\nregion = us-east-1\nforce_path_style = true\naccess_key_id = %s\nsecret_access_key = %s\n' \
  "$S3_EP" "$S3_ID" "$S3_SECRET" >"$RC_CONF"
RC=(env -u AWS_CA_BUNDLE rclone --config "$RC_CONF" -q)
rc() { "${RC[@]}" "$@"; }
bucket_reset() { rc purge "s3:$1" >/dev/null 2>&1 || true; rc mkdir "s3:$1"; }
S3O=(--target-option endpoint=$S3_EP --target-option pathStyle=true --target-option accessKeyId=$S3_ID
  --target-option secretAccessKey=$S3_SECRET --target-option createBucket=true)

# --- archives: made by each launcher's own training (timed), then checked ---------------------------------------
: >"$ROWS"
settings=()
timed() { local a b; a="$(date +%s.%N)"; "$@" >/dev/null 2>&1 || true; b="$(date +%s.%N)"; awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", b-a}'; }
for v in base new; do
  [[ " $TOOLS " == *" $v "* ]] || continue
  t="$(target "$v")"; rm -f "$t"/caravan*.jsa "$t"/caravan*.jsa.tried
  local_s="$(timed cv "$v" --version)"
  # an argument naming s3: makes the launcher pick (and first train) its network archive, if it has one; the command
  # itself then fails at once (--version takes no arguments)
  net_s="$(timed cv "$v" --version s3:training-trigger)"
  sizes="$(cd "$t" && for f in caravan*.jsa; do [ -f "$f" ] && printf '%s %d MiB, ' "$f" "$(($(stat -c %s "$f") / 1048576))"; done)"
  settings+=("$v: training + first --version ${local_s} s; training of a network archive + first (failing) --version s3:x ${net_s} s; archives: ${sizes%, }")
done
# class sources of a no-op rerun (S3 and local), and any CDS error
for v in base new; do
  [[ " $TOOLS " == *" $v "* ]] || continue
  bucket_reset startup-check
  for kind in s3 local; do
    home="$BENCH_DIR/check-home-$v"; rm -rf "$home" "$BENCH_DIR/check-dst"
    if [ "$kind" = s3 ]; then to=(s3:startup-check "${S3O[@]}"); else to=("local:$BENCH_DIR/check-dst"); fi
    cv "$v" --home "$home" -q --no-progress copy "local:$SRC" "${to[@]}" >/dev/null
    log="$BENCH_DIR/classes-$v-$kind.log"
    CARAVAN_JAVA_OPTS="-Xlog:cds=info -Xlog:class+load=info:file=$log" \
      cv "$v" --home "$home" -q --no-progress copy "local:$SRC" "${to[@]}" >"$BENCH_DIR/cds-$v-$kind.log" 2>&1
    shared="$(grep -c 'source: shared objects file' "$log" || true)"
    total="$(grep -c 'source:' "$log" || true)"
    jars="$(grep -c 'source: \(jar\|file\):' "$log" || true)"
    errors="$(grep -ci 'failed to load\|error' "$BENCH_DIR/cds-$v-$kind.log" || true)"
    archive="$(grep -o 'Opened archive [^ ]*' "$BENCH_DIR/cds-$v-$kind.log" | tail -1 | awk '{print $3}' | sed 's/\.$//')"
    archive="${archive##*/}"
    settings+=("$v: $kind no-op rerun loads $total classes, $shared from the archives (dynamic: ${archive:-?}), $jars from jars; CDS log lines with failed/error: $errors")
    rm -rf "$home" "$BENCH_DIR/check-dst"
  done
done
rc purge s3:startup-check >/dev/null 2>&1 || true

# --- measurements ------------------------------------------------------------------------------------------------
measure() { # VARIANT CASE CMD...
  local v="$1" kase="$2"; shift 2
  local tf="$BENCH_DIR/time" load code=0
  load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >"$BENCH_DIR/last.log" 2>&1 || code=$?
  read -r wall rss user sys < <(tail -n 1 "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$kase" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" \
    "$((rss / 1024))" "$load" "$code" >>"$ROWS"
  log "$(printf '%-6s %-22s %6.2f s  rss %4d MiB  load %s  exit %s' "$v" "$kase" "$wall" "$((rss / 1024))" "$load" "$code")"
}
for run in $(seq 1 "$RUNS"); do
  for v in $TOOLS; do
    dst="$BENCH_DIR/dst-$v"; home="$BENCH_DIR/home-$v"; b="startup-$v"
    rm -rf "$dst" "$home"; bucket_reset "$b"
    if [ "$v" = rclone ]; then
      measure rclone "local copy" "${RC[@]}" copy "$SRC" "$dst"
      measure rclone "local no-op" "${RC[@]}" copy "$SRC" "$dst"
      measure rclone "local->s3 copy" "${RC[@]}" copy "$SRC" "s3:$b"
      for k in $(seq 1 "$NOOP_REPEAT"); do measure rclone "local->s3 no-op" "${RC[@]}" copy "$SRC" "s3:$b"; done
    else
      CV=(env CARAVAN_NO_BUILD=1 CARAVAN_TARGET="$(target "$v")" "$(launcher "$v")")
      measure "$v" "--version" "${CV[@]}" --version
      measure "$v" "local copy" "${CV[@]}" --home "$home" -q --no-progress copy "local:$SRC" "local:$dst"
      measure "$v" "local no-op" "${CV[@]}" --home "$home" -q --no-progress copy "local:$SRC" "local:$dst"
      rm -rf "$home"
      measure "$v" "local->s3 copy" "${CV[@]}" --home "$home" -q --no-progress copy "local:$SRC" "s3:$b" "${S3O[@]}" \
        --transfers 16
      for k in $(seq 1 "$NOOP_REPEAT"); do
        measure "$v" "local->s3 no-op" "${CV[@]}" --home "$home" -q --no-progress copy "local:$SRC" "s3:$b" \
          "${S3O[@]}" --transfers 16
      done
    fi
    rc purge "s3:$b" >/dev/null 2>&1 || true; rm -rf "$dst" "$home"
  done
done

# --- summary: medians (min-max); new/base and rclone/new ratios (< 1: new is faster than base / rclone faster) -----
{
  echo "Start-up benchmark $(date -u +%FT%TZ), RUNS=$RUNS, NOOP_REPEAT=$NOOP_REPEAT, $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo; echo "base = $BASE with $BASE_LAUNCHER; new = $NEW with $NEW_LAUNCHER; rclone $(rclone version | head -1 | awk '{print $2}')"
  echo; for s in "${settings[@]}"; do echo "- $s"; done; echo
  python3 - "$ROWS" <<'PY'
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cases = list(dict.fromkeys(r[1] for r in rows))
tools = list(dict.fromkeys(r[0] for r in rows))
def cell(t, c, i):
    v = [float(r[i]) for r in rows if r[0] == t and r[1] == c and r[6] == "0"]
    return (st.median(v), min(v), max(v), len(v)) if v else None
def fmt(x):
    return "-" if x is None else f"{x[0]:.2f} ({x[1]:.2f}-{x[2]:.2f})"
print("| case | " + " | ".join(f"{t} wall s" for t in tools) + " | new/base wall | rclone/new wall | "
      + " | ".join(f"{t} CPU s" for t in tools if t != "rclone") + " | "
      + " | ".join(f"{t} RSS MiB" for t in tools if t != "rclone") + " |")
print("|" + " --- |" * (3 + len(tools) + 2 * len([t for t in tools if t != "rclone"])))
for c in cases:
    w = {t: cell(t, c, 2) for t in tools}
    ratio = lambda a, b: f"{w[a][0] / w[b][0]:.2f}" if w.get(a) and w.get(b) else "-"
    print(f"| {c} | " + " | ".join(fmt(w[t]) for t in tools) + f" | {ratio('new', 'base')} | {ratio('rclone', 'new')} | "
          + " | ".join(fmt(cell(t, c, 3)) for t in tools if t != "rclone") + " | "
          + " | ".join(fmt(cell(t, c, 4)) for t in tools if t != "rclone") + " |")
failed = [r for r in rows if r[6] != "0"]
if failed:
    print(f"\n{len(failed)} command(s) failed and are left out: " + "; ".join(f"{r[0]} {r[1]} exit {r[6]}" for r in failed))
loads = [float(r[5]) for r in rows]
print(f"\nLoad average (1 min) before the commands: median {st.median(loads):.2f}, {min(loads):.2f}-{max(loads):.2f}.")
PY
} >"$OUT"
cat "$OUT"
