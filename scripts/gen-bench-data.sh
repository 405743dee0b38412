#!/usr/bin/env bash
# scripts/gen-bench-data.sh [DIR]: deterministic benchmark data (same bytes on every machine for one SEED).
#   DIR/small: SMALL_FILES files (default 2,000) of 4-64 KiB in SMALL_DIRS folders (default 20)
#   DIR/large: LARGE_FILES files (default 4) of LARGE_MIB MiB (default 256)
# DIR defaults to ${BENCH_DIR:-/tmp/caravan-bench}/data. Sets that already exist with the same parameters (marker
# DIR/.SET.params, outside the data) are kept.
# Content: AES-256-CTR keystream of a key derived from SEED (openssl), sizes from a fixed LCG;
# every file gets the same modification time, so tools comparing size+mtime see identical trees.
# Needs: bash, openssl, coreutils.
set -euo pipefail

DIR="${1:-${BENCH_DIR:-/tmp/caravan-bench}/data}"
SEED="${SEED:-20261125}"
SMALL_FILES="${SMALL_FILES:-2000}"
SMALL_DIRS="${SMALL_DIRS:-20}"
LARGE_FILES="${LARGE_FILES:-4}"
LARGE_MIB="${LARGE_MIB:-256}"
SETS="${SETS:-small large}"
MTIME="2026-01-01 00:00:00 UTC"

command -v openssl >/dev/null || { echo "gen-bench-data: openssl is needed (apt-get install -y openssl)" >&2; exit 1; }

# keystream NAME: endless deterministic bytes for one data set
keystream() {
  local key iv
  key="$(printf 'caravan-bench-%s-%s-key' "$SEED" "$1" | sha256sum | cut -c1-64)"
  iv="$(printf 'caravan-bench-%s-%s-iv' "$SEED" "$1" | sha256sum | cut -c1-32)"
  openssl enc -aes-256-ctr -K "$key" -iv "$iv" -nosalt </dev/zero 2>/dev/null
}

gen_small() {
  local out="$DIR/small" marker="$DIR/.small.params" params="small files=$SMALL_FILES dirs=$SMALL_DIRS seed=$SEED"
  if [ "$(cat "$marker" 2>/dev/null)" = "$params" ]; then echo "kept $out ($params)" >&2; return; fi
  rm -rf "$out" "$marker"; mkdir -p "$out"
  local state="$SEED" i size d
  exec 3< <(keystream small)
  for ((i = 0; i < SMALL_FILES; i++)); do
    state=$(( (state * 1103515245 + 12345) % 2147483648 ))
    size=$(( 4096 + state % 61441 )) # 4 KiB .. 64 KiB
    d="$(printf 'dir%02d' $(( i % SMALL_DIRS )))"
    [ -d "$out/$d" ] || mkdir -p "$out/$d"
    head -c "$size" <&3 >"$out/$d/$(printf 'file%05d.bin' "$i")"
  done
  exec 3<&-
  find "$out" -type f -exec touch -d "$MTIME" {} +
  echo "$params" >"$marker"
  echo "generated $out: $(summary "$out")" >&2
}

gen_large() {
  local out="$DIR/large" marker="$DIR/.large.params" params="large files=$LARGE_FILES mib=$LARGE_MIB seed=$SEED"
  if [ "$(cat "$marker" 2>/dev/null)" = "$params" ]; then echo "kept $out ($params)" >&2; return; fi
  rm -rf "$out" "$marker"; mkdir -p "$out"
  local i
  exec 3< <(keystream large)
  for ((i = 0; i < LARGE_FILES; i++)); do
    head -c "$(( LARGE_MIB * 1048576 ))" <&3 >"$out/$(printf 'large%02d.bin' "$i")"
  done
  exec 3<&-
  find "$out" -type f -exec touch -d "$MTIME" {} +
  echo "$params" >"$marker"
  echo "generated $out: $(summary "$out")" >&2
}

# summary DIR: "N files, B bytes"
summary() {
  find "$1" -type f -printf '%s\n' | awk '{n++; b+=$1} END {printf "%d files, %d bytes\n", n, b}'
}

mkdir -p "$DIR"
for set in $SETS; do
  case "$set" in
    small) gen_small ;;
    large) gen_large ;;
    *) echo "gen-bench-data: unknown set '$set' (small, large)" >&2; exit 2 ;;
  esac
done
