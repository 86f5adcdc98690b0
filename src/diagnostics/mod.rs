//! What every report a person reads is made of: a [`SourceSnippet`] pointing into a file (drawn
//! with a caret), the [`Origin`] of a value, a [`did_you_mean`] suggestion, and the terminal's
//! [`color`]s. [`crate::error::Error`] and the validation and lint reports build on these.

pub mod color;
mod origin;
mod snippet;
mod suggest;

pub use origin::Origin;
pub use snippet::SourceSnippet;
pub use suggest::did_you_mean;
