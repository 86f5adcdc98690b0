//! What the random and key tests share: an engine with sprig registered, keyed or not.

use gotmpl::{Engine, Options};

/// An engine with Helm's options and sprig's functions; with `key`, the random functions and
/// key generators answer the same for the same call site on every render.
pub fn engine(key: Option<[u8; 32]>) -> Engine {
    let mut engine = Engine::with_options(Options::helm());
    sprig::register_with(
        &mut engine,
        &sprig::Options {
            key,
            ..Default::default()
        },
    );
    engine
}
