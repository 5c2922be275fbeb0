//! The protocol edge: LSP positions, ranges and URIs ⇄ the analysis core's byte offsets and paths.
//! Every conversion between the two goes through here (and the core's `LineIndex`).

use primer_analysis::source::Source;
use primer_analysis::{Doc, Encoding, FileRange, LineCol, LineIndex, TextRange};
use tower_lsp::lsp_types::{Location, Position, Range, SemanticToken, Url};

/// The analysis key of a URI: for a `file:` URI its path with `.`, `..` and empty segments
/// folded (query and fragment are not part of it), so every spelling of one file is one note;
/// for other schemes (`untitled:`) the URI itself.
pub fn path_of(uri: &Url) -> String {
    if uri.scheme() == "file" {
        if let Ok(p) = uri.to_file_path() {
            let mut clean = std::path::PathBuf::new();
            for c in p.components() {
                match c {
                    std::path::Component::CurDir => {}
                    std::path::Component::ParentDir => {
                        clean.pop();
                    }
                    other => clean.push(other),
                }
            }
            return crate::disk::path_string(&clean);
        }
    }
    uri.as_str().to_string()
}

/// The URI to answer with for a document the client named `uri`: its own spelling when that is
/// the plain URI of the path (editors compare URIs as strings), else the path's URI.
pub fn client_uri(uri: &Url, path: &str) -> Url {
    let plain = uri.query().is_none()
        && uri.fragment().is_none()
        && (uri.scheme() != "file"
            || uri
                .to_file_path()
                .is_ok_and(|p| crate::disk::path_string(&p) == path));
    if plain {
        uri.clone()
    } else {
        uri_of(path).unwrap_or_else(|| uri.clone())
    }
}

/// The file behind an analysis key, if it names one.
pub fn file_path(path: &str) -> Option<std::path::PathBuf> {
    path.starts_with('/')
        .then(|| std::path::PathBuf::from(path))
}

/// Writes the `file:` URI of an absolute path made only of letters, digits, `-`, `_`, `.`,
/// `~` and `/` (most notes' paths) into `out`, as [`uri_of`] would give it; false for any other
/// path. A common term's references name thousands of files: this spares parsing a URI each.
pub fn plain_file_uri(path: &str, out: &mut String) -> bool {
    let plain = path.starts_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/'))
        && path[1..]
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."));
    if plain {
        out.clear();
        out.push_str("file://");
        out.push_str(path);
    }
    plain
}

/// The URI of an analysis path. The bundled primer, when it could not be written to a cache
/// folder, has no files: no URI an editor could open.
pub fn uri_of(path: &str) -> Option<Url> {
    if path.starts_with(crate::primer_source::BUNDLED_SCHEME) {
        return None;
    }
    if path.starts_with('/') {
        Url::from_file_path(path).ok()
    } else {
        Url::parse(path).ok()
    }
}

pub fn offset(doc: &Doc, pos: Position, enc: Encoding) -> usize {
    doc.line_index.offset(
        &doc.text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

pub fn text_range(doc: &Doc, range: Range, enc: Encoding) -> TextRange {
    TextRange::new(offset(doc, range.start, enc), offset(doc, range.end, enc))
}

pub fn position(doc: &Doc, offset: usize, enc: Encoding) -> Position {
    text_position(&doc.text, &doc.line_index, offset, enc)
}

/// [`position`] in a text that is not a document of the analysis (a config file).
pub fn text_position<S: Source + ?Sized>(
    text: &S,
    index: &LineIndex,
    offset: usize,
    enc: Encoding,
) -> Position {
    let lc = index.line_col(text, offset, enc);
    Position {
        line: lc.line,
        character: lc.col,
    }
}

pub fn range(doc: &Doc, r: TextRange, enc: Encoding) -> Range {
    let (a, b) = doc.line_index.range_cols(&doc.text, r.start, r.end, enc);
    let position = |lc: LineCol| Position {
        line: lc.line,
        character: lc.col,
    };
    Range {
        start: position(a),
        end: position(b),
    }
}

pub fn location(world: &primer_analysis::World, fr: &FileRange, enc: Encoding) -> Option<Location> {
    let doc = world.doc(&fr.path)?;
    Some(Location {
        uri: uri_of(&fr.path)?,
        range: range(doc, fr.range, enc),
    })
}

/// Converts an LSP edit's position on a rope (the open document) to a char index.
pub fn rope_char(rope: &ropey::Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start_byte = rope.line_to_byte(line);
    let line_slice = rope.line(line);
    let text: std::borrow::Cow<str> = line_slice.into();
    let text = text.trim_end_matches(['\n', '\r']);
    let byte = primer_analysis::line_index::col_to_byte(text, pos.character, enc);
    rope.byte_to_char(start_byte + byte)
}

/// Encodes tokens (sorted, not overlapping; `u32` is the legend index) as LSP's relative
/// five-number form. A token that spans lines is split into one token per line, since clients
/// need not support multi-line tokens.
pub fn semantic_tokens(
    doc: &Doc,
    tokens: &[(TextRange, u32)],
    enc: Encoding,
) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    for &(r, kind) in tokens {
        let first = doc.line_index.line_of(r.start);
        let last = doc.line_index.line_of(r.end.saturating_sub(1).max(r.start));
        for line in first..=last {
            let span = doc.line_index.line_range(&doc.text, line);
            let start = r.start.max(span.start);
            let end = r.end.min(span.end);
            if end <= start {
                continue;
            }
            let a = position(doc, start, enc);
            let b = position(doc, end, enc);
            let delta_line = a.line - prev_line;
            let delta_start = if delta_line == 0 {
                a.character - prev_col
            } else {
                a.character
            };
            out.push(SemanticToken {
                delta_line,
                delta_start,
                length: b.character - a.character,
                token_type: kind,
                token_modifiers_bitset: 0,
            });
            prev_line = a.line;
            prev_col = a.character;
        }
    }
    out
}

#[cfg(test)]
mod uri_properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_plain_path_writes_the_uri_url_makes(
            segments in prop::collection::vec("[a-zA-Z0-9._~ %#é-]{0,6}", 1..5),
        ) {
            let path = format!("/{}", segments.join("/"));
            let mut written = String::new();
            if plain_file_uri(&path, &mut written) {
                let made = uri_of(&path).map(|u| u.to_string());
                prop_assert_eq!(Some(written), made);
            } else {
                // Only paths with other bytes, or empty, `.` or `..` segments, take the long way.
                prop_assert!(path.bytes().any(|b| matches!(b, b' ' | b'%' | b'#' | 0x80..))
                    || path[1..].split('/').any(|s| matches!(s, "" | "." | "..")));
            }
        }
    }
}
