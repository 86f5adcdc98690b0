//! A repository's releases in one command (`--all`): find the repository root, read its
//! releases file (`file.rs`), list every release (`discover.rs`), keep those of one
//! environment and, with `--changed-since REF`, those whose inputs changed (`changed.rs`),
//! then run render, diff or lint for each in parallel and print the outputs grouped per
//! release, in a fixed order, with one exit code (`run.rs`).

mod changed;
mod discover;
pub mod file;
mod run;

use std::path::{Path, PathBuf};

pub use discover::{Release, find_root};
pub(crate) use run::{diff_all, lint_all, render_all, validate_all};

use crate::error::Error;

/// Which of the repository's releases to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only this environment's releases (`--env`); all when absent.
    pub environment: Option<String>,
    /// Only releases whose inputs changed since this git revision (`--changed-since`).
    pub changed_since: Option<String>,
    /// `--values-dir`.
    pub values_dir: Option<PathBuf>,
}

/// The repository's releases, found from the current folder, as `selection` says: the root and
/// the releases in a fixed order (environment, name, namespace, chart).
pub fn select(selection: &Selection) -> Result<(PathBuf, Vec<Release>), Error> {
    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: ".".into(),
        source,
    })?;
    let root = find_root(&cwd).ok_or_else(|| Error::Repository {
        message: format!(
            "no repository root above `{}`: --all looks for a `{}` or `.git`",
            cwd.display(),
            file::FILE_NAME
        ),
        snippet: None,
        help: Some(format!(
            "run bosun inside the repository, or create an empty `{}` at its root",
            file::FILE_NAME
        )),
    })?;
    let releases = releases_at(&root, selection)?;
    Ok((root, releases))
}

/// The releases of the repository at `root`, as `selection` says.
pub fn releases_at(root: &Path, selection: &Selection) -> Result<Vec<Release>, Error> {
    let file_path = root.join(file::FILE_NAME);
    let text = match file_path.is_file() {
        true => Some(
            std::fs::read_to_string(&file_path).map_err(|source| Error::Read {
                path: file_path.clone(),
                source,
            })?,
        ),
        false => None,
    };
    let shown = crate::paths::shown(&file_path);
    let values_dir = selection.values_dir.as_deref();
    let mut releases = discover::releases(
        root,
        text.as_deref().map(|text| (shown.as_str(), text)),
        values_dir,
    )?;
    if let Some(environment) = &selection.environment {
        let known: Vec<String> = environments(&releases);
        releases.retain(|r| r.environment.as_ref() == Some(environment));
        if releases.is_empty() {
            return Err(Error::UnknownEnvironment {
                name: environment.clone(),
                known,
                looked_for: vec![root.join("values").join(format!("{environment}.yaml"))],
            });
        }
    }
    if let Some(reference) = &selection.changed_since {
        let changed_files = changed::changed_files(root, reference)?;
        let earlier = changed::earlier_releases(root, reference, values_dir);
        releases = changed::keep_changed(
            root,
            releases,
            &changed_files,
            earlier.as_deref(),
            values_dir,
        )?;
    }
    Ok(releases)
}

/// The environments some release is in, sorted.
fn environments(releases: &[Release]) -> Vec<String> {
    let mut names: Vec<String> = releases
        .iter()
        .filter_map(|r| r.environment.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}
