#!/usr/bin/env bash
# scripts/bench-workers.sh: throughput of ONE migration run by 1, 2 and 3 worker processes sharing a PostgreSQL
# journal (`caravan copy ... --journal jdbc:postgresql://... --worker wN`), and the cost of leasing.
#
#   1. Data: FILES files of 1-4 KiB in 100 folders (deterministic, python3), made once under BENCH_DIR.
#   2. For W in WORKERS: a fresh database and an empty target; W `caravan copy` processes start together and share
#      the run (one plans, all claim task partitions with leases). Wall time from the start of the first to the end
#      of the last process; files/s, MiB/s, speed-up over one worker, partitions claimed per worker.
#   3. Leasing alone (jshell on the CLI's class path, no copying): W threads, each with its own journal connection
#      as a worker has, claim and finish every partition of ROUNDS planned runs of 64 partitions; claims per second
#      and the time a claim (SELECT ... FOR UPDATE SKIP LOCKED + UPDATE) and a done-mark wait on the database.
#      Per-worker overhead of a real run = its claims x (claim + done latency) + heartbeats, set against its wall time.
#
# Needs: PostgreSQL on 127.0.0.1:18032 (scripts/servers/postgres.sh start; started here if it does not answer),
# psql, python3, a JDK (jshell), and a built CLI (framework/cli/target/classes and lib/: ./caravan builds it on first
# use; this script runs the classes as they are and never builds).
# Environment: FILES (20000), WORKERS ("1 2 3"), ROUNDS (20), TRANSFERS (4 per worker), BENCH_DIR
# (/tmp/caravan-bench-workers), PG_URL (jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres), LEASE_SECONDS (15).
# Output: a Markdown report on stdout (and $BENCH_DIR/report.md); worker logs in $BENCH_DIR/logs.
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILES="${FILES:-20000}"
WORKERS="${WORKERS:-1 2 3}"
ROUNDS="${ROUNDS:-20}"
TRANSFERS="${TRANSFERS:-4}"
BENCH_DIR="${BENCH_DIR:-/tmp/caravan-bench-workers}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres}"
LEASE_SECONDS="${LEASE_SECONDS:-15}"
PSQL_URL="postgresql://$(echo "$PG_URL" | sed -E 's#jdbc:postgresql://([^/]+)/([^?]*)\?user=([^&]*).*#\3@\1/\2#')"
LOGS="$BENCH_DIR/logs"
mkdir -p "$BENCH_DIR" "$LOGS"
log() { echo "bench-workers: $*" >&2; }
calc() { awk "BEGIN { print $1 }"; }

# --- prerequisites -------------------------------------------------------------------------------------
if ! (exec 3<>/dev/tcp/127.0.0.1/18032) 2>/dev/null; then
  log "starting PostgreSQL"; "$ROOT/scripts/servers/postgres.sh" start
fi
command -v psql >/dev/null || { log "psql missing (scripts/servers/postgres.sh installs it)"; exit 1; }
command -v jshell >/dev/null || { log "jshell (a JDK) is needed"; exit 1; }
if [ ! -d "$ROOT/framework/cli/target/lib" ] || [ ! -d "$ROOT/framework/cli/target/classes" ]; then
  log "the CLI is not built: run ./caravan --version once (it builds the project), then rerun"; exit 1
fi
CP="$ROOT/framework/cli/target/classes:$ROOT/framework/cli/target/lib/*"
JAVA_OPTS=(-XX:+UseSerialGC -Xmx384m "-Dcaravan.lease.seconds=$LEASE_SECONDS")

# --- data ----------------------------------------------------------------------------------------------
SRC="$BENCH_DIR/src-$FILES"
if [ ! -f "$SRC/.done" ]; then
  log "writing $FILES files of 1-4 KiB to $SRC"
  rm -rf "$SRC"
  python3 - "$SRC" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261126)
for i in range(n):
    d = os.path.join(root, "d%02d" % (i % 100))
    if i < 100:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d.bin" % i), "wb") as f:
        f.write(rnd.randbytes(1024 + rnd.randrange(3072)))
PY
  touch "$SRC/.done"
fi
BYTES=$(find "$SRC" -type f -name '*.bin' -printf '%s\n' | awk '{s+=$1} END {print s}')

