#!/usr/bin/env bash
# scripts/servers/postgres.sh: a throwaway PostgreSQL 15 cluster on 127.0.0.1 for the integration tests.
#
#   scripts/servers/postgres.sh start    # idempotent: installs PostgreSQL if missing, initdb in a temp dir, starts it
#   scripts/servers/postgres.sh stop     # idempotent: stops the server and removes its temp dir
#   scripts/servers/postgres.sh status   # exit 0 when it answers on the port
#
# As in the reference of the test servers (A.3): initdb with trust auth, fsync/synchronous_commit/full_page_writes
# off, listening on loopback only, plus the settings its benchmarks used (shared_buffers=512MB, max_wal_size=4GB,
# maintenance_work_mem=512MB). Superuser `postgres`, no password. Tests read
#   CARAVAN_IT_PG_URL (default jdbc:postgresql://127.0.0.1:18032/postgres?user=postgres)
#
# Environment: CARAVAN_PG_PORT (18032), CARAVAN_SERVERS_STATE (/tmp/caravan-servers), SKIP_INSTALL=1 (never install).
# Runs as root (the server itself runs as the `postgres` user).
set -euo pipefail

PORT="${CARAVAN_PG_PORT:-18032}"
STATE="${CARAVAN_SERVERS_STATE:-/tmp/caravan-servers}/postgres-$PORT"
log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; fi
  done | sort -V | tail -1
}

ensure_installed() {
  if [ -n "$(pg_bin)" ] && command -v psql >/dev/null; then
    return
  fi
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then log "PostgreSQL is not installed (SKIP_INSTALL=1)"; exit 1; fi
  log "installing postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

listener_pid() { ss -ltnpH "sport = :$PORT" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }

start() {
  if [ -f "$STATE/pid" ] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null && answers; then
    log "already running on 127.0.0.1:$PORT (pid $(cat "$STATE/pid"))"
    return
  fi
  if answers; then
    log "port $PORT is taken by another process (pid $(listener_pid)); not starting"; exit 1
  fi
  stop_quietly
  ensure_installed
  local B D
  B="$(pg_bin)"
  mkdir -p "$STATE"
  D="$(mktemp -d /tmp/caravan-pg.XXXXXX)"
  chown postgres:postgres "$D"
  echo "$D" >"$STATE/dir"
  runuser -u postgres -- "$B/initdb" -D "$D/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$D/initdb.log" 2>&1 || { cat "$D/initdb.log" >&2; exit 1; }
  runuser -u postgres -- "$B/pg_ctl" -D "$D/data" -l "$D/pg.log" -w -t 60 -o "-c listen_addresses=127.0.0.1 \
    -p $PORT -k $D -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c shared_buffers=512MB -c max_wal_size=4GB -c maintenance_work_mem=512MB" start >/dev/null \
    || { cat "$D/pg.log" >&2; exit 1; }
  local i
  for i in $(seq 1 300); do
    if answers && [ -n "$(listener_pid)" ]; then break; fi
    sleep 0.1
  done
  answers || { log "PostgreSQL did not answer on port $PORT"; cat "$D/pg.log" >&2; exit 1; }
  listener_pid >"$STATE/pid"
  log "running on 127.0.0.1:$PORT (pid $(cat "$STATE/pid"), data $D); url jdbc:postgresql://127.0.0.1:$PORT/postgres?user=postgres"
}

stop_quietly() {
  local D="" pid=""
  [ -f "$STATE/dir" ] && D="$(cat "$STATE/dir")"
  [ -f "$STATE/pid" ] && pid="$(cat "$STATE/pid")"
  if [ -n "$D" ] && [ -d "$D/data" ] && [ -n "$(pg_bin)" ]; then
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$D/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$D" ] && [[ "$D" == /tmp/caravan-pg.* ]]; then rm -rf "$D"; fi
  rm -f "$STATE/dir" "$STATE/pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; log "stopped" ;;
  status) if answers; then log "answers on 127.0.0.1:$PORT"; else log "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
