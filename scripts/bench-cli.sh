# scripts/bench-cli.sh: sourced by the benchmarks. A benchmark runs a copy of a built CLI, taken when it starts, so that
# builds of the working tree meanwhile change nothing it measures.
cli_snapshot() { # DIR [CLI]: DIR becomes a fresh copy of CLI (default framework/cli/target): caravan-cli-*.jar, lib/
  local dir="$1" cli="${2:-$ROOT/framework/cli/target}"
  rm -rf "$dir"; mkdir -p "$dir"
  cp -p "$cli"/caravan-cli-*.jar "$dir/"; cp -rp "$cli/lib" "$dir/lib"
}
