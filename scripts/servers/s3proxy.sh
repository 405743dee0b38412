#!/usr/bin/env bash
# scripts/servers/s3proxy.sh: S3Proxy (an S3-compatible server in Java) on loopback, storing objects as plain files,
# for the integration tests of connectors/s3.
#
# Usage: scripts/servers/s3proxy.sh start|stop|restart|status|env
#   start    fetches the S3Proxy jar with Maven when missing (and installs a JRE/Maven with apt-get when those are
#            missing), starts it on 127.0.0.1:$S3PROXY_PORT with the filesystem-nio2 backend in a fresh data
#            directory, waits until the port answers and records the pid of the process that listens. Idempotent:
#            a running S3Proxy that this script started is left alone.
#   stop     stops the process recorded by start (only that one) and removes its data directory. Idempotent.
#   status   exit 0 when the recorded S3Proxy is running and answers.
#   env      prints the export lines the tests read (CARAVAN_IT_S3_ENDPOINT, CARAVAN_IT_S3_ACCESS_KEY,
#            CARAVAN_IT_S3_SECRET_KEY).
#
# Environment (all optional):
#   S3PROXY_PORT     port, default 18080
#   S3PROXY_VERSION  version of org.gaul:s3proxy, default 2.6.0
#   S3PROXY_STATE    pid file, log, config and data, default /tmp/caravan-servers/s3proxy-$S3PROXY_PORT
#   S3PROXY_HEAP     JVM heap of the server, default 768m
#   M2_REPO          the local Maven repository the jar is fetched into, default ~/.m2/repository
#   SKIP_INSTALL     1 = never install packages (fail instead)
#
# Settings (see docs/connectors/s3.md and the reference on test servers): auth aws-v2-or-v4 with the fixed test
# identity local-identity / local-credential, s3proxy.ignore-unknown-headers=true (the AWS SDK sends headers that
# S3Proxy does not know). Never use authorization=none: with AWS SDK >= 2.30 it silently stores chunk framing.
set -euo pipefail

S3PROXY_PORT="${S3PROXY_PORT:-18080}"
S3PROXY_VERSION="${S3PROXY_VERSION:-2.6.0}"
S3PROXY_STATE="${S3PROXY_STATE:-/tmp/caravan-servers/s3proxy-$S3PROXY_PORT}"
S3PROXY_HEAP="${S3PROXY_HEAP:-768m}"
HOST=127.0.0.1
PID_FILE="$S3PROXY_STATE/pid"
LOG_FILE="$S3PROXY_STATE/s3proxy.log"
CONF_FILE="$S3PROXY_STATE/s3proxy.conf"
DATA_DIR="$S3PROXY_STATE/data"
ENDPOINT="http://$HOST:$S3PROXY_PORT"
IDENTITY=local-identity
CREDENTIAL=local-credential
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
SCRIPT=s3proxy.sh
SERVER_PORT="$S3PROXY_PORT"
# shellcheck source=scripts/servers/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
JAR="$M2_REPO/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"

write_config() {
  cat >"$CONF_FILE" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$IDENTITY
s3proxy.credential=$CREDENTIAL
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.identity=identity
jclouds.credential=credential
jclouds.filesystem.basedir=$DATA_DIR
EOF
}

start() {
  if running && answers; then
    log "already running (pid $(recorded_pid)) at $ENDPOINT"
    return 0
  fi
  if answers; then
    log "port $HOST:$S3PROXY_PORT is taken by another process (pid $(listener_pid)); stop it or set S3PROXY_PORT"
    exit 1
  fi
  install_jar_tools "$JAR"
  fetch_jar "$JAR" "org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" \
    "org.gaul:s3proxy:$S3PROXY_VERSION (jar-with-dependencies, about 41 MB)"
  mkdir -p "$S3PROXY_STATE"
  rm -f "$PID_FILE"
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  write_config
  log "starting S3Proxy $S3PROXY_VERSION at $ENDPOINT, data in $DATA_DIR (log: $LOG_FILE)"
  setsid nohup java "-Xmx$S3PROXY_HEAP" -jar "$JAR" --properties "$CONF_FILE" >"$LOG_FILE" 2>&1 </dev/null &
  wait_listening S3Proxy 60 $!
  log "listening (pid $(recorded_pid))"
}

stop() {
  stop_recorded 100
  rm -rf "$DATA_DIR"
}

print_env() {
  echo "export CARAVAN_IT_S3_ENDPOINT='$ENDPOINT'"
  echo "export CARAVAN_IT_S3_ACCESS_KEY='$IDENTITY'"
  echo "export CARAVAN_IT_S3_SECRET_KEY='$CREDENTIAL'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running && answers; then log "running (pid $(recorded_pid)) at $ENDPOINT"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
