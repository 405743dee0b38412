#!/usr/bin/env bash
# scripts/bench-summary.sh RESULTS.tsv: the Markdown table of a bench-local.sh TSV (median, min-max, MiB/s,
# files/s, peak RSS, median CPU seconds = user + system where the TSV has them, ratio to rclone = rclone median /
# tool median; > 1 means faster than rclone; the same ratio of CPU seconds).
# Rows that failed (non-zero exit or incomplete target) are left out of the statistics and counted in "ok".
set -euo pipefail
f="${1:?usage: bench-summary.sh RESULTS.tsv}"

rows() { awk -F'\t' -v t="$1" -v c="$2" '$1 == "local" && $2 == t && $3 == c' "$f"; }

# median: the median of the numbers on stdin, or "-"
median() { sort -g | awk '{v[++n] = $1} END {if (!n) print "-"; else print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2}'; }

# stats TOOL CASE -> "median min max bytes files rss_max ok total cpu_median" (median etc. "-" when no run
# succeeded; cpu "-" for TSVs without the cpu_seconds column)
stats() {
  local secs cpu
  secs="$(rows "$1" "$2" | awk -F'\t' '$9 == 0 && $11 == "ok" {print $5}' | sort -g)"
  cpu="$(rows "$1" "$2" | awk -F'\t' '$9 == 0 && $11 == "ok" && $12 != "" {print $12}' | median)"
  rows "$1" "$2" | awk -F'\t' -v secs="$secs" -v cpu="$cpu" '
    { bytes = $6; files = $7; if ($8 > rss) rss = $8; total++; if ($9 == 0 && $11 == "ok") ok++ }
    END {
      n = split(secs, s, "\n"); if (secs == "") n = 0
      if (n == 0) { printf "- - - %s %s %d %d %d -\n", bytes, files, rss, ok, total; exit }
      med = (n % 2) ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
      printf "%.3f %.3f %.3f %s %s %d %d %d %s\n", med, s[1], s[n], bytes, files, rss, ok, total, cpu
    }'
}

cases="$(awk -F'\t' '$1 == "local" {print $3}' "$f" | awk '!seen[$0]++')"
tools="$(awk -F'\t' '$1 == "local" {print $2}' "$f" | awk '!seen[$0]++')"

echo "| case | tool | median s (min-max) | MiB/s | files/s | peak RSS MiB | CPU s | rclone / tool | CPU: rclone / tool | ok runs |"
echo "|---|---|---|---|---|---|---|---|---|---|"
while IFS= read -r c; do
  [ -n "$c" ] || continue
  ref="$(stats rclone "$c" | cut -d' ' -f1)"
  refcpu="$(stats rclone "$c" | cut -d' ' -f9)"
  while IFS= read -r t; do
    [ -n "$t" ] || continue
    [ -n "$(rows "$t" "$c")" ] || continue
    read -r med min max bytes files rss ok total cpu <<<"$(stats "$t" "$c")"
    awk -v c="$c" -v t="$t" -v med="$med" -v min="$min" -v max="$max" -v bytes="$bytes" -v files="$files" \
        -v rss="$rss" -v ok="$ok" -v total="$total" -v ref="${ref:--}" -v cpu="${cpu:--}" -v refcpu="${refcpu:--}" \
        'BEGIN {
      if (med == "-") { printf "| %s | %s | failed | | | %.0f | | | | %d/%d |\n", c, t, rss / 1024, ok, total; exit }
      ratio = (ref != "-" && med > 0) ? sprintf("%.2f", ref / med) : "-"
      cpuratio = (refcpu != "-" && cpu != "-" && cpu > 0) ? sprintf("%.2f", refcpu / cpu) : "-"
      printf "| %s | %s | %.2f (%.2f-%.2f) | %.1f | %.0f | %.0f | %s | %s | %s | %d/%d |\n", c, t, med, min, max,
        (med > 0 ? bytes / 1048576 / med : 0), (med > 0 ? files / med : 0), rss / 1024,
        (cpu == "-" ? "-" : sprintf("%.2f", cpu)), ratio, cpuratio, ok, total
    }'
  done <<<"$tools"
done <<<"$cases"

noise="$(awk -F'\t' '$1 == "noise" {printf "%s %s s (load %s); ", $4, $5, $10}' "$f")"
if [ -n "$noise" ]; then
  echo
  echo "CPU noise probe (sha256sum 256 MiB): ${noise%; }"
fi
awk -F'\t' '$1 == "settings" {printf "- %s: %s %s\n", $2, $3, $11}' "$f"
