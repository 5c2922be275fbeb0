//! Definitions in running prose, for course texts that have no glossary: the sentence that says
//! what a term is or means, terms a text defines in its prose ("X means …", "X is a …", "… is
//! called X", "Full Name (ABBR)", a linked phrase followed by its meaning), the topics a heading
//! names ("A and B" names two), and the everyday words a one-word heading may only be a term
//! with when the text defines it.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::markdown::{self, Outline};
use crate::slug::fold_name;
use crate::terms::{is_abbreviation, singular};
use crate::text::TextRange;

/// The everyday English words (SCOWL sizes 10 and 20; `scripts/update_common_words.sh`).
static COMMON_WORDS: &str = include_str!("../data/common-words.txt");

/// Whether a word is an everyday English word (in any case, or its singular is).
pub fn is_everyday(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| COMMON_WORDS.lines().collect());
    let lower = word.to_lowercase();
    set.contains(lower.as_str()) || singular(&lower).is_some_and(|s| set.contains(s.as_str()))
}

/// Words that open a sentence about something already named, never a term.
const NOT_A_SUBJECT: &[&str] = &[
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "there",
    "here",
    "they",
    "we",
    "you",
    "he",
    "she",
    "each",
    "every",
    "some",
    "any",
    "such",
    "which",
    "what",
    "who",
    "one",
    "all",
    "most",
    "many",
    "both",
    "either",
    "neither",
    "another",
    "other",
    "our",
    "your",
    "their",
    "his",
    "her",
    "the",
    "a",
    "an",
    "so",
    "but",
    "and",
    "or",
    "if",
    "when",
    "then",
    "thus",
    "also",
    "only",
    "result",
    "answer",
    "problem",
    "reason",
    "point",
    "idea",
    "trick",
    "catch",
    "rule",
    "goal",
    "difference",
    "same",
    "first",
    "second",
    "last",
    "next",
    "rest",
    "key",
    "way",
    "question",
];

/// The sentences of `text[range]`, as ranges: split after `.`, `?` or `!` followed by a space and
/// a capital, a digit, a quote or a bracket (so "e.g. x" and "3.5" do not split).
pub fn sentences(text: &str, range: TextRange) -> Vec<TextRange> {
    let src = &text[range.start..range.end];
    let bytes = src.as_bytes();
    let mut out = vec![];
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'?' | b'!') && i + 2 < bytes.len() && bytes[i + 1] == b' ' {
            let next = bytes[i + 2];
            let before = src[..i].rsplit(' ').next().unwrap_or("");
            let abbreviation = matches!(before, "e.g" | "i.e" | "etc" | "vs" | "cf" | "Dr" | "Mr");
            if !abbreviation
                && (next.is_ascii_uppercase() || matches!(next, b'"' | b'[' | b'(' | b'*' | b'`'))
            {
                out.push(TextRange::new(range.start + start, range.start + i + 1));
                start = i + 2;
            }
        }
        i += 1;
    }
    if start < src.len() && !src[start..].trim().is_empty() {
        out.push(TextRange::new(range.start + start, range.end));
    }
    out
}

/// How strongly a sentence defines a term with one of `names` (0: it does not).
pub fn definition_score(sentence: &str, names: &[String]) -> u32 {
    let plain = plain_text(sentence);
    let lower = plain.to_lowercase();
    let mut best = 0;
    for name in names {
        let name_l = fold_name(name);
        if name_l.is_empty() {
            continue;
        }
        let folded = fold_name(&lower);
        let Some(at) = find_word(&folded, &name_l) else {
            continue;
        };
        let before = folded[..at].trim();
        let after = folded[at + name_l.len()..].trim_start();
        let after = after
            .strip_prefix("s ")
            .or_else(|| after.strip_prefix("es "))
            .unwrap_or(after);
        let opens =
            before.is_empty() || matches!(before, "a" | "an" | "the" | "in" | "with" | "under");
        let with_article = matches!(before, "a" | "an" | "the");
        let copula = [
            "is ",
            "are ",
            "means",
            "refers to",
            "describes",
            "is called",
            "is known as",
        ];
        let score = if opens && copula.iter().any(|c| after.starts_with(c)) {
            10
        } else if before.ends_with("called")
            || before.ends_with("known as")
            || before.ends_with("is") && after.starts_with(':')
        {
            9
        } else if after.starts_with(':')
            || after.starts_with("is the ")
            || after.starts_with("is a ")
            || after.starts_with("means")
        {
            8
        } else if with_article || matches!(before, "in" | "with" | "under") {
            6
        } else {
            2
        };
        best = best.max(score);
    }
    best
}

