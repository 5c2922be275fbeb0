//! The server's settings: from `initializationOptions` and from the client's `primer` section
//! (workspace/configuration, didChangeConfiguration).

use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `primer.path`: the course text folder; `None` uses a workspace `primer/` folder or the bundled primer.
    pub primer_path: Option<String>,
    /// `primer.diagnostics.debounceMs`: how long typing must pause before diagnostics are computed.
    pub debounce_ms: u64,
    /// `primer.inlayHints.enabled`: show where each term is taught after its first mention.
    pub inlay_hints: bool,
    /// `primer.semanticTokens.customTypes`: use `primerTerm`/`primerLink` token types.
    pub custom_token_types: bool,
    /// `primer.glossary`: the glossary that supplements a course text without one (`"none"` for
    /// none, a file's path, or the bundled glossary by default).
    pub glossary: crate::primer_source::Supplement,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            primer_path: None,
            debounce_ms: 200,
            inlay_hints: false,
            custom_token_types: false,
            glossary: Default::default(),
        }
    }
}

impl Config {
    /// Reads settings from `{"primer": {...}}` (initializationOptions, didChangeConfiguration) or
    /// from the `primer` section itself (workspace/configuration); missing keys keep their value.
    pub fn update(&mut self, value: &Value) {
        let section = value.get("primer").unwrap_or(value);
        if let Some(path) = section.get("path") {
            self.primer_path = path
                .as_str()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string);
        }
        if let Some(g) = section.get("glossary") {
            self.glossary = crate::primer_source::Supplement::from_setting(g.as_str());
        }
        if let Some(ms) = section
            .get("diagnostics")
            .and_then(|d| d.get("debounceMs"))
            .and_then(Value::as_u64)
        {
            self.debounce_ms = ms.min(10_000);
        }
        if let Some(on) = section
            .get("inlayHints")
            .and_then(|h| h.get("enabled"))
            .and_then(Value::as_bool)
        {
            self.inlay_hints = on;
        }
        if let Some(on) = section
            .get("semanticTokens")
            .and_then(|t| t.get("customTypes"))
            .and_then(Value::as_bool)
        {
            self.custom_token_types = on;
        }
    }
}
