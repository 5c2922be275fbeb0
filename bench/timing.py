"""Timing a command line the way the benchmark scripts report it."""
import subprocess
import time


def best_of(command, runs=3, check=False):
    """The fastest of `runs` runs of `command` (a list), in seconds; its output is discarded."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best