/// Where `word` starts in `text` as a whole word (both folded), if it does.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let end = at + word.len();
        let after_ok = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() || matches!(c, 's'));
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Markdown as plain words: links as their words, emphasis and code marks dropped.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match (after.find("]("), after.find("]]")) {
            (Some(close), _) if !rest.starts_with("[[") => {
                out.push_str(&after[..close]);
                let tail = &after[close + 2..];
                rest = tail.find(')').map_or("", |p| &tail[p + 1..]);
            }
            (_, Some(close)) if rest[open..].starts_with("[[") => {
                let inner = &after[1..close];
                out.push_str(inner.rsplit('|').next().unwrap_or(inner));
                rest = &after[close + 2..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace(['*', '`', '_'], "")
}

/// The best definition of a term with `names` among the paragraphs inside `region`, and its
/// score (see [`definition_score`]):
/// the defining sentence, and the next one when it goes on about the same thing (it starts
/// with "It", "This", "They" …), at most three sentences; `None` when no sentence there names it.
pub fn find_definition(
    text: &str,
    outline: &Outline,
    region: TextRange,
    names: &[String],
) -> Option<(String, u32)> {
    let mut best: Option<(u32, Vec<TextRange>, usize)> = None;
    let mut forms: Vec<String> = names.to_vec();
    for n in names {
        // "Caching" is defined by "A cache is …", "Sharding" by "… a shard …".
        if let Some(stem) = n.strip_suffix("ing").filter(|s| s.len() >= 3) {
            forms.push(format!("{stem}e"));
            forms.push(stem.to_string());
        }
    }
    for p in outline
        .paragraphs
        .iter()
        .filter(|p| p.range().start >= region.start && p.range().end <= region.end)
    {
        let sents = sentences(text, p.range());
        for (k, s) in sents.iter().enumerate() {
            let score = definition_score(&text[s.start..s.end], &forms);
            if score > 0 && best.as_ref().is_none_or(|(b, _, _)| score > *b) {
                best = Some((score, sents.clone(), k));
            }
        }
    }
    let (score, sents, k) = best?;
    let mut shown = vec![sents[k]];
    for s in sents.iter().skip(k + 1).take(2) {
        let text = text[s.start..s.end].trim_start();
        let continues = ["It ", "It's ", "This ", "They ", "These ", "Such "]
            .iter()
            .any(|w| text.starts_with(w));
        if !continues {
            break;
        }
        shown.push(*s);
    }
    let start = shown[0].start;
    let end = shown.last().map_or(start, |s| s.end);
    Some((
        markdown::shown(text, outline, TextRange::new(start, end)),
        score,
    ))
}

/// The topics a heading names: itself, or each part of "A and B" / "A or B" with a shared last
/// word given to both ("Asynchronous and Semisynchronous Replication"). Parts that open with
/// "other" or "more" name no topic.
pub fn heading_parts(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    // A question, a label ("Performance: …") or a title with a preposition ("Time and Ordering
    // in Distributed Systems", "Duration Between Attempts") describes; it names no topic.
    let describes = text.contains([':', '?', '!'])
        || words.iter().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "in" | "between"
                    | "for"
                    | "with"
                    | "on"
                    | "at"
                    | "from"
                    | "into"
                    | "during"
                    | "about"
                    | "without"
                    | "within"
                    | "across"
                    | "through"
                    | "over"
                    | "under"
                    | "after"
                    | "before"
                    | "to"
                    | "how"
                    | "why"
                    | "what"
                    | "when"
            )
        });
    if describes {
        return vec![];
    }
    let Some(k) = words
        .iter()
        .position(|w| matches!(w.to_lowercase().as_str(), "and" | "or" | "&"))
    else {
        return vec![text.trim().to_string()];
    };
    let (first, second) = (&words[..k], &words[k + 1..]);
    let listed = first.iter().any(|w| w.ends_with(','));
    if first.is_empty()
        || second.is_empty()
        || listed
        || second.contains(&"and")
        || second.contains(&"or")
    {
        return vec![];
    }
    let mut out = vec![];
    // "Asynchronous and Semisynchronous Replication": a lone describing word shares the head.
    let describing = [
        "ous", "al", "ic", "ive", "ary", "ent", "ant", "ed", "ible", "able",
    ]
    .iter()
    .any(|suffix| first[0].to_lowercase().ends_with(suffix));
    let shared = if first.len() == 1 && second.len() >= 2 && describing {
        second[1..].join(" ")
    } else {
        String::new()
    };
    let one = if shared.is_empty() {
        first.join(" ")
    } else {
        format!("{} {shared}", first[0])
    };
    for part in [one, second.join(" ")] {
        let lower = part.to_lowercase();
        if lower.starts_with("other ") || lower.starts_with("more ") || part.ends_with(',') {
            continue;
        }
        out.push(part);
    }
    out
}

