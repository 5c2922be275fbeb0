//! The bytes between the editor and tower-lsp.
//!
//! tower-lsp 0.20 stops reading when a framed body is not valid JSON, and does not end the
//! process on `exit` while stdin stays open. This adapter sits in front of it: it reads each
//! `Content-Length` frame from stdin, answers a body that does not parse with a JSON-RPC Parse
//! error (-32700) and keeps going, passes good messages on, and ends the process after `exit`
//! (code 0 after `shutdown`, 1 otherwise, as the protocol asks) or when stdin closes.

use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// Reads one frame's body; `Ok(None)` at end of input. Headers other than Content-Length are ignored.
pub fn read_frame(input: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Shared stdout: whole frames only, from tower-lsp and from the adapter.
#[derive(Clone)]
struct Stdout(Arc<Mutex<std::io::Stdout>>);

impl Stdout {
    fn send(&self, bytes: &[u8]) {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }
}

/// Starts the adapter; returns the streams tower-lsp reads from and writes to.
pub fn start(shutdown_seen: Arc<AtomicBool>) -> (DuplexStream, DuplexStream) {
    let (to_server, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, mut from_server) = tokio::io::duplex(1 << 20);
    let stdout = Stdout(Arc::new(Mutex::new(std::io::stdout())));

    // tower-lsp's output → stdout, frame by frame.
    let out = stdout.clone();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        let mut pending: Vec<u8> = vec![];
        loop {
            let n = match from_server.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            pending.extend_from_slice(&buf[..n]);
            // Forward only complete frames so adapter messages never land inside one.
            while let Some(end) = complete_frame(&pending) {
                let rest = pending.split_off(end);
                out.send(&pending);
                pending = rest;
            }
        }
    });

    // stdin → checks → tower-lsp.
    let handle = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
        let mut to_server = to_server;
        loop {
            let body = match read_frame(&mut input) {
                Ok(Some(b)) => b,
                Ok(None) | Err(_) => std::process::exit(if shutdown_seen.load(Ordering::SeqCst) {
                    0
                } else {
                    1
                }),
            };
            let mut value: serde_json::Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => {
                    let msg = serde_json::json!({
                        "jsonrpc": "2.0", "id": null,
                        "error": { "code": -32700, "message": format!("Parse error: {e}") }
                    });
                    stdout.send(&frame(msg.to_string().as_bytes()));
                    continue;
                }
            };
            let method = value
                .get("method")
                .and_then(|m| m.as_str())
                .unwrap_or("")
                .to_string();
            if method == "shutdown" {
                shutdown_seen.store(true, Ordering::SeqCst);
                // Some clients send `"params": null` for this parameterless request; tower-lsp
                // would answer that with an error instead of shutting down.
                if let Some(obj) = value.as_object_mut() {
                    obj.remove("params");
                }
            }
            if method == "exit" {
                // Give tower-lsp's output a moment to drain, then leave.
                std::thread::sleep(std::time::Duration::from_millis(20));
                std::process::exit(if shutdown_seen.load(Ordering::SeqCst) {
                    0
                } else {
                    1
                });
            }
            let bytes = if method == "shutdown" {
                frame(value.to_string().as_bytes())
            } else {
                frame(&body)
            };
            let sent = handle.block_on(async { to_server.write_all(&bytes).await });
            if sent.is_err() {
                std::process::exit(1);
            }
        }
    });
    (server_in, server_out)
}

/// The length of the first complete frame in `buf`, if there is one.
fn complete_frame(buf: &[u8]) -> Option<usize> {
    let header_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let headers = std::str::from_utf8(&buf[..header_end]).ok()?;
    let length: usize = headers
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        })
        .and_then(|(_, v)| v.trim().parse().ok())?;
    (buf.len() >= header_end + length).then_some(header_end + length)
}
