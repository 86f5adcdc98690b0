//! The record of the last render: what `bosun render` wrote, per environment, namespace and
//! release (as Helm identifies a release), kept in a state folder (`<chart>/.bosun/` unless
//! `--state-dir` or `BOSUN_STATE_DIR` says otherwise) so that `bosun diff` can show what a change
//! does. Each record is the rendered stream itself, readable in a pull request, written through a
//! temporary file renamed into place: a render that fails or is killed leaves the previous record
//! as it was.
//!
//! Records are meant to be committed, so a Secret's values never enter one: each is replaced by
//! a keyed digest ([`seal`]) whose key lives outside the repository ([`SecretKey`]), or, with no
//! key, by a marker that says only that the key is present.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::error::Error;
use crate::manifest::{self, Document};
use crate::output;
use crate::unchanged;
use crate::yaml;

/// The state folder's default name, inside the chart folder.
pub const DEFAULT_DIR: &str = ".bosun";

/// Where the record of one (environment, namespace, release) lives.
pub fn record_path(
    state_dir: &Path,
    environment: Option<&str>,
    namespace: &str,
    release: &str,
) -> PathBuf {
    state_dir
        .join(environment.unwrap_or("_no-env"))
        .join(namespace)
        .join(format!("{release}.yaml"))
}

/// A record an earlier bosun wrote (without the namespace in its path) that holds a Secret, whose
/// values it kept in plain text; `None` when there is no such file.
pub fn legacy_record(
    state_dir: &Path,
    environment: Option<&str>,
    release: &str,
) -> Option<PathBuf> {
    let path = state_dir
        .join(environment.unwrap_or("_no-env"))
        .join(format!("{release}.yaml"));
    let text = std::fs::read_to_string(&path).ok()?;
    text.lines()
        .any(|line| line == "kind: Secret")
        .then_some(path)
}

/// A namespace (an RFC 1123 label, as Kubernetes takes), or a release name: letters, digits,
/// `-`, `_` and `.`, starting with a letter or digit. Neither can name a path out of the folder.
pub fn check_name(what: &'static str, name: &str, max: usize, release: bool) -> Result<(), Error> {
    let allowed = |b: u8| {
        if release {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
        } else {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
        }
    };
    let ok = name.len() <= max
        && name.bytes().all(allowed)
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && (release || !name.ends_with('-'));
    if ok {
        Ok(())
    } else {
        Err(Error::ReleaseName {
            what,
            name: name.to_string(),
            max,
        })
    }
}

/// The state folder: `--state-dir` (or `BOSUN_STATE_DIR`), else `<chart>/.bosun`.
pub fn state_dir(flag: Option<&Path>, chart_dir: &Path) -> PathBuf {
    flag.map_or_else(|| chart_dir.join(DEFAULT_DIR), Path::to_path_buf)
}

/// Writes the record atomically, each Secret [sealed](seal) with `key`. Only the Secrets are
/// copied (to seal them); the other documents are written from where they are.
pub fn save(path: &Path, documents: &[&Document], key: Option<&SecretKey>) -> Result<(), Error> {
    prepare(path, documents.iter().copied(), key)?.map_or(Ok(()), output::Pending::put_in_place)
}

/// [`save`], all but the last step: the record written under a temporary name beside `path`,
/// put in place by [`output::Pending::put_in_place`] (or thrown away when dropped); `None` when
/// the record at `path` already holds exactly these documents, and is left as it is.
pub fn prepare<'a>(
    path: &Path,
    documents: impl Iterator<Item = &'a Document> + Clone,
    key: Option<&SecretKey>,
) -> Result<Option<output::Pending>, Error> {
    // Only the sealed copies are kept: a list of all 18,000 documents, in memory the process
    // had not touched yet, cost more than writing them (the kernel zeroes each fresh page).
    let sealed: Vec<(usize, Document)> = documents
        .clone()
        .enumerate()
        .filter_map(|(at, document)| match sealed(document, key) {
            Cow::Owned(copy) => Some((at, copy)),
            Cow::Borrowed(_) => None,
        })
        .collect();
    let write = |out: &mut dyn std::io::Write| {
        let mut copies = sealed.iter().peekable();
        let recorded = documents.clone().enumerate().map(|(at, document)| {
            copies
                .next_if(|(copied, _)| *copied == at)
                .map_or(document, |(_, copy)| copy)
        });
        output::write_yaml(recorded, out)
    };
    if unchanged::holds(path, write) {
        return Ok(None);
    }
    output::Pending::write(path, write).map(Some)
}

