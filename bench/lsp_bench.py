#!/usr/bin/env python3
"""Drives a language server over stdio the way an editor does and times it, on a corpus written
by gen_corpus.py.

    python3 bench/lsp_bench.py --server "target/release/primer-ls" --corpus target/bench-corpus/notes-1000
    python3 bench/lsp_bench.py --server "marksman server" --corpus DIR --json out.json

Steps, in order: spawn → `initialize` (timed) → `initialized` → open the note holding a link to
the hub and ask for references on that link until the expected number comes back (the time to
index, the same test for any server) → open the notes holding the manifest's positions → hover
and definition on terms and links → references of a common term → open the 1 MB note and time a
one-character `didChange` followed by a hover, many times → a burst of keystrokes, then count the
`publishDiagnostics` that follow → `shutdown`/`exit`. Peak memory is the server's VmHWM (plus that
of any child processes) from /proc.

Latencies are measured from just before a message is written to the server's stdin to the moment
the last byte of the answer is read from its stdout (a reader thread stamps each message as it
arrives), so Python's own parsing is not counted. Only standard LSP is used; any request the
server sends is answered (configuration with the settings given, everything else with null).
"""
import argparse
import json
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

now = time.perf_counter
COLUMN_KEY = {"utf-16": "character", "utf-8": "byte", "utf-32": "codepoint"}
PRIMER_DEFAULT_DEBOUNCE_MS = 200


