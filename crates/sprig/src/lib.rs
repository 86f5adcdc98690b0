//! Sprig v3's functions, as Helm registers them, for the [`gotmpl`] engine.
//!
//! [`register`] adds every function this crate implements; [`register_with`] takes
//! [`Options`], today the seed or secret key of the random functions (`randAlphaNum`,
//! `shuffle`, `uuidv4`, bcrypt salts, keys and certificates; see [`random`]). Each module holds one of sprig's groups: [`strings`] (with [`regexp`]),
//! [`defaults`] (defaults, flow, type conversion, reflection), [`math`], [`lists`], [`dicts`],
//! [`encoding`] (encodings, hashes, random strings, paths, URLs), [`semver`], [`dates`] (UTC
//! only), [`json`] (the JSON encoders Helm leaves to sprig), [`crypto`] (password hashing
//! and derivation) and [`certs`] (private keys and X.509 certificates). [`cast`] holds the conversions sprig borrows from Go's `cast` package, which
//! most of them share.
//!
//! ```
//! let mut engine = gotmpl::Engine::with_options(gotmpl::Options::helm());
//! sprig::register(&mut engine);
//! let out = engine
//!     .render_text("t", r#"{{ "hello" | upper | quote }} {{ add 1 "2" }}"#, &gotmpl::Value::Nil)
//!     .unwrap();
//! assert_eq!(out, r#""HELLO" 3"#);
//! ```

pub mod cast;
pub mod certs;
pub mod crypto;
pub mod dates;
pub mod defaults;
pub mod dicts;
pub mod encoding;
pub mod json;
pub mod lists;
pub mod math;
pub mod random;
pub mod regexp;
pub mod semver;
pub mod strings;

use std::sync::Arc;

use gotmpl::{Engine, Error, Param, Signature, Value};

use random::{Draw, Source};

/// How the functions behave where sprig leaves a choice to the host.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Seed of the random functions, for tests. `None` (Helm's behaviour) draws fresh
    /// randomness for every call; with a seed, each call returns the same value on every run.
    pub seed: Option<u64>,
    /// Secret key of the random functions (it wins over `seed`): each call's randomness is an
    /// HMAC of its call site under this key, so a template renders the same values every time
    /// and only holders of the key can predict them. The host derives it from a secret the
    /// user keeps, never from public inputs alone.
    pub key: Option<[u8; 32]>,
}

/// Adds sprig's functions to `engine` with default [`Options`] (fresh randomness).
pub fn register(engine: &mut Engine) {
    register_with(engine, &Options::default());
}

/// Adds sprig's functions to `engine`.
pub fn register_with(engine: &mut Engine, options: &Options) {
    let rng = Source::new(options);
    let mut r = Registry { engine };
    strings::register(&mut r, &rng);
    regexp::register(&mut r);
    defaults::register(&mut r);
    math::register(&mut r);
    lists::register(&mut r);
    dicts::register(&mut r);
    encoding::register(&mut r, &rng);
    semver::register(&mut r);
    dates::register(&mut r);
    json::register(&mut r);
    crypto::register(&mut r, &rng);
    certs::register(&mut r, &rng);
    aliases(&mut r, &rng);
}

/// sprig's other names for functions above, and its few one-liners.
fn aliases(r: &mut Registry<'_>, rng: &Source) {
    r.typed("hello", &[], |_| Ok("Hello!".into()));
    r.variadic("tuple", &[], Param::Any, |a| Ok(Value::list(a.to_vec())));
    r.variadic("biggest", &[Param::Any], Param::Any, |a| {
        Ok(Value::Int64(
            a.iter().map(cast::to_int64).max().unwrap_or_default(),
        ))
    });
    r.typed("trimall", &[Param::String, Param::String], |a| {
        let cutset = s(a, 0);
        Ok(s(a, 1).trim_matches(|c| cutset.contains(c)).into())
    });
    r.typed("typeIsLike", &[Param::String, Param::Any], |a| {
        // Go compares with the type's name and its string; for template values they agree.
        Ok((s(a, 0) == a[1].type_name()).into())
    });
    r.random("randBytes", &[Param::Int], rng, |draw, a| {
        use base64::Engine as _;
        let count = usize::try_from(n(a, 0)).map_err(|_| {
            Error::new(format!(
                "Requested random length {} is less than 0.",
                n(a, 0)
            ))
        })?;
        check_len("randBytes", count as u128)?;
        let mut bytes = vec![0u8; count];
        rand::Rng::fill_bytes(draw, &mut bytes);
        Ok(base64::engine::general_purpose::STANDARD
            .encode(bytes)
            .into())
    });
}

/// Registration helpers: a function either untyped (`...interface{}`) or with Go's parameter
/// types, whose arguments the engine checks before the call as Go does.
pub(crate) struct Registry<'a> {
    engine: &'a mut Engine,
}

pub(crate) type Result = std::result::Result<Value, Error>;

impl Registry<'_> {
    /// A function whose Go parameters are the given types.
    pub(crate) fn typed(
        &mut self,
        name: &str,
        params: &[Param],
        f: impl Fn(&[Value]) -> Result + Send + Sync + 'static,
    ) {
        self.engine
            .add_function_with_signature(name, Signature::new(params), move |_, args| f(args));
    }

    /// A typed function that draws randomness: each call gets its own generator from `source`.
    pub(crate) fn random(
        &mut self,
        name: &'static str,
        params: &[Param],
        source: &Source,
        f: impl Fn(&mut Draw, &[Value]) -> Result + Send + Sync + 'static,
    ) {
        let source = source.clone();
        self.engine
            .add_function_with_signature(name, Signature::new(params), move |ctx, args| {
                f(&mut source.draw(ctx, name)?, args)
            });
    }

    /// A function with fixed parameters and a variadic tail.
    pub(crate) fn variadic(
        &mut self,
        name: &str,
        params: &[Param],
        rest: Param,
        f: impl Fn(&[Value]) -> Result + Send + Sync + 'static,
    ) {
        self.engine.add_function_with_signature(
            name,
            Signature::variadic(params, rest),
            move |_, args| f(args),
        );
    }
}

/// The longest string a function builds (`repeat`, `indent`, `randAlphaNum`, ...), so a
/// template cannot make one allocation exhaust memory; gotmpl's default output budget.
pub(crate) const MAX_STRING: usize = 256 << 20;

/// Fails when a string of `len` bytes would pass [`MAX_STRING`].
pub(crate) fn check_len(name: &str, len: u128) -> std::result::Result<(), Error> {
    if len > MAX_STRING as u128 {
        return Err(Error::new(format!(
            "{name} would build a string of {len} bytes, more than the limit of {MAX_STRING}"
        )));
    }
    Ok(())
}

/// The string argument `i`; the signature guarantees it is one.
pub(crate) fn s(args: &[Value], i: usize) -> &str {
    args[i].as_str().unwrap_or_default()
}

/// The integer argument `i`; the signature guarantees it is one.
pub(crate) fn n(args: &[Value], i: usize) -> i64 {
    args[i].as_int().unwrap_or_default()
}

/// A Go `[]string` result.
pub(crate) fn strings_value<S: Into<Arc<str>>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::list(items.into_iter().map(|s| Value::String(s.into())).collect())
}
