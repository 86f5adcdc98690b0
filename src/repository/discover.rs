//! Which releases a repository has: every chart folder under `charts/` in every environment it
//! has values for (as `bosun lint --all-envs` reads them), then the releases file's entries,
//! which replace what conventions found for their chart, add charts kept elsewhere, and drop
//! what is not released (`installed: false`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::chart::Chart;
use crate::diagnostics::did_you_mean;
use crate::error::Error;
use crate::repository::file::{self, Extras, ReleasesFile};
use crate::values;

/// One release: a chart, rendered with one environment's values under one name and namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Release {
    /// `None` for a chart with no environment at all.
    pub environment: Option<String>,
    pub name: String,
    pub namespace: String,
    /// The chart folder, relative to the repository root.
    pub chart: PathBuf,
    /// Values files the releases file adds, relative to the repository root, lowest first.
    pub values: Vec<PathBuf>,
    pub kube_version: Option<String>,
}

impl Release {
    /// How the release is named in headings and errors: `okla (env production, namespace
    /// default, chart charts/okla)`.
    pub fn title(&self) -> String {
        format!(
            "{} (env {}, namespace {}, chart {})",
            self.name,
            self.environment.as_deref().unwrap_or("none"),
            self.namespace,
            self.chart.display()
        )
    }
}

/// The repository root: the nearest folder, from `start` up, that holds the releases file or
/// `.git`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(file::FILE_NAME).is_file() || dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Every release of the repository at `root`, in a fixed order (environment, name, namespace,
/// chart). `file` is the releases file's shown path and text, when there is one; `values_dir`
/// is `--values-dir`.
pub fn releases(
    root: &Path,
    file: Option<(&str, &str)>,
    values_dir: Option<&Path>,
) -> Result<Vec<Release>, Error> {
    let parsed = match file {
        Some((shown, text)) => file::parse(shown, text)?,
        None => ReleasesFile::default(),
    };
    let values_dir_of = |chart: &Chart| {
        values_dir
            .map(Path::to_path_buf)
            .or_else(|| values::find_values_dir(chart))
    };
    let mut found: Vec<(Release, Option<(u64, u64)>)> = Vec::new();
    let mut claimed = BTreeSet::new();
    for entry in &parsed.releases {
        let (shown, text) = file.unwrap_or_default();
        let at = |location: &serde_saphyr::Location, len: usize, message: String, help| {
            file::error_at(
                shown,
                text,
                (location.line(), location.column()),
                len,
                message,
                help,
            )
        };
        let entry_at = (entry.referenced.line(), entry.referenced.column());
        let entry = &entry.value;
        let chart_dir = root.join(&entry.chart.value);
        let chart = match chart_dir.join("Chart.yaml").is_file() {
            true => Chart::load(&crate::paths::relative_to_cwd(&chart_dir))?,
            false => {
                return Err(at(
                    &entry.chart.referenced,
                    entry.chart.value.len(),
                    format!(
                        "`{}` is not a chart folder (it has no Chart.yaml)",
                        entry.chart.value
                    ),
                    Some(format!(
                        "`chart` is a folder relative to `{}`",
                        file::FILE_NAME
                    )),
                ));
            }
        };
        claimed.insert(chart.root.clone());
        if entry.installed == Some(false) {
            continue;
        }
        let values_dir = values_dir_of(&chart);
        let known = values::known_environments(&chart, values_dir.as_deref());
        let environments: Vec<(Option<String>, Extras)> = match &entry.environments {
            Some(map) => {
                let mut out = Vec::new();
                for (name, extras) in map {
                    if !known.contains(&name.value) {
                        let mut help =
                            match did_you_mean(&name.value, known.iter().map(String::as_str)) {
                                Some(k) => format!("did you mean `{k}`? "),
                                None => String::new(),
                            };
                        help.push_str(&format!(
                            "the environments with values files for chart `{}`: {}",
                            chart.name(),
                            if known.is_empty() {
                                "none".to_string()
                            } else {
                                known.join(", ")
                            }
                        ));
                        return Err(at(
                            &name.referenced,
                            name.value.len(),
                            format!(
                                "unknown environment `{}` for chart `{}`",
                                name.value,
                                chart.name()
                            ),
                            Some(help),
                        ));
                    }
                    out.push((Some(name.value.clone()), extras.clone().unwrap_or_default()));
                }
                out
            }
            None => conventional_environments(&chart, values_dir.as_deref())
                .into_iter()
                .map(|env| (env, Extras::default()))
                .collect(),
        };
        let name = match &entry.name {
            Some(name) => {
                crate::names::release_name(&name.value).map_err(|rule| {
                    at(
                        &name.referenced,
                        name.value.len(),
                        format!("invalid release name `{}`", name.value),
                        Some(rule),
                    )
                })?;
                name.value.clone()
            }
            None => chart.name().to_string(),
        };
        for (environment, extras) in environments {
            if extras.installed == Some(false) {
                continue;
            }
            let namespace = extras.namespace.as_ref().or(entry.namespace.as_ref());
            if let Some(namespace) = namespace {
                crate::names::namespace(&namespace.value).map_err(|rule| {
                    at(
                        &namespace.referenced,
                        namespace.value.len(),
                        format!("invalid namespace `{}`", namespace.value),
                        Some(rule),
                    )
                })?;
            }
            let mut files = Vec::new();
            for value in entry.values.iter().chain(&extras.values) {
                if !root.join(&value.value).is_file() {
                    return Err(at(
                        &value.referenced,
                        value.value.len(),
                        format!("values file `{}` does not exist", value.value),
                        Some(format!(
                            "values files are relative to `{}`",
                            file::FILE_NAME
                        )),
                    ));
                }
                files.push(PathBuf::from(&value.value));
            }
            found.push((
                Release {
                    environment,
                    name: name.clone(),
                    namespace: namespace.map_or_else(|| "default".to_string(), |n| n.value.clone()),
                    chart: PathBuf::from(&entry.chart.value),
                    values: files,
                    kube_version: extras
                        .kube_version
                        .clone()
                        .or_else(|| entry.kube_version.clone()),
                },
                Some(entry_at),
            ));
        }
    }
    for dir in chart_folders(&root.join("charts"))? {
        let chart = Chart::load(&crate::paths::relative_to_cwd(&dir))?;
        if chart.is_library() || claimed.contains(&chart.root) {
            continue;
        }
        let values_dir = values_dir_of(&chart);
        let relative = dir.strip_prefix(root).unwrap_or(&dir).to_path_buf();
        for environment in conventional_environments(&chart, values_dir.as_deref()) {
            found.push((
                Release {
                    environment,
                    name: chart.name().to_string(),
                    namespace: "default".to_string(),
                    chart: relative.clone(),
                    values: Vec::new(),
                    kube_version: None,
                },
                None,
            ));
        }
    }
    refuse_twins(&found, file)?;
    let mut releases: Vec<Release> = found.into_iter().map(|(release, _)| release).collect();
    releases.sort();
    Ok(releases)
}

