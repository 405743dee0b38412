# scripts/bench-daemons.sh: sourced by the benchmarks. The ./caravan launcher's daemons (docs/cli.md "The daemon")
# run a command in another process than the one a benchmark times, so its CPU time and memory are read here and
# added to the command's. The benchmark's daemons live in CARAVAN_DAEMON_DIR=$BENCH_DIR/daemons and are stopped
# when it ends.
export CARAVAN_DAEMON_DIR="$BENCH_DIR/daemons"
daemon_pids() { # the live daemons of this benchmark
  local log pid
  for log in "$CARAVAN_DAEMON_DIR"/*.log; do
    [ -f "$log" ] || continue
    for pid in $(sed -n 's/.*(pid \([0-9]*\),.*/\1/p' "$log"); do
      [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q DaemonServer && echo "$pid"
    done
  done
  return 0
}
daemon_ticks() { # CPU clock ticks (user + system) of all of them so far
  local pid t=0
  for pid in $(daemon_pids); do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
daemon_hwm_kib() { # the sum of their peak resident sets (VmHWM: over their whole life)
  local pid k=0
  for pid in $(daemon_pids); do k=$((k + $(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0))); done
  echo "$k"
}
stop_daemons() {
  local pid
  for pid in $(daemon_pids); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$CARAVAN_DAEMON_DIR"
}
