#!/usr/bin/env bash
# The cohort page in a real browser: `primer-ls cohort --html` on the fixture class
# (tests/fixtures/cohort), opened in headless Chromium through playwright-core (both installed
# by tests/vscode/run.sh into tests/.work), checked and screenshotted into
# tests/.work/artifacts/cohort.png.
# Env: PRIMER_LS  the server binary (default target/debug/primer-ls)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${E2E_WORK:-$REPO/tests/.work}
BIN=${PRIMER_LS:-$REPO/target/debug/primer-ls}
PW=$WORK/vscode/playwright/node_modules/playwright-core
[ -d "$PW" ] || { echo "cohort: no playwright-core at $PW (run tests/vscode/run.sh first)"; exit 1; }
mkdir -p "$WORK/artifacts"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$BIN" cohort --html "$out/cohort.html" "$REPO/tests/fixtures/cohort"
students=$(find "$REPO/tests/fixtures/cohort" -mindepth 1 -maxdepth 1 -type d | wc -l)
outcomes=$("$BIN" outcomes --format json "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
PLAYWRIGHT_CORE=$PW node "$REPO/tests/cohort/screenshot.js" "$out/cohort.html" "$WORK/artifacts/cohort.png" "$students" "$outcomes"
