//! A chart's subcharts, found as Helm finds them: every chart under `charts/`, unpacked in a
//! folder (whatever the folder's name) or as a `.tgz` archive, matched to Chart.yaml's
//! `dependencies` by chart name and version range. An `alias` renames the matched chart (its
//! values key, `.Chart.Name` and template names); a chart under `charts/` that no dependency
//! names is rendered as it is; a `file://` dependency not in `charts/` is read from its folder.
//!
//! A `file://` folder that does not exist is an error. A dependency from a repository found
//! nowhere is not an error here: it is [`Chart::missing`], and the render stage fails only if
//! its `condition` or `tags` leave it enabled (Helm fails on any missing dependency; bosun lets
//! a chart keep optional dependencies it has not fetched).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::Gitignore;
use rayon::prelude::*;

use super::{Chart, Dependency, DependencySpec, load};
use crate::dependency::archive;
use crate::dependency::constraint::Constraint;
use crate::error::Error;

/// What was found for a chart's `dependencies`.
pub(super) struct Found {
    pub dependencies: Vec<Dependency>,
    pub missing: Vec<DependencySpec>,
}

/// Loads the charts under `dir/charts` and matches them to `specs`.
pub(super) fn load_dependencies(
    dir: &Path,
    root: &Path,
    parent: &str,
    specs: &[DependencySpec],
    ignore: &Gitignore,
    stack: &mut Vec<PathBuf>,
) -> Result<Found, Error> {
    let available = load_charts_folder(dir, root, ignore, stack)?;
    let mut found = Found {
        dependencies: Vec::new(),
        missing: Vec::new(),
    };
    for spec in specs {
        if crate::library::is_builtin(spec.repository.as_deref().unwrap_or("")) {
            found.dependencies.push(Dependency {
                spec: spec.clone(),
                chart: crate::library::load(parent, spec)?,
            });
            continue;
        }
        let chart = match file_folder(dir, spec) {
            Some(folder) if folder.join("Chart.yaml").is_file() => {
                let chart = load(&folder, stack)?;
                if chart.name() != spec.name {
                    return Err(Error::Dependency {
                        chart: parent.to_string(),
                        name: spec.name.clone(),
                        reason: format!(
                            "`{}` holds a chart named `{}`",
                            folder.display(),
                            chart.name()
                        ),
                    });
                }
                Some(chart)
            }
            _ => available.iter().find(|c| matches(spec, c)).cloned(),
        };
        match chart {
            Some(mut chart) => {
                if let Some(alias) = &spec.alias {
                    rename(&mut chart, alias);
                }
                found.dependencies.push(Dependency {
                    spec: spec.clone(),
                    chart,
                });
            }
            // A chart of that name in another version is not this dependency: Helm renders
            // it as a chart no dependency names (below), without alias or condition.
            None if available.iter().any(|c| c.name() == spec.name) => {}
            None => match file_folder(dir, spec) {
                Some(folder) => {
                    return Err(Error::Dependency {
                        chart: parent.to_string(),
                        name: spec.name.clone(),
                        reason: format!("`{}` does not exist", folder.display()),
                    });
                }
                None => found.missing.push(spec.clone()),
            },
        }
    }
    // Charts under `charts/` that no dependency names render as they are, first (Helm's rule).
    let mut undeclared = Vec::new();
    for chart in available {
        if !specs.iter().any(|spec| matches(spec, &chart)) {
            let spec = DependencySpec {
                name: chart.name().to_string(),
                version: None,
                repository: None,
                condition: None,
                alias: None,
                tags: Vec::new(),
                import_values: Vec::new(),
            };
            // Two charts of one name: Helm keeps the templates of the last one.
            undeclared.retain(|d: &Dependency| d.chart.name() != chart.name());
            undeclared.push(Dependency { spec, chart });
        }
    }
    undeclared.append(&mut found.dependencies);
    found.dependencies = undeclared;
    Ok(found)
}

/// The folder of a `file://` dependency.
fn file_folder(dir: &Path, spec: &DependencySpec) -> Option<PathBuf> {
    let repo = spec.repository.as_deref()?;
    repo.strip_prefix("file://").map(|path| dir.join(path))
}

/// Whether `chart` is the one `spec` asks for: the same name, its version in the range.
fn matches(spec: &DependencySpec, chart: &Chart) -> bool {
    if chart.name() != spec.name {
        return false;
    }
    let Some(range) = spec.version.as_deref().filter(|r| !r.trim().is_empty()) else {
        return true;
    };
    match (
        Constraint::parse(range),
        semver::Version::parse(&chart.metadata.version),
    ) {
        (Ok(constraint), Ok(version)) => constraint.matches(&version),
        _ => false,
    }
}

/// Gives a chart its alias, as Helm does: the alias is its name everywhere.
fn rename(chart: &mut Chart, alias: &str) {
    chart.metadata.name = alias.to_string();
    if let serde_json::Value::Object(fields) = &mut chart.fields {
        fields.insert("name".into(), serde_json::Value::String(alias.to_string()));
    }
}

/// Every chart under `dir/charts`, in name order: folders holding a Chart.yaml and `.tgz`
/// archives (unpacked into a temporary folder the chart keeps alive).
fn load_charts_folder(
    dir: &Path,
    root: &Path,
    ignore: &Gitignore,
    stack: &[PathBuf],
) -> Result<Vec<Chart>, Error> {
    let folder = root.join("charts");
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Read {
                path: folder,
                source,
            });
        }
    };
    let mut names: Vec<(String, bool)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: folder.clone(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        let relative = Path::new("charts").join(&name);
        if ignore.matched(&relative, is_dir).is_ignore() {
            continue;
        }
        names.push((name, is_dir));
    }
    names.sort();
    // Each subchart loads as a task of its own, on whichever core is free; the first that
    // fails in name order is the error, as when they loaded one after the other.
    let loaded: Vec<Result<Option<Chart>, Error>> = names
        .par_iter()
        .map(|(name, is_dir)| {
            let mut stack = stack.to_vec();
            let shown = dir.join("charts").join(name);
            if *is_dir {
                if !shown.join("Chart.yaml").is_file() {
                    return Ok(None);
                }
                load(&shown, &mut stack).map(Some)
            } else if name.ends_with(".tgz") {
                load_archive(&shown, &mut stack).map(Some)
            } else {
                Ok(None)
            }
        })
        .collect();
    loaded.into_iter().filter_map(Result::transpose).collect()
}

/// Loads a chart from a `.tgz` archive, unpacked with the archive checks into a temporary
/// folder that lives as long as the chart.
fn load_archive(path: &Path, stack: &mut Vec<PathBuf>) -> Result<Chart, Error> {
    let bytes = fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let shown = path.display().to_string();
    let (top, entries) = archive::read(&shown, &bytes).map_err(Error::Fetch)?;
    let unpacked = tempfile::Builder::new()
        .prefix("bosun-subchart-")
        .tempdir()
        .map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    let chart_dir = unpacked.path().join(&top);
    archive::write_into(&chart_dir, &entries)?;
    let mut chart = load(&chart_dir, stack)?;
    chart.unpacked = Some(Arc::new(unpacked));
    Ok(chart)
}
