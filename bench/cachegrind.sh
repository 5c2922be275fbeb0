#!/usr/bin/env bash
# Counts, with valgrind's cachegrind, the instructions, first-level data cache misses and
# mispredicted branches (conditional and indirect) of one analysis of the benchmark's 1 MB note,
# or of its bare pulldown-cmark parse with --bare, function by function: five runs of the work
# against none, so that loading the primer and the corpus is subtracted.
#
#   bash bench/cachegrind.sh [--bare] [--sort Ir|D1mr|D1mw|Bcm|Bim] [--top N] [--corpus DIR]
#
# Needs valgrind (Debian: apt-get install valgrind) and a corpus with big.md (bench/run.sh or
# bench/gen_corpus.py make target/bench-corpus/1k). The program is built with debug information
# into target/cachegrind, beside the usual build.
set -euo pipefail
cd "$(dirname "$0")/.."

bare=0 sort=Ir top=15 corpus=target/bench-corpus/1k
while [ $# -gt 0 ]; do
  case "$1" in
    --bare) bare=1 ;;
    --sort) sort="$2"; shift ;;
    --top) top="$2"; shift ;;
    --corpus) corpus="$2"; shift ;;
    *) echo "cachegrind.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind >/dev/null || { echo "cachegrind.sh: valgrind is not installed" >&2; exit 2; }
[ -f "$corpus/big.md" ] || { echo "cachegrind.sh: no $corpus/big.md (run bench/run.sh first)" >&2; exit 2; }

CARGO_PROFILE_RELEASE_DEBUG=1 CARGO_PROFILE_RELEASE_STRIP=none \
  cargo build --quiet --release -p primer-analysis --example big_note --target-dir target/cachegrind
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for n in 0 5; do
  if [ "$bare" = 1 ]; then export BARE=1; fi
  N=$n valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes \
    --cachegrind-out-file="$out/run$n" target/cachegrind/release/examples/big_note "$corpus" \
    >/dev/null 2>"$out/log$n"
done
cg_diff "$out/run0" "$out/run5" >"$out/diff" 2>/dev/null
python3 - "$out/diff" "$sort" "$top" <<'PY'
import collections, sys
path, sort, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
events, per_fn, fn = None, collections.defaultdict(lambda: collections.Counter()), None
for line in open(path):
    if line.startswith("events:"):
        events = line.split()[1:]
    elif line.startswith("fn="):
        fn = line[3:].strip()
    elif fn and line[:1].isdigit():
        for event, count in zip(events, line.split()[1:]):
            per_fn[fn][event] += int(count)
shown = ["Ir", "D1mr", "D1mw", "Bcm", "Bim"]
total = collections.Counter()
for counts in per_fn.values():
    total.update(counts)
print("per run (five runs less none, divided by five)")
print(" ".join(f"{e:>11}" for e in shown), " function")
print(" ".join(f"{total[e] // 5:>11,}" for e in shown), " (all)")
for name, counts in sorted(per_fn.items(), key=lambda kv: -kv[1][sort])[:top]:
    print(" ".join(f"{counts[e] // 5:>11,}" for e in shown), "", name[:100])
PY
