//! A small LSP client that drives the real `primer-ls` binary over stdio, as an editor would.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received so far (publishDiagnostics, showMessage, logMessage, $/progress).
    pub notifications: Vec<Value>,
    pub cache: tempfile::TempDir,
    /// What `workspace/configuration` answers for the `primer` section.
    pub configuration: Value,
    /// The `workspace/applyEdit` requests the server sent (each answered `applied: true`).
    pub applied_edits: Vec<Value>,
    /// Methods of the server's requests this client never answers (a hostile or broken client).
    pub unanswered: Vec<&'static str>,
    /// `window/showMessageRequest`s received; each is answered with the action whose title
    /// starts with `choose` (none when it is empty or nothing matches).
    pub message_requests: Vec<Value>,
    pub choose: String,
    /// `capabilities.workspace.workspaceEdit` to announce at `initialize` (none when null).
    pub workspace_edit: Value,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_primer-ls")
}

pub fn file_uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// Writes `files` (`(relative path, text)`) under a new temporary folder.
pub fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

impl Server {
    pub fn spawn() -> Server {
        Server::spawn_with_env(&[])
    }

    pub fn spawn_with_env(env: &[(&str, &str)]) -> Server {
        Server::spawn_in(&std::env::temp_dir(), env)
    }

    /// Starts the server in the folder `cwd`, with `env` set (after the test cache folder).
    pub fn spawn_in(cwd: &Path, env: &[(&str, &str)]) -> Server {
        let cache = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(bin());
        cmd.current_dir(cwd);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        cmd.env("XDG_CACHE_HOME", cache.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn primer-ls");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let l = line.trim_end();
                    if l.is_empty() {
                        break;
                    }
                    if let Some(v) = l.strip_prefix("Content-Length:") {
                        len = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.unwrap_or(0)];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
            }
        });
        Server {
            child,
            stdin,
            messages: rx,
            next_id: 1,
            notifications: vec![],
            cache,
            configuration: Value::Null,
            applied_edits: vec![],
            unanswered: vec![],
            message_requests: vec![],
            choose: String::new(),
            workspace_edit: Value::Null,
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len());
        let _ = self.stdin.write_all(body);
        let _ = self.stdin.flush();
    }

    /// Writes bytes as they are, with no frame around them.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let _ = self.stdin.write_all(bytes);
        let _ = self.stdin.flush();
    }

    /// Closes the server's input (the end of input).
    pub fn close_stdin(&mut self) {
        let (_, dead) = std::io::pipe().unwrap();
        let dead = std::os::fd::OwnedFd::from(dead);
        drop(std::mem::replace(&mut self.stdin, ChildStdin::from(dead)));
    }

    /// Waits (at most 5 s) for the process to end; its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn send(&mut self, msg: Value) {
        self.send_raw(msg.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request_full(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to {method}"))
    }

    /// Sends a request and returns its result, failing on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_full(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Reads messages until one satisfies `pred`; answers the server's own requests on the way.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + TIMEOUT;
        if let Some(i) = self.notifications.iter().position(&pred) {
            return Some(self.notifications.remove(i));
        }
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let msg = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None
                }
            };
            if pred(&msg) {
                return Some(msg);
            }
            if let (Some(id), Some(method)) =
                (msg.get("id"), msg.get("method").and_then(Value::as_str))
            {
                if self.unanswered.contains(&method) {
                    self.notifications.push(msg);
                    continue;
                }
                let result = match method {
                    "workspace/configuration" => json!([self.configuration.clone()]),
                    "workspace/applyEdit" => {
                        self.applied_edits.push(msg["params"]["edit"].clone());
                        json!({"applied": true})
                    }
                    "window/showMessageRequest" => {
                        self.message_requests.push(msg["params"].clone());
                        msg["params"]["actions"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .find(|a| {
                                !self.choose.is_empty()
                                    && a["title"]
                                        .as_str()
                                        .is_some_and(|t| t.starts_with(&self.choose))
                            })
                            .cloned()
                            .unwrap_or(Value::Null)
                    }
                    _ => Value::Null,
                };
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
                continue;
            }
            self.notifications.push(msg);
        }
    }

    /// Waits for a `window/logMessage` containing `text`.
    pub fn wait_for_log(&mut self, text: &str) -> Option<Value> {
        self.wait_for(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains(text))
        })
    }

    /// Initializes with the given position encodings, workspace folder and options, and waits
    /// until the workspace is indexed.
    pub fn initialize(&mut self, encodings: &[&str], root: Option<&Path>, options: Value) -> Value {
        let folders = root
            .map(|r| json!([{"uri": file_uri(r), "name": "ws"}]))
            .unwrap_or(Value::Null);
        let mut workspace =
            json!({"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}});
        if !self.workspace_edit.is_null() {
            workspace["workspaceEdit"] = self.workspace_edit.clone();
        }
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root.map(file_uri),
                "workspaceFolders": folders,
                "initializationOptions": options,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": true},
                    "workspace": workspace,
                    "textDocument": {"hover": {"contentFormat": ["markdown"]}}
                }
            }),
        );
        self.notify("initialized", json!({}));
        let indexed = self
            .wait_for_log("indexed ")
            .expect("the workspace was indexed");
        self.notifications.push(indexed);
        result
    }

    pub fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": file_uri(path), "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    pub fn at(&mut self, method: &str, path: &Path, line: u32, character: u32) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": file_uri(path)}, "position": {"line": line, "character": character},
                   "context": {"includeDeclaration": false, "triggerKind": 1}}),
        )
    }

    /// The diagnostics last published for `path`, waiting for them.
    pub fn diagnostics(&mut self, path: &Path) -> Vec<Value> {
        let uri = file_uri(path);
        let msg = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri}"));
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Shuts down and exits; returns the exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        let _ = self.request_full("shutdown", Value::Null);
        self.exit()
    }

    /// Sends `exit` and returns the process's exit code (`None` if it did not end within 5 s).
    pub fn exit(mut self) -> Option<i32> {
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's root folder.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A small notes repository of the kind found in the wild: READMEs at several levels, a Hugo
/// `_index.md`, folder links (`guide/`, `/projects`), images and a PDF, bare URLs, and a `.git`
/// folder marking its top. Exactly one link is broken: `README.md` shows `img/nope.png`.
pub fn notes_repository() -> tempfile::TempDir {
    let dir = workspace(&[
        (
            "README.md",
            "# Course\n\nStart with [prep](prep/README.md), the [guide](guide/) and the [projects](/projects).\n\n![logo](img/logo.png) ![gone](img/nope.png) [syllabus](docs/syllabus.pdf)\n\nDocs: https://nginx.org/en/docs/partition and www.example.org/cache.\n",
        ),
        (
            "prep/README.md",
            "# Prep\n\nBack [home](../README.md); see [examples](../course/week1/README.md#command-line-examples).\n",
        ),
        (
            "course/week1/README.md",
            "# Week 1\n\n## Command line examples\n\nFrom [prep](../../prep/README.md) and [the week](_index.md); all [projects](/projects/).\n",
        ),
        ("course/week1/_index.md", "+++\ntitle = \"Week 1\"\n+++\nThe week.\n"),
        (
            "course/README.md",
            "# Course notes\n\nWeeks: [week 1](week1/) ([its README](./week1/README.md)); ![diagram](../img/logo.png).\nMail the_team@example.org or see https://example.org/course_notes/partition_tolerance*draft*.\n",
        ),
        ("projects/_index.md", "# Projects\n"),
        ("guide/index.md", "# Guide\n"),
        ("img/logo.png", "\u{89}PNG"),
        ("docs/syllabus.pdf", "%PDF-1.4"),
    ]);
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    dir
}

/// Every Markdown file under `dir` (not in `.git`), sorted.
pub fn markdown_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() && !p.ends_with(".git") {
            out.extend(markdown_under(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}