db_url() { echo "$PG_URL" | sed -E "s#(jdbc:postgresql://[^/]+/)[^?]*#\1$1#"; }
sql() { psql -qtAX "$PSQL_URL" -c "$1"; }
sqldb() { psql -qtAX "$(echo "$PSQL_URL" | sed -E "s#/[^/?]*\$#/$1#")" -c "$2"; }

# --- runs with 1..3 workers ----------------------------------------------------------------------------
REPORT="$BENCH_DIR/report.md"
{
  echo "## caravan copy shared by workers ($FILES files, $((BYTES / 1048576)) MiB, $TRANSFERS transfers per worker)"
  echo
  echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; lease ${LEASE_SECONDS}s."
  echo
  echo "| workers | wall s | files/s | MiB/s | speed-up | partitions claimed per worker | claims/s | outcome |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$REPORT"
BASE=""
for W in $WORKERS; do
  DB="caravan_bench_w${W}_$$"
  sql "DROP DATABASE IF EXISTS $DB" >/dev/null; sql "CREATE DATABASE $DB" >/dev/null
  URL="$(db_url "$DB")"
  DST="$BENCH_DIR/dst"; rm -rf "$DST" "$BENCH_DIR"/home-*
  sync
  log "$W worker(s)"
  START=$(date +%s.%N)
  PIDS=()
  for i in $(seq 1 "$W"); do
    java "${JAVA_OPTS[@]}" -cp "$CP" dev.caravan.cli.Main --home "$BENCH_DIR/home-$i" --no-progress --journal "$URL" \
      copy "local:$SRC" "local:$DST" --exclude .done --worker "w$i" --transfers "$TRANSFERS" >"$LOGS/w$W-$i.log" 2>&1 &
    PIDS+=($!)
  done
  FAIL=0
  for p in "${PIDS[@]}"; do wait "$p" || FAIL=1; done
  END=$(date +%s.%N)
  WALL=$(calc "$END - $START")
  OUTCOME=$(sqldb "$DB" "SELECT outcome FROM caravan_run")
  COPIED=$(find "$DST" -type f | wc -l)
  CLAIMS=$(sqldb "$DB" "SELECT string_agg(owner || ':' || n, ' ' ORDER BY owner) FROM (SELECT owner, COUNT(*) n FROM caravan_partition WHERE part < 1000000 GROUP BY owner) s")
  TOTAL_CLAIMS=$(sqldb "$DB" "SELECT SUM(claims) FROM caravan_partition")
  [ -z "$BASE" ] && BASE="$WALL"
  printf '| %s | %.1f | %.0f | %.2f | %.2f | %s | %.2f | %s%s |\n' "$W" "$WALL" "$(calc "$FILES / $WALL")" \
    "$(calc "$BYTES / 1048576 / $WALL")" "$(calc "$BASE / $WALL")" "$CLAIMS" \
    "$(calc "$TOTAL_CLAIMS / $WALL")" "$OUTCOME" "$([ "$FAIL" = 0 ] && [ "$COPIED" = "$FILES" ] || echo " (exit $FAIL, $COPIED files)")" \
    >>"$REPORT"
  sql "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
done

# --- leasing alone -------------------------------------------------------------------------------------
{
  echo
  echo "## Leasing alone: claim + done of 64 partitions x $ROUNDS runs, one journal connection per worker thread"
  echo
  echo "| workers | claims | claims/s | claim ms (mean / p50 / p99) | done ms (mean) |"
  echo "| --- | --- | --- | --- | --- |"
} >>"$REPORT"
for W in $WORKERS; do
  DB="caravan_bench_lease${W}_$$"
  sql "DROP DATABASE IF EXISTS $DB" >/dev/null; sql "CREATE DATABASE $DB" >/dev/null
  URL="$(db_url "$DB")"
  cat >"$BENCH_DIR/lease.jsh" <<JSH
import dev.caravan.core.journal.*;
import dev.caravan.api.journal.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
int workers = $W, rounds = $ROUNDS;
String url = "$URL";
List<JdbcJournal> journals = new ArrayList<>();
for (int i = 0; i < workers; i++) journals.add(JdbcJournal.open(url));
JdbcJournal planner = journals.get(0);
List<Long> claimNs = Collections.synchronizedList(new ArrayList<>());
List<Long> doneNs = Collections.synchronizedList(new ArrayList<>());
long wallNs = 0;
for (int r = 0; r < rounds; r++) {
    RunInfo run = planner.leases().joinRun("bench-" + r, "bench", null);
    List<TaskSpec> tasks = new ArrayList<>();
    for (int t = 0; t < 640; t++) tasks.add(new TaskSpec(TaskId.of("src", "dst", "k" + r + "-" + t), "COPY", "k" + t, 1));
    planner.plan(run.runId(), tasks.iterator());
    planner.leases().planned(run.runId());
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    long start = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
        Leases leases = journals.get(w).leases();
        String name = "w" + w;
        fs.add(pool.submit(() -> {
            while (true) {
                long a = System.nanoTime();
                OptionalInt p = leases.claim(run.runId(), name, Duration.ofSeconds(15));
                claimNs.add(System.nanoTime() - a);
                if (p.isEmpty() || p.getAsInt() == Leases.DELETES) { if (p.isPresent()) leases.done(run.runId(), p.getAsInt()); break; }
                long b = System.nanoTime();
                leases.done(run.runId(), p.getAsInt());
                doneNs.add(System.nanoTime() - b);
            }
            return null;
        }));
    }
    for (Future<?> f : fs) f.get();
    wallNs += System.nanoTime() - start;
    pool.shutdown();
}
long[] c = claimNs.stream().mapToLong(Long::longValue).sorted().toArray();
double mean = Arrays.stream(c).average().orElse(0) / 1e6;
double doneMean = doneNs.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.2f / %.2f / %.2f | %.2f |%n", workers, c.length, c.length / (wallNs / 1e9), mean, c[c.length / 2] / 1e6, c[(int) (c.length * 0.99)] / 1e6, doneMean);
journals.forEach(JdbcJournal::close);
/exit
JSH
  jshell --class-path "$(echo "$ROOT"/framework/cli/target/lib/*.jar | tr ' ' ':'):$ROOT/framework/cli/target/classes" \
    -R-Xmx256m "$BENCH_DIR/lease.jsh" 2>"$LOGS/lease-$W.log" | grep '^|' >>"$REPORT" || { log "lease bench failed:"; cat "$LOGS/lease-$W.log" >&2; }
  sql "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
done
cat "$REPORT"
