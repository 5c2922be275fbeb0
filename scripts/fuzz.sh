#!/usr/bin/env bash
# Runs each fuzz target (fuzz/fuzz_targets): the Markdown/primer parser, edit application and
# the frame reader. A crash stops with its input saved under fuzz/artifacts/; copy that file into
# fuzz/seeds/TARGET/ and it is replayed on every run from then on.
#
#   bash scripts/fuzz.sh --check    # what the test command runs: the seeds, then a fixed number
#                                   # of inputs from a fixed random seed, so the same checkout
#                                   # always runs the same inputs (a test must not fail by luck)
#   bash scripts/fuzz.sh 60         # explore: 60 s per target from a new random seed, growing
#   bash scripts/fuzz.sh 3600       # the corpus in fuzz/corpus/ (an hour per target)
#   FUZZ_SANITIZER=address bash scripts/fuzz.sh 600   # with AddressSanitizer (slower)
#
# Needs cargo-fuzz; it is installed from crates.io into tests/.work/tools on first use. The
# project's only toolchain is stable Rust, so RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the
# instrumentation flags it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-10}"
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
  log="corpus/$target.log"
  if [ "$mode" = "--check" ]; then
    # A fresh corpus each time, so earlier explorations do not change what is run.
    corpus="$(mktemp -d)"
    case "$target" in
      parse) runs=1500 ;;
      edits) runs=40000 ;;
      *) runs=200000 ;;
    esac
    limits=(-seed=1 -runs="$runs")
    echo "fuzz: $target, seeds then $runs inputs from seed 1 (sanitizer: $sanitizer)"
  else
    corpus="corpus/$target"
    limits=(-max_total_time="$mode")
    echo "fuzz: $target for ${mode}s (sanitizer: $sanitizer)"
  fi
  status=0
  cargo fuzz run --sanitizer "$sanitizer" -O "$target" "$corpus" "seeds/$target" -- \
    "${limits[@]}" -print_final_stats=1 >"$log" 2>&1 || status=$?
  if [ "$mode" = "--check" ]; then rm -rf "$corpus"; fi
  grep -E "^stat::number_of_executed_units|Done [0-9]+ runs" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz: $target FAILED (exit $status); the input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
echo "fuzz: no crashes"
