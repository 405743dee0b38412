#!/usr/bin/env bash
# scripts/bench-db.sh: SQLite -> PostgreSQL, 1,000,000 rows, side by side in one run:
#   caravan   the record engine + jdbc connector (COPY into PostgreSQL), java -Xmx256m
#   pgloader  Debian's pgloader with its defaults
#   copy      psql \copy of the same rows exported as CSV (the practical limit; CSV export not timed)
# and prints seconds, rows/s, peak RSS, ratios, and what each tool made of a REAL value and a NOT NULL column.
#
#   scripts/bench-db.sh                 # ROWS=1000000 RUNS=1
#   ROWS=200000 RUNS=3 scripts/bench-db.sh
#   scripts/bench-db.sh save-baseline DIR      # keep the current build (jars + class path) aside ...
#   BASELINE_DIR=DIR RUNS=5 scripts/bench-db.sh # ... and time it as "baseline" in every round, interleaved
#
# Environment: ROWS, RUNS (median of N), BENCH_DIR (/tmp/caravan-bench-db), CARAVAN_PG_PORT (18032),
#   JAVA_OPTS (-Xmx256m and the flags the caravan launcher gives a table migration, from scripts/jvm-flags.sh), PARALLELISM (parallelism and splits per table; default: Caravan's own), VERIFY=1 also times a verified Caravan run, SKIP_INSTALL=1,
#   BASELINE_DIR (a build kept by save-baseline: timed as a fourth tool, "baseline", in each round, so a change is
#   compared before/after on the same machine load), SKIP_BUILD=1 (time the build already in BENCH_DIR).
# After the rounds it also times a rerun of the last Caravan run on the same journal (every table skipped, 0 rows written).
# Installs what is missing (pgloader, sqlite3, time) with apt-get; starts PostgreSQL with scripts/servers/postgres.sh.
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-1}"
WORK="${BENCH_DIR:-/tmp/caravan-bench-db}"
PORT="${CARAVAN_PG_PORT:-18032}"
PARALLELISM="${PARALLELISM:-}" # empty: Caravan's defaults (4 tables at once, one split per two cores)
# the caravan launcher's flags for a table migration (scripts/jvm-flags.sh), with the heap capped at 256 MiB
# shellcheck source=scripts/jvm-flags.sh
. "$ROOT/scripts/jvm-flags.sh"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m ${CARAVAN_GC_FLAGS_RECORDS[*]} ${CARAVAN_JIT_FLAGS_RECORDS[*]}}"
read -r -a JOPTS <<<"$JAVA_OPTS" # split on spaces, no glob expansion (the JIT flags hold '*')
PG="postgresql://postgres@127.0.0.1:$PORT"
log() { echo "bench-db: $*" >&2; }

need() {
  local missing=()
  command -v pgloader >/dev/null || missing+=(pgloader)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  [ -x /usr/bin/time ] || missing+=(time)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v bc >/dev/null || missing+=(bc)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "${SKIP_INSTALL:-0}" = 1 ]; then log "missing: ${missing[*]}"; exit 1; fi
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

psql_do() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

