#!/bin/sh
# Installs a released kring binary: picks the archive for this system, downloads it with
# the release's SHA256SUMS, refuses it unless the checksum matches, and puts `kring` in
# ~/.local/bin (or --to DIR). Nothing is left behind when any step fails.
#
#   sh install.sh [--version 0.1.0] [--to DIR]
#
# Environment: KRING_VERSION, KRING_INSTALL_DIR, KRING_DOWNLOAD_URL (where releases are
# downloaded from: the base under which v<version>/<archive> lies, for mirrors and tests),
# KRING_TARGET (the Rust target to install, instead of this system's).
#
# Exit status: 0 installed; 1 failed (download, checksum, archive); 3 no binary is
# published for this system (`cargo install --locked kring` builds one).
set -eu

# The version this script installs unless told otherwise; the release workflow checks that
# it is the version being released.
VERSION=0.1.0
BASE_URL=https://github.com/kring-ssg/kring/releases/download

say() { printf 'kring install: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

version=${KRING_VERSION:-$VERSION}
dest=${KRING_INSTALL_DIR:-${HOME:-}/.local/bin}
while [ $# -gt 0 ]; do
  case $1 in
    --version) [ $# -ge 2 ] || fail "--version needs a version, e.g. --version $VERSION"; version=$2; shift 2 ;;
    --to) [ $# -ge 2 ] || fail "--to needs a folder"; dest=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument $1 (see --help)" ;;
  esac
done
version=${version#v}
case $version in
  ''|*[!0-9A-Za-z.+-]*) fail "$version is not a version number" ;;
esac
base=${KRING_DOWNLOAD_URL:-$BASE_URL}
base=${base%/}

if [ -n "${KRING_TARGET:-}" ]; then
  target=$KRING_TARGET
else
  os=$(uname -s)
  arch=$(uname -m)
  case $arch in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
  esac
  case $os in
    Linux) target=$arch-unknown-linux-musl ;;
    Darwin) target=$arch-apple-darwin ;;
    MINGW*|MSYS*|CYGWIN*|Windows_NT)
      say "on Windows, use install.ps1 (PowerShell) from the same release"; exit 3 ;;
    *) target=$arch-$os ;;
  esac
fi
case $target in
  ''|*[!0-9A-Za-z._-]*) fail "$target is not a target name" ;;
esac
name=kring-$version-$target
archive=$name.tar.gz

if command -v curl >/dev/null 2>&1; then
  fetch() { curl --fail --silent --show-error --location --retry 2 --output "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget --quiet --tries=3 --output-document="$2" "$1"; }
else
  fail "neither curl nor wget is installed"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  fail "neither sha256sum nor shasum is installed, so the download cannot be checked"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kring-install.XXXXXX")
staged=""
cleanup() {
  rm -rf "$tmp"
  if [ -n "$staged" ]; then rm -f "$staged"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

url=$base/v$version
fetch "$url/SHA256SUMS" "$tmp/SHA256SUMS" \
  || fail "could not download $url/SHA256SUMS: is $version a released version?"
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
if [ -z "$expected" ]; then
  say "kring $version has no binary for $target; \`cargo install --locked kring@$version\` builds one from source"
  exit 3
fi
fetch "$url/$archive" "$tmp/$archive" \
  || fail "the download of $url/$archive failed or was cut off; nothing was installed"
actual=$(sha256 "$tmp/$archive")
if [ "$actual" != "$expected" ]; then
  fail "the checksum of $archive is $actual, but SHA256SUMS says $expected: refusing it; nothing was installed"
fi

mkdir "$tmp/unpacked"
tar -xzf "$tmp/$archive" -C "$tmp/unpacked" || fail "$archive could not be unpacked; nothing was installed"
binary=$tmp/unpacked/$name/kring
[ -f "$binary" ] || fail "$archive holds no $name/kring; nothing was installed"
chmod 755 "$binary"
said=$("$binary" --version 2>/dev/null) || fail "the kring in $archive does not run on this system; nothing was installed"
[ "$said" = "kring $version" ] || fail "the kring in $archive says \"$said\", not kring $version; nothing was installed"

mkdir -p "$dest" || fail "could not make $dest"
# Copied beside its place, then renamed over it: an interruption never leaves half a binary.
staged=$dest/.kring.install.$$
cp "$binary" "$staged" || fail "could not write to $dest"
chmod 755 "$staged"
mv -f "$staged" "$dest/kring" || fail "could not put kring into $dest"
staged=""
say "installed kring $version at $dest/kring"
case ":${PATH:-}:" in
  *":$dest:"*) ;;
  *) say "$dest is not on your PATH; add it, e.g. export PATH=\"$dest:\$PATH\"" ;;
esac
