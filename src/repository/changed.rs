//! `--changed-since REF`: the releases whose inputs changed since a git revision, the
//! pull-request case. A release's inputs are the files of its chart and of the charts it
//! depends on through `file://`, the environment's values files that apply to it (present or
//! not: adding or deleting one changes the render), the values files the releases file gives
//! it, its entry in the releases file, and the built-in service library's source
//! (`templates/service/`, in bosun's own repository) when the chart uses `bosun://service`.
//! Changed files are what `git diff --name-only REF` lists plus untracked files git does not
//! ignore; records in a chart's `.bosun/` folder are outputs, not inputs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::chart::Chart;
use crate::error::Error;
use crate::repository::discover::{self, Release};
use crate::repository::file;
use crate::values;

/// Where the built-in library's source lives in bosun's own repository.
const LIBRARY_SOURCE: &str = "templates/service";

/// The files that changed since `reference`, relative to `root`.
pub fn changed_files(root: &Path, reference: &str) -> Result<BTreeSet<PathBuf>, Error> {
    let mut files = BTreeSet::new();
    for args in [
        vec!["diff", "--name-only", "--relative", reference, "--"],
        vec!["ls-files", "--others", "--exclude-standard"],
    ] {
        files.extend(git(root, &args)?.lines().map(PathBuf::from));
    }
    Ok(files)
}

/// The text of `path` (relative to `root`) at `reference`; `None` when it did not exist then.
pub fn file_at(root: &Path, reference: &str, path: &str) -> Option<String> {
    git(root, &["show", &format!("{reference}:./{path}")]).ok()
}

fn git(root: &Path, args: &[&str]) -> Result<String, Error> {
    let shown = format!("git {}", args.join(" "));
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|source| Error::Repository {
            message: format!("cannot run `{shown}` for --changed-since: {source}"),
            snippet: None,
            help: Some("--changed-since needs git on PATH".into()),
        })?;
    if !output.status.success() {
        return Err(Error::Repository {
            message: format!(
                "`{shown}` failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            snippet: None,
            help: Some(
                "--changed-since takes a git revision of this repository, such as `origin/main` or `HEAD~1`".into(),
            ),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Keeps the releases whose inputs are among `changed`; `earlier` are the releases the
/// releases file described at the revision (`None` when that file cannot be read with today's
/// charts: then, if the file changed, every release counts as changed).
pub fn keep_changed(
    root: &Path,
    releases: Vec<Release>,
    changed: &BTreeSet<PathBuf>,
    earlier: Option<&[Release]>,
    values_dir: Option<&Path>,
) -> Result<Vec<Release>, Error> {
    let file_changed = changed.contains(Path::new(file::FILE_NAME));
    let mut kept = Vec::new();
    for release in releases {
        let entry_changed = file_changed && earlier.is_none_or(|before| !before.contains(&release));
        if entry_changed || inputs_changed(root, &release, changed, values_dir)? {
            kept.push(release);
        }
    }
    Ok(kept)
}

fn inputs_changed(
    root: &Path,
    release: &Release,
    changed: &BTreeSet<PathBuf>,
    values_dir: Option<&Path>,
) -> Result<bool, Error> {
    let chart = Chart::load(&crate::paths::relative_to_cwd(&root.join(&release.chart)))?;
    let mut folders = Vec::new();
    let mut uses_library = false;
    chart_folders(root, &chart, &mut folders, &mut uses_library);
    let state = release.chart.join(crate::state::DEFAULT_DIR);
    let in_chart =
        |path: &Path| folders.iter().any(|dir| path.starts_with(dir)) && !path.starts_with(&state);
    let mut files: BTreeSet<PathBuf> = release.values.iter().cloned().collect();
    if let Some(env) = &release.environment {
        let dir = values_dir
            .map(Path::to_path_buf)
            .or_else(|| values::find_values_dir(&chart))
            .map(|dir| relative_to(root, &dir));
        if let Some(dir) = dir {
            files.insert(dir.join(format!("{env}.yaml")));
            files.insert(dir.join(env).join(format!("{}.yaml", chart.name())));
        }
        files.insert(release.chart.join(format!("values-{env}.yaml")));
    }
    Ok(changed.iter().any(|path| {
        in_chart(path) || files.contains(path) || (uses_library && path.starts_with(LIBRARY_SOURCE))
    }))
}

/// The folders (relative to `root`) of `chart` and of the charts it depends on through
/// `file://`, and whether any of them uses the built-in library.
fn chart_folders(root: &Path, chart: &Chart, folders: &mut Vec<PathBuf>, uses_library: &mut bool) {
    folders.push(relative_to(root, &chart.root));
    for dependency in &chart.dependencies {
        let repository = dependency.spec.repository.as_deref().unwrap_or("");
        if crate::library::is_builtin(repository) {
            *uses_library = true;
        } else {
            chart_folders(root, &dependency.chart, folders, uses_library);
        }
    }
}

/// `path` relative to `root` (both made absolute first); as it is when outside.
fn relative_to(root: &Path, path: &Path) -> PathBuf {
    let absolute = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(root);
    let path = absolute(path);
    path.strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(path)
}

/// The releases the releases file at `reference` described, with today's charts.
pub fn earlier_releases(
    root: &Path,
    reference: &str,
    values_dir: Option<&Path>,
) -> Option<Vec<Release>> {
    let text = file_at(root, reference, file::FILE_NAME).unwrap_or_default();
    discover::releases(root, Some((file::FILE_NAME, &text)), values_dir).ok()
}