fresh_db() {
  psql_do -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

build() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$WORK/caravan-jdbc.jar" ]; then
    CP="$WORK/caravan-jdbc.jar:$WORK/caravan-jdbc-runner.jar:$(cat "$WORK/cp.txt")"
    return
  fi
  log "building connectors/jdbc (and its test classes: the engine runner)"
  (cd "$ROOT" && mvn -q -o install -f connectors/jdbc/pom.xml -DskipTests 2>/dev/null \
    || mvn -q install -f connectors/jdbc/pom.xml -DskipTests)
  (cd "$ROOT" && mvn -q -o dependency:build-classpath -f connectors/jdbc/pom.xml -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
  # jars, not class directories: the class-data archive accepts only jars on the class path
  jar --create --file "$WORK/caravan-jdbc.jar" -C "$ROOT/connectors/jdbc/target/classes" .
  jar --create --file "$WORK/caravan-jdbc-runner.jar" -C "$ROOT/connectors/jdbc/target/test-classes" .
  CP="$WORK/caravan-jdbc.jar:$WORK/caravan-jdbc-runner.jar:$(cat "$WORK/cp.txt")"
}

# keeps the build in $WORK aside in $1: the two jars, the Caravan jars of the class path (a later install
# overwrites those in ~/.m2) and the class path pointing at the copies
save_baseline() {
  local dir=$1 jar
  mkdir -p "$dir"
  cp "$WORK/caravan-jdbc.jar" "$WORK/caravan-jdbc-runner.jar" "$dir/"
  : >"$dir/cp.txt.new"
  for jar in $(tr ':' ' ' <"$WORK/cp.txt"); do
    case "$(basename "$jar")" in
      caravan-*) cp "$jar" "$dir/"; jar="$dir/$(basename "$jar")" ;;
    esac
    printf '%s%s' "$([ -s "$dir/cp.txt.new" ] && echo :)" "$jar" >>"$dir/cp.txt.new"
  done
  mv "$dir/cp.txt.new" "$dir/cp.txt"
  log "baseline kept in $dir"
}

generate() {
  if [ -f "$WORK/items.sqlite" ] && [ "$(cat "$WORK/rows" 2>/dev/null)" = "$ROWS" ]; then
    return
  fi
  log "generating $ROWS rows in SQLite"
  rm -f "$WORK/items.sqlite" "$WORK/items.csv"
  sqlite3 "$WORK/items.sqlite" <<SQL
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL, created_at TIMESTAMP);
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g LIMIT $ROWS)
INSERT INTO items
SELECT i,
       'item-' || i || '-' || substr('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV', 1 + i % 7,
                                     28 + i % 17),
       ((i * 7919) % 999983) + ((i * 104729) % 1000000) / 1000000.0,
       datetime(1700000000 + i * 17, 'unixepoch')
FROM g;
UPDATE items SET value = 279818.335431 WHERE id = 1;
SQL
  sqlite3 -csv "$WORK/items.sqlite" "SELECT * FROM items" >"$WORK/items.csv"
  echo "$ROWS" >"$WORK/rows"
}

# runs "$@" under /usr/bin/time; prints "seconds maxrss_kib cpu_seconds" (user + system: less sensitive than the
# wall time to other work on a busy machine)
timed() {
  local out="$WORK/time.$$"
  /usr/bin/time -f "%e %M %U %S" -o "$out" "$@" >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; return 1; }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$out"
  rm -f "$out"
}

