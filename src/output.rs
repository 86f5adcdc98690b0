//! Writing documents out: one YAML stream (`---` + `# Source:` before each document), a JSON
//! `List`, or one file per template under `--output-dir`, each written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::manifest::Document;

/// The `-o` formats of `bosun render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

/// Writes the whole stream to `out`. The documents are already rendered and checked, so the
/// only thing that can fail here is the writing itself.
pub fn write_stream(
    documents: &[Document],
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Yaml => {
            for document in documents {
                out.write_all(b"---\n# Source: ")?;
                out.write_all(document.source.as_bytes())?;
                out.write_all(b"\n")?;
                out.write_all(document.yaml.as_bytes())?;
            }
        }
        Format::Json => out.write_all(to_text(documents, format).as_bytes())?,
    }
    out.flush()
}

/// The whole stream as text.
pub fn to_text(documents: &[Document], format: Format) -> String {
    match format {
        Format::Yaml => yaml_stream(documents),
        Format::Json => {
            let items: Vec<serde_json::Value> = documents.par_iter().map(Document::value).collect();
            let list = serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": items,
            });
            // A `Value` prints infallibly; `{:#}` is serde_json's pretty form.
            format!("{list:#}\n")
        }
    }
}

/// `value` as pretty JSON and a newline; a value that cannot be written as JSON (a map with
/// keys that are not strings) is an error, never an empty report.
pub fn json_text(value: &impl serde::Serialize, what: &'static str) -> Result<String, Error> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|source| Error::Json { what, source })?;
    text.push('\n');
    Ok(text)
}

fn yaml_stream(documents: &[Document]) -> String {
    let size = documents.iter().map(|d| d.yaml.len() + 64).sum();
    let mut out = String::with_capacity(size);
    for document in documents {
        out.push_str("---\n# Source: ");
        out.push_str(&document.source);
        out.push('\n');
        out.push_str(&document.yaml);
    }
    out
}

/// Writes one file per template under `dir` (`dir/chart/templates/x.yaml`), each through a
/// temporary file renamed into place, so a reader never sees half a file.
pub fn write_dir(
    dir: &Path,
    documents: &[Document],
    format: Format,
) -> Result<Vec<PathBuf>, Error> {
    let mut groups: Vec<(&str, Vec<Document>)> = Vec::new();
    for document in documents {
        match groups
            .iter_mut()
            .find(|(source, _)| *source == document.source)
        {
            Some((_, group)) => group.push(document.clone()),
            None => groups.push((&document.source, vec![document.clone()])),
        }
    }
    let mut written = Vec::new();
    for (source, group) in groups {
        let path = dir.join(source);
        write_atomically(&path, to_text(&group, format).as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `bytes` to `path` through a temporary file in the same folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(write_error)?;
    let mut file = tempfile::NamedTempFile::new_in(parent).map_err(write_error)?;
    file.write_all(bytes).map_err(write_error)?;
    file.as_file().sync_all().map_err(write_error)?;
    file.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}
