#!/usr/bin/env python3
"""Self-test of the benchmark tools: the corpus generator is deterministic and its manifest points
where it says, and lsp_bench.py drives a scripted server and (when PRIMER_LS names a binary)
primer-ls itself on a small corpus.

    python3 bench/test_bench.py                      # generator and client against a scripted server
    PRIMER_LS=target/release/primer-ls python3 bench/test_bench.py   # and against primer-ls
"""
import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_corpus  # noqa: E402
import lsp_bench  # noqa: E402


def generate(out, notes=30, seed=7, big=0.05):
    with contextlib.redirect_stdout(io.StringIO()):
        gen_corpus.main(["--notes", str(notes), "--seed", str(seed), "--big-note-mb", str(big), "--out", out])
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as fh:
        return json.load(fh)


def tree(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def all_positions(m):
    ps = []
    for key in ("terms", "non_ascii_terms", "section_links", "hub_links", "md_hub_links"):
        ps += m[key]
    ps += m["common_term"]["positions"]
    ps.append(m["hub"]["heading"])
    if m.get("big_note"):
        ps.append(m["big_note"]["hover"])
    return ps


def bench(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        lsp_bench.main(argv)
    return out.getvalue()


class GeneratorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bench-test-")
        cls.dir = os.path.join(cls.tmp, "a")
        cls.m = generate(cls.dir, notes=120)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_same_seed_same_bytes(self):
        again = os.path.join(self.tmp, "b")
        generate(again, notes=120)
        self.assertEqual(tree(self.dir), tree(again))
        other = os.path.join(self.tmp, "c")
        generate(other, notes=120, seed=8)
        self.assertNotEqual(tree(self.dir), tree(other))

    def test_positions_point_at_their_text(self):
        cache = {}
        checked = astral = 0
        for p in all_positions(self.m):
            if p["file"] not in cache:
                with open(os.path.join(self.dir, p["file"]), "rb") as fh:
                    data = fh.read()
                cache[p["file"]] = (data, data.decode("utf-8").split("\n"))
            data, lines = cache[p["file"]]
            line = lines[p["line"]]
            u16 = line.encode("utf-16-le")
            self.assertEqual(u16[2 * p["character"]: 2 * p["end_character"]].decode("utf-16-le"), p["text"], p)
            self.assertEqual(line.encode("utf-8")[p["byte"]: p["end_byte"]].decode("utf-8"), p["text"], p)
            self.assertEqual(line[p["codepoint"]: p["end_codepoint"]], p["text"], p)
            self.assertEqual(data[p["offset"]: p["offset"] + len(p["text"].encode())].decode(), p["text"], p)
            checked += 1
            if p["character"] > p["codepoint"]:  # a character outside the BMP (emoji) comes before
                astral += 1
        self.assertGreater(checked, 100)
        self.assertGreater(astral, 5, "some positions must follow emoji, where UTF-16 and code points differ")
        self.assertTrue(any(p["byte"] > p["character"] for p in self.m["non_ascii_terms"]))

    def test_terms_are_glossary_terms(self):
        terms = {t.lower() for t in gen_corpus.read_primer(gen_corpus.DEFAULT_PRIMER)[0]}
        for p in self.m["terms"] + self.m["non_ascii_terms"]:
            self.assertIn(p["term"].lower(), terms)
            self.assertEqual(p["text"].lower(), p["term"].lower())

    def test_counts_match_the_files(self):
        files = tree(self.dir)
        text = b"".join(v for k, v in files.items() if k.endswith(".md")).decode()
        self.assertEqual(text.count("[[course-map]]"), self.m["hub"]["inbound_links"])
        self.assertEqual(self.m["expected"]["hub_references"], self.m["hub"]["inbound_links"])
        self.assertEqual(len(re.findall(r"\]\((?:\.\./)*reading-list\.md\)", text)), self.m["md_hub"]["inbound_links"])
        self.assertEqual(sum(text.count(b) for b in gen_corpus.BROKEN_LINKS), self.m["broken_links"])
        self.assertEqual(self.m["files"], sum(1 for k in files if k.endswith(".md")))
        self.assertEqual(self.m["total_bytes"], sum(len(v) for k, v in files.items() if k.endswith(".md")))
        self.assertGreater(self.m["common_term"]["uses_in_notes"], 20)

    def test_notes_average_about_8_kb(self):
        sizes = [len(v) for k, v in tree(self.dir).items() if re.search(r"/n\d{5}-", k)]
        self.assertEqual(len(sizes), 118)
        self.assertTrue(6000 < sum(sizes) / len(sizes) < 10500, sum(sizes) / len(sizes))

    def test_big_note_edit_and_hover_lines(self):
        big = self.m["big_note"]
        with open(os.path.join(self.dir, big["file"]), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        self.assertGreater(big["hover"]["line"], big["edit"]["line"], "typing must not move the hover position")
        self.assertTrue(lines[big["edit"]["line"]].isascii())
        self.assertEqual(len(lines[big["edit"]["line"]]), big["edit"]["character"], "the edit point ends its line")


# A small server that speaks just enough LSP, to test the client without primer-ls. It asks for
# configuration and a progress token like primer-ls, and answers references on the hub with the
# manifest's count only once "indexing" is over.
FAKE_SERVER = textwrap.dedent(r'''
    import json, sys, threading, time
    MANIFEST = json.load(open(sys.argv[1]))
    out = sys.stdout.buffer
    lock = threading.Lock()
    started = [None]
    def send(msg):
        body = json.dumps(msg).encode()
        with lock:
            out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            out.flush()
    def read():
        n = 0
        while True:
            line = sys.stdin.buffer.readline()
            if not line:
                sys.exit(0)
            if not line.strip():
                break
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        return json.loads(sys.stdin.buffer.read(n))
    version = {}
    while True:
        m = read()
        meth, mid = m.get("method"), m.get("id")
        if meth == "initialize":
            send({"jsonrpc": "2.0", "id": mid, "result": {"capabilities": {
                "textDocumentSync": 2, "hoverProvider": True, "definitionProvider": True,
                "referencesProvider": True}, "serverInfo": {"name": "fake"}}})
        elif meth == "initialized":
            send({"jsonrpc": "2.0", "id": "c1", "method": "workspace/configuration",
                  "params": {"items": [{"section": "primer"}]}})
            send({"jsonrpc": "2.0", "id": "p1", "method": "window/workDoneProgress/create", "params": {"token": "t"}})
            started[0] = time.time()
            def finish():
                time.sleep(0.3)
                send({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "t", "value": {"kind": "end"}}})
                send({"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": 3, "message": "indexed 3 notes in 300 ms"}})
            threading.Thread(target=finish).start()
        elif meth == "shutdown":
            send({"jsonrpc": "2.0", "id": mid, "result": None})
        elif meth == "exit":
            sys.exit(0)
        elif meth == "textDocument/references":
            uri = m["params"]["textDocument"]["uri"]
            done = time.time() - started[0] > 0.3
            n = MANIFEST["hub"]["inbound_links"] if done else 1
            send({"jsonrpc": "2.0", "id": mid, "result": [{"uri": uri, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}}] * n})
        elif meth == "textDocument/hover":
            send({"jsonrpc": "2.0", "id": mid, "result": {"contents": {"kind": "markdown", "value": "a hover"}}})
        elif meth == "textDocument/definition":
            send({"jsonrpc": "2.0", "id": mid, "result": []})
        elif meth == "textDocument/didChange":
            uri = m["params"]["textDocument"]["uri"]
            v = m["params"]["textDocument"]["version"]
            def publish(uri=uri, v=v):
                time.sleep(0.05)
                if version.get(uri) == v:
                    send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                          "params": {"uri": uri, "version": v, "diagnostics": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "message": "x"}]}})
            version[uri] = v
            threading.Thread(target=publish).start()
        elif mid is not None and meth is not None:
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "unknown"}})
''')


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bench-client-")
        cls.dir = os.path.join(cls.tmp, "corpus")
        cls.m = generate(cls.dir, notes=20, big=0.1)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_percentiles(self):
        xs = list(range(1, 101))
        self.assertEqual(lsp_bench.percentile(xs, 50), 50.5)
        self.assertAlmostEqual(lsp_bench.percentile(xs, 99), 99.01)
        self.assertEqual(lsp_bench.percentile([3.0], 99), 3.0)

    def test_medians_over_rounds(self):
        rounds = [{"a": 1, "b": {"c": 10.0, "ok": True}, "s": "x"}, {"a": 3, "b": {"c": 30.0, "ok": False}, "s": "x"},
                  {"a": 2, "b": {"c": 20.0, "ok": True}, "s": "x"}]
        self.assertEqual(lsp_bench.median_rounds(rounds), {"a": 2, "b": {"c": 20.0, "ok": False}, "s": "x"})

    def test_against_a_scripted_server(self):
        script = os.path.join(self.tmp, "fake_server.py")
        with open(script, "w") as fh:
            fh.write(FAKE_SERVER)
        out_json = os.path.join(self.tmp, "fake.json")
        text = bench(["--server", f"{sys.executable} {script} {self.dir}/manifest.json", "--corpus", self.dir,
                      "--iterations", "10", "--ref-iterations", "3", "--edit-iterations", "5", "--burst", "10",
                      "--burst-interval-ms", "1", "--debounce-ms", "0", "--json", out_json, "--quiet"])
        with open(out_json) as fh:
            r = json.load(fh)["summary"]
        self.assertTrue(r["index"]["reached"], r["index"])
        self.assertGreaterEqual(r["index"]["ms"], 250)
        self.assertIsNotNone(r["progress_end_ms"])
        self.assertEqual(r["server_log"]["server_ms"], 300)
        self.assertEqual(r["server_requests"], {"workspace/configuration": 1, "window/workDoneProgress/create": 1})
        self.assertEqual(r["hover_term"]["answered"], 10)
        self.assertEqual(r["definition_term"]["answered"], 0)  # empty answers are "no answer"
        self.assertEqual(r["edit_hover"]["answered"], 5)
        b = r["diagnostics_burst"]
        self.assertGreaterEqual(b["publishes"], 1)
        self.assertEqual(b["last_version_published"], b["last_version_sent"])
        self.assertGreater(r["memory"]["vmhwm_bytes"], 1e6)
        self.assertIn("no answer", text)


@unittest.skipUnless(os.environ.get("PRIMER_LS"), "set PRIMER_LS to a primer-ls binary to run")
class PrimerLsTest(unittest.TestCase):
    def test_small_corpus(self):
        tmp = tempfile.mkdtemp(prefix="bench-primer-ls-")
        try:
            corpus = os.path.join(tmp, "corpus")
            m = generate(corpus, notes=20, big=0.2)
            out_json = os.path.join(tmp, "r.json")
            bench(["--server", os.environ["PRIMER_LS"], "--corpus", corpus, "--iterations", "20",
                   "--ref-iterations", "5", "--edit-iterations", "10", "--burst", "20", "--burst-interval-ms", "2",
                   "--debounce-ms", "50", "--env", f"XDG_CACHE_HOME={tmp}/cache", "--json", out_json, "--quiet"])
            with open(out_json) as fh:
                r = json.load(fh)["summary"]
            self.assertEqual((r.get("server_info") or {}).get("name"), "primer-ls")
            self.assertTrue(0 < r["initialize_ms"] < 5000)
            self.assertTrue(r["index"]["reached"], r["index"])
            self.assertEqual(r["server_log"]["notes"], m["files"])
            for key in ("hover_term", "hover_link", "definition_term", "definition_link"):
                self.assertEqual(r[key]["answered"], r[key]["requests"], key)
                self.assertLess(r[key]["ms"]["p50"], 100, key)
            self.assertEqual(r["hover_term"]["correct"], r["hover_term"]["checked"])
            self.assertEqual(r["definition_link"]["correct"], r["definition_link"]["checked"])
            ref = r["references_term"]
            self.assertEqual(ref["results_in_corpus"], m["common_term"]["uses_in_notes"])
            self.assertEqual(r["edit_hover"]["answered"], 10)
            b = r["diagnostics_burst"]
            self.assertGreaterEqual(b["publishes_after_burst"], 1)
            self.assertEqual(b["diagnostics"], m["big_note"]["broken_links"])
            self.assertEqual(b["last_version_published"], b["last_version_sent"])
            self.assertTrue(1e6 < r["memory"]["vmhwm_bytes"] < 2e9)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class ReportTest(unittest.TestCase):
    def test_the_ratio_to_the_bare_parse_is_read_from_both_measures(self):
        import report
        micro = textwrap.dedent("""\
            ├─ analyse_note_1mb         7.01 ms      │ 9.1 ms      │ 7.2 ms      │ 7.3 ms      │ 100     │ 100
            ╰─ pulldown_bare_parse_1mb  3.40 ms      │ 4.0 ms      │ 3.5 ms      │ 3.5 ms      │ 100     │ 100

            cargo run --release -p primer-analysis --example paired -- target/bench-corpus/1k 300
            pairs 300; bare parse fastest 3.336 ms; analysis fastest 6.964 ms; ratio of the fastest 2.088
            ratio of each pair: median 1.987, quartiles 1.954 and 2.043
            """)
        rows = {label: (goal, value, ok) for label, goal, value, ok in report.targets(None, None, micro)}
        paired = [v for k, v in rows.items() if "alternated run by run" in k]
        apart = [v for k, v in rows.items() if "each timed in its own run" in k]
        self.assertEqual(paired, [("≤ 2×", "1.99× (quartiles 1.95× and 2.04×)", True)])
        self.assertEqual(apart, [("≤ 2×", "7.01 ms / 3.40 ms = 2.06×", False)])


if __name__ == "__main__":
    unittest.main()
