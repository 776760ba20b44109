#!/usr/bin/env bash
# Benchmarks search: the same generated site (examples/gensite/, default theme) built
# with its search index (the default) and with `[search] enabled = false` (best of 3
# each), and what a visitor downloads for one query: meta.json, the files of the query's
# words, and the records of the first ten results (scripts/search-download.py follows
# the search page's script).
#
# Usage: scripts/bench-search.sh [N]    (default: 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
cargo build --profile dist --quiet --bin kring --example gensite
out_base=${OUT_BASE:-$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d)
out_dir=$(mktemp -d "$out_base/kring-bench-out.XXXXXX")
trap 'rm -rf "$work" "$out_dir"' EXIT
./target/dist/examples/gensite "$work/on" "$n" >/dev/null
cp -r "$work/on" "$work/off"
printf '\n[search]\nenabled = false\n' >> "$work/off/kring.toml"
. scripts/timing.sh
read -r off off_mib < <(best ./target/dist/kring build "$work/off" -o "$out_dir/off")
read -r on on_mib < <(best ./target/dist/kring build "$work/on" -o "$out_dir/on")
printf 'without search: %6.2f s, %4d MiB\n' "$off" "$off_mib"
printf 'with search:    %6.2f s, %4d MiB (%s of index files)\n' "$on" "$on_mib" "$(du -sh --apparent-size "$out_dir/on/search" | cut -f1)"
awk -v a="$on" -v b="$off" 'BEGIN { printf "with / without: %.2f× (at most 1.15×)\n", a / b }'
python3 scripts/search-download.py "$out_dir/on/search"
