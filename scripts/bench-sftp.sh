#!/usr/bin/env bash
# scripts/bench-sftp.sh: local directory -> SFTP server, Caravan side by side with rclone and scp -r in ONE run.
#
# Server: Debian's OpenSSH in a test configuration on 127.0.0.1:18022 (scripts/servers/sshd.sh, started here when
# it is not running and stopped again at the end in that case). Every tool logs in with the same test user and
# ECDSA key and checks the same known_hosts file; all write into the user's login directory.
# Sets (scripts/gen-bench-data.sh): small = 2,000 files of 4-64 KiB in 20 folders; large = 4 x 256 MiB.
# Cases per tool and set: "copy" into a freshly emptied target directory, RUNS times (tools interleaved run by run
# so load noise hits all of them alike), then "no-op" = the same copy again onto the full target (not for scp,
# which has no incremental mode). Page cache dropped before every measured command where allowed.
#
# Caravan runs through the ./caravan launcher (its JVM flags and class-data archive, as users run it) as
# `caravan copy local:SRC sftp:USER@127.0.0.1:18022/~/DIR --target-option privateKey=... --target-option
# knownHosts=...`, on a copy of the built command line taken when the benchmark starts (CARAVAN_TARGET, see
# ./caravan: framework/cli/target's caravan-cli-*.jar and lib/), with lib/'s sftp connector replaced by
# connectors/sftp/target's jar, so a connector change needs only `mvn -o install -f connectors/sftp/pom.xml` and
# builds in the shared working tree during the run change nothing. Every tool verifies what it wrote its own way:
# rclone runs md5sum on the server (auto-detected; -vv shows it), Caravan compares SHA-256 (computed by the server
# with the sftp store's hashCommand for files of 1 MiB and more, else read back), scp does not verify.
# Before/after in one run (the machine's load changes too much between runs to compare them): CARAVAN_BASELINE=DIR
# (a saved copy of a CLI target: caravan-cli-*.jar and lib/ with the old connector) and
# TOOLS="caravan caravan-base rclone scp".
#
# Output: a TSV of raw rows ($RESULTS) and a Markdown table on stdout: median (min-max) seconds, MiB/s, files/s,
# peak RSS, median CPU seconds of the client (user + system; less sensitive to load than wall time; the server's
# CPU is not counted, for any tool), and the ratio to rclone (rclone median / tool median: > 1 means faster).
#
# Environment: RUNS (3), SETS ("small large"), TOOLS ("caravan rclone scp"), BENCH_DIR (/tmp/caravan-bench),
#   RESULTS (TSV path), CARAVAN_JAVA_OPTS, CARAVAN_ARGS (extra flags for caravan copy), RCLONE_ARGS,
#   SCP_ARGS, CARAVAN_FRESH_HOME (1: every copy run starts with an empty journal), CARAVAN_TARGET (the built CLI
#   to measure, used as is; default: the copy described above), CARAVAN_BASELINE (see above).
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/caravan-bench}"
RUNS="${RUNS:-3}"
SETS="${SETS:-small large}"
TOOLS="${TOOLS:-caravan rclone scp}"
CARAVAN_FRESH_HOME="${CARAVAN_FRESH_HOME:-1}"
mkdir -p "$BENCH_DIR"
RESULTS="${RESULTS:-$BENCH_DIR/bench-sftp-$(date +%Y%m%d-%H%M%S).tsv}"
CLI="$ROOT/framework/cli/target"
# shellcheck source=scripts/bench-cli.sh
. "$ROOT/scripts/bench-cli.sh"
SFTP="$ROOT/connectors/sftp/target"
TMPD="$BENCH_DIR/tmp"
mkdir -p "$TMPD"

log() { echo "bench-sftp: $*" >&2; }

# --- prerequisites -------------------------------------------------------------------------------------
need_pkgs=()
[ -x /usr/bin/time ] || need_pkgs+=(time)
if [[ " $TOOLS " == *" rclone "* ]] && ! command -v rclone >/dev/null; then need_pkgs+=(rclone); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "missing: ${need_pkgs[*]} (apt-get install -y ${need_pkgs[*]})"; exit 1; }
  log "installing ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null; }
