//! The server's settings: from `initializationOptions` and from the client's `primer` section
//! (workspace/configuration, didChangeConfiguration).

use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `primer.path`: the course text folder; `None` uses a workspace `primer/` folder or the bundled primer.
    pub primer_path: Option<String>,
    /// `primer.diagnostics.debounceMs`: how long typing must pause before diagnostics are computed.
    pub debounce_ms: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            primer_path: None,
            debounce_ms: 200,
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
        if let Some(ms) = section
            .get("diagnostics")
            .and_then(|d| d.get("debounceMs"))
            .and_then(Value::as_u64)
        {
            self.debounce_ms = ms.min(10_000);
        }
    }
}
