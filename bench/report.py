#!/usr/bin/env python3
"""Writes BENCHMARKS.md from lsp_bench.py results: the machine, the exact commands, the numbers
against the targets, and any peer servers that were measured on the same corpora.

    python3 bench/report.py --result 1k=R1.json --result 10k=R10.json [--peer NAME=R.json ...]
        [--micro micro.txt] [--memory memory.txt] [--commands commands.txt] [--binary PATH] --out BENCHMARKS.md

Called by bench/run.sh; it can be rerun on kept JSON files to rewrite the page.
"""
import argparse
import datetime
import json
import os
import shlex
import platform
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=REPO).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem / 2**30:.1f} GiB",
        "kernel": f"{platform.system()} {platform.release()}",
        "rustc": sh("rustc", "--version") or "not found",
        "python": sys.version.split()[0],
    }


def ms(x, digits=None):
    if x is None:
        return "–"
    if digits is None:
        digits = 3 if x < 1 else 2 if x < 100 else 0
    return f"{x:.{digits}f} ms"


def mb(x):
    return f"{x / 1e6:.1f} MB" if x is not None else "–"


def get(d, path):
    for k in path.split("."):
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def mark(ok):
    return "–" if ok is None else ("✓" if ok else "✗")


UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def micro_fastest(micro, name):
    """The fastest time (ms) of the micro benchmark `name` in cargo bench's output, and the
    throughput on the line under it (MB/s) when there is one."""
    lines = (micro or "").splitlines()
    for i, line in enumerate(lines):
        m = re.search(rf"\b{name}\s+([\d.]+)\s*(ns|µs|us|ms|s)\b", line)
        if m:
            t = float(m.group(1)) * UNITS[m.group(2)]
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            mbs = re.search(r"([\d.]+)\s*MB/s", nxt)
            return t, (float(mbs.group(1)) if mbs else None)
    return None, None


def targets(r1, r10, micro=None, files10=None):
    """Rows (target, goal, measured, ok). r1 and r10 are the summaries for 1k and 10k notes;
    `micro` is the micro benchmarks' output, `files10` the number of files of the 10k corpus."""
    rows = []

    def index_row(r, goal_ms, label):
        idx = get(r, "index") or {}
        if idx.get("reached"):
            v = idx["ms"]
            rows.append((label, f"≤ {goal_ms / 1000:g} s", ms(v), v <= goal_ms))
        else:
            rows.append((label, f"≤ {goal_ms / 1000:g} s", "not reached", False))

    main = r10 or r1
    if r10:
        index_row(r10, 500, "initial index, 10,000 notes + primer (spawn → references complete)")
    if r1:
        index_row(r1, 100, "initial index, 1,000 notes + primer")
    pairs = re.search(r"ratio of each pair: median ([\d.]+), quartiles ([\d.]+) and ([\d.]+)", micro or "")
    if pairs:
        median, q1, q3 = (float(x) for x in pairs.groups())
        rows.append(("analysis of the 1 MB note against its bare pulldown-cmark parse with the same options, "
                     "the two alternated run by run (median of the pairs' ratios)",
                     "≤ 2×", f"{median:.2f}× (quartiles {q1:.2f}× and {q3:.2f}×)", median <= 2))
    note, _ = micro_fastest(micro, "analyse_note_1mb")
    parse, _ = micro_fastest(micro, "pulldown_bare_parse_1mb")
    if note and parse:
        rows.append(("the same from cargo bench, each timed in its own run (fastest of each)",
                     "≤ 2×", f"{ms(note)} / {ms(parse)} = {note / parse:.2f}×", note <= 2 * parse))
    _, per_core = micro_fastest(micro, "analyse_all_notes_one_core")
    if per_core:
        rows.append(("analysis on one core, 1,000 benchmark notes (fastest)", "≥ 125 MB/s",
                     f"{per_core:g} MB/s", per_core >= 125))
    keys = ["hover_term", "hover_link", "definition_term", "definition_link"]
    p50s = [get(main, f"{k}.ms.p50") for k in keys if get(main, f"{k}.answered")]
    p99s = [get(main, f"{k}.ms.p99") for k in keys if get(main, f"{k}.answered")]
    if p50s:
        rows.append(("hover, definition on a term or link: p50 (worst of the four)", "≤ 0.2 ms", ms(max(p50s)), max(p50s) <= 0.2))
        rows.append(("hover, definition on a term or link: p99 (worst of the four)", "≤ 1 ms", ms(max(p99s)), max(p99s) <= 1.0))
    ref = get(r10, "references_term.ms.p99") if r10 else None
    if ref is not None:
        rows.append(("references of a common term over 10,000 notes: p99", "≤ 20 ms", ms(ref), ref <= 20))
    eh = get(main, "edit_hover.ms.p99")
    if eh is not None:
        rows.append(("one-character didChange + hover in a 1 MB note: p99", "≤ 5 ms", ms(eh), eh <= 5))
    b = get(main, "diagnostics_burst") or {}
    if b:
        after, during = b.get("publishes_after_burst"), b.get("publishes_during_burst")
        if after is not None:
            rows.append(("diagnostics after a burst of 100 keystrokes: computed once", "1 publish, after the burst",
                         f"{after:.0f} after, {during:.0f} during", after == 1 and during == 0))
        comp = b.get("compute_ms")
        if comp is not None:
            rows.append((f"… time after the last keystroke beyond the {b.get('debounce_ms', 0):.0f} ms debounce (1 MB note)",
                         "≤ 50 ms", ms(comp), comp <= 50))
        elif b.get("note"):
            rows.append(("diagnostics after a burst of 100 keystrokes", "1 publish ≤ 50 ms", b["note"], False))
    if r10:
        hwm, corpus = get(r10, "memory.vmhwm_bytes"), get(r10, "memory.corpus_bytes")
        if hwm and corpus:
            rows.append(("peak memory, 10,000 notes (VmHWM)", f"≤ 2× corpus = {mb(2 * corpus)}",
                         f"{mb(hwm)} ({hwm / corpus:.1f}×)", hwm <= 2 * corpus))
        rss, files = get(r10, "rss_after_index_bytes"), files10
        if rss and corpus and files:
            # The "small constant per note" taken as 1 KB.
            bound = corpus + 1024 * files
            rows.append(("memory once indexed, 10,000 notes (RSS)",
                         f"≤ the notes' bytes + 1 KB a note = {mb(bound)}", mb(rss), rss <= bound))
    init = [get(r, "initialize_ms") for r in (r1, r10) if r and get(r, "initialize_ms") is not None]
    if init:
        rows.append(("spawn → initialize response (worst corpus)", "≤ 20 ms", ms(max(init)), max(init) <= 20))
    return rows