# like the caravan launcher: a class-data archive written by a first (untimed) run, used by the timed ones
class_data_archive() { # [variant: "" or "baseline"]
  local v=${1:-} cp=$CP
  [ -n "$v" ] && cp=$BASE_CP
  rm -f "$WORK/caravan$v.jsa" "$WORK/warm.sqlite"
  sqlite3 "$WORK/warm.sqlite" "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL,
    created_at TIMESTAMP); INSERT INTO items VALUES (1, 'warm', 1.5, '2024-01-01 00:00:00');"
  fresh_db bench_warm
  rm -rf "$WORK/journal"*
  java -XX:ArchiveClassesAtExit="$WORK/caravan$v.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "${JOPTS[@]}" -cp "$cp" \
    dev.caravan.connector.jdbc.MigrationMain "jdbc:h2:$WORK/journal" "jdbc:sqlite:$WORK/warm.sqlite" \
    "jdbc:postgresql://127.0.0.1:$PORT/bench_warm?user=postgres" source.table=items target.table=items \
    >"$WORK/warm.log" 2>&1 || { cat "$WORK/warm.log" >&2; exit 1; }
  if [ -n "$v" ]; then
    BASE_CDS=(-XX:SharedArchiveFile="$WORK/caravan$v.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  else
    CDS=(-XX:SharedArchiveFile="$WORK/caravan.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}

run_caravan() { # [verify mode] [variant: "" or "baseline"]
  local v=${2:-} db=bench_caravan cp=$CP cds=("${CDS[@]}")
  if [ -n "$v" ]; then db=bench_$v; cp=$BASE_CP; cds=("${BASE_CDS[@]}"); fi
  local journal="$WORK/journal${v:+-$v}" # each variant its own: the rerun below takes up caravan's
  fresh_db "$db"
  rm -f "$journal".*
  timed java "${cds[@]}" "${JOPTS[@]}" -cp "$cp" dev.caravan.connector.jdbc.MigrationMain "jdbc:h2:$journal" \
    "jdbc:sqlite:$WORK/items.sqlite" "jdbc:postgresql://127.0.0.1:$PORT/$db?user=postgres" source.table=items target.table=items \
    ${PARALLELISM:+"parallelism=$PARALLELISM" "splits=$PARALLELISM"} "verify=${1:-none}"
  cp "$WORK/last.log" "$WORK/caravan$v.last"
  grep -E '^(caravan|error|verification)' "$WORK/last.log" | sed "s/^caravan /caravan${v:+($v)} /" >&2
}

run_baseline() { run_caravan none baseline; }

rerun_caravan() { # the same migration again, same journal and target (not cleaned)
  timed java "${CDS[@]}" "${JOPTS[@]}" -cp "$CP" dev.caravan.connector.jdbc.MigrationMain "jdbc:h2:$WORK/journal" \
    "jdbc:sqlite:$WORK/items.sqlite" "jdbc:postgresql://127.0.0.1:$PORT/bench_caravan?user=postgres" source.table=items target.table=items \
    ${PARALLELISM:+"parallelism=$PARALLELISM" "splits=$PARALLELISM"} "verify=none"
}

run_pgloader() {
  fresh_db bench_pgloader
  timed pgloader "sqlite://$WORK/items.sqlite" "$PG/bench_pgloader"
}

run_copy() {
  fresh_db bench_copy
  psql_do -d bench_copy -c "CREATE TABLE items (id bigint, name text NOT NULL, value double precision,
    created_at timestamp)"
  timed psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d bench_copy \
    -c "\\copy items FROM '$WORK/items.csv' WITH (FORMAT csv)"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# one round = caravan, pgloader, copy back to back, so the three see the same machine load; RUNS rounds
declare -A SECS RSS CPU
measure_all() {
  local i tool line s r c
  for i in $(seq 1 "$RUNS"); do
    for tool in "${TOOLS[@]}"; do
      line=$("run_$tool") || { log "$tool failed (see $WORK/last.log)"; exit 1; }
      read -r s r c <<<"$line"
      SECS[$tool]="${SECS[$tool]:-} $s"
      CPU[$tool]="${CPU[$tool]:-} $c"
      [ "$r" -gt "${RSS[$tool]:-0}" ] && RSS[$tool]="$r"
      log "round $i $tool: $s s, CPU $c s, peak RSS $((r / 1024)) MiB (load $(cut -d' ' -f1 /proc/loadavg))"
    done
  done
}

med() { printf '%s\n' ${SECS[$1]} | median; }
medcpu() { printf '%s\n' ${CPU[$1]} | median; }
best() { printf '%s\n' ${SECS[$1]} | sort -n | head -1; }

facts() { # db -> "rows | value of id 1 | type of value | name nullable"
  psql_do -d "$1" -At -F ' | ' -c "SELECT (SELECT count(*) FROM items), (SELECT value::text FROM items WHERE id = 1),
    (SELECT data_type FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'value'),
    (SELECT CASE is_nullable WHEN 'NO' THEN 'NOT NULL' ELSE 'nullable' END FROM information_schema.columns
      WHERE table_name = 'items' AND column_name = 'name')"
}

main() {
  mkdir -p "$WORK"
  if [ "${1:-}" = save-baseline ]; then
    [ -n "${2:-}" ] || { log "usage: $0 save-baseline DIR"; exit 2; }
    [ -f "$WORK/cp.txt" ] || build
    save_baseline "$2"
    return
  fi
  TOOLS=(caravan pgloader copy)
  if [ -n "${BASELINE_DIR:-}" ]; then
    [ -f "$BASELINE_DIR/cp.txt" ] || { log "no baseline in $BASELINE_DIR (see save-baseline)"; exit 2; }
    BASE_CP="$BASELINE_DIR/caravan-jdbc.jar:$BASELINE_DIR/caravan-jdbc-runner.jar:$(cat "$BASELINE_DIR/cp.txt")"
    TOOLS=(caravan baseline pgloader copy)
  fi
  need
  "$ROOT/scripts/servers/postgres.sh" start
  build
  generate
  class_data_archive
  [ -n "${BASELINE_DIR:-}" ] && class_data_archive baseline
  log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  measure_all
  log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "SQLite -> PostgreSQL, $ROWS rows (id, ~40-byte text, real, timestamp), $RUNS round(s)"
  echo "CPU (user + system s): caravan${CPU[caravan]};${BASELINE_DIR:+ baseline${CPU[baseline]};} pgloader${CPU[pgloader]}; copy${CPU[copy]}"
  echo "all runs (s): caravan${SECS[caravan]};${BASELINE_DIR:+ baseline${SECS[baseline]};} pgloader${SECS[pgloader]}; copy${SECS[copy]}"
  printf '%-9s %8s %8s %12s %9s %12s  %s\n' tool median best "rows/s med" "CPU med" "peak RSS" \
    "rows | value(id=1) | value type | name"
  local t
  for t in "${TOOLS[@]}"; do
    local db=bench_$t
    printf '%-9s %8s %8s %12.0f %9s %9d MiB  %s\n' "$t" "$(med $t)" "$(best $t)" "$(echo "$ROWS / $(med $t)" | bc -l)" \
      "$(medcpu $t)" $((${RSS[$t]} / 1024)) "$(facts "$db")"
  done
  echo
  printf 'caravan vs pgloader rows/s: %.2fx (median), %.2fx (best)   target >= 3x\n' \
    "$(echo "$(med pgloader) / $(med caravan)" | bc -l)" "$(echo "$(best pgloader) / $(best caravan)" | bc -l)"
  printf 'caravan vs psql \\copy rows/s: %.0f%% (median), %.0f%% (best)   target >= 60%%\n' \
    "$(echo "100 * $(med copy) / $(med caravan)" | bc -l)" "$(echo "100 * $(best copy) / $(best caravan)" | bc -l)"
  if [ -n "${BASELINE_DIR:-}" ]; then
    printf 'baseline vs pgloader rows/s: %.2fx (median); vs psql \\copy: %.0f%% (median); caravan/baseline rows/s: %.2fx (median), %.2fx (best)\n' \
      "$(echo "$(med pgloader) / $(med baseline)" | bc -l)" "$(echo "100 * $(med copy) / $(med baseline)" | bc -l)" \
      "$(echo "$(med baseline) / $(med caravan)" | bc -l)" "$(echo "$(best baseline) / $(best caravan)" | bc -l)"
  fi
  grep -o 'peak_heap_mib=[0-9.]*' "$WORK/caravan.last" 2>/dev/null || true
  echo "(wall times include JVM start for caravan and process start for all; psql RSS is the client only;"
  echo " load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
  # a rerun of the last (complete) Caravan run on the same journal: every table is skipped, nothing is written
  read -r r_s r_rss _ < <(rerun_caravan)
  echo "caravan rerun on the same journal after a complete run: $r_s s, peak RSS $((r_rss / 1024)) MiB," \
    "$(grep -o 'rows=[0-9]* rejected=[0-9]* skipped_tables=[0-9]*' "$WORK/last.log")"
  if [ "${VERIFY:-0}" = 1 ]; then
    read -r v_s v_rss _ < <(run_caravan digest)
    echo "caravan with digest verification of every row: $v_s s, peak RSS $((v_rss / 1024)) MiB"
  fi
}

main "$@"
