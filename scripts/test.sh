#!/usr/bin/env bash
# The test command: installs what the tests drive (Debian's Chromium, khal, nginx, Caddy and
# rsync, the npm packages of tests/browser/, Python's Pillow) when they are missing, then
# runs `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || missing+=(chromium)
command -v khal >/dev/null 2>&1 || missing+=(khal)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# The servers `kring ci server` writes configurations for, run by tests/integration/servers.rs.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
# curl and coreutils' sha256sum run scripts/install.sh in tests/integration/install.rs.
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Pillow (PyPI) decodes the published photos in tests/integration/images.rs, independently of kring.
if ! python3 -c "import PIL" >/dev/null 2>&1; then
  echo "== pip install pillow"
  python3 -m pip install --quiet pillow
fi

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "== npm ci in tests/browser (playwright-core drives the installed Chromium; no browser is downloaded)"
  (cd tests/browser && npm ci --no-audit --no-fund)
fi

# Decap CMS's npm tarball, which `kring cms` vendors (tests/integration/cms.rs serves it on
# 127.0.0.1 to the command and drives the editor in Chromium); npm checks its integrity.
if [ ! -f target/test-npm/decap-cms-3.16.3.tgz ]; then
  echo "== npm pack decap-cms@3.16.3 (into target/test-npm)"
  mkdir -p target/test-npm
  (cd target/test-npm && npm pack --silent decap-cms@3.16.3 >/dev/null)
fi

echo "== cargo test"
cargo test "$@"
