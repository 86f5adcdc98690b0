//! placeholder
use crate::{Registry, Rng};
pub(crate) fn register(_r: &mut Registry<'_>, _rng: &Rng) {}
