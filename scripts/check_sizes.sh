#!/usr/bin/env bash
# What a student downloads stays small: the release binary at most 12 MB, and the VS Code
# package with that binary inside at most 8 MB. Builds the release binary and packages the
# extension (with its npm packages installed) into a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_BINARY=$((12 * 1024 * 1024))
MAX_VSIX=$((8 * 1024 * 1024))
cargo build --release -p primer-ls
binary=target/release/primer-ls
size=$(stat -c %s "$binary")
echo "sizes: $binary is $((size / 1024)) KB (at most $((MAX_BINARY / 1024)) KB)"
[ "$size" -le "$MAX_BINARY" ] || { echo "sizes: FAIL: the binary is too large"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(
  cd editors/vscode
  [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
  PRIMER_LS_BUNDLE="$PWD/../../$binary" npm run --silent package -- --out "$out/primer-ls.vsix" >"$out/package.log" 2>&1 ||
    { cat "$out/package.log"; exit 1; }
)
vsix=$(stat -c %s "$out/primer-ls.vsix")
echo "sizes: the .vsix with the server inside is $((vsix / 1024)) KB (at most $((MAX_VSIX / 1024)) KB)"
[ "$vsix" -le "$MAX_VSIX" ] || { echo "sizes: FAIL: the .vsix is too large"; exit 1; }
if grep -qi "warning" "$out/package.log"; then
  echo "sizes: vsce warned:"; grep -i "warning" "$out/package.log"
  exit 1
fi
echo "sizes: ok"
