#!/bin/sh
# Installs worklog from its prebuilt release binaries: picks the archive for this system,
# checks its SHA-256, and puts `worklog` in ~/.local/bin (or the folder given).
#
#   curl -LsSf https://github.com/worklog-ssg/worklog/releases/latest/download/install.sh | sh
#   sh install.sh [--version X.Y.Z] [--to DIR] [--base-url URL]
#
# --version       a release (0.1.0); default: the latest
# --to DIR        where `worklog` goes; default: $WORKLOG_INSTALL_DIR, else ~/.local/bin
# --base-url URL  where releases are ($WORKLOG_RELEASES_URL); default:
#                 https://github.com/worklog-ssg/worklog/releases
#                 (a release's files are under URL/download/vX.Y.Z/, the latest's under
#                 URL/latest/download/)
#
# Needs curl or wget, tar (unzip on Windows), and sha256sum or shasum. Nothing is
# installed unless the archive's checksum matches.
set -eu

releases=${WORKLOG_RELEASES_URL:-https://github.com/worklog-ssg/worklog/releases}
version=latest
force=0
dest=${WORKLOG_INSTALL_DIR:-${HOME:?}/.local/bin}

say() { printf 'worklog-install: %s\n' "$*"; }
usage() {
  cat <<'EOF'
Installs worklog from its prebuilt release binaries, checked by SHA-256.

usage: sh install.sh [--version X.Y.Z] [--to DIR] [--base-url URL]
  --version       a release (0.1.0); default: the latest
  --to DIR        where `worklog` goes; default: $WORKLOG_INSTALL_DIR, else ~/.local/bin
  --base-url URL  where releases are ($WORKLOG_RELEASES_URL); default:
                  https://github.com/worklog-ssg/worklog/releases
  --force         replace a file of that name that is not worklog
EOF
}
fail() {
  printf 'worklog-install: error: %s\n' "$*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --version) [ $# -ge 2 ] || fail "--version needs a value"; version=${2#v}; shift 2 ;;
    --to) [ $# -ge 2 ] || fail "--to needs a folder"; dest=$2; shift 2 ;;
    --base-url) [ $# -ge 2 ] || fail "--base-url needs a URL"; releases=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done
releases=${releases%/}

os=$(uname -s)
arch=$(uname -m)
case $arch in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
esac
# An x86_64 shell under Rosetta on an Apple silicon Mac gets the native binary.
if [ "$os" = Darwin ] && [ "$arch" = x86_64 ] \
  && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
  arch=aarch64
fi
exe=worklog
ext=tar.gz
case $os/$arch in
  Linux/x86_64 | Linux/aarch64) target=$arch-unknown-linux-musl ;;
  Darwin/x86_64 | Darwin/aarch64) target=$arch-apple-darwin ;;
  MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64)
    target=x86_64-pc-windows-msvc exe=worklog.exe ext=zip ;;
  *)
    fail "there is no prebuilt worklog for $os on $(uname -m). Install it with Python
  (pip install worklog-ssg) or with Rust (cargo install --locked worklog-ssg)." ;;
esac

# Another program of the same name is never replaced unasked: only a worklog, which
# says so when asked its version.
if [ -e "$dest/$exe" ] || [ -L "$dest/$exe" ]; then
  if [ ! -f "$dest/$exe" ]; then
    fail "$dest/$exe exists and is not a file: nothing installed"
  fi
  case $("$dest/$exe" --version 2>/dev/null || true) in
    "worklog "*) ;;
    *) [ "$force" = 1 ] || fail "$dest/$exe is another program, not worklog: nothing installed (--force replaces it, or --to DIR installs elsewhere)" ;;
  esac
fi

archive=worklog-$target.$ext
if [ "$version" = latest ]; then
  url=$releases/latest/download/$archive
else
  url=$releases/download/v$version/$archive
fi

if command -v curl >/dev/null 2>&1; then
  fetch() { curl --proto '=https,http' -fsSL --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  fail "neither curl nor wget is installed: one of them is needed to download worklog"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  fail "neither sha256sum nor shasum is installed: the download cannot be checked"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

say "downloading $url"
fetch "$url" "$work/$archive" || fail "could not download $url"
fetch "$url.sha256" "$work/$archive.sha256" || fail "could not download $url.sha256"
expected=$(cut -d ' ' -f 1 <"$work/$archive.sha256")
actual=$(sha256 "$work/$archive")
if [ "$expected" != "$actual" ]; then
  fail "the SHA-256 of $archive is $actual, where the release says $expected: nothing installed"
fi
say "checked SHA-256 $actual"

mkdir "$work/x"
case $ext in
  zip) (cd "$work/x" && unzip -q "../$archive") ;;
  *) tar -xzf "$work/$archive" -C "$work/x" ;;
esac
binary=$(find "$work/x" -type f -name "$exe" | head -n 1)
[ -n "$binary" ] || fail "$archive holds no $exe"

mkdir -p "$dest"
# Copied beside the old one, then renamed over it: a running worklog keeps working, and
# an interrupted install leaves the old one whole.
cp "$binary" "$dest/.$exe.new"
chmod 755 "$dest/.$exe.new"
mv -f "$dest/.$exe.new" "$dest/$exe"
say "installed $("$dest/$exe" --version 2>/dev/null || echo "$exe") to $dest/$exe"

case :${PATH:-}: in
  *:"$dest":*) ;;
  *) say "$dest is not on your PATH: add it (export PATH=\"$dest:\$PATH\") to use worklog" ;;
esac
