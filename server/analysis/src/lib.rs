//! The pure analysis core of primer-ls: Markdown files in, answers out. Nothing here knows of
//! LSP, JSON or async runtimes; positions are byte offsets, and [`line_index`] converts them for
//! the protocol edge.
//!
//! The modules, in the order data flows through them (each may use only those above it in its
//! own layer and the layers before; `server/primer-ls/tests/tidy.rs` checks it):
//!
//! **Base**: plain types and helpers.
//! - [`text`]: byte ranges, file ranges, and path and text helpers. [`bytes`]: masks of 64
//!   bytes at a time (line breaks, word bytes, bytes outside ASCII). [`source`]: a document's
//!   text, whole or only the pieces of it that a note that is not open keeps.
//! - [`problem`], [`edits`]: what the analysis reports (problems) and proposes (fixes, actions).
//! - [`slug`]: heading slugs, name folding and typo distance. [`line_index`]: offsets ⇄ (line,
//!   column). [`fuzzy`]: finding names one typo from a wanted one without trying them all.
//!
//! **Model**: files → outlines → a primer and a world of notes.
//! - [`markdown`]: one file's outline (headings, links, prose, lists, definitions), from
//!   pulldown-cmark.
//! - [`terms`]: finding the glossary's terms in prose (one Aho-Corasick pass).
//! - [`outcome_index`]: the primer's learning outcomes as words, to tell which one an item names.
//! - [`checklist`]: a note's task items, their parts, and which lists are outcome checklists.
//! - [`doc`]: one analysed file: text, line index, outline, term occurrences, checklist.
//! - [`definitions`]: definitions in running prose, the topics a heading names, everyday words.
//! - [`primer`]: the course text: sections, headings, terms, definitions, outcomes.
//! - [`note`]: analysing a note against the primer. [`reparse`]: re-analysing it after an edit.
//! - [`world`]: the primer plus every note; link resolution; what is under a cursor.
//!
//! **Shared**: [`render`], the Markdown several features show (a term's card, the hover type).
//!
//! **Features**, one module each, depending on the model and never on each other:
//! [`hover`], [`goto`], [`references`], [`completion`], [`symbols`], [`diagnostics`],
//! [`code_actions`], [`outcomes`], [`decorations`].
//!
//! **Entry points**: [`ide`] combines features where one request needs several (hover,
//! diagnostics, code actions); the server and the command line call it or a feature directly.

pub mod bytes;
pub mod edits;
pub mod fuzzy;
pub mod line_index;
pub mod problem;
pub mod slug;
pub mod source;
pub mod text;

pub mod checklist;
pub mod definitions;
pub mod doc;
pub mod markdown;
pub mod note;
pub mod outcome_index;
pub mod primer;
mod reparse;
pub mod terms;
pub mod world;

pub mod render;

pub mod code_actions;
pub mod completion;
pub mod decorations;
pub mod diagnostics;
pub mod goto;
pub mod hover;
pub mod outcomes;
pub mod references;
pub mod symbols;

pub mod ide;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

pub use doc::Doc;
pub use edits::{Action, ActionKind, Ask, Fix};
pub use line_index::{Encoding, LineCol, LineIndex};
pub use primer::{Outcome, Primer, Section, Term, TermSource};
pub use problem::{Problem, Severity};
pub use text::{file_stem, file_url, percent_encode_path, FileRange, TextRange};
pub use world::{Target, World};
