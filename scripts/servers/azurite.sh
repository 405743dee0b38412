#!/usr/bin/env bash
# scripts/servers/azurite.sh: Azurite (the Azure Storage emulator), blob service only, on loopback, for the
# integration tests of connectors/azure-blob.
#
# Usage: scripts/servers/azurite.sh start|stop|restart|status|env
#   start    installs Azurite with npm when missing, starts it in memory on 127.0.0.1:$AZURITE_PORT, waits until
#            the port answers and records the pid of the process that listens. Idempotent: a running Azurite
#            that this script started is left alone.
#   stop     stops the process recorded by start (only that one). Idempotent.
#   status   exit 0 when the recorded Azurite is running and answers.
#   env      prints the export lines the tests read (CARAVAN_IT_AZURE_ENDPOINT, CARAVAN_IT_AZURE_CONNECTION_STRING).
#
# Environment (all optional):
#   AZURITE_PORT     blob port, default 18010
#   AZURITE_VERSION  npm version, default 3.37.0
#   AZURITE_HOME     install cache, default /opt/caravan-test/azurite (root) or ~/.cache/caravan/azurite
#   AZURITE_STATE    pid file and log, default /tmp/caravan-servers/azurite-$AZURITE_PORT
#   SKIP_INSTALL     1 = never install packages (fail instead)
#
# Azurite keeps everything in memory (--inMemoryPersistence): nothing on disk to wipe, a restart starts empty.
# The account is the emulator's well-known development account; its key is public (documented by Microsoft).
# Azurite is one Node.js process. Its extent garbage collector runs every 10 minutes and blocks it while it sweeps:
# measured here, 2.5 minutes after 1.2 GB of containers were deleted. Tests keep their data small and delete their
# containers; after a benchmark, `restart` gives a fresh, empty server.
set -euo pipefail

AZURITE_PORT="${AZURITE_PORT:-18010}"
AZURITE_VERSION="${AZURITE_VERSION:-3.37.0}"
if [ -z "${AZURITE_HOME:-}" ]; then
  if [ "$(id -u)" = 0 ]; then AZURITE_HOME=/opt/caravan-test/azurite; else AZURITE_HOME="$HOME/.cache/caravan/azurite"; fi
fi
AZURITE_STATE="${AZURITE_STATE:-/tmp/caravan-servers/azurite-$AZURITE_PORT}"
HOST=127.0.0.1
PID_FILE="$AZURITE_STATE/pid"
LOG_FILE="$AZURITE_STATE/azurite.log"
SCRIPT=azurite.sh
SERVER_PORT="$AZURITE_PORT"
# shellcheck source=scripts/servers/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BIN="$AZURITE_HOME/$AZURITE_VERSION/node_modules/.bin/azurite-blob"
ACCOUNT=devstoreaccount1
ACCOUNT_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
ENDPOINT="http://$HOST:$AZURITE_PORT/$ACCOUNT"

install_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  if [ "${SKIP_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
    log "node and npm are missing; install them (apt-get install -y nodejs npm) and rerun"; exit 1
  fi
  log "installing nodejs and npm with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
}

install_azurite() {
  [ -x "$BIN" ] && return 0
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then
    log "Azurite $AZURITE_VERSION is not installed in $AZURITE_HOME (SKIP_INSTALL=1)"; exit 1
  fi
  install_node
  command -v ss >/dev/null || { log "ss (iproute2) is missing"; exit 1; }
  log "installing azurite@$AZURITE_VERSION into $AZURITE_HOME/$AZURITE_VERSION (about a minute)"
  local tmp="$AZURITE_HOME/.install-$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
  rm -rf "${AZURITE_HOME:?}/$AZURITE_VERSION"
  mv "$tmp" "$AZURITE_HOME/$AZURITE_VERSION" # atomic: a half-finished install is never taken for a good one
}

start() {
  if running && answers; then
    log "already running (pid $(recorded_pid)) at $ENDPOINT"
    return 0
  fi
  if answers; then
    log "port $HOST:$AZURITE_PORT is taken by another process (pid $(listener_pid)); stop it or set AZURITE_PORT"
    exit 1
  fi
  install_azurite
  mkdir -p "$AZURITE_STATE"
  rm -f "$PID_FILE"
  log "starting Azurite $AZURITE_VERSION at $ENDPOINT (log: $LOG_FILE)"
  setsid nohup "$BIN" --blobHost "$HOST" --blobPort "$AZURITE_PORT" --inMemoryPersistence \
    --skipApiVersionCheck --loose --disableTelemetry --silent >"$LOG_FILE" 2>&1 </dev/null &
  wait_listening Azurite 60 $!
  log "listening (pid $(recorded_pid))"
}

stop() {
  stop_recorded 100
}

print_env() {
  echo "export CARAVAN_IT_AZURE_ENDPOINT='$ENDPOINT'"
  echo "export CARAVAN_IT_AZURE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$ACCOUNT_KEY;BlobEndpoint=$ENDPOINT;'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running && answers; then log "running (pid $(recorded_pid)) at $ENDPOINT"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
