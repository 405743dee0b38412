#!/usr/bin/env bash
# scripts/servers/mariadb.sh: a throwaway MariaDB 10.11 server on 127.0.0.1 for the integration tests.
#
#   scripts/servers/mariadb.sh start    # idempotent: installs mariadb-server if missing, installs a datadir in a
#                                       # temp dir, starts mariadbd directly (as user mysql)
#   scripts/servers/mariadb.sh stop     # idempotent: stops that server and removes its temp dir
#   scripts/servers/mariadb.sh status   # exit 0 when it answers on the port
#
# As in the reference of the test servers (A.3): mariadb-install-db into a temp dir, root@127.0.0.1 with an empty
# password, innodb_flush_log_at_trx_commit=2, loopback only; utf8mb4 as the server character set (10.11 defaults to
# latin1, which would mangle the unicode test data of databases created without a character set). Tests read
#   CARAVAN_IT_MARIADB_URL (default jdbc:mariadb://127.0.0.1:18033/mysql?user=root)
#
# Environment: CARAVAN_MARIADB_PORT (18033), CARAVAN_SERVERS_STATE (/tmp/caravan-servers), SKIP_INSTALL=1.
set -euo pipefail

PORT="${CARAVAN_MARIADB_PORT:-18033}"
STATE="${CARAVAN_SERVERS_STATE:-/tmp/caravan-servers}/mariadb-$PORT"
log() { echo "mariadb.sh: $*" >&2; }

ensure_installed() {
  if [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db >/dev/null; then
    return
  fi
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then log "MariaDB is not installed (SKIP_INSTALL=1)"; exit 1; fi
  log "installing mariadb-server"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # the package's own service must not grab port 3306 during installation: policy-rc.d forbids starting it
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client \
    >/dev/null || { [ "$created" = 1 ] && rm -f "$policy"; exit 1; }
  if [ "$created" = 1 ]; then rm -f "$policy"; fi
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
  local D
  mkdir -p "$STATE"
  D="$(mktemp -d /tmp/caravan-mariadb.XXXXXX)"
  chown mysql:mysql "$D"
  echo "$D" >"$STATE/dir"
  mariadb-install-db --no-defaults --datadir="$D/data" --user=mysql --auth-root-authentication-method=normal \
    --skip-test-db >"$D/install.log" 2>&1 || { cat "$D/install.log" >&2; exit 1; }
  # started directly (not through runuser, which leaves a zombie); setsid detaches it from this shell
  setsid /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$D/data" --port="$PORT" --bind-address=127.0.0.1 \
    --socket="$D/mysqld.sock" --pid-file="$D/mariadbd.pid" --skip-name-resolve \
    --innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 \
    --log-error="$D/err.log" </dev/null >/dev/null 2>&1 &
  local i
  for i in $(seq 1 300); do
    if answers && [ -n "$(listener_pid)" ]; then break; fi
    sleep 0.1
  done
  answers || { log "MariaDB did not answer on port $PORT"; cat "$D/err.log" >&2; exit 1; }
  listener_pid >"$STATE/pid"
  log "running on 127.0.0.1:$PORT (pid $(cat "$STATE/pid"), data $D); url jdbc:mariadb://127.0.0.1:$PORT/mysql?user=root"
}

stop_quietly() {
  local D="" pid=""
  [ -f "$STATE/dir" ] && D="$(cat "$STATE/dir")"
  [ -f "$STATE/pid" ] && pid="$(cat "$STATE/pid")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -n "$D" ] && [[ "$D" == /tmp/caravan-mariadb.* ]]; then rm -rf "$D"; fi
  rm -f "$STATE/dir" "$STATE/pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; log "stopped" ;;
  status) if answers; then log "answers on 127.0.0.1:$PORT"; else log "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
