#!/usr/bin/env bash
# Benchmarks `kring serve` on the generated hub (examples/gensite, `--hub`: the corpus of
# scripts/bench.sh), run by hand, never by a test:
#   (a) the time from starting `kring serve` to the first 200 of `/` and of one article;
#   (b) ROUNDS times: a unique word written into that article's body, and the time from the
#       write until its page serves the word (the watcher's debounce included).
# Medians are reported. The dist binary is timed, as a person runs it.
#
# Usage: scripts/bench-serve.sh [N] [ROUNDS] [STARTS]    (default: 10000 pages, 5 edits, 3 starts)
#        KRING=path/to/kring scripts/bench-serve.sh       (time another binary, e.g. an older one)
#        SITE=dir scripts/bench-serve.sh                  (reuse a generated site)
#        KEEP_LOG=file KRING_TIMINGS=1 scripts/bench-serve.sh  (keep the server's output, phases timed)
#        PAUSE=6 scripts/bench-serve.sh                   (seconds between two edits; default 1)
# On a shared machine the figures are noisy: look at `uptime`, and compare runs side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
rounds=${2:-5}
starts=${3:-3}
if [ -z "${KRING:-}" ]; then
  cargo build --profile dist --quiet --bin kring
  KRING=./target/dist/kring
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cleanup() {
  # The edited article as it was, even when a measure failed half-way.
  [ -f "$work/original.md" ] && cp "$work/original.md" "$site/$article"
  rm -rf "$work"
}
site=${SITE:-$work/site}
if [ ! -f "$site/kring.toml" ]; then
  cargo build --profile dist --quiet --example gensite
  ./target/dist/examples/gensite "$site" "$n" --hub >/dev/null
fi
article=content/articles/a7.md
url=/articles/a7/
cp "$site/$article" "$work/original.md"
trap cleanup EXIT
echo "site: $site ($n pages); binary: $KRING; $(uptime | sed 's/.*load/load/')"

# One Python process does the timing: polling from a shell would add a fork per request.
measure() {
  SERVE_LOG="$work/serve.log" python3 - "$@" <<'PY'
import http.client, os, socket, subprocess, sys, time

mode, kring, site, article, url, rounds = sys.argv[1:7]
rounds = int(rounds)
with socket.socket() as s:  # a free port on 127.0.0.1
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]

def get(path, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    except OSError:
        return None, ""
    finally:
        c.close()

def until(path, done, started, limit=120):
    while time.monotonic() - started < limit:
        status, body = get(path)
        if done(status, body):
            return time.monotonic() - started
        time.sleep(0.001)
    sys.exit(f"{path} never answered as expected")

log_path = f"{os.environ['SERVE_LOG']}.{mode}"
log = open(log_path, "w")
started = time.monotonic()
server = subprocess.Popen([kring, "serve", site, "--port", str(port)], stdout=log, stderr=log)
try:
    if mode == "start":
        # `/` first, then the article, as a person opening the site and then a page.
        home = until("/", lambda s, b: s == 200, started)
        page = until(url, lambda s, b: s == 200, started)
        print(f"{home * 1000:.0f} {page * 1000:.0f}")
    else:
        until(url, lambda s, b: s == 200, started)
        path = os.path.join(site, article)
        original = open(path, encoding="utf-8").read()
        # The first build goes on after the first pages (cards, search index): edits are
        # timed once it is over, as `kring serve` says.
        while "Built the site" not in open(log_path, encoding="utf-8").read():
            if time.monotonic() - started > 600:
                sys.exit("the first build never ended")
            time.sleep(0.1)
        time.sleep(1.0)
        times = []
        for i in range(rounds):
            word = f"benchword{i}x{os.getpid()}"
            edited = original.rstrip() + f"\n\nAn edited paragraph with {word}.\n"
            t0 = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited)
            took = until(url, lambda s, b: s == 200 and word in b, t0, limit=30)
            times.append(took)
            # Between two saves: the rest of the rebuild (lists, feeds, the search index)
            # goes on meanwhile, and a save that comes before it ends waits for its step.
            time.sleep(float(os.environ.get("PAUSE", "1")))
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        print(" ".join(f"{t * 1000:.1f}" for t in times))
finally:
    server.terminate()
    server.wait()
PY
}

median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

homes=(); pages=()
for _ in $(seq "$starts"); do
  read -r home page < <(measure start "$KRING" "$site" "$article" "$url" 0)
  echo "  start: / after $home ms, $url after $page ms"
  homes+=("$home"); pages+=("$page")
done
edits=$(measure edit "$KRING" "$site" "$article" "$url" "$rounds")
echo "  edits (ms): $edits"
printf '%d pages: first 200 of / %s ms, of %s %s ms (median of %d starts)\n' "$n" \
  "$(echo "${homes[*]}" | median)" "$url" "$(echo "${pages[*]}" | median)" "$starts"
printf '%d pages: an article edit served after %s ms (median of %d)\n' "$n" \
  "$(echo "$edits" | median)" "$rounds"
echo "$(uptime | sed 's/.*load/load/')"
[ -n "${KEEP_LOG:-}" ] && cat "$work"/serve.log.* > "$KEEP_LOG"
true
