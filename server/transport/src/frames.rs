//! Reading `Content-Length` frames from a byte stream, whatever the stream holds.
//!
//! A frame is a header block (lines ending in `\r\n`, or `\n`, up to an empty line) with a
//! `Content-Length` header, then that many bytes of body. The reader never allocates more than
//! [`MAX_MESSAGE_BYTES`] (plus a read buffer) for one frame, and never stops reading: after a
//! framing error (a header line that is not `Name: value`, not ASCII, too long; no, a negative,
//! an unparsable, or an oversized `Content-Length`; a body that is not JSON) it reports the
//! error and resynchronises on the next `Content-Length:` in the stream, case-insensitively and
//! wherever it stands (the tail of a body whose length was counted in characters runs straight
//! into the next header). A frame whose body fails to parse is searched again from just after
//! its header's start, so the frames a too-long length swallowed are still read. Only the end
//! of the input ends it.

use std::io::{ErrorKind, Read};

use serde_json::Value;

/// The largest body accepted: 64 MiB. A longer declared length is a framing error.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// The longest header line accepted.
const MAX_HEADER_LINE: usize = 8 << 10;

/// The most header lines in one block.
const MAX_HEADER_LINES: usize = 32;

const NEEDLE: &[u8] = b"content-length:";

/// What the reader found next.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A frame whose body is one JSON value.
    Message(Value),
    /// A frame whose body is not JSON (answer with a Parse error); `reason` says why.
    NotJson(String),
    /// Bytes that are no frame are being skipped (up to the next `Content-Length:`); `reason`
    /// says what was wrong.
    Skipped(String),
}

/// Reads frames from `input`; see the module comment.
pub struct FrameReader<R> {
    input: R,
    /// Bytes read and not consumed yet: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    eof: bool,
    max: usize,
    /// After a framing error: skip to the next `Content-Length:` before reading a frame. (Done
    /// on the next call, so the error is reported without waiting for more input.)
    resyncing: bool,
}

/// What parsing a header block at the start of the unread bytes gave.
enum Header {
    /// The block is complete: the body's length, where the body starts and where the
    /// `Content-Length` header is (both from `start`).
    Frame {
        length: usize,
        body_at: usize,
        length_at: usize,
    },
    /// More bytes are needed.
    Incomplete,
    /// The block is wrong.
    Bad(String),
}

impl<R: Read> FrameReader<R> {
    pub fn new(input: R) -> FrameReader<R> {
        FrameReader::with_max(input, MAX_MESSAGE_BYTES)
    }

    /// A reader with another cap on a body's size (tests use a small one).
    pub fn with_max(input: R, max: usize) -> FrameReader<R> {
        FrameReader {
            input,
            buf: Vec::with_capacity(64 << 10),
            start: 0,
            eof: false,
            max,
            resyncing: false,
        }
    }

