//! Course texts in the wild: a text written in the published primer's conventions (Hugo
//! Markdown, no glossary: `tests/fixtures/published-style`) and one on another subject
//! (`tests/fixtures/other-subject`). Their expectations (`tests/fixtures/*.expected.md`) were
//! written by hand from the texts: the terms a student would hover and the sentences that define
//! them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use expect_test::expect;
use primer_analysis::primer::SourceFile;
use primer_analysis::{hover, Primer, TermSource, World};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path) -> Vec<SourceFile> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            out.push(SourceFile {
                path: p.display().to_string(),
                text: std::fs::read_to_string(&p).unwrap(),
            });
        }
    }
    out
}

/// The bundled glossary and abbreviation list, as the server supplements a text with them.
fn bundled_glossary() -> Vec<SourceFile> {
    files(&repo().join("primer"))
        .into_iter()
        .filter(|f| f.path.ends_with("glossary.md") || f.path.ends_with("_index.md"))
        .collect()
}

fn course(name: &str, supplement: bool) -> Primer {
    let dir = repo().join("tests/fixtures").join(name);
    Primer::build_with(
        &dir.display().to_string(),
        files(&dir),
        supplement.then(bundled_glossary),
    )
}

/// Rows of an expectations table: (term, also matches, defining sentence, core).
fn expected_terms(name: &str) -> Vec<(String, Vec<String>, String, bool)> {
    let text =
        std::fs::read_to_string(repo().join(format!("tests/fixtures/{name}.expected.md"))).unwrap();
    let table = text.split("## Terms").nth(1).unwrap();
    table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Term") && !l.starts_with("| ---"))
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").map(|c| c.trim_matches(['|', ' '])).collect();
            if cells.len() < 6 {
                return None;
            }
            let also = cells[1]
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            Some((
                cells[0].to_string(),
                also,
                cells[4].to_string(),
                cells[5] == "yes",
            ))
        })
        .collect()
}

/// The term a student's word finds, by any name (the word as a note would use it).
fn find(primer: &Primer, word: &str) -> Option<usize> {
    let word = word.split(" (").next().unwrap_or(word);
    primer.term_by_name(word)
}

#[test]
fn a_published_style_text_yields_its_terms_and_no_junk() {
    let primer = course("published-style", false);
    let mut names: Vec<String> = primer.terms.iter().map(|t| t.names[0].clone()).collect();
    names.sort_by_key(|n| n.to_lowercase());
    expect!["2PC, Apache Kafka, API, Asynchronous Replication, Autoscaling, availability, Bandwidth, cache, Cache Invalidation, cache service, cache-aside, Caching, CAP, CAP Theorem, CDN, Circuit Breaker, Clock skew, cold cache, Consistency, Consistent hashing, Content Delivery Network, CPU, CPU utilisation, data pipeline, DDoS, deadline, distributed lock, distributed system, DNS, Edge serving, eventual consistency, Eviction, Exponential backoff, global transaction identifiers, gRPC, Horizontal Scaling, horizontally scalable, HTTP, ID, idempotent, Immutable data, Jitter, Latency, LB, Leader election, load balancer, long-lived connection, MapReduce, middle proxy, monolith, mTLS, Network Partition, partition, Partition tolerance, Queue, QUIC, quorum, Raft, Replicated Cache, Replication, replication lag, resilience, retry, retry storm, Round Robin, Round trip, round-trip time, RPC, Semisynchronous Replication, Sharded Cache, Sharding, SSL, stale data, Status code, Synchronous Replication, Tail latency, TCP, timeout, TLS, Transaction ID, TTL, UDP"]
    .assert_eq(&names.join(", "));
    // What must never be a term: reading-list entries, shortcode debris, structural,
    // number-only and everyday-word headings the text does not define.
    for junk in [
        "The SRE Book",
        "Marc Brooker's blog",
        "Glow",
        "Designing Data-Intensive Applications",
        "details",
        "State",
        "Limits",
        "Layers",
        "Databases",
        "Questions",
        "Project work for this section",
        "2",
    ] {
        assert!(primer.term_by_name(junk).is_none(), "'{junk}' is a term");
    }
    assert!(primer.terms.iter().all(|t| !t.display.contains("{{")));
}

