#!/usr/bin/env bash
# scripts/servers/s3mock.sh: Adobe's S3Mock (an S3-compatible server in Java, Spring Boot) on loopback, for the
# integration tests that need S3 object tagging (S3Proxy has none: its GetObjectTagging answers 501).
#
# Usage: scripts/servers/s3mock.sh start|stop|restart|status|env
#   start    fetches the S3Mock exec jar with Maven when missing (and installs a JRE/Maven with apt-get when those
#            are missing), starts it on 127.0.0.1:$S3MOCK_PORT (plain http) with a fresh data directory, waits until
#            the port answers and records the pid of the process that listens. Idempotent: a running S3Mock that
#            this script started is left alone.
#   stop     stops the process recorded by start (only that one) and removes its data directory. Idempotent.
#   status   exit 0 when the recorded S3Mock is running and answers.
#   env      prints the export lines the tests read (CARAVAN_IT_S3MOCK_ENDPOINT, CARAVAN_IT_S3MOCK_ACCESS_KEY,
#            CARAVAN_IT_S3MOCK_SECRET_KEY).
#
# Environment (all optional):
#   S3MOCK_PORT     port, default 18090
#   S3MOCK_VERSION  version of com.adobe.testing:s3mock, default 4.11.0
#   S3MOCK_STATE    pid file, log, Spring bean file and data, default /tmp/caravan-servers/s3mock-$S3MOCK_PORT
#   S3MOCK_HEAP     JVM heap of the server, default 384m
#   M2_REPO         the local Maven repository the jar is fetched into, default ~/.m2/repository
#   SKIP_INSTALL    1 = never install packages (fail instead)
#
# Settings (see docs/connectors/s3.md, "Tests and the test server"): S3Mock checks no signature, so any credentials
# work; the tests send the fixed pair below. S3Mock's main connector (server.port) serves plain http here
# (server.ssl.enabled=false) on server.address=127.0.0.1; it is the one S3Mock configures for S3 keys (encoded
# slashes decoded, backslashes allowed). S3Mock always adds a second http connector (com.adobe.testing.s3mock.httpPort)
# that no property binds to an address: on a random port it would listen on all interfaces, so a Spring bean file
# (loopback.xml, loaded with spring.main.sources) sets its address to 127.0.0.1 before it binds. No port of this
# server listens beyond loopback.
set -euo pipefail

S3MOCK_PORT="${S3MOCK_PORT:-18090}"
S3MOCK_VERSION="${S3MOCK_VERSION:-4.11.0}"
S3MOCK_STATE="${S3MOCK_STATE:-/tmp/caravan-servers/s3mock-$S3MOCK_PORT}"
S3MOCK_HEAP="${S3MOCK_HEAP:-384m}"
HOST=127.0.0.1
PID_FILE="$S3MOCK_STATE/pid"
LOG_FILE="$S3MOCK_STATE/s3mock.log"
BEANS_FILE="$S3MOCK_STATE/loopback.xml"
DATA_DIR="$S3MOCK_STATE/data"
ENDPOINT="http://$HOST:$S3MOCK_PORT"
ACCESS_KEY=s3mock-identity
SECRET_KEY=s3mock-credential
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
SCRIPT=s3mock.sh
SERVER_PORT="$S3MOCK_PORT"
# shellcheck source=scripts/servers/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
JAR="$M2_REPO/com/adobe/testing/s3mock/$S3MOCK_VERSION/s3mock-$S3MOCK_VERSION-exec.jar"

# A Spring bean, made while the application context starts (after the web server factory, before its connectors
# bind), that sets the address of S3Mock's extra http connector(s) to loopback.
write_beans() {
  cat >"$BEANS_FILE" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<beans xmlns="http://www.springframework.org/schema/beans"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xsi:schemaLocation="http://www.springframework.org/schema/beans https://www.springframework.org/schema/beans/spring-beans.xsd">
  <bean id="caravanLoopbackOnly" class="java.util.ArrayList" lazy-init="false">
    <constructor-arg value="#{webServerFactory.additionalTomcatConnectors.![setProperty('address', '$HOST')]}"/>
  </bean>
</beans>
XML
}

start() {
  if running && answers; then
    log "already running (pid $(recorded_pid)) at $ENDPOINT"
    return 0
  fi
  if answers; then
    log "port $HOST:$S3MOCK_PORT is taken by another process (pid $(listener_pid)); stop it or set S3MOCK_PORT"
    exit 1
  fi
  install_jar_tools "$JAR"
  fetch_jar "$JAR" "com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec" \
    "com.adobe.testing:s3mock:$S3MOCK_VERSION (exec jar, about 60 MB)"
  mkdir -p "$S3MOCK_STATE"
  rm -f "$PID_FILE"
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  write_beans
  log "starting S3Mock $S3MOCK_VERSION at $ENDPOINT, data in $DATA_DIR (log: $LOG_FILE)"
  # TieredStopAtLevel=1 and SerialGC: a test server's start-up (about 10 s) matters more than its peak speed
  setsid nohup java "-Xmx$S3MOCK_HEAP" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" \
    --spring.main.sources="file:$BEANS_FILE" \
    --server.address="$HOST" --server.port="$S3MOCK_PORT" --server.ssl.enabled=false \
    --com.adobe.testing.s3mock.httpPort=0 \
    --com.adobe.testing.s3mock.store.root="$DATA_DIR" \
    --spring.main.banner-mode=off >"$LOG_FILE" 2>&1 </dev/null &
  wait_listening S3Mock 90 $!
  local tries=300 # Tomcat answers a moment before the application has started (and its extra connector bound)
  until grep -q "Started S3MockApplication" "$LOG_FILE"; do
    if ! kill -0 "$(recorded_pid)" 2>/dev/null || [ "$((tries -= 1))" -le 0 ]; then
      log "S3Mock did not finish starting; its log:"; cat "$LOG_FILE" >&2; stop_recorded 100; exit 1
    fi
    sleep 0.2
  done
  if ss -ltnpH 2>/dev/null | grep "pid=$(recorded_pid)," | awk '{print $4}' | grep -v -q -E '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):'; then
    log "S3Mock listens beyond loopback; stopping it:"; ss -ltnpH | grep "pid=$(recorded_pid)," >&2
    stop_recorded 100; exit 1
  fi
  log "listening (pid $(recorded_pid))"
}

stop() {
  stop_recorded 100
  rm -rf "$DATA_DIR"
}

print_env() {
  echo "export CARAVAN_IT_S3MOCK_ENDPOINT='$ENDPOINT'"
  echo "export CARAVAN_IT_S3MOCK_ACCESS_KEY='$ACCESS_KEY'"
  echo "export CARAVAN_IT_S3MOCK_SECRET_KEY='$SECRET_KEY'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running && answers; then log "running (pid $(recorded_pid)) at $ENDPOINT"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
