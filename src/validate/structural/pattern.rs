//! `pattern`'s matcher, a `jsonschema` validator so that it matches as `jsonschema` does, built
//! once a run for each pattern text: CRDs repeat a few patterns (Kubernetes quantities, names)
//! hundreds of times, and each build is a whole `jsonschema` validator.
//!
//! A schema from a user is checked as it compiles: a pattern that does not build makes the
//! schema not compile. The schemas bosun ships hold patterns known to build (a test holds them to
//! it), so theirs are built only when a string first meets them, and most never are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// One pattern text and its matcher, built on first use; `None` when it does not build.
pub struct Pattern {
    text: Box<str>,
    built: OnceLock<Option<jsonschema::Validator>>,
}

impl Pattern {
    /// The shared pattern for `text`. `checked`: built now, and `Err` when it does not build.
    pub fn get(text: &str, checked: bool) -> Result<Arc<Pattern>, String> {
        static KNOWN: OnceLock<Mutex<HashMap<Box<str>, Arc<Pattern>>>> = OnceLock::new();
        let pattern = {
            let mut known = match KNOWN.get_or_init(Default::default).lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            Arc::clone(known.entry(text.into()).or_insert_with(|| {
                Arc::new(Pattern {
                    text: text.into(),
                    built: OnceLock::new(),
                })
            }))
        };
        if checked && pattern.matcher().is_none() {
            // Built again for its message: a broken pattern is a broken schema, rare.
            if let Err(e) = build(text) {
                return Err(format!("pattern {text:?}: {e}"));
            }
        }
        Ok(pattern)
    }

    /// The matcher, built on first use.
    fn matcher(&self) -> Option<&jsonschema::Validator> {
        self.built.get_or_init(|| build(&self.text).ok()).as_ref()
    }

    /// Whether the string `value` matches; `None` when the pattern does not build.
    pub fn matches(&self, value: &Value) -> Option<bool> {
        self.matcher().map(|matcher| matcher.is_valid(value))
    }
}

fn build(text: &str) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(&serde_json::json!({ "pattern": text }))
        .map_err(|e| e.to_string())
}
