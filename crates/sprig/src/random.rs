//! Where the random functions (`randAlphaNum` and friends, `randInt`, `randBytes`, `uuidv4`,
//! `shuffle`, bcrypt salts, AES IVs, keys, certificate serials) get their randomness: one
//! ChaCha20 generator per call. By default it is seeded from the operating system, so every
//! call draws fresh values as Helm's do. With a key ([`crate::Options::key`]) the seed is an
//! HMAC-SHA256 of the call site under that key, so the same call in the same template returns
//! the same value on every render, and nobody without the key can predict it.

use std::sync::atomic::{AtomicU64, Ordering};

use chacha20::ChaCha20Rng;
use gotmpl::{Context, Error};
use hmac::Mac;
use rand::SeedableRng;
use sha2::Digest;

use crate::Options;

/// The generator one call draws from.
pub(crate) type Draw = ChaCha20Rng;

/// The random source the random functions share (cheap to clone).
#[derive(Clone)]
pub(crate) struct Source {
    key: Option<[u8; 32]>,
    /// Numbers the calls that report no call site, so two of them never share a seed.
    anonymous: std::sync::Arc<AtomicU64>,
}

impl Source {
    pub(crate) fn new(options: &Options) -> Source {
        let key = options.key.or_else(|| {
            options.seed.map(|seed| {
                let mut hash = sha2::Sha256::new();
                hash.update(b"sprig seed ");
                hash.update(seed.to_le_bytes());
                hash.finalize().into()
            })
        });
        Source {
            key,
            anonymous: Default::default(),
        }
    }

    /// The generator for one call of `function`, from where the template called it.
    pub(crate) fn draw(&self, ctx: &mut Context<'_, '_>, function: &str) -> Result<Draw, Error> {
        let Some(key) = &self.key else {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| {
                Error::new(format!(
                    "{function}: the system's random source failed: {e}"
                ))
            })?;
            return Ok(ChaCha20Rng::from_seed(seed));
        };
        let mut mac =
            <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
        // Each part is length-prefixed, so no two different call sites give the same message.
        let mut part = |bytes: &[u8]| {
            mac.update(&(bytes.len() as u64).to_be_bytes());
            mac.update(bytes);
        };
        part(b"sprig call site v1");
        part(function.as_bytes());
        match ctx.call_site() {
            Some(site) => {
                part(site.root.as_bytes());
                part(site.template.as_bytes());
                part(&(site.offset as u64).to_be_bytes());
                part(&site.occurrence.to_be_bytes());
            }
            None => part(&self.anonymous.fetch_add(1, Ordering::Relaxed).to_be_bytes()),
        }
        Ok(ChaCha20Rng::from_seed(mac.finalize().into_bytes().into()))
    }

    /// Whether calls return the same values on every render.
    pub(crate) fn is_reproducible(&self) -> bool {
        self.key.is_some()
    }
}
