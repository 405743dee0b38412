#!/usr/bin/env bash
# scripts/bench-local.sh: local directory -> local directory, Caravan side by side with rclone and cp -r in ONE run.
#
# Sets (scripts/gen-bench-data.sh): small = 2,000 files of 4-64 KiB in 20 folders; large = 4 x 256 MiB.
# Cases per tool and set: "copy" into a new empty target directory, RUNS times (tools interleaved run by run so load
# noise hits all of them alike; targets are deleted after the set, see below), then "no-op" = the same copy again
# onto the last full target, RUNS times.
# Page cache: `sync; echo 3 > /proc/sys/vm/drop_caches` before every measured command (ignored where not allowed;
# the settings rows record whether it worked).
# Caravan runs through the ./caravan launcher (its JVM flags and class-data archive, without its build check) so
# its JVM start-up is measured; it runs a copy of the built command line taken when the benchmark starts
# (CARAVAN_TARGET, see ./caravan), so builds in the shared working tree during the run change nothing. With
# CARAVAN_FRESH_HOME=1 (default) every copy run starts with an empty journal.
# The launcher's daemon (docs/cli.md): tool "caravan" runs as users run it, so its first command of a set starts a
# daemon (the set's run 1 pays the JVM's start) and the later ones run in it; the daemon's CPU time during a command is
# added to the command's CPU seconds and its peak RSS (VmHWM, the whole life of the daemon) to the command's peak RSS.
# Tool "caravan-cold" runs every command in a fresh JVM (CARAVAN_DAEMON=0). Daemons live in $BENCH_DIR/daemons and
# are stopped at the end.
# Before/after in one run (the machine's load changes too much between runs to compare them): CARAVAN_BASELINE=DIR
# (a saved copy of framework/cli/target: caravan-cli-*.jar and lib/) and TOOLS="caravan caravan-base rclone cp";
# CARAVAN_BASELINE_LAUNCHER=FILE runs the baseline with another launcher script (e.g. the old one from git, in a
# directory whose framework/cli/target is the saved build; it is run with CARAVAN_NO_BUILD=1).
#
# Output: a TSV of raw rows ($RESULTS) and a Markdown table on stdout with median (min-max) seconds, MiB/s,
# files/s, peak RSS, CPU seconds (user + system, less sensitive to load than wall time) and the ratios to rclone
# (rclone median / tool median: > 1 means faster than rclone).
#
# Environment: RUNS (3), SETS ("small large"), TOOLS ("caravan caravan-cold rclone cp"), BENCH_DIR (/tmp/caravan-bench),
#   RESULTS (TSV path), CARAVAN_JAVA_OPTS, CARAVAN_ARGS (extra flags for caravan copy), RCLONE_ARGS,
#   CARAVAN_FRESH_HOME (1), CARAVAN_TARGET (the built CLI to measure; default: a copy of framework/cli/target,
#   built first if needed), CARAVAN_BASELINE and CARAVAN_BASELINE_LAUNCHER (see above).
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/caravan-bench}"
RUNS="${RUNS:-3}"
SETS="${SETS:-small large}"
TOOLS="${TOOLS:-caravan caravan-cold rclone cp}"
CARAVAN_FRESH_HOME="${CARAVAN_FRESH_HOME:-1}"
mkdir -p "$BENCH_DIR"
RESULTS="${RESULTS:-$BENCH_DIR/bench-local-$(date +%Y%m%d-%H%M%S).tsv}"
CLI="$ROOT/framework/cli/target"
TMPD="$BENCH_DIR/tmp"
mkdir -p "$TMPD"

log() { echo "bench: $*" >&2; }

# --- the launcher's daemons ----------------------------------------------------------------------------
# shellcheck source=scripts/bench-daemons.sh
. "$ROOT/scripts/bench-daemons.sh"
# shellcheck source=scripts/bench-cli.sh
. "$ROOT/scripts/bench-cli.sh"
stop_daemons
trap stop_daemons EXIT

# --- prerequisites -------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing GNU time"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
  else
    log "GNU time (/usr/bin/time) is needed: apt-get install -y time"; exit 1
  fi
fi
if [[ " $TOOLS " == *" rclone "* ]] && ! command -v rclone >/dev/null; then
  log "rclone not found (apt-get install -y rclone); benchmarking without it"
  TOOLS="${TOOLS//rclone/}"
fi
if [[ " $TOOLS " == *" caravan-base "* ]] && [ -z "${CARAVAN_BASELINE:-}" ]; then
  log "tool caravan-base needs CARAVAN_BASELINE=DIR (a saved copy of framework/cli/target)"; exit 2
