#!/usr/bin/env bash
# Benchmarks photos: the same generated site (examples/gensite/, default theme) without
# photos and with P photos of 4000×3000 px (half in article bundles, half as avatars).
# Reports the build without photos (best of 3), the first build with photos (empty image
# cache), and the second build with photos (best of 3, cache warm): the second may take at
# most 10% longer than the site without photos.
#
# Usage: scripts/bench-photos.sh [N] [P]    (default: 10000 200)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
p=${2:-200}
cargo build --profile dist --quiet --bin kring --example gensite
out_base=${OUT_BASE:-$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d)
out_dir=$(mktemp -d "$out_base/kring-bench-out.XXXXXX")
trap 'rm -rf "$work" "$out_dir"' EXIT
./target/dist/examples/gensite "$work/plain" "$n" >/dev/null
./target/dist/examples/gensite "$work/photos" "$n" --photos "$p" >/dev/null
echo "$n pages, $p photos of 4000×3000 ($(du -sh "$work/photos/content" | cut -f1) of content)"
. scripts/timing.sh
read -r plain plain_mib < <(best ./target/dist/kring build "$work/plain" -o "$out_dir/plain")
rm -rf "$work/photos/.kring-cache"
read -r first first_kib < <(timed ./target/dist/kring build "$work/photos" -o "$out_dir/photos")
read -r second second_mib < <(best ./target/dist/kring build "$work/photos" -o "$out_dir/photos")
printf 'without photos:            %6.2f s, %4d MiB\n' "$plain" "$plain_mib"
printf 'with photos, first build:  %6.2f s, %4d MiB (empty image cache)\n' "$first" $((first_kib / 1024))
printf 'with photos, second build: %6.2f s, %4d MiB\n' "$second" "$second_mib"
awk -v a="$second" -v b="$plain" 'BEGIN { printf "second build / without photos: %.2f× (at most 1.10×)\n", a / b }'
