#!/usr/bin/env bash
# Installs the peer language servers that the package registries offer, into target/peers, and
# prints the path of each (`bench/run.sh --with-peers` runs this and measures them in the same
# run).
#
# Of the Markdown note servers the issues compare against, only IWE's server (`iwes`) is
# published to a registry this machine reaches (the Rust crate registry); marksman and
# markdown-oxide are released as binaries on their own sites, and VS Code's Markdown server needs
# VS Code to parse for it (see BENCHMARKS.md). A peer already installed at the pinned version is
# kept. Building IWE takes a few minutes on two cores; nothing here runs in the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

root=target/peers
iwe_version=0.29.3

installed() { [ -x "$root/bin/$1" ] && grep -qs "^$1 $2\$" "$root/versions"; }

mkdir -p "$root"
if ! installed iwes "$iwe_version"; then
  echo "peers.sh: building IWE's server (iwes $iwe_version) into $root" >&2
  cargo install iwes --version "$iwe_version" --locked --root "$root" >&2
  { grep -v '^iwes ' "$root/versions" 2>/dev/null || true; echo "iwes $iwe_version"; } > "$root/versions.new"
  mv "$root/versions.new" "$root/versions"
fi
echo "$PWD/$root/bin/iwes"
