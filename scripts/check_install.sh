#!/usr/bin/env bash
# The ways to install the server work: `cargo install --path server/primer-ls` (into a temporary
# root, reusing the release build) gives a working binary with the bundled primer, and each crate
# packages and builds on its own as a registry would take it (`cargo publish --dry-run`, in
# dependency order: primer-analysis, primer-transport, primer-ls).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cargo install --quiet --path server/primer-ls --root "$root" --target-dir target
"$root/bin/primer-ls" --version
"$root/bin/primer-ls" define partition | head -n 1 | grep -qi partition ||
  { echo "install: FAIL: the installed binary has no bundled primer"; exit 1; }
if ! cargo publish --workspace --dry-run --allow-dirty >"$root/publish.log" 2>&1; then
  cat "$root/publish.log"
  echo "install: FAIL: cargo publish --dry-run"
  exit 1
fi
grep -E "^ *(Packaged|Verifying)" "$root/publish.log"
echo "install: ok"
