//! JSON-RPC answers written straight to bytes from the protocol's types (see [`super::direct`]):
//! whole response bodies, and arrays of locations written in parts.

use serde::Serialize;
use serde_json::Value;
use tower_lsp::jsonrpc::Error;
use tower_lsp::lsp_types::Range;

/// Locations as JSON, comma-separated, written as they come (see [`json_array`]).
pub(super) struct LocationsWriter {
    out: Vec<u8>,
    /// `{"uri":"…",` of the file the next locations are in, escaped once for all of them.
    uri: Vec<u8>,
}

impl LocationsWriter {
    /// A writer with room for about `locations` (a spare buffer of an earlier answer when one
    /// is kept, see [`spare_buffer`]).
    pub(super) fn with_capacity(locations: usize) -> LocationsWriter {
        LocationsWriter {
            // (A location is about 170 bytes with a notes folder's path in its URI: a part
            // rarely outgrows its room and copies itself.)
            out: spare_buffer(locations * 180),
            uri: vec![],
        }
    }

    /// Sets the file of the locations pushed next.
    pub(super) fn file(&mut self, uri: &str) {
        self.uri.clear();
        self.uri.extend_from_slice(b"{\"uri\":");
        // Writing to a Vec fails only when out of memory.
        let _ = serde_json::to_writer(&mut self.uri, uri);
    }

    /// Adds `{"uri", "range"}` (in the file last set) as `Location` serializes, written by
    /// hand: the answer to the references of a common term has tens of thousands.
    pub(super) fn push(&mut self, range: Range) {
        if !self.out.is_empty() {
            self.out.push(b',');
        }
        self.out.extend_from_slice(&self.uri);
        let mut number = itoa::Buffer::new();
        for (key, n) in [
            (&b",\"range\":{\"start\":{\"line\":"[..], range.start.line),
            (b",\"character\":", range.start.character),
            (b"},\"end\":{\"line\":", range.end.line),
            (b",\"character\":", range.end.character),
        ] {
            self.out.extend_from_slice(key);
            self.out.extend_from_slice(number.format(n).as_bytes());
        }
        self.out.extend_from_slice(b"}}}");
    }

    pub(super) fn into_items(self) -> Vec<u8> {
        self.out
    }
}

/// Buffers of answers already written, kept for the next large answer (see [`give_back`]).
static SPARE: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

/// A buffer written answers left is kept only when it is at least this large: a large answer's
/// parts are hundreds of kilobytes, and memory that size, freed, goes back to the system, so
/// that the next one's first writes fault every page in again (a tenth of the time of the
/// references of a term used 20,000 times).
const SPARE_AT_LEAST: usize = 1 << 16;

/// At most this much is kept in spare buffers: the parts of one large answer.
const SPARE_AT_MOST: usize = 8 << 20;

/// An empty buffer with room for about `bytes`: a kept one when there is one.
fn spare_buffer(bytes: usize) -> Vec<u8> {
    if bytes >= SPARE_AT_LEAST {
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(mut buf) = spare.pop() {
            buf.clear();
            buf.reserve(bytes);
            return buf;
        }
    }
    Vec::with_capacity(bytes)
}

/// Takes back the pieces of an answer once written: the large ones are kept for the next large
/// answer, up to [`SPARE_AT_MOST`] in all.
pub(super) fn give_back(pieces: Vec<Vec<u8>>) {
    let mut large = pieces
        .into_iter()
        .filter(|p| p.capacity() >= SPARE_AT_LEAST);
    let Some(first) = large.next() else { return };
    let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
    let mut kept: usize = spare.iter().map(Vec::capacity).sum();
    for piece in std::iter::once(first).chain(large) {
        if kept + piece.capacity() > SPARE_AT_MOST {
            break;
        }
        kept += piece.capacity();
        spare.push(piece);
    }
}

/// One JSON array of the items of several [`LocationsWriter`]s, in order, as pieces of text
/// to be written one after the other (a large answer is never copied into one buffer).
pub(super) fn json_array(parts: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut out = vec![b"[".to_vec()];
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if out.len() > 1 {
            out.push(b",".to_vec());
        }
        out.push(part);
    }
    out.push(b"]".to_vec());
    out
}

/// A JSON-RPC response body whose result is the JSON text `result` (already serialized, in
/// pieces written one after the other), in pieces likewise.
pub(super) fn raw_body(id: &Value, result: Result<Vec<Vec<u8>>, Error>) -> Vec<Vec<u8>> {
    match result {
        Ok(json) => {
            let id = serde_json::to_vec(id).unwrap_or_else(|_| b"null".to_vec());
            let mut head = Vec::with_capacity(id.len() + 40);
            head.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
            head.extend_from_slice(&id);
            head.extend_from_slice(b",\"result\":");
            let mut out = vec![head];
            out.extend(json);
            out.push(b"}".to_vec());
            out
        }
        Err(e) => vec![body::<()>(id, Err(e))],
    }
}

