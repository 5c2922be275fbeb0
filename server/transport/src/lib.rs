//! The LSP base protocol, read defensively: `Content-Length` frames from a byte stream, bounded
//! in size, resynchronising on the next `Content-Length:` header after any framing error, and
//! JSON-RPC 2.0 envelope checks that sort each message into a request, a notification, a
//! response or something the spec calls an Invalid Request.
//!
//! Nothing here knows LSP methods or async runtimes: bytes in, classified messages out.

mod envelope;
mod frames;

pub use envelope::{classify, error_response, Incoming, INVALID_REQUEST, PARSE_ERROR};
pub use frames::{Event, FrameReader, MAX_MESSAGE_BYTES};

/// The bytes of one frame: the header and `body`.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}
