# Timing helpers the benchmark scripts source. They need `$work`, a scratch folder.
# timed CMD…: "SECONDS PEAK_KIB" of one run of CMD (GNU time).
timed() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1; cat "$work/time"; }
# best CMD…: "SECONDS PEAK_MIB": the best wall time of 3 runs after a warm-up, and the peak memory.
best() {
  "$@" >/dev/null 2>&1
  local best="" peak=0
  for _ in 1 2 3; do
    read -r secs kib < <(timed "$@")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  echo "$best $((peak / 1024))"
}
