//! Answers that can be large, written straight to bytes.
//!
//! tower-lsp turns every answer into a `serde_json::Value` tree before it is written: for the
//! 20,000 locations of a common term that is most of the time spent (a map per object, freed
//! again right after). The transport hands these requests here instead, once the client is
//! initialized and until shutdown (tower-lsp keeps answering the protocol's state errors), and
//! the answer is serialized from the protocol types in one pass. The handlers are the same ones
//! tower-lsp would call, so the answers are equal (`json_out`'s `direct_answers_equal_the_value_path`).

use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::Value;
use tower_lsp::lsp_types::ReferenceParams;

use super::json_out::raw_body;
use super::navigation;
use super::state::Backend;

impl Backend {
    /// The answer (a whole JSON-RPC response body, in pieces) to a request of one of [`METHODS`], or
    /// `None` for any other request or params that do not parse (tower-lsp answers those).
    pub(super) fn direct(
        &self,
        method: &str,
        message: &Value,
    ) -> Option<BoxFuture<'static, Vec<Vec<u8>>>> {
        let id = message.get("id")?.clone();
        let params = message.get("params")?.clone();
        let b = self.clone();
        match method {
            "textDocument/references" => {
                let params: ReferenceParams = serde_json::from_value(params).ok()?;
                Some(
                    async move { raw_body(&id, navigation::references_json(&b, params).await) }
                        .boxed(),
                )
            }
            _ => None,
        }
    }
}
