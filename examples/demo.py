#!/usr/bin/env python3
"""Plays an editor against primer-ls on the sample notes: hovers, go-to-definition, references,
completion and diagnostics, printed as a student would see them. Usage: demo.py PATH-TO-BINARY"""
import json, os, subprocess, sys, tempfile

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
NOTES = os.path.join(HERE, "notes")
WEEK1 = os.path.join(NOTES, "week1.md")
CACHING = os.path.join(NOTES, "week2", "caching-notes.md")

proc = subprocess.Popen([BIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                        env={**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="primer-ls-demo-")})
next_id = 0
pending = []

def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()

def read():
    length = 0
    while True:
        line = proc.stdout.readline()
        if not line:
            sys.exit("primer-ls stopped")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))

def wait(pred):
    for i, m in enumerate(pending):
        if pred(m):
            return pending.pop(i)
    while True:
        m = read()
        if pred(m):
            return m
        if "id" in m and "method" in m:  # a request from the server: answer it
            send({"jsonrpc": "2.0", "id": m["id"], "result": [None] if m["method"] == "workspace/configuration" else None})
        else:
            pending.append(m)

def request(method, params):
    global next_id
    next_id += 1
    send({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params})
    return wait(lambda m: m.get("id") == next_id and "method" not in m).get("result")

def uri(p):
    return "file://" + p

def position_of(path, needle, offset=1):
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n")):
        col = line.find(needle)
        if col >= 0:
            return {"line": n, "character": len(line[:col].encode("utf-16-le")) // 2 + offset}
    raise SystemExit(f"{needle!r} not in {path}")

def title(t):
    print(f"\n\033[1m== {t}\033[0m")

request("initialize", {"processId": None, "rootUri": uri(NOTES), "workspaceFolders": [{"uri": uri(NOTES), "name": "notes"}],
                       "capabilities": {"general": {"positionEncodings": ["utf-16"]}, "window": {"workDoneProgress": True}}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
log = wait(lambda m: m.get("method") == "window/logMessage" and m["params"]["message"].startswith("indexed"))
print("primer-ls:", log["params"]["message"])
for path in (WEEK1, CACHING):
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri(path), "languageId": "markdown", "version": 1, "text": open(path, encoding="utf-8").read()}}})

def at(path, needle, offset=1):
    return {"textDocument": {"uri": uri(path)}, "position": position_of(path, needle, offset)}

for path, needle in [(WEEK1, "horizontal scalability"), (WEEK1, "idempotency;"), (CACHING, "replication lag"), (WEEK1, "[[state]]")]:
    title(f"hover on {needle!r} in {os.path.relpath(path, HERE)}")
    h = request("textDocument/hover", at(path, needle, 2))
    print(h["contents"]["value"] if h else "(nothing)")

title("go to definition of [[reliable-rpcs#idempotency]]")
d = request("textDocument/definition", at(WEEK1, "[[reliable-rpcs#idempotency]]", 3))
print(f"{d['uri']} line {d['range']['start']['line'] + 1}")

title("references of 'network partition'")
for r in request("textDocument/references", {**at(CACHING, "network partition"), "context": {"includeDeclaration": False}}):
    print(f"{r['uri'].rsplit('/primer-ls/', 1)[-1]}:{r['range']['start']['line'] + 1}")

title("completion after [[state#ca")
send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri(WEEK1), "version": 2},
      "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "[[state#ca\n"}]}})
c = request("textDocument/completion", {"textDocument": {"uri": uri(WEEK1)}, "position": {"line": 0, "character": 10},
                                         "context": {"triggerKind": 1}})
for item in c["items"][:6]:
    print(f"{item['label']:40} {item['detail']}")

title("diagnostics for week2/caching-notes.md")
diags = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri(CACHING))
for d in diags["params"]["diagnostics"]:
    print(f"line {d['range']['start']['line'] + 1}: {d['message']}")

title("code lens over the checklist in week1.md, and the checklist action")
for lens in request("textDocument/codeLens", {"textDocument": {"uri": uri(WEEK1)}}):
    print(f"line {lens['range']['start']['line'] + 1}: {lens['command']['title']}")
actions = request("textDocument/codeAction", {"textDocument": {"uri": uri(WEEK1)},
                  "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "context": {"diagnostics": []}})
for a in actions[:3]:
    print(a["title"])

request("shutdown", None)
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait(timeout=5)
