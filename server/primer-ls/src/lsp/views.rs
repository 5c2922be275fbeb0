//! What the editor draws: code lenses, inlay hints and semantic tokens.

use primer_analysis::{decorations, outcomes};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use super::commands::{COVERAGE_COMMAND, OUTCOMES_COMMAND};
use super::convert;
use super::state::{lock, Backend};

/// The semantic token legend: two custom types, then their standard fallbacks.
pub(super) const TOKEN_TYPES: [&str; 4] = ["primerTerm", "primerLink", "variable", "namespace"];

impl Backend {
    /// Semantic tokens of a document (or of one range of it), in the legend the client can use.
    pub(super) async fn tokens(
        &self,
        uri: &Url,
        range: Option<Range>,
    ) -> Result<Option<Vec<SemanticToken>>> {
        let custom = {
            let s = lock(&self.state);
            s.support.custom_token_types || s.config.custom_token_types
        };
        self.query_current(uri, move |world, doc, path, enc| {
            let within = range.map(|r| convert::text_range(doc, r, enc));
            let tokens: Vec<(primer_analysis::TextRange, u32)> =
                decorations::semantic_tokens(world, path)
                    .into_iter()
                    .filter(|(r, _)| within.is_none_or(|w| w.intersects(*r)))
                    .map(|(r, kind)| {
                        let index = match kind {
                            decorations::TokenKind::Term => 0,
                            decorations::TokenKind::PrimerLink => 1,
                        };
                        (r, if custom { index } else { index + 2 })
                    })
                    .collect();
            Some(convert::semantic_tokens(doc, &tokens, enc))
        })
        .await
    }
}

pub(super) async fn code_lens(
    b: &Backend,
    params: CodeLensParams,
) -> Result<Option<Vec<CodeLens>>> {
    b.wait_ready().await;
    let uri = params.text_document.uri.clone();
    b.query_current(&params.text_document.uri, move |world, doc, path, enc| {
        let mut lenses: Vec<CodeLens> = outcomes::checklist_lenses(world, path)
            .into_iter()
            .map(|(range, title)| CodeLens {
                range: convert::range(doc, range, enc),
                command: Some(Command {
                    title,
                    command: OUTCOMES_COMMAND.into(),
                    arguments: Some(vec![serde_json::json!({
                        "textDocument": {"uri": uri.clone()}
                    })]),
                }),
                data: None,
            })
            .collect();
        if world.note(path).is_none() {
            if let Some(section) = world.primer.section_by_path(path) {
                let n = world.notes_relying_on(section).len();
                let at = doc
                    .outline
                    .headings
                    .first()
                    .map_or(primer_analysis::TextRange::empty(0), |h| h.text_range());
                lenses.push(CodeLens {
                    range: convert::range(doc, at, enc),
                    command: Some(Command {
                        title: format!("Used by {n} note{}", if n == 1 { "" } else { "s" }),
                        command: COVERAGE_COMMAND.into(),
                        arguments: None,
                    }),
                    data: None,
                });
            }
        }
        Some(lenses)
    })
    .await
}

pub(super) async fn inlay_hint(
    b: &Backend,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    b.wait_ready().await;
    if !lock(&b.state).config.inlay_hints {
        return Ok(Some(vec![]));
    }
    b.query_current(&params.text_document.uri, move |world, doc, path, enc| {
        let range = convert::text_range(doc, params.range, enc);
        let hints = decorations::inlay_hints(world, path, range)
            .into_iter()
            .map(|h| InlayHint {
                position: convert::position(doc, h.offset, enc),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect();
        Some(hints)
    })
    .await
}

pub(super) async fn semantic_tokens_full(
    b: &Backend,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    b.wait_ready().await;
    let tokens = b.tokens(&params.text_document.uri, None).await?;
    Ok(tokens.map(|data| {
        SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        })
    }))
}

pub(super) async fn semantic_tokens_range(
    b: &Backend,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    b.wait_ready().await;
    let tokens = b
        .tokens(&params.text_document.uri, Some(params.range))
        .await?;
    Ok(tokens.map(|data| {
        SemanticTokensRangeResult::Tokens(SemanticTokens {
            result_id: None,
            data,
        })
    }))
}