/// The environments a chart is released in when nothing says otherwise; a chart with none
/// at all is released once, without one.
fn conventional_environments(chart: &Chart, values_dir: Option<&Path>) -> Vec<Option<String>> {
    let environments = values::chart_environments(chart, values_dir);
    if environments.is_empty() {
        vec![None]
    } else {
        environments.into_iter().map(Some).collect()
    }
}

/// The folders directly under `charts` that hold a Chart.yaml, sorted.
fn chart_folders(charts: &Path) -> Result<Vec<PathBuf>, Error> {
    let Ok(entries) = std::fs::read_dir(charts) else {
        return Ok(Vec::new());
    };
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: charts.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.join("Chart.yaml").is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Two releases of one name in one namespace and environment would share a record and fight
/// over the same objects: an error at the entry that made the second.
fn refuse_twins(
    found: &[(Release, Option<(u64, u64)>)],
    file: Option<(&str, &str)>,
) -> Result<(), Error> {
    let mut seen: BTreeMap<(&Option<String>, &str, &str), &Release> = BTreeMap::new();
    for (release, line) in found {
        let key = (
            &release.environment,
            release.namespace.as_str(),
            release.name.as_str(),
        );
        let Some(first) = seen.insert(key, release) else {
            continue;
        };
        let message = format!(
            "two releases named `{}` in namespace `{}`{}: from `{}` and `{}`",
            release.name,
            release.namespace,
            release
                .environment
                .as_deref()
                .map(|e| format!(" of environment `{e}`"))
                .unwrap_or_default(),
            first.chart.display(),
            release.chart.display()
        );
        let help =
            Some("give one of them another `name` or `namespace` in the releases file".to_string());
        return Err(match (file, line) {
            (Some((shown, text)), Some(at)) => file::error_at(shown, text, *at, 1, message, help),
            _ => Error::Repository {
                message,
                snippet: None,
                help,
            },
        });
    }
    Ok(())
}
