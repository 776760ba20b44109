#!/usr/bin/env bash
# Benchmarks `kring build` on generated sites (examples/gensite.rs): 80% articles with 1-4 of
# 200 tags, 10% events, 10% members, ~600-word bodies.
#
# Usage: scripts/bench.sh [N ...]            (default: 1000 10000)
#        OUT_BASE=/some/disk scripts/bench.sh  (where outputs go; default: /dev/shm if present)
#
# For each size it builds twice: with the minimal templates of examples/bench-templates/
# (what Hugo/Zola comparisons use) and with kring's full default theme. Each figure is the
# best of 3 builds after a warm-up, with peak memory from /usr/bin/time (Debian: `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin kring --example gensite
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
out_base=${OUT_BASE:-$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d)
out_dir=$(mktemp -d "$out_base/kring-bench-out.XXXXXX")
trap 'rm -rf "$work" "$out_dir"' EXIT
echo "output folder on: $(df -T "$out_dir" | awk 'NR==2 {print $2}') ($out_base)"
for n in "${sizes[@]}"; do
  for variant in minimal theme; do
    site="$work/site-$n-$variant"
    flag=""; [ "$variant" = minimal ] && flag="--minimal-templates"
    ./target/release/examples/gensite "$site" "$n" $flag >/dev/null
    out="$out_dir/$n-$variant"
    ./target/release/kring build "$site" -o "$out" >/dev/null   # warm-up
    best=""; peak=0
    for _ in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$work/time" ./target/release/kring build "$site" -o "$out" >/dev/null
      read -r secs kib < "$work/time"
      if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
      [ "$kib" -gt "$peak" ] && peak=$kib
    done
    files=$(find "$out" -type f | wc -l)
    printf '%6d pages, %-17s %5.2f s wall (best of 3), %4d MiB peak RSS, %d files\n' \
      "$n" "$variant templates:" "$best" $((peak / 1024)) "$files"
  done
done