/// Reads a record, `None` when there is none yet. The record is bosun's own canonical YAML, so
/// each document's text is kept as written and only its identity is parsed.
pub fn load(path: &Path) -> Result<Option<Vec<Document>>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let shown = crate::paths::shown(path);
    let parts = manifest::split(&text);
    let documents: Vec<Result<Document, Error>> = parts
        .par_iter()
        .with_min_len(32)
        .map(|&(first_line, part)| {
            let (source, body) = match part.strip_prefix("# Source: ") {
                Some(rest) => rest.split_once('\n').unwrap_or((rest, "")),
                None => (shown.as_str(), part),
            };
            // The body starts on the line after `# Source:`.
            let value = yaml::parse_value(body)
                .map_err(|e| e.into_error_in(&shown, &text, first_line + 1))?;
            Ok(Document::from_canonical(
                source.to_string(),
                &value,
                body.to_string(),
            ))
        })
        .collect();
    documents
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The environment variable that holds the key sealing Secret values in records.
pub const KEY_VARIABLE: &str = "BOSUN_SECRET_KEY";

/// The shortest key accepted: a short key could be guessed along with a short password.
const MIN_KEY_LEN: usize = 16;

/// What a Secret value becomes in a record written without a key.
pub const UNKEYED: &str = "present (recorded without a key)";

/// The prefix of a sealed value: `hmac-sha256:<key id>:<digest>`.
const SEALED_PREFIX: &str = "hmac-sha256:";

/// The key that seals Secret values: `BOSUN_SECRET_KEY`, else the file `bosun/secret-key` in the
/// user's config folder (`$XDG_CONFIG_HOME`, else `~/.config`). Both stay out of the
/// repository, so a committed record cannot be checked against guessed passwords offline.
pub struct SecretKey {
    bytes: Vec<u8>,
    /// A short digest naming the key, so a record sealed with another key is told apart.
    pub id: String,
    /// Where the key came from, for messages.
    pub origin: String,
}

impl SecretKey {
    fn new(bytes: Vec<u8>, origin: String) -> Result<SecretKey, Error> {
        if bytes.len() < MIN_KEY_LEN {
            return Err(Error::Read {
                path: origin.into(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the secret key is {} bytes; use at least {MIN_KEY_LEN} random bytes, such as `openssl rand -hex 32`",
                        bytes.len()
                    ),
                ),
            });
        }
        let mut key = SecretKey {
            bytes,
            id: String::new(),
            origin,
        };
        key.id = key.digest(b"bosun secret key id")[..8].to_string();
        Ok(key)
    }

    /// The key from the environment or the user's key file, `None` when neither is set.
    pub fn find() -> Result<Option<SecretKey>, Error> {
        if let Some(text) = std::env::var_os(KEY_VARIABLE).filter(|t| !t.is_empty()) {
            let bytes = text.into_encoded_bytes();
            return SecretKey::new(bytes, KEY_VARIABLE.to_string()).map(Some);
        }
        let Some(path) = key_file() else {
            return Ok(None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => SecretKey::new(text.trim().as_bytes().to_vec(), crate::paths::shown(&path))
                .map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Read { path, source }),
        }
    }

    /// HMAC-SHA256 of `message`, in hex.
    fn digest(&self, message: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.bytes).expect("HMAC takes any key");
        mac.update(message);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The sealed form of one value of a Secret's `field` (`data` or `stringData`) under `name`.
    pub fn seal_value(&self, field: &str, name: &str, value: &str) -> String {
        let message = [
            field.as_bytes(),
            b"\0",
            name.as_bytes(),
            b"\0",
            value.as_bytes(),
        ]
        .concat();
        format!(
            "{SEALED_PREFIX}{}:{}",
            self.id,
            &self.digest(&message)[..32]
        )
    }
}

