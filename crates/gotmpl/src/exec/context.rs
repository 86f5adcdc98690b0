//! The context a host function receives: the way back into the engine, so Helm's `include`
//! (execute a named template into a string) and `tpl` (parse and run text) can be built on it.

use std::sync::Arc;

use crate::Engine;
use crate::error::Error;
use crate::value::Value;

use super::Run;

/// What a host function receives besides its arguments: the way back into the engine, so
/// Helm's `include` and `tpl` can be written on top.
pub struct Context<'a, 'e> {
    pub(crate) run: &'a mut Run<'e>,
    /// The text the calling action was parsed from and the byte offset of the call in it.
    pub(crate) site: Option<(&'a str, usize)>,
}

/// Where a host function was called from, for functions whose result should depend on it
/// (seeded randomness): the same action reached again in one render is a new occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallSite {
    /// The template the render started from (`Engine::render`'s name).
    pub root: String,
    /// The text the call is in (a file's parse name, or `tpl`'s name).
    pub template: String,
    /// Byte offset of the function's name in that text.
    pub offset: usize,
    /// How many times this render reached the same call before (0 the first time).
    pub occurrence: u64,
}

impl Context<'_, '_> {
    /// Executes the template `name` with `data` as dot and returns its output (Helm's `include`).
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        let tmpl = self.run.lookup(name).ok_or_else(|| {
            Error::new(format!(
                "template: no template {name:?} associated with template {name:?}"
            ))
        })?;
        let mut out = String::new();
        if let Some(trace) = self.run.trace.as_mut() {
            trace.enter();
        }
        let result = self.run.execute(&tmpl, data.clone(), &mut out);
        if let Some(trace) = self.run.trace.as_mut() {
            trace.leave(&out, true);
        }
        result.map(|()| out)
    }

    /// Parses `text` under the name `name` and executes it with `data` (Helm's `tpl`); the
    /// templates it defines are visible while it runs.
    pub fn execute_text(&mut self, name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let engine = self.run.engine;
        let set = engine.parse_set(name, Arc::from(text))?;
        let root = set.get(name).cloned();
        self.run.overlay.push(set);
        let mut out = String::new();
        if let Some(trace) = self.run.trace.as_mut() {
            trace.enter();
        }
        let result = match root {
            Some(tmpl) => self.run.execute(&tmpl, data.clone(), &mut out),
            None => Ok(()),
        };
        if let Some(trace) = self.run.trace.as_mut() {
            trace.leave(&out, false);
        }
        self.run.overlay.pop();
        result.map(|()| out)
    }

    /// Whether a template of that name exists (engine or text parsed during this render).
    pub fn has_template(&self, name: &str) -> bool {
        self.run.lookup(name).is_some()
    }

    /// Where this function was called from, counting the occurrence; `None` outside a call.
    pub fn call_site(&mut self) -> Option<CallSite> {
        let (template, offset) = self.site?;
        let count = self
            .run
            .calls
            .entry((template.to_string(), offset))
            .or_default();
        let occurrence = *count;
        *count += 1;
        Some(CallSite {
            root: self.run.root.clone(),
            template: template.to_string(),
            offset,
            occurrence,
        })
    }

    /// The engine, for its options and functions.
    pub fn engine(&self) -> &Engine {
        self.run.engine
    }
}
