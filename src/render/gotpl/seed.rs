//! The secret seed that makes Helm charts' random functions reproducible: from
//! `--random-seed-file PATH` or the environment variable `BOSUN_RANDOM_SEED`. Without one,
//! `randAlphaNum`, `genCA` and the others draw fresh values on every render, as Helm's do.
//! With one, each release gets a key (an HMAC of its name, namespace and chart under the
//! seed) and each call's randomness is derived from that key and the call site (see the
//! `sprig` crate's `random` module), so the same render gives the same passwords, keys and
//! certificates, and a different release or seed gives different ones. The seed is never
//! printed and never derived from the chart: a predictable password is no password.

use std::fmt;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::Error;

/// The environment variable that holds the seed itself.
const SEED_VARIABLE: &str = "BOSUN_RANDOM_SEED";

/// The shortest seed accepted: a short one could be guessed, and every password with it.
const MIN_SEED_LEN: usize = 16;

/// A secret seed for the random functions.
#[derive(Clone)]
pub struct RandomSeed {
    bytes: Vec<u8>,
}

/// Shows that a seed is set, never the seed.
impl fmt::Debug for RandomSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RandomSeed(<hidden>)")
    }
}

impl RandomSeed {
    /// The seed from `file` when given, else from `BOSUN_RANDOM_SEED`; `None` when neither is
    /// set. An empty or short seed is an error, naming where it came from.
    pub fn find(file: Option<&Path>) -> Result<Option<RandomSeed>, Error> {
        if let Some(path) = file {
            let text = std::fs::read(path).map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let text = String::from_utf8_lossy(&text);
            return RandomSeed::new(text.trim().as_bytes(), &crate::paths::shown(path)).map(Some);
        }
        match std::env::var_os(SEED_VARIABLE) {
            Some(text) => RandomSeed::new(text.as_encoded_bytes(), SEED_VARIABLE).map(Some),
            None => Ok(None),
        }
    }

    fn new(bytes: &[u8], origin: &str) -> Result<RandomSeed, Error> {
        if bytes.len() < MIN_SEED_LEN {
            return Err(Error::Read {
                path: origin.into(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the random seed is {} bytes; use at least {MIN_SEED_LEN} random bytes kept out of the repository, such as `openssl rand -hex 32`",
                        bytes.len()
                    ),
                ),
            });
        }
        Ok(RandomSeed {
            bytes: bytes.to_vec(),
        })
    }

    /// The key of one release's random functions.
    pub fn release_key(&self, release: &str, namespace: &str, chart: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.bytes).expect("HMAC takes any key");
        for part in ["bosun random seed v1", release, namespace, chart] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().into()
    }
}
