//! Definitions shared between kinds and compiled on first use. A Deployment's schema reaches
//! 120 Kubernetes definitions, of which a document sets a fifth; compiling them all up front was
//! most of a small run's validation cost. Here a kind's validator starts as one node naming its
//! definition, and each definition is read and compiled when a value first meets it, once for
//! every kind that reaches it (ObjectMeta, Container, ...).
//!
//! A definition that does not compile leaves the validator unsure where it is met, so
//! `jsonschema` decides there; the bundled definitions all compile (a test holds them to it).

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::{Structural, Verdict};

/// Where a library's definitions come from: numbered `0..count`, each read by number.
pub trait Source: Send + Sync {
    /// How many definitions there are.
    fn count(&self) -> usize;
    /// The number of the definition called `name`.
    fn number(&self, name: &str) -> Option<u32>;
    /// The schema of definition `number`.
    fn schema(&self, number: u32) -> Option<Value>;
}

/// Named definitions, each compiled by whichever thread first needs it.
pub struct Library {
    source: Arc<dyn Source>,
    compiled: Box<[OnceLock<Option<Structural>>]>,
}

impl Library {
    pub fn new(source: Arc<dyn Source>) -> Library {
        let compiled = (0..source.count()).map(|_| OnceLock::new()).collect();
        Library { source, compiled }
    }

    pub(super) fn number(&self, name: &str) -> Option<u32> {
        self.source.number(name)
    }

    /// Definition `number` compiled, compiling it on first use; `None` when it does not compile.
    fn compiled(&self, number: u32) -> Option<&Structural> {
        self.compiled
            .get(number as usize)?
            .get_or_init(|| {
                let schema = self.source.schema(number)?;
                Structural::compile_in(&schema, self).ok()
            })
            .as_ref()
    }

    /// Definition `number`'s verdict on `value`.
    pub(super) fn check(&self, number: u32, value: &Value) -> Verdict {
        match self.compiled(number) {
            Some(compiled) => compiled.check(Some(self), 0, value),
            None => Verdict::Unsure,
        }
    }

    /// Whether the definition called `name` compiles here.
    pub fn compiles(&self, name: &str) -> bool {
        self.number(name)
            .is_some_and(|number| self.compiled(number).is_some())
    }
}