/// A term a text defines in its prose: its names and the defining sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProseTerm {
    pub names: Vec<String>,
    pub sentence: TextRange,
}

/// The terms a file defines in its prose paragraphs: "X is a/an/the …", "X means …", "This is a
/// Y: …", "… is called Y" / "is known as Y", "Full Name (ABBR)", and "[words](url): …".
pub fn prose_terms(text: &str, outline: &Outline) -> Vec<ProseTerm> {
    let mut out = vec![];
    for p in &outline.paragraphs {
        for s in sentences(text, p.range()) {
            let md = &text[s.start..s.end];
            let plain = plain_text(md);
            for names in defined_in(md, &plain) {
                out.push(ProseTerm { names, sentence: s });
            }
        }
    }
    out
}

/// The names a sentence defines (see [`prose_terms`]).
fn defined_in(markdown: &str, plain: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let words: Vec<&str> = plain.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '/')
            .to_string()
    };
    // "X is a …", "X means …": X is the sentence's first one to four words.
    let lead = usize::from(
        words
            .first()
            .is_some_and(|w| matches!(w.to_lowercase().as_str(), "a" | "an" | "the")),
    );
    for verb_at in lead + 1..(lead + 5).min(words.len()) {
        let verb = words[verb_at].to_lowercase();
        let next = words
            .get(verb_at + 1)
            .map(|w| w.to_lowercase())
            .unwrap_or_default();
        let copula = (verb == "is" || verb == "are")
            && matches!(
                next.as_str(),
                "a" | "an" | "the" | "any" | "one" | "what" | "how" | "when"
            );
        if !(copula || verb == "means" || verb == "refers") {
            continue;
        }
        let subject_words = &words[lead..verb_at];
        // "A Content Delivery Network (CDN) is …": the parenthesis is the abbreviation rule's.
        let cut = subject_words
            .iter()
            .position(|w| w.starts_with('('))
            .unwrap_or(subject_words.len());
        let subject: Vec<String> = subject_words[..cut].iter().map(|w| clean(w)).collect();
        if good_name(&subject) {
            out.push(vec![subject.join(" ")]);
        }
        break;
    }
    // "This is a Y: …" and "… is called Y" / "… is known as Y".
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    for (i, w) in lower.iter().enumerate() {
        let start = if (w == "called" || (w == "as" && i > 0 && lower[i - 1] == "known")) && i > 0 {
            Some(i + 1)
        } else if w == "this" && i == 0 && lower.get(1).is_some_and(|v| v == "is") {
            Some(
                2 + usize::from(
                    lower
                        .get(2)
                        .is_some_and(|a| matches!(a.as_str(), "a" | "an")),
                ),
            )
        } else if w == "is"
            && i > 0
            && words[i + 1..].iter().take(3).any(|x| x.ends_with(':'))
            && !good_name(&words[..i].iter().map(|w| clean(w)).collect::<Vec<_>>())
        {
            // "What followers offer is eventual consistency: …"
            Some(i + 1)
        } else {
            None
        };
        let Some(mut s) = start else { continue };
        if lower.get(s).is_some_and(|a| a == "called" || a == "known") {
            continue; // "is called X": the "called" pattern's.
        }
        if lower
            .get(s)
            .is_some_and(|a| matches!(a.as_str(), "a" | "an" | "the"))
        {
            s += 1;
        }
        let mut name = vec![];
        for word in &words[s.min(words.len())..(s + 4).min(words.len())] {
            if word.starts_with('(') {
                break; // "the round-trip time (RTT)": the abbreviation rule's.
            }
            let ends = word.ends_with([':', '.', ',', ';', ')']);
            name.push(clean(word));
            if ends {
                break;
            }
        }
        let ended = words[s.min(words.len())..]
            .iter()
            .take(4)
            .any(|w| w.ends_with([':', '.', ',', ';']) || w.starts_with('('));
        let lone_everyday = name.len() == 1 && is_everyday(&name[0]) && w == "is";
        if !name.is_empty() && good_name(&name) && ended && !lone_everyday {
            out.push(vec![name.join(" ")]);
        }
    }
    // "Full Name (ABBR)".
    let mut rest = plain;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let abbr = inner.trim_end_matches('s');
        if is_abbreviation(abbr) && abbr.len() <= 8 {
            if let Some(full) = expansion(&rest[..open], abbr) {
                out.push(vec![full, abbr.to_string()]);
            }
        }
        rest = &rest[open + close + 1..];
    }
    // "A Full Name (FN) is …" is the abbreviation rule's, with both names.
    let full_names: Vec<String> = out
        .iter()
        .filter(|n| n.len() == 2)
        .map(|n| fold_name(&n[0]))
        .collect();
    out.retain(|n| n.len() == 2 || !full_names.contains(&fold_name(&n[0])));
    // "[words](url): …" or "[words](url) means …".
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let (Some(close), false) = (after.find("]("), rest[open..].starts_with("[[")) else {
            rest = after;
            continue;
        };
        let words_in = &after[..close];
        let tail = &after[close + 2..];
        let Some(paren) = tail.find(')') else { break };
        let following = tail[paren + 1..].trim_start();
        if following.starts_with(':') || following.starts_with("means") {
            let name: Vec<String> = words_in.split_whitespace().map(clean).collect();
            if good_name(&name) {
                out.push(vec![name.join(" ")]);
            }
        }
        rest = &tail[paren + 1..];
    }
    out
}

