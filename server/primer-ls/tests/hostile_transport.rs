//! Hostile input at the transport, against the real binary over stdio: whatever a client writes,
//! the server answers what it can, skips what it cannot, and keeps reading. Each case is followed
//! by a good request that must be answered.

mod support;

use serde_json::{json, Value};
use support::*;

const NOTE: &str = "# Week 1\n\nA network partition happened.\n";

/// A server with one open note, and the note's path.
fn server() -> (Server, tempfile::TempDir, std::path::PathBuf) {
    let ws = workspace(&[("week1.md", NOTE)]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, NOTE);
    (s, ws, note)
}

/// A hover on the note is answered, with the term's definition.
fn still_answers(s: &mut Server, note: &std::path::Path, after: &str) {
    let r = s.request_full(
        "textDocument/hover",
        json!({"textDocument": {"uri": file_uri(note)}, "position": {"line": 2, "character": 12}}),
    );
    let text = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(text.contains("artition"), "after {after}: {r}");
    assert!(s.alive(), "after {after}: the server ended");
}

fn error_with_null_id(s: &mut Server, code: i64, after: &str) {
    let e = s
        .wait_for(|m| m["error"]["code"] == code && m.get("method").is_none())
        .unwrap_or_else(|| panic!("after {after}: no error {code}"));
    assert_eq!(e["id"], Value::Null, "after {after}: {e}");
}

#[test]
fn messages_that_are_json_but_not_json_rpc_get_invalid_request() {
    let (mut s, _ws, note) = server();
    let cases = [
        "[]",
        "null",
        "42",
        "\"text\"",
        r#"[{"jsonrpc":"2.0","id":90,"method":"shutdown"}]"#,
        r#"{"id":91,"method":"textDocument/hover","params":{}}"#,
        r#"{"jsonrpc":"1.0","id":92,"method":"textDocument/hover","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":93,"method":7}"#,
        r#"{"jsonrpc":"2.0","id":94,"method":"textDocument/hover","params":"p"}"#,
        r#"{"jsonrpc":"2.0"}"#,
        r#"{"jsonrpc":"2.0","id":95,"result":1,"error":{"code":1,"message":"x"}}"#,
    ];
    for body in cases {
        s.send_raw(body.as_bytes());
        error_with_null_id(&mut s, -32600, body);
        still_answers(&mut s, &note, body);
    }
    // A duplicated id key, and two requests in flight with one id: answered, not fatal.
    s.send_raw(br#"{"jsonrpc":"2.0","id":96,"id":97,"method":"workspace/symbol","params":{"query":"cache"}}"#);
    s.wait_for(|m| m["id"] == 97)
        .expect("the later id is answered");
    for _ in 0..2 {
        s.send_raw(
            br#"{"jsonrpc":"2.0","id":98,"method":"workspace/symbol","params":{"query":"x"}}"#,
        );
    }
    s.wait_for(|m| m["id"] == 98).expect("an answer to id 98");
    still_answers(&mut s, &note, "duplicate ids");
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn broken_frames_are_skipped_and_reading_goes_on() {
    let (mut s, _ws, note) = server();
    let hover = |id: u32| {
        format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"workspace/symbol","params":{{"query":"é€😀"}}}}"#
        )
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a length of 2^64-1",
            b"Content-Length: 18446744073709551615\r\n\r\n{}".to_vec(),
        ),
        (
            "a length of 10^12",
            b"Content-Length: 1000000000000\r\n\r\n{}".to_vec(),
        ),
        (
            "a length over 64 MiB",
            b"Content-Length: 67108865\r\n\r\n{}".to_vec(),
        ),
        (
            "a negative length",
            b"Content-Length: -10\r\n\r\n{}".to_vec(),
        ),
        (
            "an unparsable length",
            b"Content-Length: ten\r\n\r\n{}".to_vec(),
        ),
        (
            "no length",
            b"Content-Type: application/json\r\n\r\n{}".to_vec(),
        ),
        (
            "header bytes that are not UTF-8",
            b"Content-Length: 2\xff\xfe\r\n\r\n{}".to_vec(),
        ),
        ("a header line of 100 KB", vec![b'x'; 100_000]),
        ("a length counted in characters", {
            let body = hover(60);
            let mut v = format!("Content-Length: {}\r\n\r\n", body.chars().count()).into_bytes();
            v.extend(body.as_bytes());
            v
        }),
        ("a length that is too long", {
            let body = hover(61);
            let mut v = format!("Content-Length: {}\r\n\r\n", body.len() + 40).into_bytes();
            v.extend(body.as_bytes());
            v
        }),
        (
            "a body that is not JSON",
            b"Content-Length: 5\r\n\r\nhello".to_vec(),
        ),
        (
            "bytes between frames",
            b"\x00\x01\x02 garbage \r\n".to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        s.send_bytes(&bytes);
        still_answers(&mut s, &note, what);
    }
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn only_exit_or_the_end_of_input_ends_the_server() {
    // End of input after noise: the process ends (code 1, no shutdown) instead of hanging.
    let mut s = Server::spawn();
    s.send_bytes(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"");
    s.close_stdin();
    assert_eq!(s.wait_exit(), Some(1));
}
