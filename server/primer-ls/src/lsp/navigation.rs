//! Navigation requests: hover, go to definition, find references, document and workspace
//! symbols. Each converts the position in, asks the analysis on a snapshot, converts the answer out.

use primer_analysis::{goto, ide, references, symbols, Encoding};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use super::convert::{self, path_of};
use super::state::{lock, Backend, KeptReferences, KEPT_REFERENCES_BYTES};

pub(super) async fn hover(b: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    b.wait_ready().await;
    let p = params.text_document_position_params;
    b.query(&p.text_document.uri, move |world, doc, path, enc| {
        let h = ide::hover(world, path, convert::offset(doc, p.position, enc))?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(convert::range(doc, h.range, enc)),
        })
    })
    .await
}

pub(super) async fn goto_definition(
    b: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    b.wait_ready().await;
    let p = params.text_document_position_params;
    let path = path_of(&p.text_document.uri);
    b.analyse_at(path, move |b, world, path, enc| {
        let doc = world.doc(path)?;
        let found = goto::goto_definition(world, path, convert::offset(doc, p.position, enc))?;
        b.location_of(world, &found, enc)
            .map(GotoDefinitionResponse::Scalar)
    })
    .await
}

pub(super) async fn references(
    b: &Backend,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    b.wait_ready().await;
    let p = params.text_document_position;
    let path = path_of(&p.text_document.uri);
    let include = params.context.include_declaration;
    b.analyse_at(path, move |b, world, path, enc| {
        let places = reference_places(world, path, p.position, include, enc)?;
        Some(b.locations(&places, enc))
    })
    .await
}

/// [`references`] as the bytes of its JSON answer (`null` or the array of locations), written
/// without building the locations (for the transport's direct path). It takes the note asked in
/// as [`references`] does (read again when its file changed unannounced).
pub(super) async fn references_json(b: &Backend, params: ReferenceParams) -> Result<Vec<Vec<u8>>> {
    b.wait_ready().await;
    let p = params.text_document_position;
    let path = path_of(&p.text_document.uri);
    let include = params.context.include_declaration;
    let json = b
        .analyse(move |b, world, enc| {
            let asked = KeptReferences {
                revision: world.revision(),
                path,
                position: p.position,
                include,
                enc,
                json: vec![],
            };
            // (When its file changed since it was read, `analyse` has it read again.)
            let world = world.with_whole(&asked.path)?;
            if let Some(kept) = lock(&b.references).as_ref().filter(|k| k.answers(&asked)) {
                return Some(kept.json.clone());
            }
            let places = reference_places(&world, &asked.path, p.position, include, enc)?;
            let json = b.locations_json(&places, enc);
            if json.iter().map(Vec::len).sum::<usize>() <= KEPT_REFERENCES_BYTES {
                *lock(&b.references) = Some(KeptReferences {
                    json: json.clone(),
                    ..asked
                });
            }
            Some(json)
        })
        .await?;
    Ok(json.unwrap_or_else(|| vec![b"null".to_vec()]))
}

fn reference_places<'w>(
    world: &'w primer_analysis::World,
    path: &str,
    position: Position,
    include: bool,
    enc: Encoding,
) -> Option<Vec<references::Place<'w>>> {
    let doc = world.doc(path)?;
    let at = convert::offset(doc, position, enc);
    Some(references::reference_places(world, path, at, include))
}

pub(super) async fn document_symbol(
    b: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    b.wait_ready().await;
    b.query_current(&params.text_document.uri, |world, doc, path, enc| {
        #[allow(deprecated)]
        fn convert_all(
            doc: &primer_analysis::Doc,
            syms: Vec<symbols::DocumentSymbol>,
            enc: Encoding,
        ) -> Vec<DocumentSymbol> {
            syms.into_iter()
                .map(|s| DocumentSymbol {
                    name: if s.name.is_empty() {
                        "(untitled)".into()
                    } else {
                        s.name
                    },
                    detail: Some(format!("H{}", s.level)),
                    kind: SymbolKind::STRING,
                    tags: None,
                    deprecated: None,
                    range: convert::range(doc, s.range, enc),
                    selection_range: convert::range(doc, s.selection, enc),
                    children: Some(convert_all(doc, s.children, enc)),
                })
                .collect()
        }
        Some(DocumentSymbolResponse::Nested(convert_all(
            doc,
            symbols::document_symbols(world, path),
            enc,
        )))
    })
    .await
}

pub(super) async fn symbol(
    b: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<Vec<SymbolInformation>>> {
    b.wait_ready().await;
    b.analyse(move |b, world, enc| {
        let found = symbols::workspace_symbols(world, &params.query);
        #[allow(deprecated)]
        let out = found
            .into_iter()
            .filter_map(|s| {
                Some(SymbolInformation {
                    name: s.name,
                    kind: match s.kind {
                        symbols::SymbolKind::Section => SymbolKind::MODULE,
                        symbols::SymbolKind::Heading => SymbolKind::STRING,
                        symbols::SymbolKind::Term => SymbolKind::KEY,
                        symbols::SymbolKind::Note => SymbolKind::FILE,
                    },
                    tags: None,
                    deprecated: None,
                    location: b.location_of(world, &s.location, enc)?,
                    container_name: s.container,
                })
            })
            .collect();
        Some(out)
    })
    .await
}