fi
# warm_up TARGET [LAUNCHER]: the launcher's first copy makes the class-data archive (the classes a copy loads)
warm_up() {
  CARAVAN_DAEMON=0 CARAVAN_NO_BUILD=1 CARAVAN_TARGET="$1" "${2:-$ROOT/caravan}" --home "$BENCH_DIR/warmup-home" -q copy \
    "local:$ROOT/examples/quickstart/sample-data" "local:$BENCH_DIR/warmup-dst" >/dev/null || true
  rm -rf "$BENCH_DIR/warmup-home" "$BENCH_DIR/warmup-dst"
}
if [[ " $TOOLS " == *" caravan "* ]]; then
  if [ -z "${CARAVAN_TARGET:-}" ]; then
    "$ROOT/caravan" --version >/dev/null # builds on first use
    CARAVAN_TARGET="$BENCH_DIR/cli-snapshot"; cli_snapshot "$CARAVAN_TARGET" "$CLI"
  fi
  warm_up "$CARAVAN_TARGET"
fi
[[ " $TOOLS " == *" caravan-base "* ]] && warm_up "$CARAVAN_BASELINE" "${CARAVAN_BASELINE_LAUNCHER:-}"
# the launcher, as users run it (JVM flags and class-data archive included), on a fixed copy of the build
CARAVAN=(env CARAVAN_TARGET="${CARAVAN_TARGET:-}" "$ROOT/caravan")
CARAVAN_BASE=(env CARAVAN_NO_BUILD=1 CARAVAN_TARGET="${CARAVAN_BASELINE:-}" "${CARAVAN_BASELINE_LAUNCHER:-$ROOT/caravan}")
: >"$BENCH_DIR/rclone.conf" # empty config: no remotes, nothing written to ~/.config

"$ROOT/scripts/gen-bench-data.sh" "$BENCH_DIR/data"

# --- helpers -------------------------------------------------------------------------------------------
DROP=no
drop_caches() {
  sync
  if echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then DROP=yes; fi
}

# tree_stats DIR -> "FILES BYTES" (regular files)
tree_stats() {
  find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{n++; b+=$1} END {printf "%d %d\n", n, b}'
}

# command_for TOOL CASE SRC DST: sets CMD (array)
command_for() {
  local tool="$1" kase="$2" src="$3" dst="$4"
  case "$tool" in
    caravan) CMD=("${CARAVAN[@]}" --home "$BENCH_DIR/caravan-home-$SET" -q --no-progress copy ${CARAVAN_ARGS:-}
                  "local:$src" "local:$dst") ;;
    caravan-cold) CMD=(env CARAVAN_DAEMON=0 "${CARAVAN[@]}" --home "$BENCH_DIR/caravan-cold-home-$SET" -q --no-progress
                  copy ${CARAVAN_ARGS:-} "local:$src" "local:$dst") ;;
    caravan-base) CMD=("${CARAVAN_BASE[@]}" --home "$BENCH_DIR/caravan-base-home-$SET" -q --no-progress copy
                  ${CARAVAN_ARGS:-} "local:$src" "local:$dst") ;;
    rclone) CMD=(env -u AWS_CA_BUNDLE rclone --config "$BENCH_DIR/rclone.conf" -q ${RCLONE_ARGS:-} copy "$src" "$dst") ;;
    cp) if [ "$kase" = copy ]; then CMD=(cp -r "$src/." "$dst/"); else CMD=(cp -ru "$src/." "$dst/"); fi ;;
    *) log "unknown tool $tool"; exit 2 ;;
  esac
}

# measure TOOL CASE RUN SRC DST: runs the command once and appends a TSV row
measure() {
  local tool="$1" kase="$2" run="$3" src="$4" dst="$5"
  command_for "$tool" "$kase" "$src" "$dst"
  drop_caches
  local tfile="$TMPD/time.$$" out="$TMPD/out.$$" start end rc=0 secs rss cpu load note files bytes
  load="$(cut -d' ' -f1 /proc/loadavg)"
  local ticks0; ticks0="$(daemon_ticks)"
  start="$(date +%s.%N)"
  /usr/bin/time -f '%M %U %S' -o "$tfile" "${CMD[@]}" >"$out" 2>&1 || rc=$?
  end="$(date +%s.%N)"
  secs="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')"
  read -r rss cpu <<<"$(tail -n 1 "$tfile" 2>/dev/null | awk 'NF == 3 {printf "%s %.2f", $1, $2 + $3; exit}
    {print "0 0"}')"
  if [ "$tool" = caravan ] || [ "$tool" = caravan-base ]; then # the daemon's share (none when it ran elsewhere)
    local hz; hz="$(getconf CLK_TCK)"
    cpu="$(awk -v c="$cpu" -v a="$ticks0" -v b="$(daemon_ticks)" -v hz="$hz" 'BEGIN {printf "%.2f", c + (b - a) / hz}')"
    rss=$((rss + $(daemon_hwm_kib)))
  fi
  read -r files bytes <<<"$SRC_STATS"
  note=ok
  if [ "$rc" != 0 ]; then
    note="exit $rc: $(tail -n 1 "$out" | tr '\t\n' '  ' | cut -c1-200)"
  elif [ "$(tree_stats "$dst")" != "$SRC_STATS" ]; then
    note="INCOMPLETE target: $(tree_stats "$dst") vs source $SRC_STATS"
  fi
  printf 'local\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$SET" "$kase" "$run" "$secs" "$bytes" \
    "$files" "$rss" "$rc" "$load" "$note" "$cpu" >>"$RESULTS"
  log "$(printf '%-12s %-12s run %s: %6.2f s  cpu %5.2f s  rss %6d KiB  %s' "$tool" "$SET $kase" "$run" "$secs" \
    "$cpu" "$rss" "$note")"
  rm -f "$tfile" "$out"
}