DETAIL = [
    ("spawn → initialize response", "initialize_ms", None),
    ("spawn → index complete (references on the hub)", "index", "index"),
    ("references on the hub link, once indexed", "index.again_ms", None),
    ("spawn → `$/progress` end", "progress_end_ms", None),
    ("server log: indexing took", "server_log.server_ms", None),
    ("hover on a term: p50 / p95 / p99", "hover_term.ms", "pct"),
    ("hover on a link: p50 / p95 / p99", "hover_link.ms", "pct"),
    ("definition of a term: p50 / p95 / p99", "definition_term.ms", "pct"),
    ("definition of a link: p50 / p95 / p99", "definition_link.ms", "pct"),
    ("references of the common term: p50 / p95 / p99", "references_term.ms", "pct"),
    ("didChange + hover, 1 MB note: p50 / p95 / p99", "edit_hover.ms", "pct"),
    ("diagnostics: publishes after / during the burst", "diagnostics_burst", "burst"),
    ("diagnostics: last publish after the last keystroke", "diagnostics_burst.last_publish_after_ms", None),
    ("peak memory (VmHWM)", "memory.vmhwm_bytes", "mem"),
    ("RSS once indexed", "rss_after_index_bytes", "mem"),
]


def detail_cell(r, path, kind):
    v = get(r, path)
    if v is None:
        return "–"
    if kind == "pct":
        if isinstance(v, dict):
            parent = get(r, path.rsplit(".", 1)[0]) or {}
            if not parent.get("answered"):
                return "no answer"
            return f"{ms(v['p50'])} / {ms(v['p95'])} / {ms(v['p99'])}"
        return "–"
    if kind == "index":
        return ms(v.get("ms")) if v.get("reached") else "not reached"
    if kind == "burst":
        if v.get("note"):
            return v["note"]
        return f"{v.get('publishes_after_burst', 0):.0f} / {v.get('publishes_during_burst', 0):.0f}"
    if kind == "mem":
        return mb(v)
    return ms(v)