class Timeout(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# JSON-RPC over stdio


class LspClient:
    """A stdio JSON-RPC client: Content-Length framing, one reader thread that timestamps every
    message and answers the server's own requests."""

    def __init__(self, cmd, cwd=None, env=None, stderr=None, settings=None, root=None):
        self.cmd = cmd
        self.settings = settings or {}
        self.root = root
        self.write_lock = threading.Lock()
        self.next_id = 0
        self.waiting = {}  # id → [Event, arrival time, message, body size]
        self.cond = threading.Condition()
        self.notifications = []  # (arrival time, method, params)
        self.server_requests = []  # (arrival time, method)
        self.closed = False
        self.last_arrival = None
        self.t_spawn = now()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr if stderr is not None else subprocess.DEVNULL,
                                     cwd=cwd, env=env, bufsize=0)
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, msg):
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.write_lock:
            t = now()
            try:
                self.proc.stdin.write(frame)
            except (BrokenPipeError, ValueError, OSError):
                pass
        return t

    def notify(self, method, params):
        return self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        slot = [threading.Event(), None, None, 0]
        self.waiting[rid] = slot
        t = self._write({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid, t

    def wait_response(self, rid, timeout):
        slot = self.waiting[rid]
        deadline = now() + timeout
        while not slot[0].wait(max(0.0, min(0.25, deadline - now()))):
            if self.closed:
                break
            if now() >= deadline:
                raise Timeout(f"no answer to request {rid} in {timeout:g} s")
        del self.waiting[rid]
        if slot[2] is None:
            raise Timeout("the server closed its output")
        self.last_arrival = slot[1]
        return slot[1], slot[2], slot[3]

    def request(self, method, params, timeout=30.0):
        """→ (result or None, error or None, seconds from write to arrival, answer size in bytes)."""
        rid, t0 = self.send_request(method, params)
        t1, msg, size = self.wait_response(rid, timeout)
        return msg.get("result"), msg.get("error"), t1 - t0, size

    # -- reading ---------------------------------------------------------------------------------

    def _read_loop(self):
        fd = self.proc.stdout.fileno()
        buf = bytearray()
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            t = now()
            buf += chunk
            while True:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    break
                m = re.search(rb"content-length:\s*(\d+)", bytes(buf[:end]), re.I)
                if not m:  # not a header: drop it and resynchronise
                    del buf[: end + 4]
                    continue
                length = int(m.group(1))
                if len(buf) < end + 4 + length:
                    break
                body = bytes(buf[end + 4: end + 4 + length])
                del buf[: end + 4 + length]
                self._dispatch(t, body)
        self.closed = True
        with self.cond:
            self.cond.notify_all()
        for slot in list(self.waiting.values()):
            slot[0].set()

    def _dispatch(self, t, body):
        try:
            msg = json.loads(body)
        except ValueError:
            return
        if "method" in msg and "id" in msg:
            self.server_requests.append((t, msg["method"]))
            result = self._answer(msg["method"], msg.get("params"))
            # Answer from another thread: the reader must never block on the server's stdin.
            threading.Thread(target=self._write, args=({"jsonrpc": "2.0", "id": msg["id"], "result": result},),
                             daemon=True).start()
        elif "id" in msg:
            slot = self.waiting.get(msg["id"])
            if slot is not None:
                slot[1], slot[2], slot[3] = t, msg, len(body)
                slot[0].set()
        elif "method" in msg:
            with self.cond:
                self.notifications.append((t, msg["method"], msg.get("params")))
                self.cond.notify_all()

    def _answer(self, method, params):
        if method == "workspace/configuration":
            out = []
            for item in (params or {}).get("items", []):
                value = self.settings
                for part in (item.get("section") or "").split("."):
                    if not part:
                        continue
                    value = value.get(part) if isinstance(value, dict) else None
                out.append(value if item.get("section") else self.settings or None)
            return out
        if method == "workspace/workspaceFolders":
            return [{"uri": path_uri(self.root), "name": os.path.basename(self.root)}] if self.root else None
        if method == "workspace/applyEdit":
            return {"applied": False}
        return None  # registerCapability, workDoneProgress/create, showMessageRequest, ...

    def wait_notification(self, pred, timeout, start=0):
        """Waits for a notification (index ≥ start) matching pred(method, params); → (index, t, params)."""
        deadline = now() + timeout
        with self.cond:
            i = start
            while True:
                while i < len(self.notifications):
                    t, method, params = self.notifications[i]
                    if pred(method, params):
                        return i, t, params
                    i += 1
                left = deadline - now()
                if left <= 0 or self.closed:
                    raise Timeout("notification not seen")
                self.cond.wait(left)

    def close(self, timeout=5.0):
        try:
            rid, _ = self.send_request("shutdown", None)
            self.wait_response(rid, timeout)
        except Timeout:
            pass
        self.notify("exit", None)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---------------------------------------------------------------------------------------------
# Memory of the server and its children


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    out[line.split(":")[0]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return out


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = []
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids += [int(x) for x in fh.read().split()]
        except OSError:
            kids = children_by_scan(p)
        found += kids
        todo += kids
    return found


def children_by_scan(pid):
    kids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    stat = fh.read()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    kids.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return kids


class MemorySampler(threading.Thread):
    """Samples the RSS of the server's process tree; keeps each process's VmHWM (the kernel's own
    peak) and the largest sampled sum of RSS."""

    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.hwm = {}
        self.peak_tree_rss = 0
        self.stop = threading.Event()

    def sample(self):
        total = 0
        for p in [self.pid] + descendants(self.pid):
            st = proc_status(p)
            if st:
                total += st.get("VmRSS", 0)
                self.hwm[p] = max(self.hwm.get(p, 0), st.get("VmHWM", 0))
        self.peak_tree_rss = max(self.peak_tree_rss, total)
        return total

    def run(self):
        while not self.stop.wait(self.interval):
            self.sample()

    def peak(self):
        self.sample()
        return {"vmhwm_bytes": sum(self.hwm.values()), "sampled_tree_rss_bytes": self.peak_tree_rss,
                "processes": len(self.hwm)}


# ---------------------------------------------------------------------------------------------
# Helpers


def path_uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def uri_path(uri):
    return urllib.parse.unquote(uri[7:]) if uri.startswith("file://") else uri


def percentile(xs, p):
    s = sorted(xs)
    k = (len(s) - 1) * p / 100.0
    f = math.floor(k)
    c = min(f + 1, len(s) - 1)
    return s[f] + (s[c] - s[f]) * (k - f)


def stats_ms(samples):
    if not samples:
        return None
    ms = [s * 1000.0 for s in samples]
    return {"n": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
            "mean": statistics.fmean(ms), "max": max(ms)}


def hover_text(result):
    if not result:
        return ""
    c = result.get("contents") if isinstance(result, dict) else None
    if c is None:
        return ""
    parts = c if isinstance(c, list) else [c]
    out = []
    for p in parts:
        out.append(p if isinstance(p, str) else str(p.get("value", "")))
    return "\n".join(out).strip()


def locations(result):
    if not result:
        return []
    items = result if isinstance(result, list) else [result]
    out = []
    for it in items:
        if "targetUri" in it:
            out.append((it["targetUri"], it.get("targetSelectionRange") or it.get("targetRange")))
        elif "uri" in it:
            out.append((it["uri"], it.get("range")))
    return out


def sync_kind(caps):
    s = caps.get("textDocumentSync")
    if isinstance(s, int):
        return s
    if isinstance(s, dict):
        return s.get("change", 0) or 0
    return 0


# ---------------------------------------------------------------------------------------------
# One run


class Run:
    def __init__(self, args, manifest, log):
        self.args, self.m, self.log = args, manifest, log
        self.corpus = os.path.abspath(args.corpus)
        self.opened = {}  # rel → version
        self.result = {}

    def doc_uri(self, rel):
        return path_uri(os.path.join(self.corpus, rel))

    def pos(self, p, where="mid"):
        key = self.col_key
        start, end = p[key], p["end_" + key]
        col = start + (end - start) // 2 if where == "mid" else start
        return {"line": p["line"], "character": col}

    def open_doc(self, rel):
        if rel in self.opened:
            return
        with open(os.path.join(self.corpus, rel), encoding="utf-8") as fh:
            text = fh.read()
        self.opened[rel] = 1
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.doc_uri(rel), "languageId": "markdown", "version": 1, "text": text}})

    def timed(self, method, params):
        try:
            return self.client.request(method, params, timeout=self.args.request_timeout)
        except Timeout:
            return None, {"message": "timeout"}, None, 0

    def capabilities(self):
        a = self.args
        encodings = ["utf-8", "utf-16"] if a.encoding == "utf-8" else ["utf-16"]
        return {
            "general": {"positionEncodings": encodings},
            "window": {"workDoneProgress": True, "showMessage": {}},
            "workspace": {
                "configuration": True, "workspaceFolders": True, "applyEdit": True,
                "didChangeConfiguration": {"dynamicRegistration": True},
                "didChangeWatchedFiles": {"dynamicRegistration": True},
                "workspaceEdit": {"documentChanges": True},
                "symbol": {"dynamicRegistration": False},
            },
            "textDocument": {
                "synchronization": {"dynamicRegistration": False, "didSave": True, "willSave": False},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "definition": {"linkSupport": True},
                "references": {},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                "completion": {"completionItem": {"snippetSupport": True}},
                "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor"]}}},
            },
        }

    def go(self):
        a, m, r = self.args, self.m, self.result
        stderr = open(a.stderr, "ab") if a.stderr else None
        env = dict(os.environ)
        for kv in a.env:
            k, _, v = kv.partition("=")
            env[k] = v
        r["loadavg_before"] = open("/proc/loadavg").read().split()[:3]
        self.client = c = LspClient(shlex.split(a.server), cwd=self.corpus, env=env, stderr=stderr,
                                    settings=a.settings_obj, root=self.corpus)
        mem = MemorySampler(c.proc.pid)
        mem.start()
        try:
            self.phase_initialize()
            self.phase_index(mem)
            if "hover" not in a.skip or "definition" not in a.skip:
                self.phase_point_queries()
            if "references" not in a.skip:
                self.phase_references()
            if m.get("big_note") and ("edit" not in a.skip or "burst" not in a.skip):
                self.phase_big_note()
        finally:
            mem.stop.set()
            r["memory"] = mem.peak()
            r["memory"]["corpus_bytes"] = m["total_bytes"]
            c.close()
            asked = {}
            for _, meth in c.server_requests:
                asked[meth] = asked.get(meth, 0) + 1
            r["server_requests"] = asked
            r["exit_code"] = c.proc.returncode
            if stderr:
                stderr.close()
        return r

    # -- phases ----------------------------------------------------------------------------------

    def phase_initialize(self):
        c, a, r = self.client, self.args, self.result
        params = {
            "processId": os.getpid(),
            "clientInfo": {"name": "lsp_bench", "version": "1"},
            "locale": "en",
            "rootPath": self.corpus,
            "rootUri": path_uri(self.corpus),
            "workspaceFolders": [{"uri": path_uri(self.corpus), "name": os.path.basename(self.corpus)}],
            "capabilities": self.capabilities(),
            "trace": "off",
        }
        if a.init_options_obj is not None:
            params["initializationOptions"] = a.init_options_obj
        rid, _ = c.send_request("initialize", params)
        t1, msg, _ = c.wait_response(rid, a.index_timeout)
        if "error" in msg:
            raise SystemExit(f"lsp_bench: initialize failed: {msg['error']}")
        res = msg.get("result") or {}
        r["initialize_ms"] = (t1 - c.t_spawn) * 1000
        self.caps = res.get("capabilities") or {}
        self.server_info = res.get("serverInfo") or {}
        r["server_info"] = self.server_info
        enc = self.caps.get("positionEncoding") or "utf-16"
        r["position_encoding"] = enc
        self.col_key = COLUMN_KEY.get(enc, "character")
        self.sync = sync_kind(self.caps)
        r["text_document_sync"] = {0: "none", 1: "full", 2: "incremental"}.get(self.sync, str(self.sync))
        c.notify("initialized", {})
        self.t_initialized = now()

    def phase_index(self, mem):
        """Time to index: references on a link to the hub until the expected count comes back."""
        c, a, m, r = self.client, self.args, self.m, self.result
        hub = m["hub"] if a.index_probe == "wikilink" else m.get("md_hub") or {}
        probe = hub.get("probe")
        expected = hub.get("inbound_links")
        idx = {"probe": a.index_probe, "expected": expected, "reached": False, "count": None, "polls": 0, "ms": None}
        r["index"] = idx
        if probe and a.probe_from == "target":
            # Asked on the hub's own title (the first line, `# ...`), as a server that answers
            # references for the note under the cursor wants, not for a link.
            probe = {"file": hub["file"], "line": 0, "character": 2, "end_character": 3, "byte": 2,
                     "end_byte": 3, "codepoint": 2, "end_codepoint": 3}
        if probe and self.caps.get("referencesProvider"):
            self.open_doc(probe["file"])
            params = {"textDocument": {"uri": self.doc_uri(probe["file"])}, "position": self.pos(probe),
                      "context": {"includeDeclaration": a.include_declaration}}
            deadline = now() + a.index_timeout
            trace = idx["trace"] = []  # [sent, answered (ms since spawn), count]
            failing_since = None
            while now() < deadline and not c.closed:
                t0 = now()
                try:
                    # A poll may take long on a big workspace: wait as long as the index may.
                    res, err, dt, _ = c.request("textDocument/references", params, timeout=max(0.1, deadline - t0))
                except Timeout:
                    idx["note"] = "the last references request got no answer in time"
                    break
                idx["polls"] += 1
                if err:
                    failing_since = failing_since or t0
                    idx["error"] = str(err.get("message", err))[:200]
                    if t0 - failing_since > 5.0:
                        idx["note"] = "references keep failing"
                        break
                else:
                    failing_since = None
                n = len(res) if isinstance(res, list) else 0
                idx["count"] = n
                if dt is not None:
                    trace.append([round((t0 - c.t_spawn) * 1000, 2), round((t0 + dt - c.t_spawn) * 1000, 2), n])
                if n >= expected:
                    # Arrival time of the answer that first came back complete.
                    idx["ms"] = (c.last_arrival - c.t_spawn) * 1000
                    idx["reached"] = True
                    # The same request once more, now that the index is built.
                    res, err, dt, _ = self.timed("textDocument/references", params)
                    idx["again_ms"] = dt * 1000 if dt is not None else None
                    break
                time.sleep(a.poll_ms / 1000.0)
        else:
            idx["note"] = "server offers no references; waited for progress to end instead"
        r["rss_after_index_bytes"] = mem.sample()
        # primer-ls (and others) report progress and log lines; note when they arrived. Without
        # the references test, wait for the end of any progress the server has begun.
        self.server_index_signals(wait=not idx["reached"] and not idx["polls"])

    def server_index_signals(self, wait):
        c, r = self.client, self.result
        timeout = 2.0
        if wait:
            time.sleep(1.0)
            began = any(meth == "window/workDoneProgress/create" for _, meth in c.server_requests) or any(
                meth == "$/progress" for _, meth, _ in list(c.notifications))
            timeout = self.args.index_timeout if began else 2.0
        try:
            _, t, params = c.wait_notification(
                lambda meth, p: meth == "$/progress" and isinstance(p, dict)
                and isinstance(p.get("value"), dict) and p["value"].get("kind") == "end", timeout)
            r["progress_end_ms"] = (t - c.t_spawn) * 1000
        except Timeout:
            r["progress_end_ms"] = None
        try:
            _, t, params = c.wait_notification(
                lambda meth, p: meth == "window/logMessage" and re.match(r"indexed \d+ notes", str((p or {}).get("message", ""))),
                0.5 if r.get("progress_end_ms") is None else 2.0)
            msg = params["message"]
            mm = re.match(r"indexed (\d+) notes in (\d+) ms", msg)
            r["server_log"] = {"message": msg, "at_ms": (t - c.t_spawn) * 1000,
                               "notes": int(mm.group(1)) if mm else None,
                               "server_ms": int(mm.group(2)) if mm else None}
        except Timeout:
            r["server_log"] = None

    def measure(self, name, method, positions, extra=None, check=None):
        """Runs `iterations` requests cycling over positions, after one unmeasured pass."""
        a = self.args
        if not positions:
            self.result[name] = {"note": "no positions in the manifest"}
            return
        for p in positions:
            self.open_doc(p["file"])
        samples, answered, correct, checked, errors, timeouts = [], 0, 0, 0, 0, 0
        first_error = None
        for p in positions:  # warm-up
            self.timed(method, self.req_params(p, extra))
        n = a.iterations if method != "textDocument/references" else a.ref_iterations
        sizes = []
        for i in range(n):
            p = positions[i % len(positions)]
            res, err, dt, size = self.timed(method, self.req_params(p, extra))
            if dt is None:
                timeouts += 1
                if timeouts >= 3:
                    break
                continue
            if err:
                errors += 1
                first_error = first_error or str(err.get("message", err))[:200]
            samples.append(dt)
            sizes.append(size)
            ok = bool(hover_text(res)) if method == "textDocument/hover" else bool(locations(res))
            answered += ok
            if ok and check:
                verdict = check(p, res)
                if verdict is not None:
                    checked += 1
                    correct += bool(verdict)
        out = {"answered": answered, "requests": len(samples), "errors": errors, "timeouts": timeouts,
               "ms": stats_ms(samples), "answer_bytes_p50": percentile(sizes, 50) if sizes else None}
        if first_error:
            out["first_error"] = first_error
        if checked:
            out["correct"] = correct
            out["checked"] = checked
        self.result[name] = out
        return out

    def req_params(self, p, extra):
        params = {"textDocument": {"uri": self.doc_uri(p["file"])}, "position": self.pos(p)}
        if extra:
            params.update(extra)
        return params

    def phase_point_queries(self):
        a, m = self.args, self.m
        terms = m.get("terms", []) + m.get("non_ascii_terms", [])
        # Interleave so that both kinds are sampled evenly.
        terms = [p for pair in zip(m.get("terms", []), m.get("non_ascii_terms", [])) for p in pair] or terms
        kinds = [m.get("section_links", []), m.get("hub_links", []), m.get("md_hub_links", [])]
        links = [p for group in zip(*[k for k in kinds if k]) for p in group]

        def mentions_term(p, res):
            return p["term"].lower() in hover_text(res).lower() if p.get("term") else None

        def right_target(p, res):
            if not p.get("expected_definition"):
                return None
            want = os.path.join(self.corpus, p["expected_definition"])
            return any(os.path.abspath(uri_path(u)) == want for u, _ in locations(res))

        if "hover" not in a.skip:
            self.measure("hover_term", "textDocument/hover", terms, check=mentions_term)
            self.measure("hover_link", "textDocument/hover", links)
        if "definition" not in a.skip:
            self.measure("definition_term", "textDocument/definition", terms)
            self.measure("definition_link", "textDocument/definition", links, check=right_target)

    def phase_references(self):
        m = self.m
        positions = m["common_term"]["positions"][:20]
        context = {"context": {"includeDeclaration": self.args.include_declaration}}
        out = self.measure("references_term", "textDocument/references", positions, extra=context)
        if out and positions:
            res, _, _, _ = self.timed("textDocument/references", self.req_params(positions[0], context))
            locs = locations(res)
            out["results"] = len(locs)
            out["results_in_corpus"] = sum(1 for u, _ in locs if os.path.abspath(uri_path(u)).startswith(self.corpus + os.sep))
            out["expected_in_corpus"] = m["common_term"]["uses_in_notes"]
            out["term"] = m["common_term"]["term"]

    def phase_big_note(self):
        c, a, m, r = self.client, self.args, self.m, self.result
        big = m["big_note"]
        rel = big["file"]
        path = os.path.join(self.corpus, rel)
        uri = self.doc_uri(rel)
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        self.open_doc(rel)
        version = 1
        hover_params = {"textDocument": {"uri": uri}, "position": self.pos(big["hover"])}
        deadline = now() + 30
        while now() < deadline:
            res, _, _, _ = self.timed("textDocument/hover", hover_params)
            if hover_text(res):
                break
            time.sleep(0.05)
        edit = big["edit"]
        line_no, col = edit["line"], edit[self.col_key]
        typed = [0]
        letters = "the quick brown fox jumps over a lazy dog "

        def keystroke():
            nonlocal version
            ch = letters[typed[0] % len(letters)]
            at = col + typed[0]
            typed[0] += 1
            version += 1
            if self.sync == 1:
                ln = lines[line_no]
                lines[line_no] = ln[:at] + ch + ln[at:]  # edit lines are ASCII: columns agree
                change = {"text": "\n".join(lines)}
            else:
                change = {"range": {"start": {"line": line_no, "character": at},
                                    "end": {"line": line_no, "character": at}}, "text": ch}
            return c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                        "contentChanges": [change]})

        if self.sync == 0:
            r["edit_hover"] = {"note": "server takes no document changes"}
            return
        if "edit" not in a.skip:
            samples, answered = [], 0
            for _ in range(a.edit_iterations):
                t0 = keystroke()
                rid, _ = c.send_request("textDocument/hover", hover_params)
                try:
                    t1, msg, _ = c.wait_response(rid, a.request_timeout)
                except Timeout:
                    continue
                samples.append(t1 - t0)
                answered += bool(hover_text(msg.get("result")))
            r["edit_hover"] = {"answered": answered, "requests": len(samples), "ms": stats_ms(samples),
                               "note_bytes": big["bytes"]}
        if "burst" not in a.skip:
            self.burst(uri, keystroke, lambda: version)

    def burst(self, uri, keystroke, current_version):
        c, a, r = self.client, self.args, self.result
        debounce = a.debounce_ms
        if debounce is None and self.server_info.get("name") == "primer-ls":
            debounce = PRIMER_DEFAULT_DEBOUNCE_MS

        def is_publish(meth, p):
            return meth == "textDocument/publishDiagnostics" and uri_path(p.get("uri", "")) == uri_path(uri)

        # Let diagnostics from the typing above settle first.
        quiet = max(0.5, (debounce or 0) / 1000.0 + 0.3)
        start = len(c.notifications)
        t_end = now() + 10
        while now() < t_end:
            try:
                i, _, _ = c.wait_notification(is_publish, quiet, start)
                start = i + 1
            except Timeout:
                break
        first_index = len(c.notifications)
        t_first = None
        for k in range(a.burst):
            t = keystroke()
            t_first = t_first or t
            if a.burst_interval_ms:
                time.sleep(a.burst_interval_ms / 1000.0)
        t_last = t
        last_version = current_version()
        # The server may still be working through the keystrokes: wait long for the first
        # publish after the burst (or for the one carrying the last version), then a short while
        # for any further ones.
        settle = max(1.0, 2 * (debounce or 0) / 1000.0 + 0.5)
        publishes = []
        i = first_index
        final_seen = False
        # A server that has published nothing so far probably never will: do not wait long.
        published_before = any(meth == "textDocument/publishDiagnostics" for _, meth, _ in list(c.notifications))
        while True:
            after_seen = any(x[0] >= t_last for x in publishes)
            wait = settle if (final_seen or after_seen) else a.burst_timeout if published_before else min(5.0, a.burst_timeout)
            try:
                i, t, p = c.wait_notification(is_publish, wait, i)
            except Timeout:
                break
            publishes.append((t, p.get("version"), len(p.get("diagnostics") or [])))
            final_seen = final_seen or p.get("version") == last_version or (t >= t_last and p.get("version") is None)
            i += 1
        after = [x for x in publishes if x[0] >= t_last]
        out = {
            "keystrokes": a.burst,
            "interval_ms": a.burst_interval_ms,
            "burst_ms": (t_last - t_first) * 1000,
            "publishes": len(publishes),
            "publishes_during_burst": len(publishes) - len(after),
            "publishes_after_burst": len(after),
            "debounce_ms": debounce,
            "timeline": [[round((t - t_last) * 1000, 1), v, n] for t, v, n in publishes],
        }
        if after:
            out["last_publish_after_ms"] = (after[-1][0] - t_last) * 1000
            out["first_publish_after_ms"] = (after[0][0] - t_last) * 1000
            out["diagnostics"] = after[-1][2]
            out["last_version_published"] = after[-1][1]
            out["last_version_sent"] = last_version
            if debounce is not None:
                out["compute_ms"] = out["last_publish_after_ms"] - debounce
        elif not publishes:
            out["note"] = "no diagnostics published"
        r["diagnostics_burst"] = out


