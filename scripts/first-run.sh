#!/usr/bin/env bash
# Times the README's two set-up commands as a new user meets them, each on a clean clone
# of this repository with an empty target folder: the first until the example site answers
# on 127.0.0.1, the second (the test command) to its end. Cargo's download cache is kept,
# unless FRESH_CARGO_HOME=1: then each clone starts with an empty CARGO_HOME, so the time
# includes downloading every crate, as a new user's first run does.
# Usage: [FRESH_CARGO_HOME=1] scripts/first-run.sh [serve|test|both]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-both}"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
unset CARGO_TARGET_DIR  # each clone builds into its own target/
if [ -n "${FRESH_CARGO_HOME:-}" ]; then
  # rustup's toolchains stay where they are (RUSTUP_HOME); only the registry is new.
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  export CARGO_HOME="$work/cargo-home"
  mkdir -p "$CARGO_HOME"
fi

if [ "$what" = serve ] || [ "$what" = both ]; then
  git clone -q "$repo" "$work/serve"
  cd "$work/serve"
  start=$(date +%s)
  cargo run --release -- serve example-site --port 1190 >"$work/serve.log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null http://127.0.0.1:1190/; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 1
  done
  end=$(date +%s)
  kill "$server"; server=""
  secs=$((end - start))
  printf 'first command (cargo run --release -- serve example-site): %dm%02ds until the site answered\n' $((secs / 60)) $((secs % 60))
fi

if [ "$what" = test ] || [ "$what" = both ]; then
  git clone -q "$repo" "$work/test"
  cd "$work/test"
  start=$(date +%s)
  scripts/test.sh >"$work/test.log" 2>&1 || { tail -50 "$work/test.log"; exit 1; }
  end=$(date +%s)
  secs=$((end - start))
  printf 'test command (scripts/test.sh): %dm%02ds\n' $((secs / 60)) $((secs % 60))
fi
