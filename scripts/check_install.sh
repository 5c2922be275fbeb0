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
# The dry run verifies each crate against the others as packaged, through a local registry.
# Cargo takes registry crates as never changing: a copy unpacked under $CARGO_HOME/registry/src
# or a build of it left by an earlier run of the same version is reused as it is, and a crate
# would be verified against an old sibling. So the verification builds in its own target folder
# (the dependencies' builds are kept there), and our crates' unpacked copies and builds are
# removed first (only those; nothing else in the cargo cache is touched).
for old in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/primer-{analysis,transport,ls}-[0-9]*; do
  if [ -d "$old" ]; then rm -rf "$old"; fi
done
verify=target/publish-check
rm -rf target/package "$verify"/debug/.fingerprint/primer-* "$verify"/debug/build/primer-* \
  "$verify"/debug/deps/*primer_* "$verify"/debug/deps/primer-*
if ! CARGO_TARGET_DIR=$verify cargo publish --workspace --dry-run --allow-dirty >"$root/publish.log" 2>&1; then
  cat "$root/publish.log"
  echo "install: FAIL: cargo publish --dry-run"
  exit 1
fi
grep -E "^ *(Packaged|Verifying)" "$root/publish.log"
echo "install: ok"
