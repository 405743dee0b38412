#!/usr/bin/env bash
# scripts/test.sh: THE test command of Caravan (README and .ci/run call it).
#
# On a fresh Debian 12 machine, as root, it installs what the tests need (JDK 17, Maven), starts the local
# test servers the integration tests use, and runs `mvn -B verify` from the repository root: unit tests
# (Surefire, *Test) and integration tests (Failsafe, *IT); then (without MVN_ARGS) the README's quickstart through
# ./caravan, whose launcher builds as on a new user's first run. It exits non-zero when the build, a test or the
# quickstart fails.
#
# Environment:
#   MVN_ARGS      extra Maven arguments, e.g. MVN_ARGS="-pl framework/cli -am" or MVN_ARGS="-DskipITs"
#   SKIP_INSTALL  1 = never install packages (fail instead if something is missing)
set -euo pipefail

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "test.sh: $*" >&2; }

# --- packages -------------------------------------------------------------------------------------------
apt_updated=0
apt_install() {
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then
    log "missing: $* (SKIP_INSTALL=1, not installing)"; exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    log "missing: $*; install them (as root: apt-get install -y $*) and rerun"; exit 1
  fi
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

java_major() {
  java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
}

ensure_tools() {
  local need=()
  if ! command -v java >/dev/null || ! command -v javac >/dev/null || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
    need+=(openjdk-17-jdk-headless)
  fi
  command -v mvn >/dev/null || need+=(maven)
  if [ ${#need[@]} -gt 0 ]; then
    apt_install ca-certificates "${need[@]}"
  fi
  log "$(java -version 2>&1 | head -1); $(mvn -B -v 2>/dev/null | head -1)"
}

# --- local test servers ---------------------------------------------------------------------------------
# Integration tests (*IT) talk to real servers on loopback, never to mocks, and never skip when one is missing.
# Each server has a helper scripts/servers/<name>.sh with idempotent `start` / `stop` / `status` (it installs
# the server if missing, starts it on a fixed loopback port, waits until it answers, and documents the
# CARAVAN_IT_* variables the tests read). TEST_SERVERS lists the ones this build starts; add a name here when
# the first test that needs it lands (postgres for the PostgreSQL journal and jdbc, s3proxy for s3, s3mock for S3
# object tags, azurite for azure-blob, ...). Override with TEST_SERVERS="postgres s3proxy" ./scripts/test.sh.
TEST_SERVERS="${TEST_SERVERS-libvirt azurite s3proxy s3mock postgres mariadb sshd}"
STARTED=()

start_servers() {
  local s
  for s in $TEST_SERVERS; do
    [ -x "$ROOT/scripts/servers/$s.sh" ] || { log "no server helper scripts/servers/$s.sh"; exit 1; }
    log "starting $s"
    "$ROOT/scripts/servers/$s.sh" start
    STARTED+=("$s")
  done
}

stop_servers() {
  local s
  for s in "${STARTED[@]:-}"; do
    [ -n "$s" ] && { "$ROOT/scripts/servers/$s.sh" stop || log "could not stop $s"; }
  done
  return 0
}

# After a failure: what the failing test classes printed (redirected to files by Surefire/Failsafe), so the CI log
# alone shows why, including the thread dump of a test that timed out.
report_failures() {
  local report out
  while IFS= read -r report; do
    out="${report%.txt}-output.txt"
    log "failed: $report"
    sed -n '1,40p' "$report"
    [ -f "$out" ] && { log "its output (last 150 lines): $out"; tail -n 150 "$out"; }
    case "$report" in */connectors/libvirt/*) libvirt_log_tail ;; esac
  done < <(grep -l -E "FAILURE!|ERROR!" "$ROOT"/*/*/target/{surefire,failsafe}-reports/*.txt "$ROOT"/*/target/{surefire,failsafe}-reports/*.txt 2>/dev/null)
}

# What each test host's libvirtd said last about jobs, migration phases, warnings and errors (its debug lines for
# job locks and migrations; see scripts/servers/libvirt.sh), without the harmless start-up noise.
libvirt_log_tail() {
  local f
  for f in "${CARAVAN_LIBVIRT_DIR:-/tmp/caravan-libvirt}"/*/log/libvirtd.log; do
    [ -f "$f" ] || continue
    log "libvirtd log (job, migration, warning and error lines; last 80): $f"
    grep -E "Starting job|Stopping job|Timed out|Migrat|error|warning" "$f" \
      | grep -v -E "virCgroup|dmidecode|udevGet|DBus|D-Bus|tainted|virNetSocketReadWire|MigrationCapsCheck|job=query|job: query" \
      | tail -n 80 | cut -c1-300
  done
}

# --- run ------------------------------------------------------------------------------------------------
main() {
  ensure_tools
  trap stop_servers EXIT
  start_servers
  log "mvn -B verify ${MVN_ARGS:-}"
  # shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
  if ! mvn -B -ntp verify ${MVN_ARGS:-}; then
    report_failures
    exit 1
  fi
  if [ -z "${MVN_ARGS:-}" ]; then
    # the README's other command, as a new user runs it: the launcher's own first build (-Dmaven.test.skip=true,
    # which once failed on a test-jar dependency that `mvn verify` resolves) and the quickstart migration
    log "quickstart: ./caravan run examples/quickstart/quickstart.yaml"
    local home; home="$(mktemp -d)"
    rm -rf examples/quickstart/out # its output (ignored by git; the examples' tests make it too): copied anew
    if ! ./caravan --home "$home" run examples/quickstart/quickstart.yaml; then
      log "the quickstart failed (see above)"
      exit 1
    fi
    rm -rf "$home"
  fi
}

main "$@"
