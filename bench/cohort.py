#!/usr/bin/env python3
"""`primer-ls cohort` on a generated class: STUDENTS folders of NOTES notes each, every note with
a short outcome checklist (id markers, some ticked) and a few paragraphs.

    python3 bench/cohort.py --server target/release/primer-ls [--students 200] [--notes 50]
"""
import argparse, os, random, shutil, tempfile

from timing import best_of

IDS = [f"state.{i}" for i in range(1, 8)] + [f"reliable-rpcs.{i}" for i in range(1, 7)] + ["intro.1", "intro.2"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--students", type=int, default=200)
    ap.add_argument("--notes", type=int, default=50)
    a = ap.parse_args()
    rng = random.Random(3)
    root = tempfile.mkdtemp(prefix="primer-cohort-")
    try:
        for s in range(a.students):
            folder = os.path.join(root, f"student{s:03d}")
            os.makedirs(folder)
            for n in range(a.notes):
                items = "\n".join(f"- [{'x' if rng.random() < 0.4 else ' '}] item <!-- outcome: {i} -->"
                                  for i in rng.sample(IDS, 3))
                with open(os.path.join(folder, f"n{n:02d}.md"), "w") as f:
                    f.write(f"# Note {n}\n\nA network partition and a quorum.\n\n## Outcomes\n\n{items}\n")
        page = os.path.join(tempfile.gettempdir(), "cohort-bench.html")
        best = best_of([a.server, "cohort", "--html", page, root], check=True)
        print(f"cohort of {a.students} students × {a.notes} notes ({a.students * a.notes:,} notes): {best:.2f} s (best of 3, with the HTML page)")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
