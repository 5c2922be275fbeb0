#!/usr/bin/env python3
"""Memory across many edits to one document: does a language server's RSS stay flat?

Opens one note (about 100 KB by default) and sends EDITS incremental changes, each typing a
character into the middle of the note or deleting it again, so the document keeps its size. Every
SAMPLE edits it waits for a hover answer (so the server has caught up) and reads the server's
VmRSS. A server that keeps nothing per edit ends where it started, give or take the allocator.

    python3 bench/memory_flat.py --server target/release/primer-ls [--edits 100000] [--json OUT]

Also reports how many times diagnostics were published while typing: with debouncing, far fewer
than the edits.
"""

import argparse
import json
import os
import shlex
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_bench import LspClient, path_uri, proc_status  # noqa: E402


def note_text(target_bytes):
    block = (
        "## Caching\n\nA cache keeps a recently used subset of data; a network partition splits the "
        "replicas. See [[state#caching]] and [[reliable-rpcs#idempotency]].\n\n"
        "- [ ] Explain why caches go cold\n- [x] Compare modulo hashing with consistent hashing\n\n"
    )
    return block * max(1, target_bytes // len(block))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True, help="the server command")
    ap.add_argument("--edits", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=5_000, help="edits between memory readings")
    ap.add_argument("--note-kb", type=int, default=100)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="memflat-")
    path = os.path.join(work, "note.md")
    text = note_text(a.note_kb * 1024)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    uri = path_uri(path)
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
    cmd = shlex.split(a.server)
    if os.path.exists(cmd[0]):
        cmd[0] = os.path.abspath(cmd[0])  # the server runs in the work folder
    client = LspClient(cmd, cwd=work, env=env, root=work)
    pid = client.proc.pid
    caps = {"general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"hover": {"contentFormat": ["markdown"]},
                             "publishDiagnostics": {}, "synchronization": {"didSave": True}},
            "workspace": {"configuration": True}}
    rid, _ = client.send_request("initialize", {"processId": os.getpid(), "rootUri": path_uri(work),
                                                "workspaceFolders": [{"uri": path_uri(work), "name": "w"}],
                                                "capabilities": caps})
    client.wait_response(rid, 60)
    client.notify("initialized", {})
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                            "version": 1, "text": text}})
    line = text[: len(text) // 2].count("\n")
    hover_at = {"textDocument": {"uri": uri}, "position": {"line": line + 2, "character": 10}}
    client.request("textDocument/hover", hover_at, timeout=60)
    time.sleep(1.0)  # let indexing and the first diagnostics settle
    published_before = sum(1 for _, m, _ in client.notifications if m == "textDocument/publishDiagnostics")

    samples = [(0, proc_status(pid).get("VmRSS", 0))]
    t0 = time.monotonic()
    version = 1
    for i in range(1, a.edits + 1):
        version += 1
        pos = {"line": line, "character": 0}
        if i % 2:
            change = {"range": {"start": pos, "end": pos}, "text": "x"}
        else:
            change = {"range": {"start": pos, "end": {"line": line, "character": 1}}, "text": ""}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [change]})
        if i % a.sample == 0:
            _, err, _, _ = client.request("textDocument/hover", hover_at, timeout=120)
            if err:
                raise SystemExit(f"memory_flat: hover failed: {err}")
            samples.append((i, proc_status(pid).get("VmRSS", 0)))
    elapsed = time.monotonic() - t0
    time.sleep(1.0)
    published = sum(1 for _, m, _ in client.notifications if m == "textDocument/publishDiagnostics")
    client.close()

    mb = lambda b: b / (1 << 20)  # noqa: E731
    first = samples[1][1] if len(samples) > 1 else samples[0][1]
    last = samples[-1][1]
    print(f"server     {a.server}")
    print(f"document   {len(text) / 1024:.0f} KB, {a.edits} edits in {elapsed:.1f} s "
          f"({a.edits / elapsed:,.0f} edits/s including a hover every {a.sample})")
    print("RSS        " + ", ".join(f"{n:,}: {mb(r):.1f} MB" for n, r in samples))
    print(f"growth     {mb(last - first):+.1f} MB from edit {samples[1][0]:,} to {samples[-1][0]:,} "
          f"({(last - first) / max(1, a.edits - samples[1][0]):+.1f} bytes per edit)")
    print(f"diagnostics published {published - published_before} time(s) during and after the edits")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"server": a.server, "edits": a.edits, "note_bytes": len(text), "seconds": elapsed,
                       "rss": samples, "publishes": published - published_before}, fh, indent=1)


if __name__ == "__main__":
    main()
