//! A text parsed apart from the engine that will hold it ([`Engine::parse_source`]), so that a
//! host can parse many texts on many threads, or a text shared under several names once (each
//! of a Helm chart's subcharts carries its own copy of Bitnami's `common`), and add them in its
//! own order ([`Engine::add_parsed`]).
//!
//! [`Engine::parse_source`]: crate::Engine::parse_source
//! [`Engine::add_parsed`]: crate::Engine::add_parsed

use std::sync::Arc;

use crate::ast::List;

/// A parsed text: its body and the templates it defines, in the parser's order. Adding it
/// under another name than it was parsed under is exact for the same text: a parse depends only
/// on the text and the engine's functions and limits, never on the name, but for the name its
/// errors give.
#[derive(Clone)]
pub struct ParsedText {
    pub(crate) text: Arc<str>,
    pub(crate) root: Arc<List>,
    pub(crate) defines: Vec<(String, Arc<List>)>,
}

impl ParsedText {
    /// The text that was parsed.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }
}