fi

STARTED_SSHD=0
if ! "$ROOT/scripts/servers/sshd.sh" status 2>/dev/null; then
  "$ROOT/scripts/servers/sshd.sh" start
  STARTED_SSHD=1
fi
cleanup() { if [ "$STARTED_SSHD" = 1 ]; then "$ROOT/scripts/servers/sshd.sh" stop || true; fi; }
trap cleanup EXIT
eval "$("$ROOT/scripts/servers/sshd.sh" env)"
SSH_OPTS=(-i "$CARAVAN_SFTP_KEY" -o "UserKnownHostsFile=$CARAVAN_SFTP_KNOWN_HOSTS" -o StrictHostKeyChecking=yes
          -o BatchMode=yes -P "$CARAVAN_SFTP_PORT")

if [[ " $TOOLS " == *" caravan-base "* ]] && [ -z "${CARAVAN_BASELINE:-}" ]; then
  log "tool caravan-base needs CARAVAN_BASELINE=DIR (a saved copy of framework/cli/target: jar and lib/)"; exit 2
fi
# warm_up TARGET: the launcher's first run on a target makes its class-data archive (not to be measured)
warm_up() {
  CARAVAN_NO_BUILD=1 CARAVAN_TARGET="$1" "$ROOT/caravan" --home "$BENCH_DIR/warmup-home" -q copy \
    "local:$ROOT/examples/quickstart/sample-data" "local:$BENCH_DIR/warmup-dst" >/dev/null || true
  rm -rf "$BENCH_DIR/warmup-home" "$BENCH_DIR/warmup-dst"
}
if [[ " $TOOLS " == *" caravan "* ]]; then
  if [ -z "${CARAVAN_TARGET:-}" ]; then
    if [ ! -d "$CLI/lib" ] || ! compgen -G "$CLI/caravan-cli-*.jar" >/dev/null; then
      "$ROOT/caravan" --version >/dev/null # builds the CLI on first use
    fi
    if ! compgen -G "$SFTP/caravan-connector-sftp-*.jar" >/dev/null; then
      log "building connectors/sftp"; (cd "$ROOT" && mvn -q -B -o -DskipTests install -f connectors/sftp/pom.xml >&2)
    fi
    CARAVAN_TARGET="$BENCH_DIR/cli-snapshot-sftp" # not bench-local.sh's cli-snapshot: both may run at once
    cli_snapshot "$CARAVAN_TARGET" "$CLI"
    rm -f "$CARAVAN_TARGET"/lib/caravan-connector-sftp-*.jar
    cp -p "$(ls "$SFTP"/caravan-connector-sftp-*.jar | grep -v -- '-tests' | head -1)" "$CARAVAN_TARGET/lib/"
  fi
  warm_up "$CARAVAN_TARGET"
fi
[[ " $TOOLS " == *" caravan-base "* ]] && warm_up "$CARAVAN_BASELINE"
CARAVAN=(env CARAVAN_NO_BUILD=1 CARAVAN_TARGET="${CARAVAN_TARGET:-}" "$ROOT/caravan")
CARAVAN_BASE=(env CARAVAN_NO_BUILD=1 CARAVAN_TARGET="${CARAVAN_BASELINE:-}" "$ROOT/caravan")

RCLONE_CONF="$BENCH_DIR/rclone-sftp.conf"
cat >"$RCLONE_CONF" <<CONF
[bench]
type = sftp
host = $CARAVAN_SFTP_HOST
port = $CARAVAN_SFTP_PORT
user = $CARAVAN_SFTP_USER
key_file = $CARAVAN_SFTP_KEY
known_hosts_file = $CARAVAN_SFTP_KNOWN_HOSTS
CONF

"$ROOT/scripts/gen-bench-data.sh" "$BENCH_DIR/data"

# --- helpers -------------------------------------------------------------------------------------------
DROP=no
drop_caches() { sync; if echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then DROP=yes; fi; }