/// The words before "(ABBR)" whose initials spell it (small joining words allowed, a word that
/// is itself an abbreviation gives all its letters, a hyphenated word one letter per part).
fn expansion(before: &str, abbr: &str) -> Option<String> {
    let words: Vec<&str> = before.split_whitespace().collect();
    let target: Vec<char> = abbr.to_lowercase().chars().collect();
    for take in 1..=(target.len() + 3).min(words.len()) {
        let chosen = &words[words.len() - take..];
        let mut letters = vec![];
        for w in chosen {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            if is_abbreviation(w) {
                letters.extend(w.to_lowercase().chars());
            } else {
                for part in w.split('-').filter(|p| !p.is_empty()) {
                    letters.extend(part.chars().next().map(|c| c.to_ascii_lowercase()));
                }
            }
        }
        let small = |w: &str| {
            matches!(
                w.to_lowercase().as_str(),
                "of" | "and" | "to" | "for" | "the" | "in" | "on"
            )
        };
        let without_small: Vec<char> = chosen
            .iter()
            .filter(|w| !small(w))
            .flat_map(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                if is_abbreviation(w) {
                    w.to_lowercase().chars().collect::<Vec<_>>()
                } else {
                    w.split('-')
                        .filter_map(|p| p.chars().next().map(|c| c.to_ascii_lowercase()))
                        .collect()
                }
            })
            .collect();
        if (letters == target || without_small == target) && !small(chosen[0]) {
            let full = chosen
                .iter()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
                .collect::<Vec<_>>()
                .join(" ");
            return Some(full);
        }
    }
    None
}