    /// The next event, or `None` at the end of the input. Read errors other than an interrupt
    /// end the input.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            if self.resyncing {
                self.resync();
            }
            self.skip_blank_lines();
            if self.unread().is_empty() {
                if !self.fill() {
                    return None;
                }
                continue;
            }
            let block_start = self.start;
            match self.header() {
                Header::Incomplete => {
                    if !self.fill() {
                        // A header cut short at the end of the input: nothing follows it.
                        self.start = self.buf.len();
                        return Some(Event::Skipped("the input ended inside a header".into()));
                    }
                }
                Header::Bad(reason) => {
                    self.start = block_start + 1;
                    self.resyncing = true;
                    return Some(Event::Skipped(reason));
                }
                Header::Frame {
                    length,
                    body_at,
                    length_at,
                } => match self.body(body_at, length) {
                    Ok(value) => return Some(Event::Message(value)),
                    Err(reason) => {
                        // Searched again from just after the length's header: a wrong length
                        // may have swallowed whole frames, and a header block may hold the
                        // start of a good frame after a line of noise. (`start` is still the
                        // block's start; reading may have moved it.)
                        self.start += length_at + 1;
                        self.resyncing = true;
                        return Some(Event::NotJson(reason));
                    }
                },
            }
        }
    }

    fn unread(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Reads more input into the buffer; false at the end of the input.
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let len = self.buf.len();
        self.buf.resize(len + (64 << 10), 0);
        loop {
            match self.input.read(&mut self.buf[len..]) {
                Ok(0) => {
                    self.buf.truncate(len);
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.buf.truncate(len + n);
                    return true;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.buf.truncate(len);
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// Line breaks and spaces between frames are not errors.
    fn skip_blank_lines(&mut self) {
        let n = self
            .unread()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
            .count();
        self.start += n;
    }

    /// Parses the header block at `start`.
    fn header(&self) -> Header {
        let bytes = self.unread();
        let mut at = 0;
        let mut length: Option<(usize, usize)> = None;
        for _ in 0..=MAX_HEADER_LINES {
            let Some(nl) = memchr::memchr(b'\n', &bytes[at..]) else {
                if bytes.len() - at > MAX_HEADER_LINE {
                    return Header::Bad("a header line is too long".into());
                }
                return Header::Incomplete;
            };
            let line_at = at;
            let line = &bytes[at..at + nl];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            at += nl + 1;
            if line.len() > MAX_HEADER_LINE {
                return Header::Bad("a header line is too long".into());
            }
            if line.is_empty() {
                return match length {
                    Some((length, length_at)) => Header::Frame {
                        length,
                        body_at: at,
                        length_at,
                    },
                    None => Header::Bad("a header block without Content-Length".into()),
                };
            }
            let Ok(line) = std::str::from_utf8(line) else {
                return Header::Bad("a header line that is not text".into());
            };
            let Some((name, value)) = line.split_once(':') else {
                return Header::Bad(format!("'{}' is not a header", shorten(line)));
            };
            if name.trim().eq_ignore_ascii_case("content-length") {
                let value = value.trim();
                let parsed = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    value.parse::<u64>().ok()
                } else {
                    None
                };
                let Some(n) = parsed else {
                    return Header::Bad(format!(
                        "Content-Length '{}' is not a length",
                        shorten(value)
                    ));
                };
                if n > self.max as u64 {
                    return Header::Bad(format!(
                        "Content-Length {n} is more than the {} bytes a message may have",
                        self.max
                    ));
                }
                if length.is_some_and(|(l, _)| l as u64 != n) {
                    return Header::Bad("two different Content-Length headers".into());
                }
                // Where the name starts on its line (noise may come before it).
                let name_at = line_at + (name.len() - name.trim_start().len());
                length = Some((n as usize, name_at));
            }
        }
        Header::Bad("too many header lines".into())
    }

    /// Reads the body of `length` bytes `body_at` bytes after `start` and parses it. Waiting for more bytes, it
    /// gives up early when the bytes already read show that the declared length is too long
    /// (a complete JSON value, or bytes that cannot start one, followed by another header).
    fn body(&mut self, body_at: usize, length: usize) -> Result<Value, String> {
        let mut searched: usize = 0;
        loop {
            // Reading more may move the unread bytes to the buffer's start.
            let body_start = self.start + body_at;
            let have = self.buf.len() - body_start;
            if have >= length {
                let body = &self.buf[body_start..body_start + length];
                let parsed = serde_json::from_slice::<Value>(body);
                return match parsed {
                    Ok(v) => {
                        self.start = body_start + length;
                        Ok(v)
                    }
                    Err(e) => Err(format!("the body is not JSON: {e}")),
                };
            }
            // Before waiting: does another header start inside what should be this body?
            let body = &self.buf[body_start..];
            let from = searched.saturating_sub(NEEDLE.len());
            if let Some(i) = find_needle(&body[from..]) {
                let at = from + i;
                let before = trim_end(&body[..at]);
                match serde_json::from_slice::<Value>(before) {
                    Err(e) if e.is_eof() => {}
                    _ => {
                        return Err(format!(
                            "the body is shorter than its Content-Length of {length}"
                        ))
                    }
                }
            }
            searched = body.len();
            if !self.fill() {
                return Err(format!(
                    "the input ended {} bytes into a body of {length}",
                    self.buf.len() - (self.start + body_at)
                ));
            }
        }
    }

    /// Skips to the next `Content-Length:` at or after `start`, reading more as needed; at the
    /// end of the input, everything is skipped.
    fn resync(&mut self) {
        loop {
            if let Some(i) = find_needle(self.unread()) {
                self.start += i;
                self.resyncing = false;
                return;
            }
            // Keep a tail that may be the start of the needle.
            let keep = self.unread().len().min(NEEDLE.len() - 1);
            self.start = self.buf.len() - keep;
            if !self.fill() {
                self.start = self.buf.len();
                self.resyncing = false;
                return;
            }
        }
    }
}

/// Where `content-length:` (in any case) first occurs.
fn find_needle(hay: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at + NEEDLE.len() <= hay.len() {
        let i = memchr::memchr2(b'c', b'C', &hay[at..])?;
        let s = at + i;
        if s + NEEDLE.len() > hay.len() {
            return None;
        }
        if hay[s..s + NEEDLE.len()].eq_ignore_ascii_case(NEEDLE) {
            return Some(s);
        }
        at = s + 1;
    }
    None
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    &b[..b.len() - n]
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        s.chars().take(40).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame;

    fn valid(id: u32) -> Vec<u8> {
        frame(format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"x"}}"#).as_bytes())
    }

    /// What the reader makes of `input`: messages by id, `!` for a body that is not JSON, `~`
    /// for skipped bytes.
    fn read_all(input: &[u8]) -> String {
        let mut r = FrameReader::with_max(input, 1000);
        let mut out = vec![];
        while let Some(e) = r.next_event() {
            out.push(match e {
                Event::Message(v) => v["id"].to_string(),
                Event::NotJson(_) => "!".into(),
                Event::Skipped(_) => "~".into(),
            });
        }
        out.join(" ")
    }

    fn then_valid(noise: &[u8]) -> Vec<u8> {
        let mut v = noise.to_vec();
        v.extend(valid(1));
        v.extend(valid(2));
        v
    }

    #[test]
    fn good_frames_are_read_in_order() {
        assert_eq!(read_all(&then_valid(b"")), "1 2");
        // `\n` line ends and extra headers are fine too.
        let mut v = b"Content-Type: application/vscode-jsonrpc\ncontent-length: 37\n\n".to_vec();
        v.extend(br#"{"jsonrpc":"2.0","id":7,"method":"x"}"#);
        assert_eq!(read_all(&v), "7");
    }

    #[test]
    fn every_framing_error_is_followed_by_the_next_frame() {
        let cases: &[(&str, &[u8])] = &[
            (
                "huge length",
                b"Content-Length: 18446744073709551615\r\n\r\n{}",
            ),
            (
                "length over the cap",
                b"Content-Length: 1000000000000\r\n\r\n{}",
            ),
            (
                "too big for u64",
                b"Content-Length: 99999999999999999999999\r\n\r\n",
            ),
            ("negative length", b"Content-Length: -5\r\n\r\n{}"),
            ("unparsable length", b"Content-Length: twelve\r\n\r\n{}"),
            ("empty length", b"Content-Length:\r\n\r\n{}"),
            ("no length", b"Content-Type: x\r\n\r\n{}"),
            ("not a header", b"hello\r\n\r\n"),
            (
                "bytes that are not text",
                b"Content-Length: 2\xff\xfe\r\n\r\n{}",
            ),
            ("a lone line", b"garbage without a line break "),
            (
                "two lengths",
                b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            ),
            ("body not JSON", b"Content-Length: 3\r\n\r\nabc"),
            (
                "length in characters",
                "Content-Length: 42\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"é€😀\"}"
                    .as_bytes(),
            ),
            (
                "length too long",
                b"Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\"}",
            ),
            ("header line too long", &[b'a'; 9000]),
        ];
        for (what, noise) in cases {
            let got = read_all(&then_valid(noise));
            assert!(got.ends_with("1 2"), "{what}: {got}");
            assert!(
                !got.starts_with('1'),
                "{what}: the noise was not reported: {got}"
            );
        }
    }

    /// Input that arrives in chunks, as from an editor that waits for answers: reading past the
    /// last chunk means the reader would hang.
    struct Trickle<'a>(Vec<&'a [u8]>);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                panic!("read past the last chunk: the reader waits for input that will not come");
            }
            let chunk = self.0.remove(0);
            out[..chunk.len()].copy_from_slice(chunk);
            Ok(chunk.len())
        }
    }

    #[test]
    fn errors_are_reported_before_more_input_is_read() {
        for bad in [
            &b"Content-Length: 3\r\n\r\nabc"[..],
            b"hello: there\r\n\r\n",
            b"x\r\n",
        ] {
            let mut r = FrameReader::new(Trickle(vec![bad]));
            assert!(matches!(
                r.next_event(),
                Some(Event::NotJson(_) | Event::Skipped(_))
            ));
        }
    }

    #[test]
    fn a_too_long_length_does_not_wait_for_bytes_that_will_not_come() {
        // The next header inside the declared body gives the length away before the input ends.
        let second = valid(5);
        let mut r = FrameReader::new(Trickle(vec![
            b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\"}",
            &second,
        ]));
        assert!(matches!(r.next_event(), Some(Event::NotJson(_))));
        assert!(matches!(r.next_event(), Some(Event::Message(v)) if v["id"] == 5));
    }

    #[test]
    fn a_header_inside_a_json_string_is_not_mistaken_for_one() {
        let body = br#"{"jsonrpc":"2.0","id":3,"method":"x","params":{"t":"Content-Length: 5\r\n\r\nabcde"}}"#;
        let mut v = frame(body);
        v.extend(valid(4));
        assert_eq!(read_all(&v), "3 4");
    }

    #[test]
    fn a_body_cut_short_by_the_end_of_input_is_searched_for_frames() {
        // Found by the fuzzer: a bogus length whose body runs past the end of the input, after
        // the reader had moved its buffer while waiting for the body.
        let mut v = valid(1);
        v.extend(vec![b' '; 70_000]);
        v.extend(b"Content-Length: 402\n\"");
        v.extend(valid(2));
        assert_eq!(read_all(&v), "1 ! 2");
    }

    #[test]
    fn noise_between_good_frames_costs_only_the_noise() {
        let mut v = valid(1);
        v.extend(b"\x00\x01 Content-Length: 3\r\n\r\n{{{");
        v.extend(valid(2));
        v.extend(b"Content-Length: 10\r\n\r\n");
        v.extend(valid(3));
        assert!(read_all(&v).starts_with("1 "));
        assert!(read_all(&v).ends_with(" 2 ! 3"), "{}", read_all(&v));
    }
}
