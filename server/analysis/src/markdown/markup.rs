//! Markup inside Markdown that is not prose: Hugo shortcodes (`{{< … >}}`) and bare URLs, `www.`
//! addresses and e-mail addresses (as GFM's extended autolinks take them). Terms are never looked
//! for inside them.

use super::{Join, Outline, ProseSegment};
use crate::text::TextRange;

/// Whether a line is a Hugo shortcode and nothing else (`{{< details summary="…" >}}`).
pub fn is_shortcode(line: &str) -> bool {
    let line = line.trim();
    (line.starts_with("{{<") && line.ends_with(">}}"))
        || (line.starts_with("{{%") && line.ends_with("%}}"))
}

/// The Hugo shortcodes in `text[start..end]`: markup, never prose.
pub(super) fn shortcodes(text: &str, start: usize, end: usize) -> Vec<TextRange> {
    let mut out = vec![];
    let mut at = start;
    while let Some(i) = text[at..end].find("{{") {
        let open = at + i;
        let rest = &text[open..end];
        let close = if rest.starts_with("{{<") {
            rest.find(">}}").map(|c| c + 3)
        } else if rest.starts_with("{{%") {
            rest.find("%}}").map(|c| c + 3)
        } else {
            None
        };
        match close {
            Some(c) => {
                out.push(TextRange::new(open, open + c));
                at = open + c;
            }
            None => at = open + 2,
        }
    }
    out
}

/// Bare URLs, `www.` addresses and e-mail addresses in prose, as GFM's extended autolinks
/// take them: terms are never looked for inside them.
pub(super) fn bare_urls(text: &str, prose: &[ProseSegment]) -> Vec<TextRange> {
    let mut out = vec![];
    let is_url_char = |c: char| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`');
    for seg in prose {
        let s = &text[seg.range.start..seg.range.end];
        let mut at = 0;
        while at < s.len() {
            let rest = &s[at..];
            let found = ["https://", "http://", "www.", "mailto:"]
                .iter()
                .filter_map(|p| rest.find(p).map(|i| (i, *p)))
                .min_by_key(|(i, _)| *i);
            let email = rest.find('@');
            let (start, len) = match (found, email) {
                (Some((i, _)), Some(e)) if e < i => email_span(rest, e),
                (Some((i, _)), _) => {
                    let end = rest[i..]
                        .find(|c: char| !is_url_char(c))
                        .map_or(rest.len(), |e| i + e);
                    let url = rest[i..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
                    (i, url.len())
                }
                (None, Some(e)) => email_span(rest, e),
                (None, None) => break,
            };
            if len > 0 {
                out.push(TextRange::new(
                    seg.range.start + at + start,
                    seg.range.start + at + start + len,
                ));
            }
            at += start + len.max(1);
        }
    }
    out
}

/// The e-mail address around the `@` at `at` in `s` (start and length), or a zero length.
pub(super) fn email_span(s: &str, at: usize) -> (usize, usize) {
    let part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    let start = s[..at].rfind(|c: char| !part(c)).map_or(0, |i| i + 1);
    let end = s[at + 1..]
        .find(|c: char| !part(c))
        .map_or(s.len(), |i| at + 1 + i);
    let domain = s[at + 1..end].trim_end_matches('.');
    if start == at || !domain.contains('.') {
        return (at, 0);
    }
    (start, at + 1 + domain.len() - start)
}

/// Takes shortcode spans out of the prose segments (they become barriers) and lists them as code.
pub(super) fn drop_shortcodes(out: &mut Outline, spans: &[TextRange]) {
    if spans.is_empty() {
        return;
    }
    let mut prose = Vec::with_capacity(out.prose.len());
    for seg in &out.prose {
        let mut pieces = vec![(seg.range, seg.join)];
        for span in spans.iter().filter(|s| s.intersects(seg.range)) {
            let mut next = vec![];
            for (r, join) in pieces {
                if span.end <= r.start || span.start >= r.end {
                    next.push((r, join));
                    continue;
                }
                if span.start > r.start {
                    next.push((TextRange::new(r.start, span.start), join));
                }
                if span.end < r.end {
                    next.push((TextRange::new(span.end, r.end), Join::Barrier));
                }
            }
            pieces = next;
        }
        prose.extend(
            pieces
                .into_iter()
                .filter(|(r, _)| !r.is_empty())
                .map(|(range, join)| ProseSegment { range, join }),
        );
    }
    out.prose = prose;
    out.code.extend_from_slice(spans);
    out.code.sort();
}
