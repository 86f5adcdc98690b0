//! One kind's schema, ready to check documents: the fast structural validator
//! (`structural.rs`) when the schema allows it, and the `jsonschema` validator, compiled only
//! when a document needs it: when the fast one cannot vouch for a document (an invalid one, whose
//! messages `jsonschema` writes) or cannot read the schema at all.

use std::sync::OnceLock;

use serde_json::Value;

use crate::validate::structural::Structural;

/// Builds the whole schema document `jsonschema` compiles, `$defs` included.
type Document = Box<dyn Fn() -> Value + Send + Sync>;

pub struct KindSchema {
    fast: Option<Structural>,
    full: OnceLock<Result<jsonschema::Validator, String>>,
    document: Option<Document>,
}

impl KindSchema {
    /// A schema the fast validator reads; `document` builds it for `jsonschema` when needed.
    pub fn fast(fast: Structural, document: Document) -> KindSchema {
        KindSchema {
            fast: Some(fast),
            full: OnceLock::new(),
            document: Some(document),
        }
    }

    /// A schema only `jsonschema` reads, compiled already.
    pub fn full(validator: jsonschema::Validator) -> KindSchema {
        KindSchema {
            fast: None,
            full: OnceLock::from(Ok(validator)),
            document: None,
        }
    }

    /// `true` when the fast validator vouches for `value`; `false` says nothing.
    pub fn surely_valid(&self, value: &Value) -> bool {
        self.fast.as_ref().is_some_and(|fast| fast.is_valid(value))
    }

    /// The `jsonschema` validator, compiled on first use. A schema the fast validator read
    /// compiles (each keyword it reads was checked as the meta-schema checks it): the `Err` is
    /// there so that a gap in that promise is reported, not a panic.
    pub fn validator(&self) -> Result<&jsonschema::Validator, &str> {
        self.full
            .get_or_init(|| {
                let document = self.document.as_ref().map(|build| build());
                compile(&document.unwrap_or(Value::Bool(true))).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Whether `value` is valid, the fast way when it can.
    pub fn is_valid(&self, value: &Value) -> bool {
        self.surely_valid(value) || self.validator().is_ok_and(|full| full.is_valid(value))
    }
}

/// Compiles `schema` with `jsonschema` as bosun uses it: Draft 2020-12, formats not checked.
pub fn compile(schema: &Value) -> Result<jsonschema::Validator, jsonschema::ValidationError<'_>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(schema)
}
