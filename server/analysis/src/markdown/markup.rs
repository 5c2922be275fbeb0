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

/// The Hugo shortcodes in `text[start..end]` and the bare URLs and addresses of `prose` (see
/// [`shortcodes`] and [`bare_urls`]), sorted: one search of the text finds the bytes both start
/// from (`{`, and the `:` and `@` of addresses), instead of one search each.
pub(super) fn markup(
    text: &str,
    start: usize,
    end: usize,
    prose: &[ProseSegment],
) -> Vec<TextRange> {
    let bytes = &text.as_bytes()[..end];
    let (mut opens, mut marks) = (vec![], vec![]);
    for i in memchr::memchr3_iter(b'{', b':', b'@', &bytes[start..]).map(|i| start + i) {
        if bytes[i] != b'{' {
            marks.push(i);
        } else if bytes.get(i + 1) == Some(&b'{') {
            opens.push(i);
        }
    }
    let mut out = shortcodes_at(text, end, opens);
    out.extend(bare_urls_at(text, prose, &marks));
    out.sort();
    out
}

/// The Hugo shortcodes in `text[start..end]`: markup, never prose.
pub(super) fn shortcodes(text: &str, start: usize, end: usize) -> Vec<TextRange> {
    let bytes = &text.as_bytes()[..end];
    let opens = memchr::memchr_iter(b'{', &bytes[start..])
        .map(|i| start + i)
        .filter(|&i| bytes.get(i + 1) == Some(&b'{'));
    shortcodes_at(text, end, opens)
}

/// [`shortcodes`], given where `{{` stands in the text, in order (overlapping ones too).
fn shortcodes_at(text: &str, end: usize, opens: impl IntoIterator<Item = usize>) -> Vec<TextRange> {
    let bytes = &text.as_bytes()[..end];
    let mut out = vec![];
    let mut at = 0;
    // Once a closing mark is missing after one opening, it is missing after every later one:
    // a text of many unclosed `{{<` is read once, not once per opening.
    let mut unclosed = [false; 2];
    for open in opens {
        if open < at {
            continue; // Inside the last shortcode, or the second brace of the last `{{`.
        }
        let kind = match bytes.get(open + 2) {
            Some(b'<') => Some(0),
            Some(b'%') => Some(1),
            _ => None,
        };
        let close = kind.filter(|&k| !unclosed[k]).and_then(|k| {
            let found = memchr::memmem::find(&bytes[open..], [b">}}", b"%}}"][k]);
            unclosed[k] = found.is_none();
            found.map(|c| c + 3)
        });
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
/// take them: terms are never looked for inside them. A URL may run on through markup that
/// splits the prose around it (`_`, `*`, `&amp;`, brackets), so it is looked for in the source
/// of each run of segments with no space between them. The candidates are looked for once over
/// the whole prose, and only the runs that hold one are worked out (a note has thousands of
/// short runs, and few addresses).
#[cfg(test)]
fn bare_urls(text: &str, prose: &[ProseSegment]) -> Vec<TextRange> {
    let (Some(first), Some(last)) = (prose.first(), prose.last()) else {
        return vec![];
    };
    let (lo, hi) = (first.range.start, last.range.end);
    let marks: Vec<usize> = memchr::memchr2_iter(b':', b'@', &text.as_bytes()[lo..hi])
        .map(|i| lo + i)
        .collect();
    bare_urls_at(text, prose, &marks)
}

/// [`bare_urls`], given where `:` and `@` stand in the text, in order (those outside the
/// prose's first and last segments are passed over).
fn bare_urls_at(text: &str, prose: &[ProseSegment], marks: &[usize]) -> Vec<TextRange> {
    let mut out = vec![];
    let (Some(first), Some(last)) = (prose.first(), prose.last()) else {
        return out;
    };
    // Whether segment `j` goes on with the run of the one before it.
    let joined = |j: usize| {
        prose[j].join == Join::Adjacent
            && !text[prose[j - 1].range.end..prose[j].range.start].contains(char::is_whitespace)
    };
    let (lo, hi) = (first.range.start, last.range.end);
    // The run of the last candidate, and where the last address taken in it ends.
    let (mut run, mut at) = (TextRange::empty(0), 0);
    let from = marks.partition_point(|&m| m < lo);
    let marks = marks[from..].iter().copied().take_while(|&m| m < hi);
    for c in candidates(&text.as_bytes()[lo..hi], lo, marks) {
        if !(run.start <= c && c < run.end) {
            // The last segment that starts at or before the candidate (the first one does).
            let k = prose.partition_point(|s| s.range.start <= c) - 1;
            if c >= prose[k].range.end && !(k + 1 < prose.len() && joined(k + 1)) {
                continue; // Between two runs.
            }
            let mut i = k;
            while i > 0 && joined(i) {
                i -= 1;
            }
            let mut j = k + 1;
            while j < prose.len() && joined(j) {
                j += 1;
            }
            (run, at) = (
                TextRange::new(prose[i].range.start, prose[j - 1].range.end),
                0,
            );
        }
        url_at(text, run, c - run.start, &mut at, &mut out);
    }
    out
}

/// Where a marker may be in `bytes` (the text from `lo`), in order, as offsets in the text:
/// what every marker has and prose seldom does (`:` of `https://`, `http://` and `mailto:`,
/// `@`: `marks`, already found; the `.` of `www.`, not the full stops of every sentence).
fn candidates<'a>(
    bytes: &'a [u8],
    lo: usize,
    marks: impl Iterator<Item = usize> + 'a,
) -> impl Iterator<Item = usize> + 'a {
    static WWW: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("www."));
    let mut www = WWW.find_iter(bytes).map(move |w| lo + w + 3).peekable();
    let mut colons = marks.peekable();
    // Both in order of place, merged.
    std::iter::from_fn(move || match (colons.peek(), www.peek()) {
        (Some(&c), Some(&w)) if w < c => www.next(),
        (Some(_), _) => colons.next(),
        (None, _) => www.next(),
    })
}

