#!/usr/bin/env bash
# Runs every test: the analysis core, the server over stdio, the CLI and the bundled primer.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --workspace --all-targets
cargo test --workspace