/// `bosun/secret-key` in the user's config folder.
pub fn key_file() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(config.join("bosun").join("secret-key"))
}

/// How a value read back from a record stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded<'a> {
    /// Sealed with the key whose id is given.
    Sealed { key_id: &'a str },
    /// Recorded without a key: only its presence is known.
    Unkeyed,
    /// A plain value (manifests that are not a record).
    Plain,
}

/// What a Secret value taken from a record (or any manifests) is.
pub fn recorded(value: &str) -> Recorded<'_> {
    if value == UNKEYED {
        return Recorded::Unkeyed;
    }
    match value
        .strip_prefix(SEALED_PREFIX)
        .and_then(|rest| rest.split_once(':'))
    {
        Some((key_id, digest))
            if digest.len() == 32 && digest.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Recorded::Sealed { key_id }
        }
        _ => Recorded::Plain,
    }
}

/// Whether a document is a Secret, or a `List` that holds one, judged by its parsed kind.
pub fn is_secret(document: &Document) -> bool {
    document.resource.kind == "Secret"
        || (document.resource.kind.ends_with("List")
            && document.value()["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|item| item["kind"] == "Secret")))
}

/// The document as it is recorded: a Secret's `data` and `stringData` values (a List's
/// Secrets' too) each replaced by a keyed digest, or by [`UNKEYED`] without a key. Values
/// already sealed stay as they are; every other document is unchanged.
pub fn seal(document: &Document, key: Option<&SecretKey>) -> Document {
    sealed(document, key).into_owned()
}

/// [`seal`], borrowing the documents it leaves unchanged.
fn sealed<'a>(document: &'a Document, key: Option<&SecretKey>) -> Cow<'a, Document> {
    if !is_secret(document) {
        return Cow::Borrowed(document);
    }
    let mut value = document.value();
    if value["kind"] == "Secret" {
        seal_values(&mut value, key);
    } else if let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) {
        for item in items.iter_mut().filter(|item| item["kind"] == "Secret") {
            seal_values(item, key);
        }
    }
    Cow::Owned(Document::new(document.source.clone(), &value))
}

fn seal_values(secret: &mut Value, key: Option<&SecretKey>) {
    for field in ["data", "stringData"] {
        let Some(map) = secret.get_mut(field).and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, value) in map.iter_mut() {
            if value
                .as_str()
                .is_some_and(|v| recorded(v) != Recorded::Plain)
            {
                continue;
            }
            *value = Value::String(match key {
                Some(key) => key.seal_value(field, name, &plain_text(value)),
                None => UNKEYED.to_string(),
            });
        }
    }
}

/// A Secret value as the text it stands for (`null` and numbers as written).
pub fn plain_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(text: &str) -> SecretKey {
        SecretKey::new(text.as_bytes().to_vec(), "test".into()).unwrap()
    }

    #[test]
    fn a_sealed_secret_keeps_no_value_and_depends_on_the_key() {
        let secret = Document::new(
            "t".into(),
            &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                "stringData": {"password": "hunter2"}, "data": {"token": "aHVudGVyMg=="}}),
        );
        let one = seal(&secret, Some(&key("0123456789abcdef-one")));
        let two = seal(&secret, Some(&key("0123456789abcdef-two")));
        for sealed in [&one, &two] {
            assert!(!sealed.yaml.contains("hunter2"), "{}", sealed.yaml);
            assert!(!sealed.yaml.contains("aHVudGVyMg"), "{}", sealed.yaml);
        }
        assert_ne!(one.yaml, two.yaml, "the digest depends on the key");
        let sealed = one.value()["stringData"]["password"].clone();
        assert!(matches!(
            recorded(sealed.as_str().unwrap()),
            Recorded::Sealed { .. }
        ));
        let unkeyed = seal(&secret, None);
        assert_eq!(unkeyed.value()["data"]["token"], json!(UNKEYED));
    }

    #[test]
    fn a_short_key_is_refused() {
        assert!(SecretKey::new(b"short".to_vec(), "test".into()).is_err());
    }
}