def detail_table(columns):
    """columns: [(heading, summary)]."""
    out = ["| measure | " + " | ".join(h for h, _ in columns) + " |",
           "| --- | " + " | ".join("---" for _ in columns) + " |"]
    for label, path, kind in DETAIL:
        out.append(f"| {label} | " + " | ".join(detail_cell(r, path, kind) for _, r in columns) + " |")
    extra = []
    for h, r in columns:
        ref = get(r, "references_term") or {}
        if "results" in ref:
            extra.append(f"{h}: references of *{ref.get('term')}* returned {ref['results']:.0f} locations, "
                         f"{ref['results_in_corpus']:.0f} in the notes ({ref['expected_in_corpus']:.0f} written by the generator).")
        if get(r, "index.reached"):
            extra.append(f"{h}: the index was complete when references on the hub link returned "
                         f"{get(r, 'index.count'):.0f}/{get(r, 'index.expected'):.0f} links.")
    return "\n".join(out), extra


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--result", action="append", default=[], help="LABEL=lsp_bench JSON for primer-ls (1k=…, 10k=…)")
    ap.add_argument("--peer", action="append", default=[], help="NAME=lsp_bench JSON for another server (NAME is the column heading)")
    ap.add_argument("--micro", help="output of cargo bench, to include as is")
    ap.add_argument("--memory", help="output of bench/memory_flat.py, to include as is")
    ap.add_argument("--stale", help="output of bench/stale_links.py, to include as is")
    ap.add_argument("--cohort", help="output of bench/cohort.py, to include as is")
    ap.add_argument("--start", action="append", default=[],
                    help="LABEL=lsp_bench JSON of an index-only run (many small notes, a cold page cache)")
    ap.add_argument("--commands", help="file with the commands that produced the results, one a line")
    ap.add_argument("--binary", help="the primer-ls binary that was measured")
    ap.add_argument("--note", help="a remark to print under the title (e.g. about the build or the load)")
    ap.add_argument("--out", default=os.path.join(HERE, "BENCHMARKS.md"))
    a = ap.parse_args(argv)

    results = {}
    for item in a.result:
        label, _, path = item.partition("=")
        results[label] = load(path)
    peers = []
    for item in a.peer:
        name, _, path = item.partition("=")
        peers.append((name, load(path)))
    r1 = results.get("1k", {}).get("summary")
    r10 = results.get("10k", {}).get("summary")

    m = machine()
    commit = sh("git", "rev-parse", "--short", "HEAD")
    # The report itself does not count: it is what is being rewritten.
    changed = [l for l in (sh("git", "status", "--porcelain", "--untracked-files=no") or "").splitlines()
               if not l.endswith(os.path.basename(a.out))]
    dirty = " (with uncommitted changes)" if changed else ""
    lines = []
    w = lines.append

    def include(path, intro):
        """A tool's output, as it is, after a line saying what it measured."""
        if path and os.path.exists(path):
            w(intro)
            w("")
            with open(path, encoding="utf-8", errors="replace") as fh:
                w(fh.read().strip())
        else:
            w("Not run this time.")

    w("# primer-ls benchmarks")
    w("")
    rounds = sorted({res["meta"]["rounds"] for res in results.values()}) or [1]
    each = (f"Each corpus is measured in {rounds[0]} rounds, each with a fresh server, and the medians are shown."
            if rounds == [rounds[0]] and rounds[0] > 1 else
            "Each corpus is measured in one round." if rounds == [1] else
            f"Rounds per corpus: {', '.join(map(str, rounds))} (medians shown).")
    w("Written by `bench/run.sh` (do not edit by hand: run it again). The end-to-end numbers come from "
      "`bench/lsp_bench.py`, which starts the release binary and talks to it over stdio as an editor "
      f"does; the corpora come from `bench/gen_corpus.py`. {each}")
    w("")
    if a.note:
        w(f"> {a.note}")
        w("")
    w(f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; commit {commit}{dirty}")
    if a.binary:
        try:
            st = os.stat(a.binary)
            built = datetime.datetime.fromtimestamp(st.st_mtime).astimezone().strftime('%Y-%m-%d %H:%M %Z')
            w(f"- binary: `{a.binary}` ({st.st_size / 1e6:.1f} MB, built {built})")
        except OSError:
            w(f"- binary: `{a.binary}`")
    w(f"- machine: {m['cores']} cores, {m['cpu']}, {m['memory']} RAM, {m['kernel']}")
    w(f"- toolchain: {m['rustc']}; Python {m['python']} for the tools")
    loads = [get(res, "rounds") for res in results.values()]
    la = [r.get("loadavg_before") for rs in loads if rs for r in rs if r.get("loadavg_before")]
    if la:
        w(f"- load average before the rounds: {', '.join('/'.join(x) for x in la)} "
          "(a busy machine makes every number worse; rerun when it is idle)")
    for label, res in results.items():
        c = res["meta"]["corpus"]
        w(f"- corpus {label}: {c['notes']} notes (two hubs among them) and the 1 MB `big.md`, {c['files']} files, "
          f"{c['total_bytes'] / 1e6:.1f} MB, seed {c['seed']}")
    w("")
    w("## Targets")
    w("")
    w("| target | goal | measured | |")
    w("| --- | --- | --- | --- |")
    micro_text = None
    if a.micro and os.path.exists(a.micro):
        with open(a.micro, encoding="utf-8", errors="replace") as fh:
            micro_text = fh.read()
    files10 = results["10k"]["meta"]["corpus"]["files"] if "10k" in results else None
    for label, goal, value, ok in targets(r1, r10, micro_text, files10):
        w(f"| {label} | {goal} | {value} | {mark(ok)} |")
    w("")
    w("Hover, definition, the edit test, diagnostics and start-up are taken from the largest corpus "
      "measured. Latencies run from the moment the request is written to the server's stdin to the moment "
      "the last byte of its answer is read (the didChange + hover pair from the didChange). The index is "
      "complete when references on a `[[course-map]]` link return every link to that hub, polled every "
      "few milliseconds from spawn. Peak memory is the kernel's high-water mark (VmHWM) of the server "
      "process at the end of the run, which includes the typing tests.")
    w("")
    w("## All numbers")
    w("")
    cols = [(f"primer-ls, {k} notes" if k in ("1k", "10k") else f"primer-ls, {k}", res["summary"]) for k, res in results.items()]
    cols += [(name, res["summary"]) for name, res in peers]
    table, extra = detail_table(cols)
    w(table)
    w("")
    for e in extra:
        w(f"- {e}")
    if extra:
        w("")
    w("## Peers")
    w("")
    if peers:
        w("Measured here with the same tool and corpora (columns above):")
        w("")
        for name, res in peers:
            # The options it was asked with beyond the corpus and the output file.
            # (An option given twice counts as its last value, as the tool reads it.)
            cmd = shlex.split(res["meta"].get("command", ""))[2:]
            given = {}
            for i, arg in enumerate(cmd):
                if arg.startswith("--"):
                    value = cmd[i + 1] if i + 1 < len(cmd) and not cmd[i + 1].startswith("--") else None
                    given.pop(arg, None)
                    given[arg] = value
            asked = [f"{k} {v}" if v is not None else k for k, v in given.items()
                     if k not in ("--server", "--corpus", "--json")]
            options = f" (asked with `{' '.join(asked)}`)" if asked else ""
            w(f"- {name}: `{res['meta']['server']}`{options}")
        w("")
        if any("--probe-from" in res["meta"].get("command", "") for _, res in peers):
            w("`--probe-from target --include-declaration`: IWE's server answers references for the note "
              "under the cursor, and lists the notes that link to it inline only when the declaration is "
              "asked for too, so its index probe asks on the hub's own title; its count of the hub's links "
              "is the same. `bench/run.sh --with-peers` builds it into `target/peers` (`bench/peers.sh`) and "
              "asks it so, in one round with fewer keystrokes, since it takes seconds to answer each edit "
              "of the 1 MB note.")
            w("")
    w("The issue that asked for these targets quotes, for 1,000 generated notes (~8 MB) on a 2-core machine: "
      "about 1-3 s to index for the best peers; markdown-oxide answering a hover in 16-24 ms (p99 up to "
      "220 ms); and, after one keystroke in a 1 MB note, the next hover taking 0.3 s (VS Code's Markdown "
      "server), 0.8 s (IWE) or 2.4-4.4 s (markdown-oxide). To measure a peer on these corpora, give "
      "`bench/run.sh` a `--peer 'NAME=COMMAND'` (for example `--peer 'marksman=marksman server'`); any "
      "server that speaks LSP over stdio works, and requests it cannot answer show as \"no answer\". "
      "VS Code's Markdown server is the exception: it asks its client to parse Markdown (`markdown/parse`), "
      "which only VS Code does, so a plain LSP client gets errors from it. Servers without `[[wikilinks]]` "
      "can use `--index-probe markdown` of `lsp_bench.py`, which waits on Markdown links to `reading-list.md` "
      "instead.")
    w("")
    w("## Micro benchmarks")
    w("")
    if a.micro and os.path.exists(a.micro):
        with open(a.micro, encoding="utf-8", errors="replace") as fh:
            text = fh.read().strip()
        # Keep the result tables; drop cargo's compile chatter.
        kept = [l for l in text.splitlines() if not re.match(r"\s*(Compiling|Finished|Running|Downloaded|Downloading|Updating|Locking|Adding|Blocking)\b", l)]
        w("`cargo bench -p primer-analysis` on the 1,000-note corpus (`PRIMER_BENCH_CORPUS`):")
        w("")
        w("```")
        w("\n".join(kept).strip() or "(no output)")
        w("```")
    else:
        w("Not run this time (`bench/run.sh --no-micro`, or no micro benches).")
    w("")
    gaps = os.path.join(HERE, "gaps.md")
    if os.path.exists(gaps):
        with open(gaps, encoding="utf-8") as fh:
            w(fh.read().strip())
        w("")
    w("## Memory across 100,000 edits")
    w("")
    if a.memory and os.path.exists(a.memory):
        w("`bench/memory_flat.py`: one note of about 100 KB, a character typed into its middle and deleted "
          "again, 100,000 times, with a hover every 5,000 edits (so the server has caught up) and the "
          "server's RSS read then. Flat means nothing is kept per edit.")
        w("")
        w("```")
        with open(a.memory, encoding="utf-8", errors="replace") as fh:
            w(fh.read().strip())
        w("```")
    else:
        w("Not run this time.")
    w("")
    w("## `check` with stale links, 1,000 to 8,000 notes")
    w("")
    include(a.stale, "`bench/stale_links.py`: every note holds three links that need a \"did you mean\" search "
            "(a renamed note with two letters swapped, a deleted note, a Markdown link to a deleted "
            "file). The suggestion search goes through an index of near names, so the time per note "
            "stays flat as the workspace grows (best of three runs of `primer-ls check FOLDER`).")
    w("")
    w("## Start-up: many small notes, and a cold page cache")
    w("")
    if a.start:
        w("Index-only runs (`--skip hover,definition,edit,burst,references`): a corpus of 40,000 notes "
          "of about 500 bytes, where walking the folders and opening files weigh most; 10,000 "
          "notes of 5 KB on average, the 51 MB the issue's table gives for its 10,000 notes (this "
          "generator's 10,000 notes of 8 KB are 82 MB); and runs "
          "started right after `sync; echo 3 > /proc/sys/vm/drop_caches` (the page cache dropped, "
          "so every file comes from the disk), when the machine allows it.")
        w("")
        w("| run | files | corpus | index complete | server: indexing took | peak memory |")
        w("| --- | --- | --- | --- | --- | --- |")
        for item in a.start:
            label, _, path = item.partition("=")
            if not os.path.exists(path):
                continue
            d = load(path)
            r = d.get("summary", {})
            corpus = get(d, "meta.corpus") or {}
            idx = get(r, "index") or {}
            w(f"| {label} | {corpus.get('files', '–'):,} | {mb(corpus.get('total_bytes'))} | "
              f"{ms(idx.get('ms')) if idx.get('reached') else 'not reached'} | "
              f"{ms(get(r, 'server_log.server_ms'))} | {mb(get(r, 'memory.vmhwm_bytes'))} |")
    else:
        w("Not run this time.")
    w("")
    w("## `cohort`, 200 students × 50 notes")
    w("")
    include(a.cohort, "`bench/cohort.py`: a generated class of 200 student folders of 50 notes each, each note "
            "with a three-item outcome checklist, read and summed into the table and the HTML page "
            "(the goal is under 2 s).")
    w("")
    w("## Commands")
    w("")
    w("Everything above, from scratch:")
    w("")
    w("```sh")
    w("bash bench/run.sh            # add --no-micro to skip cargo bench, --peer 'NAME=CMD' to add servers")
    w("```")
    w("")
    if a.commands and os.path.exists(a.commands):
        w("which ran:")
        w("")
        w("```sh")
        with open(a.commands, encoding="utf-8") as fh:
            w(fh.read().strip())
        w("```")
        w("")
    w("One server, one corpus, by hand:")
    w("")
    w("```sh")
    w("python3 bench/gen_corpus.py --notes 1000 --out target/bench-corpus/1k")
    w("python3 bench/lsp_bench.py --server target/release/primer-ls --corpus target/bench-corpus/1k --rounds 3")
    w("python3 bench/lsp_bench.py --server 'marksman server' --corpus target/bench-corpus/1k")
    w("```")
    w("")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    # Paths are shown relative to the repository: the report is read on other machines, and
    # this one's folder names are nobody's business.
    text = "\n".join(lines).replace(REPO + os.sep, "")
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"report: wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
