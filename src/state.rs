//! The record of the last render: what `bosun render` wrote, per chart, environment and release,
//! kept in a state folder (`<chart>/.bosun/` unless `--state-dir` or `BOSUN_STATE_DIR` says
//! otherwise) so that `bosun diff` can show what a change does. Each record is the rendered
//! stream itself, readable in a pull request, written through a temporary file renamed into
//! place: a render that fails or is killed leaves the previous record as it was.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::manifest::{self, Document, RenderedTemplate};
use crate::output;

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

/// Reads a record (or any stream of manifests), `None` when there is none yet.
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
    read_stream(&shown, text).map(Some)
}

/// Parses a stream of manifests read from `shown`.
pub fn read_stream(shown: &str, text: String) -> Result<Vec<Document>, Error> {
    let template = RenderedTemplate {
        source: shown.to_string(),
        shown: shown.to_string(),
        text,
    };
    Ok(manifest::parse(std::slice::from_ref(&template), None)?.0)
}
