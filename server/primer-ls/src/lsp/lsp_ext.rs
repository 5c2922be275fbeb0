//! The protocol's extensions that are messages of their own (docs/protocol.md describes them).

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::notification::Notification;

/// Server → client: the workspace-wide learning-outcome counts may have changed (the workspace
/// was indexed, the primer loaded, a checklist ticked); views showing them should ask again.
pub enum OutcomesChanged {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomesChangedParams {
    /// Outcomes ticked in some note.
    pub done: usize,
    /// Outcomes in the primer.
    pub total: usize,
}

impl Notification for OutcomesChanged {
    type Params = OutcomesChangedParams;
    const METHOD: &'static str = "primer/outcomesChanged";
}