/// The answer to a request whose handler panicked: an InternalError, the server goes on.
pub(super) fn internal_error(id: &Value) -> Vec<u8> {
    body::<()>(
        id,
        Err(Error {
            code: tower_lsp::jsonrpc::ErrorCode::InternalError,
            message: "primer-ls failed on this request".into(),
            data: None,
        }),
    )
}

/// A JSON-RPC response body for `result`.
pub(super) fn body<T: Serialize>(id: &Value, result: Result<T, Error>) -> Vec<u8> {
    #[derive(Serialize)]
    struct Answer<'a, T> {
        jsonrpc: &'static str,
        id: &'a Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<T>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<Error>,
    }
    let (result, error) = match result {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    let answer = Answer {
        jsonrpc: "2.0",
        id,
        result,
        error,
    };
    serde_json::to_vec(&answer).unwrap_or_else(|e| {
        serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {
            "code": -32603, "message": format!("the answer could not be written: {e}")}}))
        .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tower_lsp::lsp_types::{Location, Position, Url};

    fn location() -> impl Strategy<Value = Location> {
        (
            "[a-zA-Z0-9 é分😀%#?_.-]{1,12}",
            0u32..5000,
            0u32..300,
            0u32..5000,
            0u32..300,
        )
            .prop_map(|(name, l1, c1, l2, c2)| Location {
                uri: Url::from_file_path(format!("/notes/{name}.md")).unwrap(),
                range: Range {
                    start: Position::new(l1, c1),
                    end: Position::new(l2, c2),
                },
            })
    }

    proptest! {
        #[test]
        fn direct_answers_equal_the_value_path(
            locations in prop::collection::vec(location(), 0..40),
            id in prop_oneof![any::<i64>().prop_map(Value::from), "[a-z0-9-]{0,8}".prop_map(Value::from)],
            none in any::<bool>(),
            split in 0usize..7,
        ) {
            let result = (!none).then(|| locations.clone());
            let direct: Value = serde_json::from_slice(&body(&id, Ok(result.clone()))).unwrap();
            // And written location by location, in parts, as references are.
            let raw = if none {
                vec![b"null".to_vec()]
            } else {
                let parts = locations
                    .chunks(split.max(1))
                    .map(|chunk| {
                        let mut w = LocationsWriter::with_capacity(chunk.len());
                        let mut last = None;
                        for l in chunk {
                            if last != Some(&l.uri) {
                                w.file(l.uri.as_str());
                                last = Some(&l.uri);
                            }
                            w.push(l.range);
                        }
                        w.into_items()
                    })
                    .collect();
                json_array(parts)
            };
            let written: Value = serde_json::from_slice(&raw_body(&id, Ok(raw)).concat()).unwrap();
            // What tower-lsp writes: the result as a Value tree inside a response.
            let response = tower_lsp::jsonrpc::Response::from_ok(
                serde_json::from_value(id.clone()).unwrap(),
                serde_json::to_value(&result).unwrap(),
            );
            let through_value: Value = serde_json::from_slice(&serde_json::to_vec(&response).unwrap()).unwrap();
            prop_assert_eq!(&direct, &through_value);
            prop_assert_eq!(&written, &through_value);
        }
    }

    #[test]
    fn a_large_answers_buffers_serve_the_next_one_without_its_bytes() {
        let range = |line| Range::new(Position::new(line, 0), Position::new(line, 4));
        let answer = |uri: &str, lines: std::ops::Range<u32>| {
            let mut w = LocationsWriter::with_capacity(lines.len());
            w.file(uri);
            for line in lines {
                w.push(range(line));
            }
            json_array(vec![w.into_items()])
        };
        let first = answer("file:///notes/a.md", 0..2000);
        assert!(first.iter().any(|p| p.capacity() >= SPARE_AT_LEAST));
        give_back(first);
        // (Other tests' answers may take the buffer first: each must read as its own.)
        let second = answer("file:///notes/b.md", 0..500);
        let read: Value = serde_json::from_slice(&second.concat()).unwrap();
        let lines: Vec<_> = read
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["uri"].as_str().unwrap().to_string(),
                    l["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let want: Vec<_> = (0..500)
            .map(|l| ("file:///notes/b.md".to_string(), l))
            .collect();
        assert_eq!(lines, want);
        // What is kept stays within its bound, however many answers are given back (all
        // written before any is given back, so that none reuses another's buffer).
        let many: Vec<_> = (0..40)
            .map(|_| answer("file:///notes/c.md", 0..2000))
            .collect();
        let written: usize = many.iter().flatten().map(Vec::capacity).sum();
        assert!(written > SPARE_AT_MOST, "{written}");
        for each in many {
            give_back(each);
        }
        let kept: usize = SPARE.lock().unwrap().iter().map(Vec::capacity).sum();
        assert!(kept <= SPARE_AT_MOST, "{kept}");
    }

    #[test]
    fn errors_are_answered_as_the_protocol_says() {
        let id = Value::from(7);
        let answer: Value =
            serde_json::from_slice(&body::<()>(&id, Err(Error::invalid_params("no")))).unwrap();
        assert_eq!(
            answer,
            serde_json::json!({"jsonrpc": "2.0", "id": 7, "error": {"code": -32602, "message": "no"}})
        );
    }
}