settings_row() { printf 'settings\t%s\t%s\t\t\t\t\t\t\t\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

noise_probe() { # CPU noise: sha256sum of 256 MiB from the page cache
  local f="$BENCH_DIR/noise.bin" start end
  [ -f "$f" ] || head -c 268435456 /dev/zero >"$f"
  cat "$f" >/dev/null
  start="$(date +%s.%N)"; sha256sum "$f" >/dev/null; end="$(date +%s.%N)"
  printf 'noise\tsha256sum\t256MiB page cache\t%s\t%s\t268435456\t1\t\t0\t%s\t%s\n' "$1" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')" "$(cut -d' ' -f1 /proc/loadavg)" \
    "cpu probe" >>"$RESULTS"
}

# --- run -----------------------------------------------------------------------------------------------
printf 'suite\ttool\tcase\trun\tseconds\tbytes\tfiles\tpeak_rss_kib\texit\tload1\tnote\tcpu_seconds\n' >"$RESULTS"
settings_row machine "$(nproc) cpus" "$(uname -r); $(awk '/MemTotal/ {print $2 " kB RAM"}' /proc/meminfo)"
[[ " $TOOLS " == *" caravan "* ]] && settings_row caravan "$("${CARAVAN[@]}" --version | tr '\n' ' ')" \
  "${CARAVAN[*]} copy ${CARAVAN_ARGS:-} (defaults: --transfers 4 --verify sha256 --compare size-mtime); fresh journal per copy run: $CARAVAN_FRESH_HOME"
[[ " $TOOLS " == *" caravan-base "* ]] && settings_row caravan-base "$("${CARAVAN_BASE[@]}" --version | tr '\n' ' ')" \
  "${CARAVAN_BASE[*]} copy ${CARAVAN_ARGS:-} (the baseline build); fresh journal per copy run: $CARAVAN_FRESH_HOME"
[[ " $TOOLS " == *" rclone "* ]] && settings_row rclone "$(rclone version 2>/dev/null | head -1)" \
  "rclone --config EMPTY -q copy ${RCLONE_ARGS:-} SRC DST (defaults: --transfers 4 --checkers 8)"
[[ " $TOOLS " == *" cp "* ]] && settings_row cp "$(cp --version | head -1)" "cp -r SRC/. DST/; no-op: cp -ru"
noise_probe start

for SET in $SETS; do
  SRC="$BENCH_DIR/data/$SET"
  SRC_STATS="$(tree_stats "$SRC")"
  log "set $SET: $SRC_STATS (files bytes)"
  rm -rf "$BENCH_DIR/dst-"*"-$SET-"*
  few="$(awk '{print ($1 < 100) ? 1 : 0}' <<<"$SRC_STATS")"
  for ((run = 1; run <= RUNS; run++)); do
    for tool in $TOOLS; do
      # a new target directory per run, and nothing deleted while the set is measured: on ext4 without a journal
      # (this machine's root) creating a file skips, one by one, the inodes freed in the last 5 s (up to 5 min while
      # their inode table is not yet written back), so deleting the last run's 2,000 files just before a copy added
      # up to 1.5 s of system time to whichever tool came next
      dst="$BENCH_DIR/dst-$tool-$SET-$run"
      mkdir -p "$dst"
      if [ "$CARAVAN_FRESH_HOME" = 1 ]; then
        case "$tool" in
          caravan) rm -rf "$BENCH_DIR/caravan-home-$SET" ;;
          caravan-base) rm -rf "$BENCH_DIR/caravan-base-home-$SET" ;;
          caravan-cold) rm -rf "$BENCH_DIR/caravan-cold-home-$SET" ;;
        esac
      fi
      measure "$tool" copy "$run" "$SRC" "$dst"
      # a set of a few large files keeps only the newest target (disk space; a few freed inodes cost nothing)
      [ "$few" = 1 ] && [ "$run" -gt 1 ] && rm -rf "$BENCH_DIR/dst-$tool-$SET-$((run - 1))"
    done
  done
  for ((run = 1; run <= RUNS; run++)); do
    for tool in $TOOLS; do
      measure "$tool" no-op "$run" "$SRC" "$BENCH_DIR/dst-$tool-$SET-$RUNS"
    done
  done
  rm -rf "$BENCH_DIR/dst-"*"-$SET-"*
done
noise_probe end
settings_row drop_caches "$DROP" "echo 3 > /proc/sys/vm/drop_caches before every measured command"
log "raw rows: $RESULTS"

"$ROOT/scripts/bench-summary.sh" "$RESULTS"
