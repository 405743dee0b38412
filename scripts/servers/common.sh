# shellcheck shell=bash
# Shared by the test-server scripts that start a process of their own (azurite.sh, s3proxy.sh, s3mock.sh, sshd.sh).
# The caller sets SCRIPT (its name, for messages), HOST, SERVER_PORT, PID_FILE and LOG_FILE, then sources this file.

log() { echo "$SCRIPT: $*" >&2; }

# --- servers that run from a jar fetched with Maven (s3proxy.sh, s3mock.sh) ---

java_apt_install() { # installs Debian packages as root; fails naming them otherwise (or with SKIP_INSTALL=1)
  if [ "${SKIP_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
    log "missing: $*; install them (as root: apt-get install -y $*) and rerun"; exit 1
  fi
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# install_jar_tools JAR: a JRE and ss, and Maven while JAR is still to be fetched
install_jar_tools() {
  local need=()
  command -v java >/dev/null || need+=(openjdk-17-jre-headless)
  command -v ss >/dev/null || need+=(iproute2)
  if [ ! -f "$1" ] && ! command -v mvn >/dev/null; then need+=(maven); fi
  if [ ${#need[@]} -gt 0 ]; then java_apt_install ca-certificates "${need[@]}"; fi
}

# fetch_jar JAR ARTIFACT WHAT: fetches ARTIFACT (group:artifact:version:jar:classifier) with Maven when JAR is missing
fetch_jar() {
  local jar="$1" artifact="$2" what="$3"
  [ -f "$jar" ] && return 0
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then
    log "$jar is missing (SKIP_INSTALL=1)"; exit 1
  fi
  log "fetching $what with Maven"
  mvn -q -B -ntp dependency:get -Dartifact="$artifact" -Dtransitive=false >&2
  [ -f "$jar" ] || { log "Maven did not produce $jar"; exit 1; }
}

answers() { # the port accepts a TCP connection
  (exec 3<>"/dev/tcp/$HOST/$SERVER_PORT") 2>/dev/null
}

listener_pid() { # pid of the process listening on the port, empty when none
  ss -ltnpH "sport = :$SERVER_PORT" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1
}

recorded_pid() {
  [ -f "$PID_FILE" ] && cat "$PID_FILE" || true
}

running() { # the recorded process is alive and is the one listening
  local pid
  pid="$(recorded_pid)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(listener_pid)" = "$pid" ]
}

# wait_listening NAME SECONDS LAUNCHER_PID: waits until the port answers and a process listens on it, then records
# that process in PID_FILE; exits 1 with the server's log when the launcher dies or SECONDS pass first
wait_listening() {
  local name="$1" seconds="$2" launcher="$3" pid=""
  for _ in $(seq 1 $((seconds * 5))); do
    if answers; then
      pid="$(listener_pid)"
      [ -n "$pid" ] && break
    fi
    if ! kill -0 "$launcher" 2>/dev/null; then
      log "$name exited during start-up; its log:"; cat "$LOG_FILE" >&2; exit 1
    fi
    sleep 0.2
  done
  if [ -z "$pid" ]; then
    log "$name did not listen on $HOST:$SERVER_PORT within $seconds s; its log:"; cat "$LOG_FILE" >&2
    kill "$launcher" 2>/dev/null || true
    exit 1
  fi
  echo "$pid" >"$PID_FILE"
}

# stop_recorded TENTHS: stops the recorded process (SIGTERM, SIGKILL after TENTHS tenths of a second) and forgets it
stop_recorded() {
  local pid tenths="$1"
  pid="$(recorded_pid)"
  if [ -z "$pid" ]; then
    log "not running (no pid file)"
  elif kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    log "stopped (pid $pid)"
  else
    log "recorded pid $pid is gone"
  fi
  rm -f "$PID_FILE"
}
