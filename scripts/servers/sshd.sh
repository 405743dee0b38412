#!/usr/bin/env bash
# scripts/servers/sshd.sh: Debian's OpenSSH server in a test configuration on loopback, for the SFTP benchmark
# (scripts/bench-sftp.sh: Caravan vs rclone vs scp) and for trying the sftp connector by hand. The connector's
# integration tests do not need it (they start Apache MINA SSHD inside the test JVM).
#
# Usage: scripts/servers/sshd.sh start|stop|restart|status|env
#   start    installs openssh-server and openssh-client with apt-get when missing, creates the test user
#            $SSHD_USER (no other account is touched), generates host keys and a client key pair in a fresh state
#            directory, writes a known_hosts file for [127.0.0.1]:$SSHD_PORT, starts /usr/sbin/sshd -D with its own
#            sshd_config (127.0.0.1 only, password and key login for $SSHD_USER only, internal-sftp), waits until the
#            port answers and records the pid of the sshd that listens. Idempotent: a running sshd that this script
#            started is left alone. Nothing of the system's own sshd configuration is used or changed.
#   stop     stops the recorded sshd (only that one) and removes its state directory. Idempotent. The test user
#            stays (cheap, and a later start reuses it).
#   status   exit 0 when the recorded sshd is running and answers.
#   env      prints the export lines (CARAVAN_SFTP_HOST, _PORT, _USER, _PASSWORD, _KEY, _KNOWN_HOSTS, _FINGERPRINT,
#            _DATA: the directory the user writes into, also its home).
#
# Environment (all optional):
#   SSHD_PORT     port, default 18022
#   SSHD_USER     test user, default caravan-sftp
#   SSHD_PASSWORD its password, default caravan-test-pw
#   SSHD_STATE    pid file, keys, config, log and data, default /tmp/caravan-servers/sshd-$SSHD_PORT
#   SKIP_INSTALL  1 = never install packages (fail instead)
set -euo pipefail

SSHD_PORT="${SSHD_PORT:-18022}"
SSHD_USER="${SSHD_USER:-caravan-sftp}"
SSHD_PASSWORD="${SSHD_PASSWORD:-caravan-test-pw}"
SSHD_STATE="${SSHD_STATE:-/tmp/caravan-servers/sshd-$SSHD_PORT}"
HOST=127.0.0.1
PID_FILE="$SSHD_STATE/pid"
LOG_FILE="$SSHD_STATE/sshd.log"
CONF_FILE="$SSHD_STATE/sshd_config"
DATA_DIR="$SSHD_STATE/home"
CLIENT_KEY="$SSHD_STATE/client/id_ecdsa"
KNOWN_HOSTS="$SSHD_STATE/client/known_hosts"
SCRIPT=sshd.sh
SERVER_PORT="$SSHD_PORT"
# shellcheck source=scripts/servers/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

