//! Front matter at the top of a Markdown file: YAML, TOML or Hugo's comment form, and the title
//! it gives.

use crate::text::TextRange;

/// A title from the first `title` key of a TOML or YAML front-matter body.
pub fn front_matter_title(body: &str) -> Option<String> {
    for line in body.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("title") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(value) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) else {
            continue;
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        if !value.is_empty() {
            return Some(value.to_string());
        }
    }
    None
}

/// Whether the text opens front matter (`---`, `+++` or `<!--forhugo` first), closed or not.
pub(crate) fn opens_front_matter(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("").trim_end();
    first == "---" || first == "+++" || text.trim_start().starts_with("<!--forhugo")
}

/// Front matter at the very top: YAML between `---` lines (closed by `---` or `...`), TOML
/// between `+++` lines, or Hugo's comment form. How many bytes it covers, and its range and
/// title. Only the top counts: pulldown-cmark's own metadata blocks would also take a `---`
/// fenced block later in a note.
#[allow(clippy::type_complexity)]
pub(crate) fn front_matter(text: &str) -> (usize, Option<(TextRange, Option<String>)>) {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let closers: &[&str] = match first.trim_end() {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return hugo_comment_front_matter(text),
    };
    let mut end = first.len();
    for line in lines {
        let body_end = end;
        end += line.len();
        if closers.contains(&line.trim_end()) {
            let body = &text[first.len()..body_end];
            return (
                end,
                Some((TextRange::new(0, end), front_matter_title(body))),
            );
        }
    }
    (0, None)
}

/// The Hugo convention `<!--forhugo +++ ... +++ forhugo-->` at the top of a file: how many bytes
/// it covers, and the range and title it gives.
#[allow(clippy::type_complexity)]
fn hugo_comment_front_matter(text: &str) -> (usize, Option<(TextRange, Option<String>)>) {
    let lead = text.len() - text.trim_start().len();
    if !text[lead..].starts_with("<!--forhugo") {
        return (0, None);
    }
    // An HTML comment ends at the first `-->` after its `<!--`; in `<!--forhugo-->` the
    // opener and the closer share their letters, and nothing is inside.
    let Some(close) = text[lead + "<!--".len()..].find("-->") else {
        return (0, None);
    };
    // `-->` has no letter of `forhugo`, so it closes after the opener's last letter.
    let body_end = lead + "<!--".len() + close;
    let end = body_end + "-->".len();
    let body = &text[lead + "<!--forhugo".len()..body_end];
    let inner = body
        .strip_suffix("forhugo")
        .unwrap_or(body)
        .trim()
        .trim_start_matches("+++")
        .trim_end_matches("+++");
    (
        end,
        Some((TextRange::new(lead, end), front_matter_title(inner))),
    )
}