#[test]
fn definitions_are_the_sentences_that_define() {
    let primer = course("published-style", false);
    let rows = expected_terms("published-style");
    assert!(rows.len() > 40, "the expectations table was read");
    let mut missing = vec![];
    let mut wrong = vec![];
    let mut right = 0;
    for (term, also, sentence, core) in &rows {
        let Some(t) = find(&primer, term).or_else(|| also.iter().find_map(|a| find(&primer, a)))
        else {
            if *core {
                missing.push(term.clone());
            }
            continue;
        };
        let shown = primer.term_definition(t).replace('*', "");
        let want = sentence.replace('*', "");
        let plain_want = want.split("](").next().unwrap_or(&want).to_string();
        if shown.contains(&want) || shown.contains(&plain_want) {
            right += 1;
        } else if *core {
            wrong.push(format!("{term}: {shown}"));
        }
    }
    // Every core term a student would hover is a term, and most show the defining sentence.
    assert!(missing.len() <= 4, "core terms missing: {missing:?}");
    assert!(
        right >= 45,
        "{right} right; wrong core definitions:\n{}",
        wrong.join("\n")
    );
    // A dozen pinned.
    for (word, starts) in [
        ("retry", "A retry is a fresh attempt"),
        ("jitter", "Jitter is a random amount"),
        ("latency", "Latency is the time a request spends"),
        ("deadline", "A deadline is the latest moment"),
        ("cache", "A cache is a small, fast store"),
        (
            "consistent hashing",
            "Consistent hashing is a way of assigning keys",
        ),
        (
            "eventual consistency",
            "What followers offer under both schemes is eventual consistency",
        ),
        ("replication", "Replication means keeping copies"),
        ("network partition", "A network partition means that"),
        ("quorum", "A majority of this kind is called a quorum"),
        ("autoscaling", "Autoscaling means to scale"),
        ("idempotent", "Fortunately, some requests are [idempotent]"),
    ] {
        let t = find(&primer, word).unwrap_or_else(|| panic!("no term '{word}'"));
        let d = primer.term_definition(t);
        assert!(d.starts_with(starts) || d.contains(starts), "{word}: {d}");
        assert!(
            d.split(". ").count() <= 3,
            "{word}: at most three sentences: {d}"
        );
    }
}

#[test]
fn the_abbreviation_list_inside_a_shortcode() {
    let primer = course("published-style", false);
    let mut abbreviations: Vec<String> = primer
        .terms
        .iter()
        .filter(|t| t.source == TermSource::DefinitionList)
        .map(|t| {
            format!(
                "{}={}",
                t.display,
                t.definition.split('.').next().unwrap_or("")
            )
        })
        .collect();
    abbreviations.sort();
    let shown = abbreviations.join("\n");
    assert!(!shown.contains("{{"), "{shown}");
    for pair in [
        "API=Application Programming Interface",
        "CDN=Content Delivery Network",
        "TTL=Time To Live",
        "mTLS=Mutual TLS",
    ] {
        let (abbr, full) = pair.split_once('=').unwrap();
        assert!(
            abbreviations
                .iter()
                .any(|a| a.starts_with(&format!("{abbr}="))
                    && a.to_lowercase().contains(&full.to_lowercase())),
            "{pair} in\n{shown}"
        );
    }
    // The abbreviation also finds the sentence that defines it in the text.
    let cdn = find(&primer, "CDN").unwrap();
    assert!(
        primer.term_definition(cdn).contains("is a service"),
        "{}",
        primer.term_definition(cdn)
    );
}

#[test]
fn the_bundled_glossary_supplements_a_text_without_one() {
    let primer = course("published-style", true);
    let own = course("published-style", false);
    assert!(primer.terms.len() > own.terms.len() + 30);
    // Terms of the glossary the text uses, taught where this text teaches them.
    for word in [
        "split-brain",
        "horizontal scalability",
        "backoff",
        "circuit breaker",
    ] {
        let Some(t) = find(&primer, word) else {
            continue;
        };
        let (s, h) = primer.terms[t].taught_in.expect("taught somewhere");
        assert!(s < primer.sections.len());
        if let Some(h) = h {
            assert!(h < primer.doc_of(s).outline.headings.len());
        }
    }
    let hs = find(&primer, "horizontal scalability").expect("supplemented or joined");
    assert!(primer
        .term_definition(hs)
        .contains("Horizontal scaling means"));
    let supplemented: Vec<String> = primer
        .terms
        .iter()
        .filter(|t| t.source == TermSource::Supplement)
        .map(|t| {
            format!(
                "{} → {}",
                t.display,
                t.taught_in
                    .map_or("-".into(), |(s, h)| primer.place_link(s, h))
            )
        })
        .collect();
    assert!(!supplemented.is_empty());
    for line in &supplemented {
        assert!(!line.contains("[["), "{line}");
    }
    // Each supplemented term is taught at a heading of this text named after it, or a section.
    let failover = supplemented.iter().find(|l| l.starts_with("Failover"));
    if let Some(f) = failover {
        assert!(f.contains("state"), "{f}");
    }
    // A course on another subject gets nothing from it.
    let bread = course("other-subject", true);
    let alone = course("other-subject", false);
    assert_eq!(bread.terms.len(), alone.terms.len());
    assert!(bread
        .terms
        .iter()
        .all(|t| t.source != TermSource::Supplement));
}

#[test]
fn the_founding_terms_hover_in_a_note_with_a_published_style_text() {
    for supplement in [false, true] {
        let mut world = World::new(Arc::new(course("published-style", supplement)));
        let text = "Replication and partitions; horizontal scalability; a network partition.\n";
        world.set_note_text(Arc::from("/notes/n.md"), Arc::from(text));
        // (The text itself says "horizontally scalable"; "horizontal scalability" is the
        // supplement's name for the same term.)
        let words: &[(usize, &str)] = if supplement {
            &[
                (2, "Replication"),
                (18, "partition"),
                (40, "orizontal"),
                (65, "artition"),
            ]
        } else {
            &[(2, "Replication"), (18, "partition"), (65, "artition")]
        };
        for &(at, word) in words {
            let h = hover::hover(&world, "/notes/n.md", at);
            let md = h.map(|h| h.markdown).unwrap_or_default();
            assert!(
                md.contains(word) || md.to_lowercase().contains(&word.to_lowercase()),
                "supplement {supplement}, {word}: {md}"
            );
        }
    }
}