# ---------------------------------------------------------------------------------------------
# Rounds, summary, output


def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        elif isinstance(v, bool):
            out[key] = v
        elif isinstance(v, (int, float)):
            out[key] = v
    return out


def median_rounds(rounds):
    """The median of every number over the rounds, in the shape of the first round."""
    flat = [flatten(r) for r in rounds]

    def build(d, prefix=""):
        out = {}
        for k, v in d.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict):
                out[k] = build(v, key + ".")
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                vals = [f[key] for f in flat if isinstance(f.get(key), (int, float))]
                out[k] = statistics.median(vals) if vals else v
            elif isinstance(v, bool):
                out[k] = all(f.get(key) for f in flat)
            else:
                out[k] = v
        return out

    return build(rounds[0])


def fmt_ms(x):
    if x is None:
        return "-"
    if x < 1:
        return f"{x:.3f} ms"
    if x < 100:
        return f"{x:.2f} ms"
    return f"{x:.0f} ms"


def report(summary, meta):
    out = []
    si = summary.get("server_info") or {}
    name = " ".join(x for x in (si.get("name"), si.get("version")) if x) or meta["server"]
    rounds = meta["rounds"]
    out.append(f"server   {name}  ({meta['server']}; {summary.get('position_encoding')}, "
               f"{summary.get('text_document_sync')} sync)")
    c = meta["corpus"]
    out.append(f"corpus   {c['path']}: {c['files']} files, {c['total_bytes'] / 1e6:.1f} MB, seed {c['seed']}")
    out.append(f"rounds   {rounds}" + (" (medians shown)" if rounds > 1 else ""))
    out.append("")
    out.append(f"spawn → initialize response     {fmt_ms(summary.get('initialize_ms'))}")
    idx = summary.get("index", {})
    if idx.get("reached"):
        line = (f"spawn → index complete          {fmt_ms(idx.get('ms'))}  (references on a {'Markdown link' if idx.get('probe') == 'markdown' else 'wikilink'} "
                f"to a hub: {idx.get('count'):.0f}/{idx.get('expected'):.0f})")
    else:
        line = (f"spawn → index complete          not reached ({idx.get('count')}/{idx.get('expected')} references)"
                f" {idx.get('note', '')} {idx.get('error', '')}")
    out.append(line)
    if idx.get("again_ms") is not None:
        out.append(f"  the same references again      {fmt_ms(idx['again_ms'])}")
    if summary.get("progress_end_ms") is not None:
        out.append(f"  $/progress end at             {fmt_ms(summary['progress_end_ms'])}")
    sl = summary.get("server_log")
    if sl and sl.get("server_ms") is not None:
        out.append(f"  log 'indexed {sl['notes']:.0f} notes in {sl['server_ms']:.0f} ms' at {fmt_ms(sl['at_ms'])}")
    elif sl:
        out.append(f"  log '{sl['message']}' at {fmt_ms(sl['at_ms'])}")
    out.append("")
    out.append(f"{'request':28} {'answered':>10} {'p50':>10} {'p95':>10} {'p99':>10} {'max':>10}")
    notes = []
    for key, label in [("hover_term", "hover (term)"), ("hover_link", "hover (link)"),
                       ("definition_term", "definition (term)"), ("definition_link", "definition (link)"),
                       ("references_term", "references (common term)"), ("edit_hover", "didChange + hover (1 MB)")]:
        s = summary.get(key)
        if not s:
            continue
        ms = s.get("ms")
        if not ms or not s.get("answered"):
            out.append(f"{label:28} {'no answer':>10}" + (f" {fmt_ms(ms['p50']):>10}" if ms else ""))
            if s.get("first_error"):
                notes.append(f"  {label}: errors, e.g. {s['first_error']!r}")
            continue
        ans = f"{s['answered']:.0f}/{s['requests']:.0f}"
        if s.get("errors"):
            notes.append(f"  {label}: {s['errors']:.0f} errors, e.g. {s.get('first_error')!r}")
        out.append(f"{label:28} {ans:>10} {fmt_ms(ms['p50']):>10} {fmt_ms(ms['p95']):>10} "
                   f"{fmt_ms(ms['p99']):>10} {fmt_ms(ms['max']):>10}")
    out += notes
    ref = summary.get("references_term") or {}
    if "results" in ref:
        out.append(f"  references of {ref['term']!r}: {ref['results']:.0f} results, {ref['results_in_corpus']:.0f} in the "
                   f"notes ({ref['expected_in_corpus']:.0f} written by the generator)")
    for key in ("hover_term", "definition_link"):
        s = summary.get(key) or {}
        if s.get("checked"):
            what = "hovers name the term" if key == "hover_term" else "definitions of links to a hub land on it"
            out.append(f"  {what}: {s['correct']:.0f}/{s['checked']:.0f}")
    b = summary.get("diagnostics_burst")
    if b:
        out.append("")
        if b.get("note"):
            out.append(f"diagnostics after {b['keystrokes']} keystrokes: {b['note']}")
        else:
            deb = f"debounce {b['debounce_ms']:.0f} ms" if b.get("debounce_ms") is not None else "debounce unknown"
            line = (f"diagnostics after {b['keystrokes']} keystrokes ({b['burst_ms']:.0f} ms burst): "
                    f"{b['publishes_after_burst']:.0f} publish(es) after, {b['publishes_during_burst']:.0f} during; ")
            if "last_publish_after_ms" in b:
                line += f"last {fmt_ms(b['last_publish_after_ms'])} after the last keystroke ({deb}"
                if b.get("compute_ms") is not None:
                    line += f" → {fmt_ms(b['compute_ms'])} beyond it"
                line += ")"
            out.append(line)
    if summary.get("exit_code"):
        out.append(f"\nthe server exited with code {summary['exit_code']} (after shutdown and exit)")
    if summary.get("server_requests"):
        asked = ", ".join(f"{k} ×{v:.0f}" for k, v in sorted(summary["server_requests"].items()))
        out.append(f"\nthe server asked: {asked} (configuration answered with the settings, the rest with null)")
    mem = summary.get("memory", {})
    if mem:
        out.append("")
        hwm = mem.get("vmhwm_bytes", 0)
        ratio = hwm / mem["corpus_bytes"] if mem.get("corpus_bytes") else 0
        out.append(f"peak memory (VmHWM)             {hwm / 1e6:.1f} MB  ({ratio:.1f}× the corpus; "
                   f"{mem.get('processes', 1):.0f} process(es))")
        if summary.get("rss_after_index_bytes"):
            out.append(f"  RSS once indexed              {summary['rss_after_index_bytes'] / 1e6:.1f} MB")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True, help='the server command, e.g. "target/release/primer-ls" or "marksman server"')
    ap.add_argument("--corpus", required=True, help="a folder written by gen_corpus.py")
    ap.add_argument("--encoding", choices=["utf-16", "utf-8"], default="utf-16",
                    help="utf-16 offers only UTF-16 positions (as VS Code does); utf-8 offers UTF-8 first")
    ap.add_argument("--iterations", type=int, default=200, help="requests per hover/definition measure")
    ap.add_argument("--ref-iterations", type=int, default=30, help="requests for the references measure")
    ap.add_argument("--edit-iterations", type=int, default=None, help="didChange+hover pairs (default: --iterations)")
    ap.add_argument("--burst", type=int, default=100, help="keystrokes in the diagnostics burst")
    ap.add_argument("--burst-interval-ms", type=float, default=10.0, help="pause between burst keystrokes")
    ap.add_argument("--burst-timeout", type=float, default=30.0,
                    help="seconds to wait for the first diagnostics after the burst")
    ap.add_argument("--rounds", type=int, default=1, help="runs (each with a fresh server); medians are reported")
    ap.add_argument("--json", help="write the results (every round and the medians) to this file")
    ap.add_argument("--init-options", help="initializationOptions, as JSON")
    ap.add_argument("--settings", help="what to answer workspace/configuration with, as JSON (default: --init-options)")
    ap.add_argument("--debounce-ms", type=int, default=None,
                    help="set primer-ls's diagnostics debounce (primer.diagnostics.debounceMs) and use it in the report")
    ap.add_argument("--index-timeout", type=float, default=120.0, help="seconds to wait for the index")
    ap.add_argument("--request-timeout", type=float, default=10.0)
    ap.add_argument("--index-probe", choices=["wikilink", "markdown"], default="wikilink",
                    help="which hub's inbound links tell that the index is complete: [[course-map]] "
                         "wikilinks, or Markdown links to reading-list.md (for servers without wikilinks)")
    ap.add_argument("--probe-from", choices=["link", "target"], default="link",
                    help="ask the index probe's references on a link to the hub (default) or on the "
                         "hub's own title (for servers that answer references for the note under the "
                         "cursor, such as IWE's)")
    ap.add_argument("--include-declaration", action="store_true",
                    help="ask references with includeDeclaration true (IWE's server lists inline "
                         "links only then)")
    ap.add_argument("--poll-ms", type=float, default=5.0, help="pause between references polls while indexing")
    ap.add_argument("--skip", default="", help="comma-separated: hover,definition,references,edit,burst")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server's environment")
    ap.add_argument("--stderr", help="append the server's stderr to this file (default: discard)")
    ap.add_argument("--label", help="a name for the server in the JSON output")
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    a = ap.parse_args(argv)
    a.skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    a.edit_iterations = a.iterations if a.edit_iterations is None else a.edit_iterations
    a.init_options_obj = json.loads(a.init_options) if a.init_options else None
    if a.debounce_ms is not None:
        opts = a.init_options_obj if isinstance(a.init_options_obj, dict) else {}
        opts.setdefault("primer", {}).setdefault("diagnostics", {})["debounceMs"] = a.debounce_ms
        a.init_options_obj = opts
    a.settings_obj = json.loads(a.settings) if a.settings else (a.init_options_obj or {})
    try:
        with open(os.path.join(a.corpus, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
    except OSError as e:
        ap.error(f"no manifest in {a.corpus}: {e}")
    parts = shlex.split(a.server)
    exe = parts[0]
    if os.sep in exe and not os.path.isabs(exe):
        # The server runs in the corpus folder: a path relative to here must still find it.
        exe = os.path.abspath(exe)
        a.server = " ".join(shlex.quote(x) for x in [exe, *parts[1:]])
    if os.sep not in exe and not any(os.access(os.path.join(d, exe), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep)):
        ap.error(f"server command not found: {exe}")
    rounds = []
    for i in range(a.rounds):
        if not a.quiet:
            print(f"lsp_bench: round {i + 1}/{a.rounds} …", file=sys.stderr, flush=True)
        try:
            rounds.append(Run(a, manifest, None).go())
        except OSError as e:
            sys.exit(f"lsp_bench: cannot start the server: {e}")
        except Timeout as e:
            sys.exit(f"lsp_bench: {e}; giving up")
    summary = median_rounds(rounds) if len(rounds) > 1 else rounds[0]
    meta = {
        "server": a.server,
        "label": a.label or (summary.get("server_info") or {}).get("name") or os.path.basename(exe),
        "rounds": a.rounds,
        "encoding_offered": a.encoding,
        "iterations": a.iterations,
        "ref_iterations": a.ref_iterations,
        "edit_iterations": a.edit_iterations,
        "corpus": {"path": a.corpus, "files": manifest["files"], "notes": manifest["notes"],
                   "total_bytes": manifest["total_bytes"], "seed": manifest["seed"],
                   "generator_version": manifest.get("generator_version")},
        "command": " ".join(shlex.quote(x) for x in [sys.executable, *sys.argv]) if argv is None else None,
    }
    print(report(summary, meta))
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, "summary": summary, "rounds": rounds}, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