tree_stats() { find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{n++; b+=$1} END {printf "%d %d\n", n, b}'; }

# command_for TOOL CASE SRC DIR: sets CMD (DIR is relative to the login directory)
command_for() {
  local tool="$1" kase="$2" src="$3" dir="$4"
  case "$tool" in
    caravan|caravan-base)
      local launcher=("${CARAVAN[@]}")
      [ "$tool" = caravan-base ] && launcher=("${CARAVAN_BASE[@]}")
      CMD=("${launcher[@]}" --home "$BENCH_DIR/$tool-home-sftp-$SET" -q --no-progress copy ${CARAVAN_ARGS:-}
           "local:$src" "sftp:$CARAVAN_SFTP_USER@$CARAVAN_SFTP_HOST:$CARAVAN_SFTP_PORT/~/$dir"
           --target-option "privateKey=$CARAVAN_SFTP_KEY" --target-option "knownHosts=$CARAVAN_SFTP_KNOWN_HOSTS") ;;
    rclone) CMD=(rclone --config "$RCLONE_CONF" -q ${RCLONE_ARGS:-} copy "$src" "bench:$dir") ;;
    scp) CMD=(scp -q -r ${SCP_ARGS:-} "${SSH_OPTS[@]}" "$src" "$CARAVAN_SFTP_USER@$CARAVAN_SFTP_HOST:$dir") ;;
    *) log "unknown tool $tool"; exit 2 ;;
  esac
}

measure() {
  local tool="$1" kase="$2" run="$3" src="$4" dir="$5"
  command_for "$tool" "$kase" "$src" "$dir"
  drop_caches
  local tfile="$TMPD/time.$$" out="$TMPD/out.$$" start end rc=0 secs rss usr sys cpu load note files bytes
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start="$(date +%s.%N)"
  /usr/bin/time -f '%M %U %S' -o "$tfile" "${CMD[@]}" >"$out" 2>&1 || rc=$?
  end="$(date +%s.%N)"
  secs="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')"
  read -r rss usr sys <<<"$(tail -n 1 "$tfile" 2>/dev/null || echo '0 0 0')"
  cpu="$(awk -v u="${usr:-0}" -v s="${sys:-0}" 'BEGIN {printf "%.2f", u + s}')"
  read -r files bytes <<<"$SRC_STATS"
  note=ok
  if [ "$rc" != 0 ]; then
    note="exit $rc: $(tail -n 1 "$out" | tr '\t\n' '  ' | cut -c1-200)"
  elif [ "$(tree_stats "$CARAVAN_SFTP_DATA/$dir")" != "$SRC_STATS" ]; then
    note="INCOMPLETE target: $(tree_stats "$CARAVAN_SFTP_DATA/$dir") vs source $SRC_STATS"
  fi
  printf 'sftp\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$SET" "$kase" "$run" "$secs" "$bytes" \
    "$files" "$rss" "$rc" "$load" "$note" "$cpu" >>"$RESULTS"
  log "$(printf '%-12s %-12s run %s: %7.2f s  cpu %6.2f s  rss %7d KiB  load %s  %s' "$tool" "$SET $kase" "$run" \
    "$secs" "$cpu" "$rss" "$load" "$note")"
  rm -f "$tfile" "$out"
}

