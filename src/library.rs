//! The generic service library (templates/service/ of bosun's source), built into the binary.
//!
//! A chart names it in Chart.yaml's dependencies with the repository [`REPOSITORY`] and a
//! version range (Helm's syntax) that the built-in library's version must satisfy:
//!
//! ```yaml
//! dependencies:
//!   - name: service
//!     version: 0.1.0
//!     repository: bosun://service
//! ```
//!
//! and its values schema can `$ref` the library's as `bosun://service/values.schema.json`. The
//! loader builds the library chart from the embedded files; nothing is read from disk. A team
//! that wants its own version writes a copy with `bosun library copy` and depends on it with
//! `file://` instead.
//!
//! `build.rs` embeds the folder as it already embeds schemas/crds (a static table of
//! `include_str!`s), rather than the `include_dir` crate: twenty lines there cost no new
//! dependency, and `include_str!` makes cargo rebuild when a library file changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::chart::{Chart, DependencySpec, Metadata, TemplateFile};
use crate::error::Error;

include!(concat!(env!("OUT_DIR"), "/builtin_library.rs"));

/// What a chart writes as the dependency's `repository` to get the built-in library.
pub const REPOSITORY: &str = "bosun://service";

/// The built-in library's chart name.
pub const NAME: &str = "service";

/// The built-in library's version (its Chart.yaml `version`).
pub const VERSION: &str = env!("BOSUN_LIBRARY_VERSION");

/// True when a dependency's `repository` names the built-in library.
pub fn is_builtin(repository: &str) -> bool {
    repository.trim_end_matches('/') == REPOSITORY
}

/// The text of the library's file at `path` (relative to the library, `/` separators).
pub fn file(path: &str) -> Option<&'static str> {
    BUILTIN_LIBRARY
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| *text)
}

/// The built-in library as the dependency `spec` of chart `parent` asks for it: the names must
/// agree and the library's version must be in the requested range.
pub fn load(parent: &str, spec: &DependencySpec) -> Result<Chart, Error> {
    let refuse = |reason: String| Error::Dependency {
        chart: parent.to_string(),
        name: spec.name.clone(),
        reason,
    };
    if spec.name != NAME {
        return Err(refuse(format!(
            "`{REPOSITORY}` holds the chart `{NAME}`, not `{}`",
            spec.name
        )));
    }
    let range = spec.version.as_deref().unwrap_or("*");
    let constraint = crate::dependency::constraint::Constraint::parse(range).map_err(|reason| {
        refuse(format!(
            "version `{range}` is not a version range: {reason}"
        ))
    })?;
    let version = semver::Version::parse(VERSION).expect("the library's version is SemVer");
    if !constraint.matches(&version) {
        return Err(refuse(format!(
            "this bosun carries service library {VERSION}, which is not in the requested range `{range}`: use a bosun built with a matching library, ask for `{VERSION}`, or keep your own copy (`bosun library copy`) and depend on it with `file://`"
        )));
    }
    Ok(chart())
}

/// The library as a loaded chart. Paths in reports read `bosun://service/templates/...`.
fn chart() -> Chart {
    let base = PathBuf::from(REPOSITORY);
    let text = file("Chart.yaml").expect("the library has a Chart.yaml");
    let metadata: Metadata =
        crate::yaml::parse_typed("bosun://service/Chart.yaml", text).expect("Chart.yaml reads");
    let fields = crate::yaml::parse_value(text).expect("the library's Chart.yaml reads");
    let templates: BTreeMap<String, TemplateFile> = BUILTIN_LIBRARY
        .iter()
        .filter_map(|(name, text)| {
            let template = name.strip_prefix("templates/")?;
            Some((
                template.to_string(),
                TemplateFile {
                    path: base.join(name),
                    source: Arc::from(*text),
                },
            ))
        })
        .collect();
    Chart {
        dir: base.clone(),
        root: base,
        metadata,
        fields,
        values: None,
        templates,
        crds: Vec::new(),
        dependencies: Vec::new(),
        missing: Vec::new(),
        unpacked: None,
        ignore: Arc::new(ignore::gitignore::Gitignore::empty()),
        // `files` reads from disk, and the library is not there: it offers templates no files.
        files: Arc::new(Vec::new()),
    }
}

/// `bosun library ...`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write the built-in library into DIR, to change it and depend on it with `file://`.
    Copy {
        /// The folder to create [default: templates/service]
        #[arg(default_value = "templates/service")]
        dir: PathBuf,
    },
}

/// Runs `bosun library ...`; returns the exit code.
pub fn run(command: &Command) -> Result<i32, Error> {
    match command {
        Command::Copy { dir } => {
            let written = copy(dir)?;
            eprintln!(
                "wrote service library {VERSION} ({} files) into {}",
                written.len(),
                dir.display()
            );
            eprintln!(
                "depend on it with `repository: file://<path from the chart to {}>` instead of `{REPOSITORY}`",
                dir.display()
            );
            Ok(0)
        }
    }
}

/// `bosun library copy DIR`: writes the built-in library into `DIR` (which must not exist or be
/// empty) and returns the files written.
pub fn copy(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        return Err(Error::Chart {
            path: dir.to_path_buf(),
            reason: "the folder already exists and is not empty".into(),
            snippet: None,
        });
    }
    let mut written = Vec::new();
    for (name, text) in BUILTIN_LIBRARY {
        let path = dir.join(name);
        crate::output::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_library_is_the_source_trees() {
        let chart = chart();
        assert_eq!(chart.name(), NAME);
        assert_eq!(chart.metadata.version, VERSION);
        assert!(chart.is_library());
        assert!(chart.templates.contains_key("_service.tpl"));
        assert!(file("values.schema.json").is_some());
    }
}
