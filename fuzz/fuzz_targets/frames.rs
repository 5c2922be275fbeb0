//! The frame reader against arbitrary bytes: noise cut into three pieces, with a valid request
//! after each. Every valid request must come out as a message with its id, in order, and each
//! message must be answerable (sorted as a request), whatever the noise did before it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use primer_transport::{classify, frame, Event, FrameReader, Incoming};

fuzz_target!(|data: &[u8]| {
    let (cuts, noise) = data.split_at(data.len().min(2));
    let a = cuts.first().map_or(0, |&c| c as usize * noise.len() / 256);
    let b = cuts.get(1).map_or(0, |&c| c as usize * noise.len() / 256);
    let (a, b) = (a.min(b), a.max(b));
    let pieces = [&noise[..a], &noise[a..b], &noise[b..]];
    let mut stream = vec![];
    let mut want = vec![];
    for (k, piece) in pieces.iter().enumerate() {
        stream.extend_from_slice(piece);
        let id = format!("valid-{k}");
        let body = format!(r#"{{"jsonrpc":"2.0","id":"{id}","method":"textDocument/hover","params":{{}}}}"#);
        stream.extend(frame(body.as_bytes()));
        want.push(id);
    }
    // A small cap, so that lengths in the noise are often over it.
    let mut reader = FrameReader::with_max(&stream[..], 4096);
    let mut answered = vec![];
    let mut events = 0;
    while let Some(event) = reader.next_event() {
        events += 1;
        assert!(events <= stream.len() + 10, "the reader does not make progress");
        if let Event::Message(v) = event {
            if let Incoming::Request { message, .. } = classify(v) {
                if let Some(id) = message["id"].as_str().filter(|i| i.starts_with("valid-")) {
                    answered.push(id.to_string());
                }
            }
        }
    }
    // Noise may itself hold a copy of a valid request; the real ones come last, in order.
    let last: Vec<&String> = answered.iter().rev().take(3).rev().collect();
    assert_eq!(last, want.iter().collect::<Vec<_>>(), "not every valid frame was read");
    let mut seen = 0;
    for id in &answered {
        if seen < want.len() && *id == want[seen] {
            seen += 1;
        }
    }
    assert_eq!(seen, want.len());
});