settings_row() { printf 'settings\t%s\t%s\t\t\t\t\t\t\t\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

summary() { # the Markdown table of the sftp rows
  local f="$1"
  echo "| case | tool | median s (min-max) | MiB/s | files/s | peak RSS MiB | CPU s | rclone / tool | ok runs |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '$1 == "sftp" {
      key = $3 SUBSEP $2; total[key]++; bytes[key] = $6; files[key] = $7
      if ($8 > rss[key]) rss[key] = $8
      if ($9 == 0 && $11 == "ok") { ok[key]++; t[key, ok[key]] = $5; c[key, ok[key]] = $12 }
      if (!(($3) in seenc)) { seenc[$3] = 1; cases[++nc] = $3 }
      if (!(($2) in seent)) { seent[$2] = 1; tools[++nt] = $2 }
    }
    function cmedian(key,   n, i, j, a, tmp) {
      n = ok[key]; if (n == 0) return -1
      for (i = 1; i <= n; i++) a[i] = c[key, i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function median(key,   n, i, j, a, tmp) {
      n = ok[key]; if (n == 0) return -1
      for (i = 1; i <= n; i++) a[i] = t[key, i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
      lo[key] = a[1]; hi[key] = a[n]
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      for (cc = 1; cc <= nc; cc++) {
        ref = median(cases[cc] SUBSEP "rclone")
        for (k = 1; k <= nt; k++) {
          key = cases[cc] SUBSEP tools[k]
          if (!(key in total)) continue
          m = median(key)
          if (m < 0) { printf "| %s | %s | failed | | | %.0f | | | %d/%d |\n", cases[cc], tools[k], rss[key] / 1024, ok[key], total[key]; continue }
          printf "| %s | %s | %.2f (%.2f-%.2f) | %.1f | %.0f | %.0f | %.2f | %s | %d/%d |\n", cases[cc], tools[k], m, lo[key], hi[key],
            bytes[key] / 1048576 / m, files[key] / m, rss[key] / 1024, cmedian(key), (ref > 0 ? sprintf("%.2f", ref / m) : "-"),
            ok[key], total[key]
        }
      }
    }' "$f"
}

# --- run -----------------------------------------------------------------------------------------------
printf 'suite\ttool\tcase\trun\tseconds\tbytes\tfiles\tpeak_rss_kib\texit\tload1\tnote\tcpu_seconds\n' >"$RESULTS"
settings_row machine "$(nproc) cpus" "$(uname -r); $(awk '/MemTotal/ {print $2 " kB RAM"}' /proc/meminfo)"
settings_row server "$(/usr/sbin/sshd -V 2>&1 | head -1 || true)" "sshd.sh test config on $CARAVAN_SFTP_HOST:$CARAVAN_SFTP_PORT, internal-sftp, ECDSA key login, commands allowed (shell /bin/sh)"
[[ " $TOOLS " == *" caravan "* ]] && settings_row caravan "$("${CARAVAN[@]}" --version | tr '\n' ' ')" \
  "caravan copy ${CARAVAN_ARGS:-} (defaults: --transfers 4 --verify sha256; sftp sessions=4, bufferSize=32k, hashCommand=auto) from $CARAVAN_TARGET"
[[ " $TOOLS " == *" caravan-base "* ]] && settings_row caravan-base "$("${CARAVAN_BASE[@]}" --version | tr '\n' ' ')" \
  "the same command on the saved build $CARAVAN_BASELINE"
[[ " $TOOLS " == *" rclone "* ]] && settings_row rclone "$(rclone version 2>/dev/null | head -1)" \
  "rclone copy ${RCLONE_ARGS:-} (defaults: --transfers 4 --checkers 8)"
[[ " $TOOLS " == *" scp "* ]] && settings_row scp "$(ssh -V 2>&1)" "scp -r (SFTP protocol, one connection, sequential)"

for SET in $SETS; do
  SRC="$BENCH_DIR/data/$SET"
  SRC_STATS="$(tree_stats "$SRC")"
  log "set $SET: $SRC_STATS (files bytes)"
  for ((run = 1; run <= RUNS; run++)); do
    for tool in $TOOLS; do
      dir="bench-$tool-$SET"
      rm -rf "${CARAVAN_SFTP_DATA:?}/$dir"
      if [ "$tool" = caravan ] && [ "$CARAVAN_FRESH_HOME" = 1 ]; then rm -rf "$BENCH_DIR/caravan-home-sftp-$SET"; fi
      measure "$tool" copy "$run" "$SRC" "$dir"
    done
  done
  for ((run = 1; run <= RUNS; run++)); do
    for tool in $TOOLS; do
      [ "$tool" = scp ] && continue
      measure "$tool" no-op "$run" "$SRC" "bench-$tool-$SET"
    done
  done
  for tool in $TOOLS; do rm -rf "${CARAVAN_SFTP_DATA:?}/bench-$tool-$SET"; done
done
settings_row drop_caches "$DROP" "echo 3 > /proc/sys/vm/drop_caches before every measured command"
log "raw rows: $RESULTS"
summary "$RESULTS"