/// The URL, `www.` or e-mail address whose marker is around byte `i` of `run`, appended to
/// `out` when there is one and it starts at or after `at` (the end of the last one taken in
/// this run, which it moves past it).
fn url_at(text: &str, run: TextRange, i: usize, at: &mut usize, out: &mut Vec<TextRange>) {
    let is_url_char = |c: char| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`');
    let s = &text[run.start..run.end];
    let bytes = s.as_bytes();
    let (before, after) = (&bytes[..i], &bytes[i + 1..]);
    // Where the marker starts, and whether it starts an e-mail address.
    let (first, email) = match bytes[i] {
        b':' if after.starts_with(b"//") && before.ends_with(b"https") => (i - 5, false),
        b':' if after.starts_with(b"//") && before.ends_with(b"http") => (i - 4, false),
        b':' if before.ends_with(b"mailto") => (i - 6, false),
        b'.' if before.ends_with(b"www") => (i - 3, false),
        b'@' => (i, true),
        _ => return,
    };
    if first < *at {
        return; // Inside what was taken already.
    }
    let (start, len) = if email {
        let (start, len) = email_span(&s[*at..], first - *at);
        (*at + start, len)
    } else {
        let end = s[first..]
            .find(|c: char| !is_url_char(c))
            .map_or(s.len(), |e| first + e);
        let url = s[first..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '*', '_']);
        (first, url.len())
    };
    if len > 0 {
        out.push(TextRange::new(run.start + start, run.start + start + len));
        *at = start + len;
    }
}

/// The e-mail address around the `@` at `at` in `s` (start and length), or a zero length.
pub(super) fn email_span(s: &str, at: usize) -> (usize, usize) {
    let part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    // After the last character before the `@` that cannot be in an address (which may take
    // more than one byte: the address starts after all of them).
    let start = s[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| !part(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = s[at + 1..]
        .find(|c: char| !part(c))
        .map_or(s.len(), |i| at + 1 + i);
    let domain = s[at + 1..end].trim_end_matches('.');
    if start == at || !domain.contains('.') {
        return (at, 0);
    }
    (start, at + 1 + domain.len() - start)
}

/// Takes shortcode spans out of the prose segments and lists them as code. Markup separates
/// the prose on either side of it, as a barrier: the piece of a segment after a span, and the
/// segment after one that a span reaches the end of (or after a span between the two).
pub(super) fn drop_shortcodes(out: &mut Outline, spans: &[TextRange]) {
    if spans.is_empty() {
        return;
    }
    let mut prose = Vec::with_capacity(out.prose.len() + spans.len());
    // `spans` are sorted by start and do not nest deeply: those that may meet a segment start
    // at the first one ending after it.
    let mut first = 0;
    // Segments before `kept` are in `prose` (most segments meet no span: copied in runs).
    let mut kept = 0;
    let mut last_end = None;
    for (i, seg) in out.prose.iter().enumerate() {
        // Whether a span passed over here reaches the end of the last segment or lies after it.
        let mut after_markup = false;
        while first < spans.len() && spans[first].end <= seg.range.start {
            after_markup |= last_end.is_some_and(|end| spans[first].end >= end);
            first += 1;
        }
        last_end = Some(seg.range.end);
        let after_markup = after_markup && seg.join != Join::Barrier;
        let cut = first < spans.len() && spans[first].start < seg.range.end;
        if !cut && !after_markup {
            if first == spans.len() {
                break;
            }
            continue;
        }
        prose.extend_from_slice(&out.prose[kept..i]);
        kept = i + 1;
        if !cut {
            prose.push(ProseSegment {
                range: seg.range,
                join: Join::Barrier,
            });
            continue;
        }
        let join = if after_markup {
            Join::Barrier
        } else {
            seg.join
        };
        let near = spans[first..]
            .iter()
            .take_while(|s| s.start < seg.range.end)
            .filter(|s| s.intersects(seg.range));
        let mut pieces = vec![(seg.range, join)];
        for span in near {
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
    prose.extend_from_slice(&out.prose[kept..]);
    out.prose = prose;
    out.code.extend_from_slice(spans);
    out.code.sort();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain form: look for each marker from where the last address ended, take the one
    /// that starts first.
    fn plain(s: &str) -> Vec<TextRange> {
        let is_url_char = |c: char| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`');
        let mut out = vec![];
        let mut at = 0;
        while at < s.len() {
            let rest = &s[at..];
            let found = ["https://", "http://", "www.", "mailto:", "@"]
                .iter()
                .filter_map(|m| rest.find(m).map(|i| (i, *m)))
                .min_by_key(|(i, _)| *i);
            let Some((i, m)) = found else { break };
            let (start, len) = if m == "@" {
                email_span(rest, i)
            } else {
                let end = rest[i..]
                    .find(|c: char| !is_url_char(c))
                    .map_or(rest.len(), |e| i + e);
                let url =
                    rest[i..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '*', '_']);
                (i, url.len())
            };
            if len > 0 {
                out.push(TextRange::new(at + start, at + start + len));
                at += start + len;
            } else {
                at += i + 1;
            }
        }
        out
    }

    /// The plain form of [`shortcodes`]: from each `{{`, the closing mark looked for afresh.
    fn shortcodes_plainly(text: &str) -> Vec<TextRange> {
        let mut out = vec![];
        let mut at = 0;
        while let Some(i) = text[at..].find("{{") {
            let open = at + i;
            let rest = &text[open..];
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

    proptest! {
        #[test]
        fn addresses_in_many_segments_are_those_a_plain_search_finds_run_by_run(
            segments in prop::collection::vec((
                prop::collection::vec(prop::sample::select(vec![
                    "https://", "www.", "mailto:", "@", "a", "x.org", " ", ".", ":", "w", "é",
                    "team@x.org",
                ]), 0..5),
                prop::sample::select(vec!["", " ", "*", "\n"]),
                0u8..3,
            ), 1..10)
        ) {
            let (text, prose) = super::super::test_prose::prose_of(&segments);
            // Run by run: segments joined by nothing but markup with no space.
            let mut expected = vec![];
            let mut i = 0;
            while i < prose.len() {
                let mut j = i + 1;
                while j < prose.len()
                    && prose[j].join == Join::Adjacent
                    && !text[prose[j - 1].range.end..prose[j].range.start].contains(' ')
                    && !text[prose[j - 1].range.end..prose[j].range.start].contains('\n')
                {
                    j += 1;
                }
                let run = TextRange::new(prose[i].range.start, prose[j - 1].range.end);
                expected.extend(
                    plain(&text[run.start..run.end])
                        .into_iter()
                        .map(|r| TextRange::new(r.start + run.start, r.end + run.start)),
                );
                i = j;
            }
            prop_assert_eq!(bare_urls(&text, &prose), expected, "{:?} {:?}", text, prose);
        }

        /// Taking spans out of the prose cuts each segment a span overlaps (what follows a cut
        /// is a barrier), leaves the others as they are, and lists the spans as code.
        #[test]
        fn spans_taken_out_of_the_prose_cut_only_the_segments_they_overlap(
            gaps in prop::collection::vec((0usize..4, 0usize..6, 0usize..3), 0..24),
            cuts in prop::collection::vec((0usize..60, 0usize..8), 0..6),
        ) {
            let mut prose = vec![];
            let mut at = 0;
            for (gap, len, join) in gaps {
                let range = TextRange::new(at + gap, at + gap + len);
                at = range.end;
                let join = [Join::Adjacent, Join::Space, Join::Barrier][join];
                prose.push(ProseSegment { range, join });
            }
            let mut spans: Vec<TextRange> = cuts
                .iter()
                .map(|&(start, len)| TextRange::new(start, start + len))
                .filter(|r| !r.is_empty())
                .collect();
            spans.sort();
            let mut expected = vec![];
            for (k, seg) in prose.iter().enumerate() {
                // After markup that reaches the last segment's end (ends in it, or at it and not
                // at its start: an empty segment), or lies between the two.
                let after_markup = k > 0 && seg.join != Join::Barrier && spans.iter().any(|s| {
                    let last = prose[k - 1].range;
                    s.start < seg.range.start && s.end >= last.end && s.end > last.start
                });
                let join = if after_markup { Join::Barrier } else { seg.join };
                let mut pieces = vec![(seg.range, join)];
                for span in spans.iter().filter(|s| s.start < seg.range.end && s.end > seg.range.start) {
                    pieces = pieces
                        .into_iter()
                        .flat_map(|(r, join)| {
                            if span.end <= r.start || span.start >= r.end {
                                return vec![(r, join)];
                            }
                            vec![
                                (TextRange::new(r.start, span.start.max(r.start)), join),
                                (TextRange::new(span.end.min(r.end), r.end), Join::Barrier),
                            ]
                        })
                        .filter(|(r, _)| !r.is_empty())
                        .collect();
                }
                if pieces.len() == 1 && pieces[0].0 == seg.range {
                    expected.push(ProseSegment { range: seg.range, join });
                } else {
                    expected.extend(pieces.into_iter().map(|(range, join)| ProseSegment { range, join }));
                }
            }
            let mut out = Outline { prose: prose.clone(), ..Default::default() };
            drop_shortcodes(&mut out, &spans);
            prop_assert_eq!(&out.prose, &expected, "{:?} {:?}", prose, spans);
            prop_assert_eq!(out.code, spans);
        }

        /// The one search for shortcodes and addresses finds what the two searches find, in
        /// order: braces, colons and at signs anywhere, inside shortcodes too.
        #[test]
        fn shortcodes_and_addresses_found_at_once_are_those_found_apart(
            segments in prop::collection::vec((
                prop::collection::vec(prop::sample::select(vec![
                    "https://", "www.", "mailto:", "@", "a", "x.org", " ", ":", "{{<", "{{%",
                    ">}}", "%}}", "{", "{{", "é", "team@x.org",
                ]), 0..5),
                prop::sample::select(vec!["", " ", "*", "\n", "{{< x >}}", "@"]),
                0u8..3,
            ), 1..10),
            from in 0usize..4,
        ) {
            let (text, prose) = super::super::test_prose::prose_of(&segments);
            // Where the body starts (after front matter): no prose comes before it.
            let from = from.min(prose[0].range.start);
            let from = (0..=from).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let mut apart = shortcodes(&text, from, text.len());
            apart.extend(bare_urls(&text, &prose));
            apart.sort();
            prop_assert_eq!(markup(&text, from, text.len(), &prose), apart, "{:?} {:?}", text, prose);
        }

        #[test]
        fn shortcodes_are_those_a_plain_search_finds(
            parts in prop::collection::vec(prop::sample::select(vec![
                "{{", "{{<", "{{%", ">}}", "%}}", "<", "%", ">", "}}", "{", "a", " ", "é", "\n",
            ]), 0..30),
            from in 0usize..4,
        ) {
            let s: String = parts.concat();
            let from = (0..=from.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            let expected: Vec<TextRange> = shortcodes_plainly(&s[from..])
                .into_iter()
                .map(|r| TextRange::new(r.start + from, r.end + from))
                .collect();
            prop_assert_eq!(shortcodes(&s, from, s.len()), expected, "{:?}", s);
        }

        #[test]
        fn addresses_found_by_their_rare_bytes_are_those_a_plain_search_finds(
            parts in prop::collection::vec(prop::sample::select(vec![
                "https://", "http://", "www.", "mailto:", "@", "a", "x.org", "/p_q", " ", ".",
                ":", "//", "ww", "http", "é", "*", "_", ")", "<", "\n", "team", "-", "\u{FFFD}",
                "—", "分", "team@x.org",
            ]), 0..30)
        ) {
            let s: String = parts.concat();
            let prose = [ProseSegment { range: TextRange::new(0, s.len()), join: Join::Barrier }];
            let fast = bare_urls(&s, &prose);
            // An address starts and ends on a character's edge, whatever stands beside it.
            for r in &fast {
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end), "{:?} in {:?}", r, s);
            }
            prop_assert_eq!(fast, plain(&s), "{:?}", s);
        }
    }
}
