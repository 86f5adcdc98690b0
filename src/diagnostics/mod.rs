//! What every report a person reads is made of: a [`SourceSnippet`] pointing into a file (drawn
//! with a caret), the [`Origin`] of a value, where a finding's field came from ([`FieldOrigin`]:
//! template line and values line), a [`did_you_mean`] suggestion, and the terminal's
//! [`color`]s. [`crate::error::Error`] and the validation and lint reports build on these.

pub mod color;
mod origin;
mod snippet;
mod source_map;
mod suggest;

/// One problem among many in a report (a document's violation, a values-schema violation):
/// what it is, where, and what to do about it (a help line, then notes, one a line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub title: String,
    pub snippet: Option<Box<SourceSnippet>>,
    /// Where it came from (`template: FILE:LINE`, `value: FILE:LINE`), one a line.
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Finding {
    /// The parts a report draws: title, snippet, notes, help.
    pub fn block(&self) -> (String, Option<&SourceSnippet>, &[String], Option<&str>) {
        (
            self.title.clone(),
            self.snippet.as_deref(),
            &self.notes,
            self.help.as_deref(),
        )
    }
}

pub use origin::Origin;
pub use snippet::SourceSnippet;
pub use source_map::{Field, FieldOrigin, Leaves, TemplateLine, value_source};
pub use suggest::did_you_mean;
