//! A chart's CRD files (the `crds/` of the chart and of its subcharts), read only when a
//! rendered document needs a schema Kubernetes does not have, as `helm template`, which never
//! reads them, would not be slowed by them (kuberay's are 3 MB of YAML, kube-prometheus' 4 MB).
//!
//! For a document of kind `K`, the files that may declare `K` are read: those where `K` is the
//! value of a `kind` key (`kind: K`, `"kind": "K"`, `{kind: K}`), which a CRD's `names` holds.
//! When none of them declares it after all, every file is read. Each file is read once, by
//! whichever thread needs it first; several are read on two threads. The schema for a kind is
//! that of the last file, in the order the chart lists them, that declares it.

use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::error::Error;
use crate::validate::catalog;
use crate::validate::schema::{CrdKey, CrdSchema};

/// The chart's CRD files, each read on first need.
pub struct ChartCrds {
    files: Vec<File>,
}

struct File {
    /// The path as messages show it.
    shown: String,
    text: Arc<String>,
    read: OnceLock<Read>,
}

/// What reading a file gave: its schemas, or why it could not be read.
struct Read {
    schemas: Vec<(CrdKey, Arc<Value>)>,
    /// Taken once, by [`ChartCrds::read_so_far`].
    failure: Mutex<Option<Error>>,
}

impl ChartCrds {
    /// The files, as (shown path, text); `None` when there are none.
    pub fn new(files: Vec<(String, Arc<String>)>) -> Option<ChartCrds> {
        if files.is_empty() {
            return None;
        }
        let files = files
            .into_iter()
            .map(|(shown, text)| File {
                shown,
                text,
                read: OnceLock::new(),
            })
            .collect();
        Some(ChartCrds { files })
    }

    /// The schema for `key` (`apiVersion/Kind`, of kind `kind`) and its origin, reading the
    /// files that may declare the kind, then, if none does, all of them.
    pub fn schema(&self, key: &str, kind: &str) -> Option<(Arc<Value>, String)> {
        let mut candidates: Vec<&File> = self
            .files
            .iter()
            .filter(|file| declares_kind(&file.text, kind))
            .collect();
        read_all(&candidates);
        if !candidates.iter().any(|file| file.declares(kind)) {
            candidates = self.files.iter().collect();
            read_all(&candidates);
        }
        self.found(key)
    }

    /// The schema for `key` among the files read so far: the last file's that has one.
    fn found(&self, key: &str) -> Option<(Arc<Value>, String)> {
        self.files
            .iter()
            .rev()
            .filter_map(|file| file.read.get())
            .find_map(|read| {
                read.schemas
                    .iter()
                    .rev()
                    .find(|(crd, _)| crd.key == key)
                    .map(|(crd, schema)| (Arc::clone(schema), format!("CRD {}", crd.name)))
            })
    }

    /// Whether a file read so far gave a schema for `key`.
    pub fn has(&self, key: &str) -> bool {
        self.found(key).is_some()
    }

    /// The `apiVersion/Kind` keys of kind `kind`, reading the files that may declare it.
    pub fn keys_of(&self, kind: &str) -> Vec<String> {
        let candidates: Vec<&File> = self
            .files
            .iter()
            .filter(|file| declares_kind(&file.text, kind))
            .collect();
        read_all(&candidates);
        let suffix = format!("/{kind}");
        self.files
            .iter()
            .filter_map(|file| file.read.get())
            .flat_map(|read| &read.schemas)
            .filter(|(crd, _)| crd.key.ends_with(&suffix))
            .map(|(crd, _)| crd.key.clone())
            .collect()
    }

    /// What the render read: the first file in order that could not be read, as an error, else
    /// the schemas read, each with its file and CRD.
    pub fn read_so_far(&self) -> Result<Vec<CrdKey>, Error> {
        let mut keys = Vec::new();
        for read in self.files.iter().filter_map(|file| file.read.get()) {
            let failure = match read.failure.lock() {
                Ok(mut guard) => guard.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            };
            if let Some(error) = failure {
                return Err(error);
            }
            keys.extend(read.schemas.iter().map(|(crd, _)| CrdKey {
                key: crd.key.clone(),
                file: crd.file.clone(),
                name: crd.name.clone(),
            }));
        }
        Ok(keys)
    }
}

impl File {
    /// Reads the file if no thread has: parses it and makes its CRDs' schemas.
    fn read_now(&self) {
        self.read
            .get_or_init(|| match catalog::read_crd_file(&self.shown, &self.text) {
                Ok(schemas) => Read {
                    schemas: schemas
                        .into_iter()
                        .map(
                            |CrdSchema {
                                 key,
                                 schema,
                                 file,
                                 name,
                             }| {
                                (CrdKey { key, file, name }, Arc::new(schema))
                            },
                        )
                        .collect(),
                    failure: Mutex::new(None),
                },
                Err(error) => Read {
                    schemas: Vec::new(),
                    failure: Mutex::new(Some(error)),
                },
            });
    }

    /// Whether the file, read, gave a schema of kind `kind`.
    fn declares(&self, kind: &str) -> bool {
        let suffix = format!("/{kind}");
        self.read.get().is_some_and(|read| {
            read.schemas
                .iter()
                .any(|(crd, _)| crd.key.ends_with(&suffix))
        })
    }
}

/// Reads `files`, those not read yet on two threads. Not on rayon's: this runs when a document
/// being validated on one of them first needs a CRD's schema, and that thread, and any other
/// needing one, waits for it; a rayon job it waited for could sit on a waiting thread's own
/// stack.
fn read_all(files: &[&File]) {
    let unread: Vec<&File> = files
        .iter()
        .copied()
        .filter(|file| file.read.get().is_none())
        .collect();
    if unread.len() < 2 {
        for file in unread {
            file.read_now();
        }
        return;
    }
    let (first, second) = unread.split_at(unread.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| first.iter().for_each(|file| file.read_now()));
        second.iter().for_each(|file| file.read_now());
        if let Err(panic) = other.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Whether `text` may declare kind `kind`: it holds `kind` as the value of a `kind` key, in
/// YAML's block or flow style or in JSON (`kind: K`, `{kind: K}`, `"kind": "K"`).
pub fn declares_kind(text: &str, kind: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, kind.as_bytes()).any(|at| {
        let after = bytes.get(at + kind.len()).copied();
        let ends = after.is_none_or(|b| b" \t\r\n,}\"'#".contains(&b));
        ends && preceded_by_kind_key(&bytes[..at])
    })
}

/// Whether `before` ends with a `kind` key and its colon: `kind:`, `"kind": "`, `'kind': '`,
/// spaces allowed around the colon.
fn preceded_by_kind_key(before: &[u8]) -> bool {
    let trim_spaces = |s: &[u8]| -> usize {
        s.iter()
            .rev()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count()
    };
    let mut end = before.len();
    if end > 0 && matches!(before[end - 1], b'"' | b'\'') {
        end -= 1;
    }
    end -= trim_spaces(&before[..end]);
    if end == 0 || before[end - 1] != b':' {
        return false;
    }
    end -= 1;
    end -= trim_spaces(&before[..end]);
    if end > 0 && matches!(before[end - 1], b'"' | b'\'') {
        end -= 1;
    }
    let Some(start) = end.checked_sub(4) else {
        return false;
    };
    &before[start..end] == b"kind"
        && (start == 0 || !before[start - 1].is_ascii_alphanumeric() && before[start - 1] != b'_')
}

#[cfg(test)]
#[path = "chart_crds_tests.rs"]
mod tests;
