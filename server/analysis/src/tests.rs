//! Feature tests: a fixture with a cursor, the request, the expected answer.

use expect_test::{expect, Expect};

use crate::fixture::{fixture, PRIMER};
use crate::TextRange;

fn with_primer(notes: &str) -> crate::fixture::Fixture {
    fixture(&format!("{PRIMER}{notes}"))
}

/// The words a document's term occurrences cover, in order.
fn terms_in(doc: &crate::Doc) -> Vec<&str> {
    doc.occurrences
        .iter()
        .map(|o| &doc.text.as_str()[o.range().start..o.range().end])
        .collect()
}

fn check_hover(notes: &str, expect: Expect) {
    let f = with_primer(notes);
    let (path, at) = f.at();
    let actual = match crate::ide::hover(&f.world, path, at) {
        Some(h) => {
            let doc = f.world.doc(path).unwrap();
            format!(
                "[{}]\n{}",
                &doc.text.as_str()[h.range.start..h.range.end],
                h.markdown
            )
        }
        None => "no hover".to_string(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn hover_term_in_plain_prose() {
    check_hover(
        "//- /notes/week1.md\nToday: horizontal scala‸bility and more.\n",
        expect![[r#"
            [horizontal scalability]
            **Horizontal scalability** · also *scale out*, *horizontally scalable*

            Handling more load by adding machines rather than enlarging one. See [The Primer › Why Distributed Systems?](file:///primer/_index.md#L13).

            ---
            Taught in [The Primer › Why Distributed Systems?](file:///primer/_index.md#L13) · used in 1 note"#]],
    );
}

#[test]
fn hover_term_from_heading_with_plural_and_line_break() {
    check_hover(
        "//- /notes/week1.md\nWe used circuit\nbreak‸ers to stop retries.\n",
        expect![[r#"
            [circuit
            breakers]
            **Circuit Breakers**

            A circuit breaker stops calling a failing dependency for a while.

            ---
            Taught in [2. State › Circuit Breakers](file:///primer/state.md#L10) · used in 1 note"#]],
    );
}

#[test]
fn hover_prefers_the_longest_term() {
    check_hover(
        "//- /notes/week1.md\nA network parti‸tion happened.\n",
        expect![[r#"
            [network partition]
            **Network Partition**

            A network partition splits machines into groups that cannot talk.

            ---
            Taught in [2. State › Network Partition](file:///primer/state.md#L14) · used in 1 note"#]],
    );
}

#[test]
fn hover_nothing_in_code_or_plain_words() {
    check_hover(
        "//- /notes/week1.md\nSee `network parti‸tion` here.\n",
        expect!["no hover"],
    );
    check_hover(
        "//- /notes/week1.md\n```\nnetwork parti‸tion\n```\n",
        expect!["no hover"],
    );
    check_hover(
        "//- /notes/week1.md\nThe we‸ather is fine.\n",
        expect!["no hover"],
    );
}

#[test]
fn abbreviations_match_their_case_only() {
    check_hover(
        "//- /notes/week1.md\nThe A‸PIs we call.\n",
        expect![[r#"
            [APIs]
            **API**

            Application Programming Interface: how programs ask each other for work.

            ---
            Defined in [The Primer](file:///primer/_index.md#L1) · used in 1 note"#]],
    );
    check_hover(
        "//- /notes/week1.md\nThe a‸pi we call.\n",
        expect!["no hover"],
    );
}

#[test]
fn hover_after_emoji_and_cjk() {
    check_hover(
        "//- /notes/week1.md\n😀 分区 🎉 the part‸ition's size\n",
        expect![[r#"
            [partition's]
            **Partition**

            One slice of a split data set. See [2. State › Caching](file:///primer/state.md#L6).

            ---
            Taught in [2. State › Caching](file:///primer/state.md#L6) · used in 1 note"#]],
    );
}

#[test]
fn hover_section_link_shows_title_paragraph_and_outcomes() {
    check_hover(
        "//- /notes/week1.md\nRead [[st‸ate]] first.\n",
        expect![[r#"
        [[[state]]]
        ### 2. State

        A cache is a fast store that keeps a recently used subset of data.

        **Learning outcomes**
        - Explain why caches go cold
        - Describe how a network partition forces a choice"#]],
    );
    check_hover(
        "//- /notes/week1.md\nRead [[why-distributed-sys‸tems]].\n",
        expect![[r#"
        [[[why-distributed-systems]]]
        ### The Primer › Why Distributed Systems?

        Some workloads are too high for one machine. This is called horizontal scalability."#]],
    );
}

#[test]
fn hover_broken_link_suggests() {
    check_hover(
        "//- /notes/week1.md\nRead [[sta‸te#cachin]].\n",
        expect![[r#"
        [[[state#cachin]]]
        **Broken link**: '2. State' has no heading 'cachin'. Did you mean `state#caching`?"#]],
    );
}

fn check_links(notes: &str, expect: Expect) {
    let f = with_primer(notes);
    let mut out = String::new();
    let mut paths: Vec<_> = f.world.notes().map(|d| d.path.clone()).collect();
    paths.sort();
    for path in paths {
        let doc = f.world.note(&path).unwrap();
        for link in &doc.outline.links {
            let target = match f.world.resolve(&path, &doc.text, link).target {
                crate::Target::Primer { section, heading } => {
                    format!("primer {}", f.world.primer.place_link(section, heading))
                }
                crate::Target::Note { path, heading } => {
                    let h = heading.map(|h| {
                        f.world.note(&path).unwrap().outline.headings[h]
                            .id()
                            .to_string()
                    });
                    format!(
                        "note {path}{}",
                        h.map(|h| format!("#{h}")).unwrap_or_default()
                    )
                }
                crate::Target::External => "external".into(),
                crate::Target::Broken { reason, suggestion } => {
                    format!("broken: {reason} (suggest {suggestion:?})")
                }
            };
            out.push_str(&format!(
                "{} -> {target}\n",
                &doc.text.as_str()[link.range().start..link.range().end]
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn link_resolution_order() {
    check_links(
        r#"//- /notes/week1.md
[[state]] [[state#caching]] [[Caching]] [[state#Network Partition|np]] [[about]] [[_index]]
[[About]] [[ÉTAT]]
[[week2]] [[week2#Second Heading]] [[sub/week3]] [[#local]] [text](week2.md#second-heading)
[t](/notes/sub/week3.md) [t](https://example.org) [t](state.md#caching) [[nope]] [[../../etc/passwd]]
## Local
//- /notes/week2.md
## Second heading
//- /notes/sub/week3.md
Back to [[week1]] and [up](../week1.md#local).
"#,
        expect![[r#"
            [[week1]] -> note /notes/week1.md
            [up](../week1.md#local) -> note /notes/week1.md#local
            [[state]] -> primer state
            [[state#caching]] -> primer state#caching
            [[Caching]] -> primer state#caching
            [[state#Network Partition|np]] -> primer state#network-partition
            [[about]] -> primer intro#about
            [[_index]] -> primer intro
            [[About]] -> primer intro#about
            [[ÉTAT]] -> broken: no primer section, heading or note is called 'ÉTAT' (suggest None)
            [[week2]] -> note /notes/week2.md
            [[week2#Second Heading]] -> note /notes/week2.md#second-heading
            [[sub/week3]] -> note /notes/sub/week3.md
            [[#local]] -> note /notes/week1.md#local
            [text](week2.md#second-heading) -> note /notes/week2.md#second-heading
            [t](/notes/sub/week3.md) -> note /notes/sub/week3.md
            [t](https://example.org) -> external
            [t](state.md#caching) -> primer state#caching
            [[nope]] -> broken: no primer section, heading or note is called 'nope' (suggest None)
            [[../../etc/passwd]] -> broken: no file '../../etc/passwd.md' (suggest None)
        "#]],
    );
}

fn check_diagnostics(notes: &str, expect: Expect) {
    let f = with_primer(notes);
    let mut out = String::new();
    let mut paths: Vec<_> = f.world.notes().map(|d| d.path.clone()).collect();
    paths.sort();
    for path in paths {
        for p in crate::ide::diagnostics(&f.world, &path) {
            let r = crate::FileRange {
                path: p.path.clone(),
                range: p.range,
            };
            out.push_str(&format!(
                "{} {}: {} [{}] fix={:?}\n",
                f.show(&r),
                p.severity.as_str(),
                p.message,
                p.code,
                p.fix
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn diagnostics_broken_and_ambiguous_links_only() {
    check_diagnostics(
        r#"//- /notes/week1.md
Fine: [[state]], [[state#caching]], [[week2]], [x](week2.md), [y](https://x.org), `[[nope]]`.
Broken: [[stat]] and [[state#cachign]] and [z](missing.md).
```
[[also-not-a-link]]
```
//- /notes/week2.md
# Week 2
//- /notes/state.md
Ambiguous: [[state]].
"#,
        expect![[r#"
            /notes/state.md:1:14 "state" hint: 'state' is a primer section and also your note 'notes/state.md'; this links the primer. Write [[state.md]] for the note. [ambiguous-link] fix=None
            /notes/week1.md:1:9 "state" hint: 'state' is a primer section and also your note 'notes/state.md'; this links the primer. Write [[state.md]] for the note. [ambiguous-link] fix=None
            /notes/week1.md:1:20 "state#caching" hint: 'state#caching' is a primer section and also your note 'notes/state.md'; this links the primer. Write [[state.md]] for the note. [ambiguous-link] fix=None
            /notes/week1.md:2:11 "stat" error: Broken link: no primer section, heading or note is called 'stat'. Did you mean 'state'? [broken-link] fix=Some(Fix { title: "Replace with 'state'", range: TextRange { start: 104, end: 108 }, text: "state" })
            /notes/week1.md:2:24 "state#cachign" error: Broken link: '2. State' has no heading 'cachign'. Did you mean 'state#caching'? [broken-link] fix=Some(Fix { title: "Replace with 'state#caching'", range: TextRange { start: 117, end: 130 }, text: "state#caching" })
            /notes/week1.md:2:48 "missing.md" error: Broken link: no file 'missing.md'. [broken-link] fix=None
        "#]],
    );
}

fn check_refs(notes: &str, expect: Expect) {
    let f = with_primer(notes);
    let (path, at) = f.at();
    let refs = crate::references::references(&f.world, path, at, true);
    let out: Vec<String> = refs.iter().map(|r| f.show(r)).collect();
    expect.assert_eq(&out.join("\n"));
}

#[test]
fn references_of_a_term_in_notes_and_primer() {
    check_refs(
        "//- /notes/a.md\nNetwork partitions hurt. A partition‸ is a slice.\n//- /notes/b.md\nPartitions, `partition`, repartition.\n",
        expect![[r#"
            /notes/a.md:1:28 "partition"
            /notes/b.md:1:1 "Partitions"
            /primer/glossary.md:8:1 "Partition""#]],
    );
    // Notes on both sides of the primer's path: all in path order, the primer's among them.
    check_refs(
        "//- /z/last.md\nA partition, another partition.\n//- /a/first.md\nThe partition‸.\n",
        expect![[r#"
            /a/first.md:1:5 "partition"
            /primer/glossary.md:8:1 "Partition"
            /z/last.md:1:3 "partition"
            /z/last.md:1:22 "partition""#]],
    );
}

#[test]
fn references_of_a_section_from_a_link_and_from_the_heading() {
    check_refs(
        "//- /notes/a.md\nSee [[st‸ate]] and [[state#caching]].\n//- /notes/b.md\n[[Caching]] and [c](state.md).\n",
        expect![[r#"
            /notes/a.md:1:5 "[[state]]"
            /notes/a.md:1:19 "[[state#caching]]"
            /notes/b.md:1:1 "[[Caching]]"
            /notes/b.md:1:17 "[c](state.md)"
            /primer/glossary.md:9:38 "[[state#caching]]"
            /primer/state.md:1:1 """#]],
    );
    check_refs(
        "//- /primer/extra.md\n## Ex‸tra\n//- /notes/a.md\nSee [[extra#extra]] and [[extra]].\n",
        expect![[r###"
            /notes/a.md:1:5 "[[extra#extra]]"
            /primer/extra.md:1:1 "## Extra""###]],
    );
}

#[test]
fn completion_after_double_bracket_and_hash() {
    let f = with_primer("//- /notes/a.md\nSee [[st‸\n//- /notes/week2.md\n# Week two\n");
    let (path, at) = f.at();
    let items = crate::completion::completions(&f.world, path, at, false);
    let labels: Vec<String> = items
        .iter()
        .map(|c| format!("{} | {} | {}", c.label, c.detail, c.insert))
        .collect();
    expect![[r#"
        intro | The Primer | intro]]
        intro#about | The Primer › About this primer | intro#about]]
        intro#learning-outcomes-for-this-primer | The Primer › Learning outcomes for this primer: | intro#learning-outcomes-for-this-primer]]
        intro#why-distributed-systems | The Primer › Why Distributed Systems? | intro#why-distributed-systems]]
        intro#glossary-of-abbreviations | The Primer › Glossary of Abbreviations | intro#glossary-of-abbreviations]]
        state | 2. State | state]]
        state#caching | 2. State › Caching | state#caching]]
        state#circuit-breakers | 2. State › Circuit Breakers | state#circuit-breakers]]
        state#network-partition | 2. State › Network Partition | state#network-partition]]
        state#learning-outcomes | 2. State › Learning outcomes | state#learning-outcomes]]
        glossary | Glossary | glossary]]
        week2 | Week two | week2]]"#]]
    .assert_eq(&labels.join("\n"));
    assert_eq!(items[0].range, TextRange::new(at - 2, at));

    let f = with_primer("//- /notes/a.md\nSee [[state#ca‸]]\n");
    let (path, at) = f.at();
    let items = crate::completion::completions(&f.world, path, at, false);
    let labels: Vec<String> = items
        .iter()
        .map(|c| format!("{} | {}", c.label, c.insert))
        .collect();
    expect![[r#"
        state#caching | state#caching
        state#circuit-breakers | state#circuit-breakers
        state#network-partition | state#network-partition
        state#learning-outcomes | state#learning-outcomes"#]]
    .assert_eq(&labels.join("\n"));
}

#[test]
fn completion_of_terms_when_invoked() {
    let f = with_primer("//- /notes/a.md\nA netw‸\n");
    let (path, at) = f.at();
    assert!(crate::completion::completions(&f.world, path, at, false).is_empty());
    let items = crate::completion::completions(&f.world, path, at, true);
    let labels: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Network Partition"]);
    assert!(items[0]
        .documentation
        .contains("splits machines into groups"));
}

#[test]
fn goto_definition_of_term_and_link() {
    let f = with_primer("//- /notes/a.md\nA net‸work partition and [[state#caching]].\n");
    let (path, at) = f.at();
    let def = crate::goto::goto_definition(&f.world, path, at).unwrap();
    assert_eq!(f.show(&def), r#"/primer/state.md:14:4 "Network Partition""#);
    let link_at = f
        .world
        .note(path)
        .unwrap()
        .text
        .as_str()
        .find("[[")
        .unwrap()
        + 3;
    let def = crate::goto::goto_definition(&f.world, path, link_at).unwrap();
    assert_eq!(f.show(&def), r###"/primer/state.md:6:1 "## Caching""###);
}

#[test]
fn document_and_workspace_symbols() {
    let f = with_primer("//- /notes/a.md\n# Week 1\n## Caching notes\n### Detail\n## Partitions\n");
    let syms = crate::symbols::document_symbols(&f.world, "/notes/a.md");
    fn show(s: &[crate::symbols::DocumentSymbol], depth: usize, out: &mut String) {
        for x in s {
            out.push_str(&format!(
                "{}{} {:?}\n",
                "  ".repeat(depth),
                x.name,
                (x.range.start, x.range.end)
            ));
            show(&x.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    show(&syms, 0, &mut out);
    expect![[r#"
        Week 1 (0, 51)
          Caching notes (9, 37)
            Detail (26, 37)
          Partitions (37, 51)
    "#]]
    .assert_eq(&out);
    let found = crate::symbols::workspace_symbols(&f.world, "netpart");
    let names: Vec<String> = found
        .iter()
        .map(|s| format!("{:?} {}", s.kind, s.name))
        .collect();
    expect![[r#"
        Heading Network Partition
        Term Network Partition"#]]
    .assert_eq(&names.join("\n"));
}

#[test]
fn code_actions_fix_broken_link_and_link_a_term() {
    let f = with_primer("//- /notes/a.md\nSee [[stat]]. The circuit bre‸aker opened.\n");
    let (path, at) = f.at();
    let doc = f.world.note(path).unwrap();
    let link_at = doc.text.as_str().find("stat").unwrap();
    let fixes: Vec<_> = crate::ide::code_actions(&f.world, path, TextRange::empty(link_at))
        .into_iter()
        .filter(|a| a.kind == crate::edits::ActionKind::QuickFix)
        .collect();
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, "Replace with 'state'");
    let actions = crate::ide::code_actions(&f.world, path, TextRange::empty(at));
    let shown: Vec<String> = actions
        .iter()
        .filter(|a| a.title.starts_with("Link"))
        .map(|a| format!("{} => {}", a.title, a.edits[0].1))
        .collect();
    expect!["Link this mention of 'circuit breaker' to the primer (2. State › Circuit Breakers) => [[state#circuit-breakers|circuit breaker]]"]
        .assert_eq(&shown.join("\n"));
}

#[test]
fn primer_model_counts() {
    let f = with_primer("");
    let p = &f.world.primer;
    let sections: Vec<&str> = p.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(sections, ["intro", "state", "glossary"]);
    let outcomes: Vec<String> = p
        .outcomes
        .iter()
        .map(|o| format!("{} {}", o.id, o.text))
        .collect();
    expect![[r#"
        intro.1 Explain the reasons that we build distributed systems
        intro.2 Describe replication
        state.1 Explain why caches go cold
        state.2 Describe how a network partition forces a choice"#]]
    .assert_eq(&outcomes.join("\n"));
    let terms: Vec<String> = p
        .terms
        .iter()
        .map(|t| format!("{:?} {}", t.source, t.names.join(" / ")))
        .collect();
    expect![[r#"
        DefinitionList API
        DefinitionList Horizontal scalability / scale out / horizontally scalable
        DefinitionList Partition
        DefinitionList Remote Procedure Call / RPC
        Heading Caching
        Heading Circuit Breaker
        Heading Network Partition"#]]
    .assert_eq(&terms.join("\n"));
}

#[test]
fn alias_lines_are_names_not_uses() {
    check_refs(
        "//- /notes/a.md\nWe scale out‸ by adding machines.\n",
        expect![[r#"
            /notes/a.md:1:4 "scale out"
            /primer/_index.md:15:61 "horizontal scalability"
            /primer/glossary.md:4:1 "Horizontal scalability""#]],
    );
}

#[test]
fn front_matter_titles_in_three_styles() {
    let toml = crate::markdown::parse("+++\ntitle=\"TOML title\"\n+++\n# Heading\n");
    let yaml = crate::markdown::parse("---\ntitle: YAML title\n---\n# Heading\n");
    let hugo = crate::markdown::parse(
        "<!--forhugo\n+++\ntitle=\"Hugo title\"\n+++\nforhugo-->\n\n# Heading\n",
    );
    let titles = [toml.title, yaml.title, hugo.title];
    assert_eq!(
        titles,
        [
            Some("TOML title".into()),
            Some("YAML title".into()),
            Some("Hugo title".into())
        ]
    );
    // The front matter is never prose, and the heading after the Hugo comment is found.
    assert_eq!(hugo.headings[0].text(), "Heading");
    assert!(hugo
        .prose
        .iter()
        .all(|s| s.range.start > hugo.front_matter.unwrap().end));
}

#[test]
fn front_matter_is_read_safely_at_every_cut_and_when_its_markers_overlap() {
    // Every prefix of every front-matter style (a note being typed), and markers that share
    // their letters, such as `<!--forhugo-->`, which opens and closes in one.
    let forms = [
        "<!--forhugo\n+++\ntitle=\"Hugo 😀\"\n+++\nforhugo-->\n# H\n",
        "<!--forhugo-->\n---\ntitle: T\n---\n]-->\n# H\n",
        "  <!--forhugo--> text forhugo-->\n",
        "---\ntitle: Ünïcode\n...\n# H\n",
        "+++\ntitle = \"漢字\"\n+++\n",
    ];
    for form in forms {
        for cut in (0..=form.len()).filter(|&i| form.is_char_boundary(i)) {
            let text = &form[..cut];
            let outline = crate::markdown::parse(text);
            if let Some(range) = outline.front_matter {
                assert!(range.end <= text.len(), "{text:?}");
                assert!(text.is_char_boundary(range.end), "{text:?}");
            }
        }
    }
    let empty = crate::markdown::parse("<!--forhugo-->\n# After\n");
    assert_eq!(empty.front_matter.map(|r| (r.start, r.end)), Some((0, 14)));
    assert_eq!(empty.headings[0].text(), "After");
}

#[test]
fn words_a_workspace_leaves_out_are_not_terms_in_any_form() {
    // The workspace says "circuit breaker" is not a term here: neither it, its plural, its
    // possessive nor a hyphenated or differently cased spelling matches; other terms still do.
    let notes = "//- /notes/a.md\nCircuit breakers, a circuit-breaker's cost, CIRCUIT BREAKER.\nA network partition.\n";
    let f = crate::fixture::fixture_leaving_out(&format!("{PRIMER}{notes}"), &["Circuit Breaker"]);
    let doc = f.world.doc("/notes/a.md").unwrap();
    let found = terms_in(doc);
    assert_eq!(found, ["network partition"]);
    // Without the setting all four are terms.
    let f = with_primer(notes);
    assert_eq!(f.world.doc("/notes/a.md").unwrap().occurrences.len(), 4);
}

#[test]
fn hyphen_and_space_variants_match_one_term() {
    check_hover(
        "//- /notes/a.md\nA network-parti‸tion again.\n",
        expect![[r#"
            [network-partition]
            **Network Partition**

            A network partition splits machines into groups that cannot talk.

            ---
            Taught in [2. State › Network Partition](file:///primer/state.md#L14) · used in 1 note"#]],
    );
}

/// Applies edits (non-overlapping, any order) to a text.
fn apply(text: &str, edits: &[(TextRange, String)]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(r.start..r.end, &new);
    }
    out
}

/// Each checklist item of each note: its box, how it matched, and its words.
fn check_checklists(notes: &str, expect: Expect) {
    let f = with_primer(notes);
    let mut paths: Vec<_> = f.world.notes().map(|d| d.path.clone()).collect();
    paths.sort();
    let mut out = String::new();
    for path in paths {
        let doc = f.world.note(&path).unwrap();
        for c in &doc.checklist {
            let outcome = c
                .outcome
                .map_or("-".to_string(), |o| f.world.primer.outcomes[o].id.clone());
            let how = match c.how {
                Some(crate::outcome_index::MatchHow::Similar(s)) => format!("similar {s:.2}"),
                Some(h) => format!("{h:?}").to_lowercase(),
                None => "none".into(),
            };
            out.push_str(&format!(
                "{path} {} {outcome} ({how}) {:?}\n",
                &doc.text.as_str()[c.check_box.start..c.check_box.end],
                &doc.text.as_str()[c.words.start..c.words.end]
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn checklist_items_match_outcomes_exactly_reworded_or_by_id() {
    check_checklists(
        r#"//- /notes/week1.md
## To learn

- [x] Explain why caches go cold
- [ ] describe how a network partition forces us to make a choice
- [ ] EXPLAIN the reasons that we build distributed-systems!
- [ ] Whatever I like <!-- outcome: state.2 -->
- [ ] Bake bread
- [ ] Something <!-- outcome: state.9 -->

## Shopping

- [ ] Bake bread
- [x] Explain caches
"#,
        expect![[r#"
            /notes/week1.md [x] state.1 (exact) "Explain why caches go cold"
            /notes/week1.md [ ] state.2 (similar 0.84) "describe how a network partition forces us to make a choice"
            /notes/week1.md [ ] intro.1 (exact) "EXPLAIN the reasons that we build distributed-systems!"
            /notes/week1.md [ ] state.2 (id) "Whatever I like"
            /notes/week1.md [ ] - (none) "Bake bread"
            /notes/week1.md [ ] - (id) "Something"
        "#]],
    );
}

/// A list of tasks none of which names an outcome is a checklist when the heading it sits
/// under mentions outcomes, in any case; the lists under other headings, before and after,
/// are not.
#[test]
fn lists_under_a_heading_that_mentions_outcomes_are_checklists() {
    check_checklists(
        r#"//- /notes/week2.md
## Chores

- [ ] Water the plants

## My LEARNING OUTCOMES for week 2

- [ ] Bake bread
- [x] Read the chapter again

### Groceries

- [ ] Buy flour

## Outcome review

- [ ] Ask about quorums

## Later

- [ ] Tidy the desk
"#,
        expect![[r#"
            /notes/week2.md [ ] - (none) "Bake bread"
            /notes/week2.md [x] - (none) "Read the chapter again"
            /notes/week2.md [ ] - (none) "Ask about quorums"
        "#]],
    );
}

#[test]
fn progress_counts_ticks_across_notes() {
    let f = with_primer(
        r#"//- /notes/a.md
- [x] Explain why caches go cold
- [ ] Describe replication
//- /notes/b.md
- [ ] Explain why caches go cold
- [ ] Describe how a network partition forces a choice
"#,
    );
    let primer = &f.world.primer;
    let progress = crate::outcomes::progress(&f.world);
    let shown: Vec<String> = primer
        .outcomes
        .iter()
        .zip(&progress.outcomes)
        .map(|(o, s)| {
            let paths = |v: &[crate::FileRange]| {
                v.iter()
                    .map(|r| r.path.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!(
                "{} done={} ticked=[{}] unticked=[{}]",
                o.id,
                s.done(),
                paths(&s.ticked),
                paths(&s.unticked)
            )
        })
        .collect();
    expect![[r#"
        intro.1 done=false ticked=[] unticked=[]
        intro.2 done=false ticked=[] unticked=[/notes/a.md]
        state.1 done=true ticked=[/notes/a.md] unticked=[/notes/b.md]
        state.2 done=false ticked=[] unticked=[/notes/b.md]"#]]
    .assert_eq(&shown.join("\n"));
    assert_eq!(progress.count(|_| true), (1, 4));
    let lenses = crate::outcomes::checklist_lenses(&f.world, "/notes/b.md");
    expect![[r#"[(TextRange { start: 0, end: 32 }, "Outcomes: 1/2 done · 2. State: 1/2")]"#]]
        .assert_eq(&format!("{lenses:?}"));
}

#[test]
fn diagnostics_for_checklist_items() {
    check_diagnostics(
        r#"//- /notes/a.md
- [x] Explain why caches go cold
//- /notes/b.md
## Outcomes

- [ ] Explain why caches go cold
- [ ] Describe how networks partition sometimes
- [ ] Learn Rust
- [ ] x <!-- outcome: nope.1 -->
"#,
        expect![[r#"
            /notes/b.md:3:7 "Explain why caches go cold" hint: Outcome state.1 is ticked in a.md but not here. [outcome-ticked-elsewhere] fix=Some(Fix { title: "Tick it here too", range: TextRange { start: 15, end: 18 }, text: "[x]" })
            /notes/b.md:4:7 "Describe how networks partition sometimes" info: This checklist item names none of the primer's learning outcomes. Closest: state.2 "Describe how a network partition forces a choice" [unknown-outcome] fix=Some(Fix { title: "Use the closest outcome (state.2)", range: TextRange { start: 52, end: 93 }, text: "Describe how a network partition forces a choice" })
            /notes/b.md:5:7 "Learn Rust" info: This checklist item names none of the primer's learning outcomes. [unknown-outcome] fix=None
            /notes/b.md:6:7 "x" info: No learning outcome has the id 'nope.1' (ids look like 'intro.1'). [unknown-outcome-id] fix=None
        "#]],
    );
}

/// An id marker makes its list a checklist on its own: no heading mentions outcomes and no
/// item's words name one, yet the list's items are checked.
#[test]
fn an_outcome_id_marker_alone_makes_its_list_a_checklist() {
    check_diagnostics(
        r#"//- /notes/b.md
## Week 2

- [ ] Learn Rust
- [ ] x <!-- outcome: nope.1 -->
"#,
        expect![[r#"
            /notes/b.md:3:7 "Learn Rust" info: This checklist item names none of the primer's learning outcomes. [unknown-outcome] fix=None
            /notes/b.md:4:7 "x" info: No learning outcome has the id 'nope.1' (ids look like 'intro.1'). [unknown-outcome-id] fix=None
        "#]],
    );
}

#[test]
fn insert_checklist_twice_adds_nothing_the_second_time() {
    let f = with_primer(
        "//- /notes/a.md\n# Week 1\n\nSee [[state#caching]] and [[state]].\n‸\nMore text.\n",
    );
    let (path, at) = f.at();
    let actions = crate::outcomes::checklist_actions(&f.world, path, at);
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Insert learning-outcome checklist…"],
        "one action that asks"
    );
    let choices = crate::outcomes::checklist_choices(&f.world, path, at);
    let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
    expect![[r#"
        2. State (2 items)
        The whole primer (4 items)
        The Primer (2 items)"#]]
    .assert_eq(&labels.join("\n"));
    let (edits, _) =
        crate::outcomes::insert_checklist(&f.world, path, at, &choices[0].sections).unwrap();
    let text = apply(f.world.note(path).unwrap().text.as_str(), &edits);
    expect![[r#"
        # Week 1

        See [[state#caching]] and [[state]].

        ## Learning outcomes: 2. State

        - [ ] Explain why caches go cold
        - [ ] Describe how a network partition forces a choice

        More text.
    "#]]
    .assert_eq(&text);

    // Again: the state section is complete, so only the others are offered; the whole primer
    // adds the intro's outcomes only.
    let mut world = f.world.clone();
    world.set_note_text(path.into(), text.as_str().into());
    let choices = crate::outcomes::checklist_choices(&world, path, 0);
    let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
    expect![[r#"
        The whole primer (2 items)
        The Primer (2 items)"#]]
    .assert_eq(&labels.join("\n"));
}

#[test]
fn insert_checklist_extends_a_partial_list() {
    let f = with_primer(
        "//- /notes/a.md\n## Mine\n\n  * [x] Explain why caches go cold\n  * [ ] Bake bread\n‸",
    );
    let (path, at) = f.at();
    let state = f.world.primer.section_by_id("state").unwrap();
    let (edits, n) = crate::outcomes::insert_checklist(&f.world, path, at, &[state]).unwrap();
    assert_eq!(n, 1);
    expect![[r#"
        ## Mine

          * [x] Explain why caches go cold
          * [ ] Describe how a network partition forces a choice
          * [ ] Bake bread
    "#]]
    .assert_eq(&apply(f.world.note(path).unwrap().text.as_str(), &edits));
}

#[test]
fn completion_after_a_task_box_offers_outcomes_not_yet_listed() {
    let f = with_primer("//- /notes/a.md\n- [x] Explain why caches go cold\n- [ ] Desc‸\n");
    let (path, at) = f.at();
    let items = crate::completion::completions(&f.world, path, at, false);
    let shown: Vec<String> = items
        .iter()
        .map(|c| {
            let doc = f.world.note(path).unwrap();
            format!(
                "{} ({}) replaces {:?}",
                c.label,
                c.detail,
                &doc.text.as_str()[c.range.start..c.range.end]
            )
        })
        .collect();
    expect![[r#"
        Explain the reasons that we build distributed systems (intro.1 · The Primer) replaces "Desc"
        Describe replication (intro.2 · The Primer) replaces "Desc"
        Describe how a network partition forces a choice (state.2 · 2. State) replaces "Desc""#]]
    .assert_eq(&shown.join("\n"));
    let f = with_primer("//- /notes/a.md\n- not a task ‸\n");
    let (path, at) = f.at();
    assert!(crate::completion::completions(&f.world, path, at, false).is_empty());
}

#[test]
fn hover_on_a_checklist_item() {
    check_hover(
        "//- /notes/a.md\n- [x] Explain why caches go cold\n//- /notes/b.md\n-‸ [ ] Explain why caches go cold\n",
        expect![[r#"
            [- [ ] Explain why caches go cold]
            **Learning outcome `state.1`** · ✓ done

            Explain why caches go cold

            Section: [2. State](file:///primer/state.md) (`[[state]]`)  
            Ticked in `a.md`  
            Listed unticked in `b.md`  

            ---
            Terms of this section: Partition, Caching, Circuit Breakers, Network Partition"#]],
    );
}

#[test]
fn coverage_of_sections_by_notes() {
    let f = with_primer(
        "//- /notes/a.md\nSee [[state]].\n//- /notes/b.md\nHorizontal scalability is nice.\n//- /notes/c.md\nNothing here.\n",
    );
    let cov = crate::outcomes::coverage(&f.world);
    let primer = &f.world.primer;
    let mut out = String::new();
    for (s, notes) in cov.sections.iter().enumerate() {
        out.push_str(&format!("{}: {:?}\n", primer.sections[s].id, notes));
    }
    for (note, sections) in &cov.notes {
        let ids: Vec<&str> = sections
            .iter()
            .map(|&s| primer.sections[s].id.as_str())
            .collect();
        out.push_str(&format!("{note} relies on {ids:?}\n"));
    }
    expect![[r#"
        intro: ["/notes/b.md"]
        state: ["/notes/a.md"]
        glossary: []
        /notes/a.md relies on ["state"]
        /notes/b.md relies on ["intro"]
        /notes/c.md relies on []
    "#]]
    .assert_eq(&out);
    // Hover on a primer heading, with these notes.
    let heading_hover = |notes: &str| {
        let f = fixture(&format!(
            "{}{notes}",
            PRIMER.replace(
                "## Learning outcomes\n\n- Explain why",
                "## Learning out‸comes\n\n- Explain why"
            )
        ));
        let (path, at) = f.at();
        crate::ide::hover(&f.world, path, at).unwrap().markdown
    };
    expect![[r#"
        **2. State**

        Relied on by 1 note (links or terms): `notes/a.md`"#]]
    .assert_eq(&heading_hover("//- /notes/a.md\nSee [[state]].\n"));
    // Many notes: the first twelve by path, then how many more.
    let notes: String = (0..14)
        .map(|i| format!("//- /notes/n{i:02}.md\nSee [[state]].\n"))
        .collect();
    expect![[r#"
        **2. State**

        Relied on by 14 notes (links or terms): `notes/n00.md`, `notes/n01.md`, `notes/n02.md`, `notes/n03.md`, `notes/n04.md`, `notes/n05.md`, `notes/n06.md`, `notes/n07.md`, `notes/n08.md`, `notes/n09.md`, `notes/n10.md`, `notes/n11.md` and 2 more"#]]
    .assert_eq(&heading_hover(&notes));
}

#[test]
fn annotate_link_all_mentions_and_footnote() {
    let f = with_primer(
        "//- /notes/a.md\nA partition is a slice. A `partition` in code.\n\nPartit‸ions again: partition.",
    );
    let (path, at) = f.at();
    let actions = crate::ide::code_actions(&f.world, path, TextRange::empty(at));
    let text = f.world.note(path).unwrap().text.as_str();
    let mut out = String::new();
    for a in actions.iter().filter(|a| !a.title.starts_with("Insert")) {
        let edits: Vec<(TextRange, String)> =
            a.edits.iter().map(|(r, t)| (r.range, t.clone())).collect();
        out.push_str(&format!("## {}\n{}\n", a.title, apply(text, &edits)));
    }
    expect![[r#"
        ## Link this mention of 'Partitions' to the primer (2. State › Caching)
        A partition is a slice. A `partition` in code.

        [[state#caching|Partitions]] again: partition.
        ## Link all 3 mentions of 'Partition' in this note to the primer
        A [[state#caching|partition]] is a slice. A `partition` in code.

        [[state#caching|Partitions]] again: [[state#caching|partition]].
        ## Add the definition of 'Partition' as a footnote
        A partition is a slice. A `partition` in code.

        Partitions[^partition] again: partition.

        [^partition]: **Partition**: One slice of a split data set. See [[state#caching]].

    "#]]
    .assert_eq(&out);
}

#[test]
fn inlay_hints_and_semantic_tokens() {
    let f = with_primer(
        "//- /notes/a.md\nA partition and a partition; see [[state]] and [[nope]] and [[a]].\n",
    );
    let path = "/notes/a.md";
    let doc = f.world.note(path).unwrap();
    let hints = crate::decorations::inlay_hints(&f.world, path, TextRange::new(0, doc.text.len()));
    let shown: Vec<String> = hints
        .iter()
        .map(|h| format!("after {:?}: {}", &doc.text.as_str()[..h.offset], h.label))
        .collect();
    expect![[r#"after "A partition": → 2 › Caching"#]].assert_eq(&shown.join("\n"));
    let tokens = crate::decorations::semantic_tokens(&f.world, path);
    let shown: Vec<String> = tokens
        .iter()
        .map(|(r, k)| format!("{:?} {k:?}", &doc.text.as_str()[r.start..r.end]))
        .collect();
    expect![[r#"
        "partition" Term
        "partition" Term
        "[[state]]" PrimerLink"#]]
    .assert_eq(&shown.join("\n"));
}

#[test]
fn primer_files_mark_the_first_mention_per_paragraph_and_hints_stay_short() {
    let f = fixture(&format!(
        "{PRIMER}//- /primer/extra.md\n+++\ntitle=\"9. Extra\"\n+++\n## Unreliable networks, errors, and the retries that follow {{#long}}\n\nA partition, a partition, a quorum.\n\nAnother partition.\n\n- a partition\n- a partition\n//- /notes/n.md\nA partition.\n"
    ));
    let path = "/primer/extra.md";
    let doc = f.world.doc(path).unwrap();
    let tokens = crate::decorations::semantic_tokens(&f.world, path);
    let shown: Vec<String> = tokens
        .iter()
        .map(|(r, _)| {
            format!(
                "{}:{}",
                doc.line_index.line_of(r.start),
                &doc.text.as_str()[r.start..r.end]
            )
        })
        .collect();
    expect!["5:partition 7:partition 9:partition 10:partition"].assert_eq(&shown.join(" "));
    let s = f.world.primer.section_by_id("extra").unwrap();
    assert_eq!(
        crate::decorations::short_place(&f.world, s, Some(0)),
        "9 › Unreliable networks…"
    );
    assert_eq!(crate::decorations::short_place(&f.world, s, None), "9");
}

#[test]
fn insert_checklist_keeps_items_and_blocks_whole() {
    // A multi-line item keeps its continuation; a cursor inside a paragraph or a code block
    // puts the new block after it, never inside.
    let state = |f: &crate::fixture::Fixture| f.world.primer.section_by_id("state").unwrap();
    let f = with_primer(
        "//- /notes/a.md\n- [x] Explain why caches go cold\n  with more words\n\nSome\npara‸graph\nlines.\n",
    );
    let (path, at) = f.at();
    let (edits, _) = crate::outcomes::insert_checklist(&f.world, path, at, &[state(&f)]).unwrap();
    expect![[r#"
        - [x] Explain why caches go cold
          with more words
        - [ ] Describe how a network partition forces a choice

        Some
        paragraph
        lines.
    "#]]
    .assert_eq(&apply(f.world.note(path).unwrap().text.as_str(), &edits));

    let f = with_primer("//- /notes/a.md\n# T\n\n```\nco‸de\n```\nAfter.\n");
    let (path, at) = f.at();
    let (edits, n) = crate::outcomes::insert_checklist(&f.world, path, at, &[state(&f)]).unwrap();
    assert_eq!(n, 2);
    expect![[r#"
        # T

        ```
        code
        ```

        ## Learning outcomes: 2. State

        - [ ] Explain why caches go cold
        - [ ] Describe how a network partition forces a choice

        After.
    "#]]
    .assert_eq(&apply(f.world.note(path).unwrap().text.as_str(), &edits));
}

#[test]
fn links_in_table_cells_escape_the_bar_and_footnotes_respect_crlf() {
    let f = with_primer("//- /notes/a.md\n| a | b |\n|---|---|\n| a parti‸tion | x |\n");
    let (path, at) = f.at();
    let actions = crate::ide::code_actions(&f.world, path, TextRange::empty(at));
    let link = actions
        .iter()
        .find(|a| a.title.starts_with("Link this"))
        .unwrap();
    assert_eq!(link.edits[0].1, "[[state#caching\\|partition]]");
    // The edited table still has one link in its cell, and no extra cell.
    let text = apply(
        f.world.note(path).unwrap().text.as_str(),
        &[(link.edits[0].0.range, link.edits[0].1.clone())],
    );
    let mut world = f.world.clone();
    world.set_note_text(path.into(), text.as_str().into());
    let doc = world.note(path).unwrap();
    assert_eq!(doc.outline.links.len(), 1, "{text}");
    assert_eq!(doc.outline.links[0].dest(&doc.text), "state#caching");

    let f = with_primer("//- /notes/a.md\r\nA parti‸tion.\r\n\r\n");
    let (path, at) = f.at();
    let actions = crate::ide::code_actions(&f.world, path, TextRange::empty(at));
    let foot = actions
        .iter()
        .find(|a| a.title.contains("footnote"))
        .unwrap();
    assert_eq!(
        foot.edits[1].1,
        "[^partition]: **Partition**: One slice of a split data set. See [[state#caching]].\r\n"
    );
}

#[test]
fn running_counts_follow_notes_as_they_change() {
    // The world's per-outcome tick counts and per-term note counts agree with a full recount
    // after adding, editing, replacing and removing notes.
    let mut world =
        with_primer("//- /notes/a.md\n- [x] Explain why caches go cold\nA partition.\n")
            .world
            .clone();
    let check = |world: &crate::World| {
        let progress = crate::outcomes::progress(world);
        for (o, status) in progress.outcomes.iter().enumerate() {
            assert_eq!(world.outcome_ticked(o), status.done(), "outcome {o}");
        }
        for t in 0..world.primer.terms.len() {
            let users = world
                .notes()
                .filter(|d| d.occurrences.iter().any(|x| x.term as usize == t))
                .count();
            assert_eq!(world.notes_using(t), users, "term {t}");
        }
    };
    check(&world);
    let b = "- [ ] Explain why caches go cold\n";
    world.set_note_text("/notes/b.md".into(), b.into());
    check(&world);
    // Tick it in b by an edit, untick it in a by replacing the note, then remove b.
    let ticked = b.replacen("[ ]", "[x]", 1);
    world.edit_note(
        "/notes/b.md".into(),
        TextRange::new(3, 4),
        ticked.as_str().into(),
    );
    check(&world);
    world.set_note_text(
        "/notes/a.md".into(),
        "- [ ] Explain why caches go cold\n".into(),
    );
    check(&world);
    world.remove_note("/notes/b.md");
    check(&world);
    assert!(!world.outcome_ticked(world.primer.outcome_by_id("state.1").unwrap()));
}

#[test]
fn terms_are_never_found_inside_bare_urls_or_addresses() {
    let f = with_primer(
        "//- /notes/a.md\nSee https://example.org/partition/caching and www.partition.example, write to partition@example.org, and a partition.\n",
    );
    let doc = f.world.note("/notes/a.md").unwrap();
    let found = terms_in(doc);
    assert_eq!(found, ["partition"], "only the word in prose");
    let last = doc.text.as_str().rfind("partition").unwrap();
    assert_eq!(doc.occurrences[0].range().start, last);
}

#[test]
fn an_empty_link_says_so() {
    let f = with_primer("//- /notes/a.md\n---\ntitle: Mine\n---\nSee [the page]() now.\n");
    let problems = crate::ide::diagnostics(&f.world, "/notes/a.md");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].message, "Broken link: empty link target.");
    assert!(!problems[0].range.is_empty());
}

#[test]
fn a_broken_path_link_is_offered_the_nearest_note_of_its_name_with_its_anchor() {
    check_diagnostics(
        r#"//- /notes/README.md
# Course notes
//- /notes/docs/README.md
# Docs
//- /notes/labs/one/README.md
# Lab one
//- /notes/prep/README.md
# Preparing
## Command-line examples
//- /notes/docs/a/setup.md
One level off: [p](../prep/README.md#command-line-examples).
A typo in the anchor too: [q](../prep/README.md#command-line-exampels).
No folder of that name: [r](../install/README.md).
//- /notes/solo/lab-notes.md
Itself only: [s](lab-note.md).
"#,
        expect![[r#"
            /notes/docs/a/setup.md:1:20 "../prep/README.md#command-line-examples" error: Broken link: no file '../prep/README.md'. Did you mean '../../prep/README.md#command-line-examples'? [broken-link] fix=Some(Fix { title: "Replace with '../../prep/README.md#command-line-examples'", range: TextRange { start: 19, end: 58 }, text: "../../prep/README.md#command-line-examples" })
            /notes/docs/a/setup.md:2:31 "../prep/README.md#command-line-exampels" error: Broken link: no file '../prep/README.md'. Did you mean '../../prep/README.md#command-line-examples'? [broken-link] fix=Some(Fix { title: "Replace with '../../prep/README.md#command-line-examples'", range: TextRange { start: 91, end: 130 }, text: "../../prep/README.md#command-line-examples" })
            /notes/docs/a/setup.md:3:29 "../install/README.md" error: Broken link: no file '../install/README.md'. [broken-link] fix=None
            /notes/solo/lab-notes.md:1:18 "lab-note.md" error: Broken link: no file 'lab-note.md'. [broken-link] fix=None
        "#]],
    );
}

#[test]
fn completion_inserts_note_links_that_reach_the_chosen_note() {
    // Three READMEs, and a note named like the primer's section `state`: the name alone reaches
    // only the README beside the note; the others get their path, which shows the folder.
    let f = with_primer(
        "//- /notes/labs/a.md\nSee [[‸\n//- /notes/labs/README.md\n# Labs\n//- /notes/README.md\n# Course\n//- /notes/prep/README.md\n# Prep\n//- /notes/prep/state.md\n# My state notes\n//- /notes/unique-name.md\n# Unique\n",
    );
    let (path, at) = f.at();
    let items = crate::completion::completions(&f.world, path, at, false);
    let notes: Vec<String> = items
        .iter()
        .filter(|c| c.kind == crate::completion::CompletionKind::Note)
        .map(|c| format!("{} | {} | {}", c.label, c.detail, c.insert))
        .collect();
    expect![[r#"
        ../README.md | Course | ../README.md]]
        README | Labs | README]]
        ../prep/README.md | Prep | ../prep/README.md]]
        ../prep/state.md | My state notes | ../prep/state.md]]
        unique-name | Unique | unique-name]]"#]]
    .assert_eq(&notes.join("\n"));
    // Every inserted link resolves to the note its item names.
    for c in items
        .iter()
        .filter(|c| c.kind == crate::completion::CompletionKind::Note)
    {
        let link = crate::markdown::Link::to_name(
            crate::markdown::LinkKind::Wiki,
            c.insert.trim_end_matches("]]"),
            c.range,
        );
        let target = f.world.resolve(path, "", &link).target;
        let reached = match &target {
            crate::world::Target::Note { path, .. } => path.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            reached,
            c.documentation
                .trim_start_matches("Note `")
                .trim_end_matches('`'),
            "{}",
            c.insert
        );
    }
}

#[test]
fn a_definition_under_a_title_without_words_belongs_to_no_term() {
    // pulldown-cmark makes the paragraph before a `:` line the title, even when it is only
    // math; its definition must not join the entry of the list before it.
    let outline = crate::markdown::parse("Term\n: first\n\n$x$\n\n: second\n\nWord\n: third\n");
    let entries: Vec<(String, Vec<String>)> = outline
        .definitions
        .iter()
        .map(|e| {
            (
                e.term.clone(),
                e.definitions.iter().map(|d| d.0.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("Term".to_string(), vec!["first".to_string()]),
            ("Word".to_string(), vec!["third".to_string()])
        ]
    );
}

#[test]
fn terms_are_never_found_in_urls_that_markup_splits() {
    // Underscores, stars, entities and brackets inside a URL split the prose around them; the
    // URL still runs to the next space, and so does an e-mail address.
    let f = with_primer(
        "//- /notes/a.md\nA network partition: https://example.com/network_partition_guide and https://x.org/a&amp;b/idempotency*x*/circuit-breaker or www.idempotency.org/[retry]/cache?q=network_partition#circuit_breakers, mail idempotency_team@partition.org.\n",
    );
    let doc = f.world.doc("/notes/a.md").unwrap();
    let found = terms_in(doc);
    assert_eq!(found, ["network partition"]);
}

#[test]
fn prefiltered_link_searches_find_what_resolving_every_link_finds() {
    // Links in every form a name can take: ids, titles with and without their number, heading
    // ids and texts, paths with folders, percent-encoding and anchors, the introduction's
    // aliases, notes by name and path, and links that resolve nowhere.
    let links = [
        "[[state]]",
        "[[State]]",
        "[[2. State]]",
        "[[state#caching]]",
        "[[Caching]]",
        "[[circuit-breakers]]",
        "[[Network Partition]]",
        "[[network_partition]]",
        "[x](../primer/state.md#caching)",
        "[x](../primer/state%2Emd)",
        "[[_index]]",
        "[[intro]]",
        "[[index#about]]",
        "[[Why Distributed Systems?]]",
        "[[why-distributed-systems]]",
        "[[about]]",
        "[[The Primer]]",
        "[[b]]",
        "[x](b.md#part)",
        "[x](./sub/c.md)",
        "[[c#part]]",
        "[[nowhere]]",
        "[x](#part)",
        "[[#caching]]",
        "[[Scaling Out]]",
        "[[3. Scaling Out]]",
        "[[load-balancing]]",
        "[x](../primer/s3.md#load-balancing)",
    ];
    let mut notes = String::new();
    for (i, l) in links.iter().enumerate() {
        notes.push_str(&format!("//- /notes/n{i}.md\n# Part\n\nSee {l}.\n"));
    }
    notes.push_str("//- /notes/b.md\n# Part\n//- /notes/sub/c.md\n## Part\nA cache here.\n");
    notes.push_str("//- /primer/s3.md\n+++\ntitle=\"3. Scaling Out\"\n+++\n## Load balancing\n");
    let f = with_primer(&notes);
    let w = &f.world;
    let mut plain_notes: Vec<std::sync::Arc<str>>;
    for s in 0..w.primer.sections.len() {
        plain_notes = w
            .notes()
            .filter(|d| w.note_sections(&d.path).contains(&s))
            .map(|d| d.path.clone())
            .collect();
        plain_notes.sort();
        assert_eq!(w.notes_relying_on(s), &plain_notes[..], "section {s}");
    }
    // Every place a link can point at: each section, each of its headings, each note.
    let mut targets = vec![];
    for s in 0..w.primer.sections.len() {
        targets.push(crate::Target::Primer {
            section: s,
            heading: None,
        });
        for h in 0..w.primer.doc_of(s).outline.headings.len() {
            targets.push(crate::Target::Primer {
                section: s,
                heading: Some(h),
            });
        }
    }
    for d in w.notes() {
        targets.push(crate::Target::Note {
            path: d.path.clone(),
            heading: None,
        });
        targets.push(crate::Target::Note {
            path: d.path.clone(),
            heading: Some(0),
        });
    }
    let mut found_any = 0;
    for target in &targets {
        let mut plain = vec![];
        for doc in w.all_docs() {
            for link in &doc.outline.links {
                let resolved = w.resolve(&doc.path, &doc.text, link).target;
                let hits = match (&resolved, target) {
                    (
                        crate::Target::Primer {
                            section: a,
                            heading: ha,
                        },
                        crate::Target::Primer {
                            section: b,
                            heading: hb,
                        },
                    ) => a == b && (hb.is_none() || ha == hb),
                    (
                        crate::Target::Note {
                            path: a,
                            heading: ha,
                        },
                        crate::Target::Note {
                            path: b,
                            heading: hb,
                        },
                    ) => a == b && (hb.is_none() || ha == hb),
                    _ => false,
                };
                if hits {
                    plain.push(crate::FileRange {
                        path: doc.path.clone(),
                        range: link.range(),
                    });
                }
            }
        }
        found_any += plain.len();
        assert_eq!(
            crate::references::link_references(w, target, false),
            plain,
            "{target:?}"
        );
    }
    assert!(found_any > 30, "{found_any}");
}

#[test]
fn notes_relying_on_a_section_follow_every_change_and_snapshots_keep_theirs() {
    let mut f = with_primer("//- /notes/a.md\nSee [[state]].\n//- /notes/b.md\nNothing here.\n");
    let w = &mut f.world;
    let state = w.primer.section_by_id("state").unwrap();
    let names = |w: &crate::World| -> Vec<String> {
        w.notes_relying_on(state)
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    assert_eq!(names(w), ["/notes/a.md"]);
    let before = w.clone();
    // A term taught in the section, a new note with a link, a note gone, new roots.
    w.set_note_text("/notes/b.md".into(), "A circuit breaker trips.\n".into());
    assert_eq!(names(w), ["/notes/a.md", "/notes/b.md"]);
    w.set_note_text(
        "/notes/c.md".into(),
        "[x](../primer/state.md#caching)\n".into(),
    );
    assert_eq!(names(w), ["/notes/a.md", "/notes/b.md", "/notes/c.md"]);
    w.edit_note(
        "/notes/a.md".into(),
        TextRange::new(0, 14),
        "Nothing.\n".into(),
    );
    w.remove_note("/notes/b.md");
    assert_eq!(names(w), ["/notes/c.md"]);
    // The snapshot taken before the changes still answers for its own notes.
    assert_eq!(names(&before), ["/notes/a.md"]);
}

#[test]
fn compacted_notes_answer_as_the_whole_analysis_does() {
    // Notes as the server keeps those it read from disk: everything a request about another
    // note shows (previews of its headings and of itself, its checklist, its problems, the
    // outcome progress) is the same as from the full analysis.
    let notes = "//- /notes/a.md\n# Week one\n\nShort.\n\nA longer paragraph about caching and a network partition here.\n\n## Caching\n\nCaches keep a subset of data near.\n\nMore about caches.\n\n- plain item\n- another [[b]]\n\n## Learning outcomes\n\n- [x] Compare modulo hashing with consistent hashing\n- [ ] Explain why a timed-out RPC leaves the client unsure\n  - nested plain\n- [ ] something of my own\n\nSee [[b#part]] and [[state]] and [gone](nowhere.md).\n//- /notes/b.md\n# Part\n\nThe part of b, with [[a#caching]] and [[a]].\n\n1. first\n2. [x] Compare modulo hashing with consistent hashing\n";
    let full = with_primer(notes);
    let mut compact = with_primer(notes);
    for path in ["/notes/a.md", "/notes/b.md"] {
        let mut doc = (**compact.world.note(path).unwrap()).clone();
        doc.compact();
        compact.world.set_note(std::sync::Arc::new(doc));
    }
    let (a, b) = (&full.world, &compact.world);
    assert_eq!(
        format!("{:?}", crate::outcomes::progress(a)),
        format!("{:?}", crate::outcomes::progress(b))
    );
    for path in ["/notes/a.md", "/notes/b.md"] {
        assert_eq!(
            crate::ide::diagnostics(a, path),
            crate::ide::diagnostics(b, path)
        );
        let doc = a.note(path).unwrap();
        for link in &doc.outline.links {
            let at = link.range().start + 2;
            let hover = |w: &crate::World| crate::ide::hover(w, path, at).map(|h| h.markdown);
            let dest = link.dest(&doc.text);
            assert_eq!(hover(a), hover(b), "hover on {dest} in {path}");
        }
        for c in &doc.checklist {
            let at = doc.outline.items[c.item].range.start + 3;
            let item = |w: &crate::World| {
                let d = w.note(path).unwrap();
                d.checklist_item_at(at)
                    .map(|c| (c.outcome, c.checked, c.words))
            };
            assert_eq!(item(a), item(b));
        }
        let at = a
            .note("/notes/b.md")
            .unwrap()
            .text
            .as_str()
            .find("[[a#")
            .unwrap()
            + 4;
        let completions = |w: &crate::World| {
            crate::completion::completions(w, "/notes/b.md", at, true)
                .into_iter()
                .map(|c| (c.label, c.documentation))
                .collect::<Vec<_>>()
        };
        assert!(completions(a).iter().any(|(_, doc)| doc.contains("subset")));
        assert_eq!(completions(a), completions(b));
    }
}

#[test]
fn notes_in_path_order_follow_every_change_and_snapshots_keep_theirs() {
    let mut f = with_primer("//- /notes/b.md\nB.\n//- /notes/a.md\nA.\n");
    let w = &mut f.world;
    let paths = |w: &crate::World| -> Vec<String> {
        w.notes_in_order()
            .iter()
            .map(|d| d.path.to_string())
            .collect()
    };
    assert_eq!(paths(w), ["/notes/a.md", "/notes/b.md"]);
    let before = w.clone();
    w.set_note_text("/notes/0.md".into(), "Zero.\n".into());
    assert_eq!(paths(w), ["/notes/0.md", "/notes/a.md", "/notes/b.md"]);
    w.remove_note("/notes/a.md");
    w.edit_note("/notes/b.md".into(), TextRange::new(0, 2), "Bee.\n".into());
    assert_eq!(paths(w), ["/notes/0.md", "/notes/b.md"]);
    assert_eq!(w.note("/notes/b.md").unwrap().text.as_str(), "Bee.\n");
    assert_eq!(w.notes_in_order()[1].text.as_str(), "Bee.\n");
    assert_eq!(paths(&before), ["/notes/a.md", "/notes/b.md"]);
}

#[test]
fn a_snapshot_working_out_notes_after_a_change_leaves_the_changed_world_alone() {
    // A request's snapshot, taken before a change, works out the notes in order and the notes
    // relying on a section only after the change: the changed world must not see its answers.
    let mut f = with_primer("//- /notes/a.md\nSee [[state]].\n");
    let w = &mut f.world;
    let state = w.primer.section_by_id("state").unwrap();
    let snapshot = w.clone();
    w.set_note_text("/notes/b.md".into(), "And [[state]].\n".into());
    assert_eq!(snapshot.notes_in_order().len(), 1);
    assert_eq!(snapshot.notes_relying_on(state).len(), 1);
    assert_eq!(w.notes_in_order().len(), 2);
    assert_eq!(w.notes_relying_on(state).len(), 2);
}

#[test]
fn the_ambiguous_link_hint_advises_a_link_that_reaches_the_note_from_any_folder() {
    check_diagnostics(
        "//- /notes/labs/week1.md\nSee [[state]].\n//- /notes/state.md\n# Mine\n",
        expect![[r#"
            /notes/labs/week1.md:1:7 "state" hint: 'state' is a primer section and also your note 'notes/state.md'; this links the primer. Write [[../state.md]] for the note. [ambiguous-link] fix=None
        "#]],
    );
}

/// The places in the notes among `found`, as `path start..end`.
fn in_notes(found: &[crate::text::FileRange]) -> Vec<String> {
    found
        .iter()
        .filter(|r| r.path.starts_with("/notes/"))
        .map(|r| format!("{} {}..{}", r.path, r.range.start, r.range.end))
        .collect()
}

#[test]
fn the_uses_of_a_term_follow_every_change_and_snapshots_keep_theirs() {
    let mut f = with_primer(
        "//- /notes/b.md\nAn API, then the API again.\n//- /notes/a.md\nOne API.\n//- /notes/c.md\nNone.\n",
    );
    let w = &mut f.world;
    let api = w.primer.term_by_name("API").unwrap();
    let uses = |w: &crate::World| in_notes(&crate::references::term_references(w, api));
    assert_eq!(
        uses(w),
        ["/notes/a.md 4..7", "/notes/b.md 3..6", "/notes/b.md 17..20"]
    );
    let before = w.clone();
    w.set_note_text("/notes/c.md".into(), "Now an API.\n".into());
    w.remove_note("/notes/a.md");
    let edited = "API. An API, then the API again.\n";
    w.edit_note("/notes/b.md".into(), TextRange::new(0, 0), edited.into());
    assert_eq!(
        uses(w),
        [
            "/notes/b.md 0..3",
            "/notes/b.md 8..11",
            "/notes/b.md 22..25",
            "/notes/c.md 7..10"
        ]
    );
    assert_eq!(uses(&before).len(), 3);
}

#[test]
fn the_links_to_a_section_follow_every_change_and_snapshots_keep_theirs() {
    // The links' names are read from one list worked out for a state of the notes: a link
    // added before the others, a note gone, a new note and a removed link must all show.
    let mut f = with_primer(
        "//- /notes/b.md\nSee [[state]], [[other]] and [[state|it]].\n//- /notes/a.md\nOne [[State]].\n//- /notes/c.md\nNone.\n",
    );
    let w = &mut f.world;
    let state = w.primer.section_by_id("state").unwrap();
    let target = crate::Target::Primer {
        section: state,
        heading: None,
    };
    let links = |w: &crate::World| in_notes(&crate::references::link_references(w, &target, false));
    assert_eq!(
        links(w),
        [
            "/notes/a.md 4..13",
            "/notes/b.md 4..13",
            "/notes/b.md 29..41"
        ]
    );
    let before = w.clone();
    w.set_note_text("/notes/c.md".into(), "[[other]] [[state]]\n".into());
    w.remove_note("/notes/a.md");
    // A link put first, then the old first one taken out (each edit gives the whole text).
    let first = "[[state]] See [[state]], [[other]] and [[state|it]].\n";
    w.edit_note("/notes/b.md".into(), TextRange::new(0, 0), first.into());
    let second = "[[state]] See  [[other]] and [[state|it]].\n";
    w.edit_note("/notes/b.md".into(), TextRange::new(14, 24), second.into());
    assert_eq!(
        links(w),
        [
            "/notes/b.md 0..9",
            "/notes/b.md 29..41",
            "/notes/c.md 10..19"
        ]
    );
    assert_eq!(links(&before).len(), 3);
}

#[test]
fn a_mistyped_note_name_is_matched_with_the_notes_as_they_are_when_asked() {
    // The index of near names is built the first time a broken link asks, then follows the
    // notes added and removed; a snapshot taken before a change keeps the notes it had.
    let mut f = with_primer("//- /notes/a.md\nSee [[partitionin]].\n//- /notes/b.md\nB.\n");
    let suggestion = |w: &crate::World| {
        let doc = w.note("/notes/a.md").unwrap().clone();
        match w
            .resolve(&doc.path, &doc.text, &doc.outline.links[0])
            .target
        {
            crate::Target::Broken { suggestion, .. } => suggestion,
            other => panic!("not broken: {other:?}"),
        }
    };
    let add = |w: &mut crate::World, path: &str| {
        let doc = crate::Doc::note(path.into(), "Notes.\n".into(), &w.primer);
        w.set_note(std::sync::Arc::new(doc));
    };
    assert_eq!(suggestion(&f.world), None);
    // Built now: the added note is put in it.
    add(&mut f.world, "/notes/partitioning.md");
    assert_eq!(suggestion(&f.world).as_deref(), Some("partitioning"));
    assert!(f.world.remove_note("/notes/partitioning.md"));
    assert_eq!(suggestion(&f.world), None);
    // Built, then notes come in a batch (as an index joins them): built again when asked.
    let doc = crate::Doc::note(
        "/notes/x/partitioning.md".into(),
        "N.\n".into(),
        &f.world.primer,
    );
    f.world.set_notes([std::sync::Arc::new(doc)]);
    assert_eq!(suggestion(&f.world).as_deref(), Some("partitioning"));
    // Not built yet when the note comes: built later with it.
    let mut fresh = with_primer("//- /notes/a.md\nSee [[partitionin]].\n");
    let before = fresh.world.clone();
    add(&mut fresh.world, "/notes/sub/partitioning.md");
    assert_eq!(suggestion(&fresh.world).as_deref(), Some("partitioning"));
    assert_eq!(suggestion(&before), None);
    // A snapshot that builds the index first builds it from its own notes.
    let mut later = with_primer("//- /notes/a.md\nSee [[partitionin]].\n");
    let snapshot = later.world.clone();
    add(&mut later.world, "/notes/partitioning.md");
    assert_eq!(suggestion(&snapshot), None);
    assert_eq!(suggestion(&later.world).as_deref(), Some("partitioning"));
}
