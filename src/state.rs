//! The record of the last render: what `bosun render` wrote, per chart, environment and release,
//! kept in a state folder (`<chart>/.bosun/` unless `--state-dir` or `BOSUN_STATE_DIR` says
//! otherwise) so that `bosun diff` can show what a change does. Each record is the rendered
//! stream itself, readable in a pull request, written through a temporary file renamed into
//! place: a render that fails or is killed leaves the previous record as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, SourceSnippet};
use crate::manifest::{self, Document};
use crate::output;
use crate::yaml;

/// The state folder's default name, inside the chart folder.
pub const DEFAULT_DIR: &str = ".bosun";

/// Where the record of one (chart, environment, release) lives.
pub fn record_path(state_dir: &Path, environment: Option<&str>, release: &str) -> PathBuf {
    state_dir
        .join(environment.unwrap_or("_no-env"))
        .join(format!("{release}.yaml"))
}

/// The state folder: `--state-dir` (or `BOSUN_STATE_DIR`), else `<chart>/.bosun`.
pub fn state_dir(flag: Option<&Path>, chart_dir: &Path) -> PathBuf {
    flag.map_or_else(|| chart_dir.join(DEFAULT_DIR), Path::to_path_buf)
}

/// Writes the record atomically.
pub fn save(path: &Path, documents: &[Document]) -> Result<(), Error> {
    let text = output::to_text(documents, output::Format::Yaml);
    output::write_atomically(path, text.as_bytes())
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
            let value = yaml::parse_value(body).map_err(|e| {
                let (line, column) = e.location.unwrap_or((1, 1));
                Error::Yaml {
                    path: shown.clone(),
                    snippet: Some(Box::new(SourceSnippet::new(
                        &shown,
                        &text,
                        first_line + line,
                        column,
                        1,
                        &e.message,
                    ))),
                    message: e.message,
                }
            })?;
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
