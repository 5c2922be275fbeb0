#!/usr/bin/env bash
# Shows primer-ls at work on the bundled primer and the sample notes in examples/notes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=target/release/primer-ls
echo "\$ primer-ls define \"network partition\""
"$BIN" define "network partition"
echo
echo "\$ primer-ls check examples/notes"
"$BIN" check examples/notes || true
echo
echo "\$ primer-ls outcomes examples/notes   (first lines)"
"$BIN" outcomes examples/notes | head -n 9
python3 examples/demo.py "$BIN"