apt_install() {
  if [ "${SKIP_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ]; then
    log "missing: $*; install them (as root: apt-get install -y $*) and rerun"; exit 1
  fi
  log "installing $* with apt-get"
  # do not let the package start the system's own sshd on port 22 (no init system here, or not wanted)
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || {
    [ "$created" = 1 ] && rm -f "$policy"; exit 1; }
  [ "$created" = 1 ] && rm -f "$policy"
  return 0
}

install_tools() {
  local need=()
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
  command -v ssh-keygen >/dev/null || need+=(openssh-client)
  command -v ss >/dev/null || need+=(iproute2)
  if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
}

ensure_user() {
  if ! id "$SSHD_USER" >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { log "user $SSHD_USER is missing and only root can create it"; exit 1; }
    log "creating the test user $SSHD_USER"
    useradd --system --no-create-home --home-dir "$DATA_DIR" --shell /bin/sh "$SSHD_USER"
  fi
  usermod --home "$DATA_DIR" "$SSHD_USER" 2>/dev/null || true
  echo "$SSHD_USER:$SSHD_PASSWORD" | chpasswd
}

write_keys_and_config() {
  mkdir -p "$SSHD_STATE/hostkeys" "$SSHD_STATE/client" "$DATA_DIR" /run/sshd
  chmod 755 "$SSHD_STATE" "$DATA_DIR"
  chown "$SSHD_USER:" "$DATA_DIR"
  for type in ed25519 ecdsa rsa; do
    ssh-keygen -q -t "$type" -N '' -C "caravan-test-host" -f "$SSHD_STATE/hostkeys/ssh_host_${type}_key"
  done
  ssh-keygen -q -t ecdsa -b 256 -N '' -C "caravan-test-client" -f "$CLIENT_KEY"
  cp "$CLIENT_KEY.pub" "$SSHD_STATE/authorized_keys"
  : >"$KNOWN_HOSTS"
  for type in ed25519 ecdsa rsa; do
    echo "[$HOST]:$SSHD_PORT $(cut -d' ' -f1-2 "$SSHD_STATE/hostkeys/ssh_host_${type}_key.pub")" >>"$KNOWN_HOSTS"
  done
  cat >"$CONF_FILE" <<CONF
# test configuration written by scripts/servers/sshd.sh: loopback only, one user
Port $SSHD_PORT
ListenAddress $HOST
HostKey $SSHD_STATE/hostkeys/ssh_host_ed25519_key
HostKey $SSHD_STATE/hostkeys/ssh_host_ecdsa_key
HostKey $SSHD_STATE/hostkeys/ssh_host_rsa_key
PidFile $PID_FILE
AllowUsers $SSHD_USER
PermitRootLogin no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $SSHD_STATE/authorized_keys
StrictModes no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
MaxStartups 64:30:128
MaxSessions 64
LogLevel INFO
Subsystem sftp internal-sftp
CONF
}

start() {
  if running && answers; then
    log "already running (pid $(recorded_pid)) at $HOST:$SSHD_PORT"
    return 0
  fi
  if answers; then
    log "port $HOST:$SSHD_PORT is taken by another process (pid $(listener_pid)); stop it or set SSHD_PORT"
    exit 1
  fi
  install_tools
  rm -rf "$SSHD_STATE"
  mkdir -p "$SSHD_STATE"
  ensure_user
  write_keys_and_config
  /usr/sbin/sshd -t -f "$CONF_FILE" || { log "sshd rejects the test configuration $CONF_FILE"; exit 1; }
  log "starting OpenSSH sshd at $HOST:$SSHD_PORT for user $SSHD_USER (log: $LOG_FILE)"
  setsid nohup /usr/sbin/sshd -D -e -f "$CONF_FILE" >"$LOG_FILE" 2>&1 </dev/null &
  wait_listening sshd 30 $!
  log "listening (pid $(recorded_pid)); host key fingerprint $(fingerprint)"
}

fingerprint() { ssh-keygen -lf "$SSHD_STATE/hostkeys/ssh_host_ecdsa_key.pub" | cut -d' ' -f2; }

stop() {
  stop_recorded 50
  rm -rf "$SSHD_STATE"
}

print_env() {
  echo "export CARAVAN_SFTP_HOST='$HOST'"
  echo "export CARAVAN_SFTP_PORT='$SSHD_PORT'"
  echo "export CARAVAN_SFTP_USER='$SSHD_USER'"
  echo "export CARAVAN_SFTP_PASSWORD='$SSHD_PASSWORD'"
  echo "export CARAVAN_SFTP_KEY='$CLIENT_KEY'"
  echo "export CARAVAN_SFTP_KNOWN_HOSTS='$KNOWN_HOSTS'"
  echo "export CARAVAN_SFTP_FINGERPRINT='$(fingerprint 2>/dev/null || true)'"
  echo "export CARAVAN_SFTP_DATA='$DATA_DIR'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running && answers; then log "running (pid $(recorded_pid)) at $HOST:$SSHD_PORT"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
