//! `bosun init NAME`: a new chart built on the generic service templates, with one service,
//! that renders, validates and lints clean as it is.

use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// The files of a new chart; `{name}` and `{library}` are filled in.
const FILES: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        r#"apiVersion: v2
name: {name}
description: {name}, rendered by bosun from the generic service templates
type: application
version: 0.1.0
appVersion: "0.1.0"
dependencies:
  # The generic service templates, shared by every chart (a library chart).
  - name: service
    version: 0.1.0
    repository: file://{library}
"#,
    ),
    (
        "values.yaml",
        r#"# The services of this chart. Structure: docs/values.md of the bosun repository.
services:
  {name}:
    image:
      repository: {name}
      tag: "0.1.0"
    replicas: 1
    ports:
      - name: http
        containerPort: 8080
        servicePort: 80
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
      limits:
        cpu: 500m
        memory: 256Mi
    probes:
      liveness:
        path: /healthz
      readiness:
        path: /readyz
    # A numeric non-root uid lets Kubernetes verify runAsNonRoot.
    podSecurityContext:
      runAsUser: 1000
      runAsGroup: 1000
"#,
    ),
    (
        "values.schema.json",
        r#"{
  "$comment": "The values of this chart follow the generic service templates.",
  "$ref": "{library}/values.schema.json"
}
"#,
    ),
    (
        "templates/manifests.yaml",
        r#"{#- Every manifest comes from the shared library; this chart only holds values. -#}
{% import "service/_service.tpl" as service %}
{{ service.render() }}
"#,
    ),
    (
        ".helmignore",
        "# Files bosun never reads from this chart.\n*.md\n.git/\n",
    ),
    (
        "README.md",
        r#"# {name}

Created by `bosun init`. Render it with `bosun render {dir}`, check it with
`bosun lint {dir} --strict`, and add environments as `values/<env>/{name}.yaml`.
"#,
    ),
];

fn invalid(name: &str, reason: &str) -> Error {
    Error::Chart {
        path: PathBuf::from(name),
        reason: reason.to_string(),
        snippet: None,
    }
}

/// Creates the chart folder `dir` (its last component is the chart's name).
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let shown = dir.display().to_string();
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| invalid(&shown, "give the chart a name"))?;
    let valid = !name.is_empty()
        // The name is also the first service's, which the library's schema bounds to 52.
        && name.len() <= 52
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-');
    if !valid {
        return Err(invalid(
            &shown,
            "a chart name is a DNS label: lower-case letters, digits and `-`, starting with a letter, at most 52 characters (it names the chart's first service too, and every name derived from it must fit Kubernetes' limits)",
        ));
    }
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        return Err(invalid(
            &shown,
            "the folder already exists and is not empty",
        ));
    }
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(dir))
        .map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
    let library = find_library(&absolute).ok_or_else(|| {
        invalid(
            &shown,
            "no service library (templates/service/Chart.yaml) in this folder or above: create charts inside a bosun repository",
        )
    })?;
    let relative = relative_path(&absolute, &library);
    let mut written = Vec::new();
    for (file, template) in FILES {
        let text = template
            .replace("{name}", name)
            .replace("{library}", &relative)
            .replace("{dir}", &shown);
        let path = dir.join(file);
        crate::output::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// The nearest `templates/service` library above `dir`.
fn find_library(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .skip(1)
        .map(|a| a.join("templates").join("service"))
        .find(|candidate| candidate.join("Chart.yaml").is_file())
}

/// `to` relative to `from` (both absolute), with `/` separators.
fn relative_path(from: &Path, to: &Path) -> String {
    let normal = |p: &Path| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        for component in p.components() {
            match component {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        parts
    };
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(to[common..].iter().cloned());
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(
            relative_path(
                Path::new("/r/charts/hello"),
                Path::new("/r/templates/service")
            ),
            "../../templates/service"
        );
        assert_eq!(
            relative_path(Path::new("/r/a/../b/c"), Path::new("/r/t")),
            "../../t"
        );
    }
}
