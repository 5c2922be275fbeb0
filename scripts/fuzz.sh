#!/usr/bin/env bash
# Runs each fuzz target (fuzz/fuzz_targets) for SECONDS seconds (default 10): the Markdown/primer
# parser and edit application. A crash stops with its input saved under fuzz/artifacts/; copy
# that file into fuzz/seeds/TARGET/ and it is replayed on every run from then on.
#
#   bash scripts/fuzz.sh            # 10 s per target, as the test command does
#   bash scripts/fuzz.sh 3600       # an hour per target
#   FUZZ_SANITIZER=address bash scripts/fuzz.sh 600   # with AddressSanitizer (slower)
#
# Needs cargo-fuzz; it is installed from crates.io into tests/.work/tools on first use. The
# project's only toolchain is stable Rust, so RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the
# instrumentation flags it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
tools="$PWD/tests/.work/tools"
if ! command -v cargo-fuzz >/dev/null 2>&1 && [ ! -x "$tools/bin/cargo-fuzz" ]; then
  echo "fuzz: installing cargo-fuzz into $tools"
  cargo install --quiet --locked --root "$tools" cargo-fuzz@0.13.2
fi
export PATH="$tools/bin:$PATH"
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"
cd fuzz
for target in parse edits frames; do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${seconds}s (sanitizer: $sanitizer)"
  log="corpus/$target.log"
  status=0
  cargo fuzz run --sanitizer "$sanitizer" -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E "^stat::number_of_executed_units|Done [0-9]+ runs" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz: $target FAILED (exit $status); the input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
echo "fuzz: no crashes"