/// Whether words could name a term: one to four words, letters in each, not opening with a
/// pronoun or a determiner, not all everyday function words.
fn good_name(words: &[String]) -> bool {
    if words.is_empty() || words.len() > 4 || words.iter().any(|w| w.is_empty()) {
        return false;
    }
    let first = words[0].to_lowercase();
    if NOT_A_SUBJECT.contains(&first.as_str()) {
        return false;
    }
    let pointing = [
        "this", "that", "it", "which", "these", "those", "there", "to", "on", "in", "at", "for",
        "with", "by", "from", "as", "if", "of",
    ];
    if words
        .iter()
        .any(|w| pointing.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    words
        .iter()
        .all(|w| w.chars().any(char::is_alphabetic) && !w.contains(['"', '\'']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_words_come_from_the_list() {
        assert!(is_everyday("State") && is_everyday("limits") && is_everyday("layer"));
        assert!(!is_everyday("idempotency") && !is_everyday("mTLS"));
    }

    #[test]
    fn headings_that_name_two_things_name_both() {
        assert_eq!(
            heading_parts("Asynchronous and Semisynchronous Replication"),
            ["Asynchronous Replication", "Semisynchronous Replication"]
        );
        assert_eq!(
            heading_parts("Consistency and availability"),
            ["Consistency", "availability"]
        );
        assert_eq!(
            heading_parts("Microservices or monoliths"),
            ["Microservices", "monoliths"]
        );
        assert_eq!(
            heading_parts("Horizontal Scaling and Load Balancing"),
            ["Horizontal Scaling", "Load Balancing"]
        );
        assert_eq!(
            heading_parts("Round Robin and other loadbalancing algorithms"),
            ["Round Robin"]
        );
        assert!(heading_parts("Unreliable networks, errors, and retries").is_empty());
    }

    #[test]
    fn prose_definitions_are_found() {
        let cases = [
            ("A network partition means that some machines cannot reach others.", "network partition"),
            ("Autoscaling means to scale a service automatically.", "Autoscaling"),
            ("This is a retry storm: a flood of repeated requests.", "retry storm"),
            ("Each of those parts is called a partition, or a shard.", "partition"),
            ("The delay between the two is known as replication lag.", "replication lag"),
            ("Fortunately, some requests are [idempotent](https://x.org/i): doing them twice is harmless.", "idempotent"),
            ("Latency is the time a request spends waiting for its answer.", "Latency"),
        ];
        for (md, want) in cases {
            let found = defined_in(md, &plain_text(md));
            assert!(found.iter().any(|n| n[0] == want), "{md}: {found:?}");
        }
        let md = "A Content Delivery Network (CDN) is a service with edge sites.";
        assert!(defined_in(md, &plain_text(md))
            .contains(&vec!["Content Delivery Network".into(), "CDN".into()]));
        let md = "Each entry has a time to live (TTL) after which it goes.";
        assert!(
            defined_in(md, &plain_text(md)).contains(&vec!["time to live".into(), "TTL".into()])
        );
        let md = "It looks like a Distributed Denial of Service (DDoS) attack.";
        assert!(defined_in(md, &plain_text(md))
            .contains(&vec!["Distributed Denial of Service".into(), "DDoS".into()]));
        for md in [
            "This is the way it works.",
            "The result is a mess.",
            "It is a good idea.",
        ] {
            assert!(defined_in(md, &plain_text(md)).is_empty(), "{md}");
        }
    }
}
