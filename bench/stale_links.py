#!/usr/bin/env python3
"""`primer-ls check` on notes that each hold a few stale links, at 1,000 to 8,000 notes.

Every note links two notes that were renamed or deleted (a wiki link and a Markdown link to names
no note has, each a typo or two away from other names or from nothing) and one note with a typo
in its name, so every link needs a "did you mean" search. The check's time should grow linearly
with the number of notes: the search goes through an index, not through every name.

    python3 bench/stale_links.py --server target/release/primer-ls [--sizes 1000,2000,4000,8000]

Prints a Markdown table (notes, links checked, seconds, seconds per 1,000 notes).
"""
import argparse
import os
import random
import shutil
import tempfile

from timing import best_of

WORDS = ("cache replica quorum shard leader queue retry broker topic clock lease "
         "fence token proxy window batch stream ledger index vector merge").split()


def corpus(root, n, rng):
    names = [f"week{i // 50:03d}-{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i:05d}" for i in range(n)]
    for i, name in enumerate(names):
        folder = os.path.join(root, f"student{i % 40:02d}")
        os.makedirs(folder, exist_ok=True)
        other = names[rng.randrange(n)]
        typo = other[:-2] + other[-1] + other[-2]  # two last characters swapped
        gone = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-draft-{i}"
        text = (f"# {name}\n\nNotes on a partition and a quorum.\n\n"
                f"See [[{typo}]], [[{gone}]] and [the old page](../old/{gone}.md).\n")
        with open(os.path.join(folder, name + ".md"), "w") as f:
            f.write(text)
    return 3 * n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--sizes", default="1000,2000,4000,8000")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print("| notes | links checked | check, s | s per 1,000 notes |")
    print("| --- | --- | --- | --- |")
    for n in [int(s) for s in args.sizes.split(",")]:
        root = tempfile.mkdtemp(prefix="primer-stale-")
        try:
            links = corpus(root, n, rng)
            best = best_of([args.server, "check", root])
            print(f"| {n:,} | {links:,} | {best:.2f} | {best * 1000 / n:.3f} |")
        finally:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
