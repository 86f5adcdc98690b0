//! Environments: which values files `--env NAME` applies (`values/<env>.yaml`,
//! `values/<env>/<chart>.yaml`, the chart's `values-<env>.yaml`), and which environments a chart
//! has.

use std::path::{Path, PathBuf};

use crate::chart::Chart;
use crate::error::Error;

/// The environment's values files that exist, lowest precedence first.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub files: Vec<PathBuf>,
}

/// Finds the `values/` folder by walking up from the chart.
pub fn find_values_dir(chart: &Chart) -> Option<PathBuf> {
    chart
        .root
        .ancestors()
        .map(|dir| dir.join("values"))
        .find(|candidate| candidate.is_dir())
        .map(|dir| crate::paths::relative_to_cwd(&dir))
}

/// Resolves `--env NAME` to its files; an environment with none of them is an error.
pub fn resolve_environment(
    chart: &Chart,
    name: &str,
    values_dir: Option<&Path>,
) -> Result<Environment, Error> {
    let valid = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(Error::EnvironmentName {
            name: name.to_string(),
        });
    }
    let found_dir = values_dir
        .map(Path::to_path_buf)
        .or_else(|| find_values_dir(chart));
    let mut candidates = Vec::new();
    if let Some(dir) = &found_dir {
        candidates.push(dir.join(format!("{name}.yaml")));
        candidates.push(dir.join(name).join(format!("{}.yaml", chart.name())));
    }
    candidates.push(chart.dir.join(format!("values-{name}.yaml")));
    let files: Vec<PathBuf> = candidates.iter().filter(|p| p.is_file()).cloned().collect();
    if files.is_empty() {
        return Err(Error::UnknownEnvironment {
            name: name.to_string(),
            known: known_environments(chart, found_dir.as_deref()),
            looked_for: candidates,
        });
    }
    Ok(Environment {
        name: name.to_string(),
        files,
    })
}

/// The environments that have at least one values file for this chart.
pub fn known_environments(chart: &Chart, values_dir: Option<&Path>) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(dir) = values_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.flatten() {
            let path = entry.path();
            let file = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if path.join(format!("{}.yaml", chart.name())).is_file() {
                    names.push(file);
                }
            } else if let Some(stem) = file.strip_suffix(".yaml") {
                names.push(stem.to_string());
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(&chart.dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            if let Some(env) = file
                .strip_prefix("values-")
                .and_then(|f| f.strip_suffix(".yaml"))
            {
                names.push(env.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The environments that have values of this chart's own (`values/<env>/<chart>.yaml` or the
/// chart's `values-<env>.yaml`), not only the files every chart shares; all known ones when
/// none does.
pub fn chart_environments(chart: &Chart, values_dir: Option<&Path>) -> Vec<String> {
    let known = known_environments(chart, values_dir);
    let own: Vec<String> = known
        .iter()
        .filter(|env| {
            values_dir.is_some_and(|dir| {
                dir.join(env.as_str())
                    .join(format!("{}.yaml", chart.name()))
                    .is_file()
            }) || chart.dir.join(format!("values-{env}.yaml")).is_file()
        })
        .cloned()
        .collect();
    if own.is_empty() { known } else { own }
}
