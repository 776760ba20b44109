#!/usr/bin/env bash
# Benchmarks `kring build` on generated sites (see examples/gensite.rs).
# Usage: scripts/bench.sh [N ...]    (default: 1000 10000)
# Prints wall time (best of 3 after a warm-up) and peak memory of each build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kring --example gensite
sizes=("${@:-1000 10000}")
[ $# -eq 0 ] && sizes=(1000 10000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  ./target/release/examples/gensite "$site" "$n" >/dev/null
  ./target/release/kring build "$site" -o "$work/out-$n" >/dev/null   # warm the page cache
  best=""
  peak=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" ./target/release/kring build "$site" -o "$work/out-$n" >/dev/null
    read -r secs kib < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  files=$(find "$work/out-$n" -type f | wc -l)
  printf '%6d pages: %5.2f s wall (best of 3), %4d MiB peak RSS, %d files written\n' "$n" "$best" $((peak / 1024)) "$files"
done
