//! `bosun init NAME`: a new chart built on the generic service templates, with one service,
//! that renders, validates and lints clean as it is, in any folder: it depends on the library
//! built into bosun ([`crate::library`]), so no bosun source tree need be near.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The files of a new chart; `{name}`, `{library}` (the built-in library's address) and
/// `{version}` (its version) are filled in.
const FILES: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        r#"apiVersion: v2
name: {name}
# bosun's own templates (Jinja); Helm's Go templates are `engine: gotpl`, the default.
engine: jinja
description: {name}, rendered by bosun from the generic service templates
type: application
version: 0.1.0
appVersion: "0.1.0"
dependencies:
  # The generic service templates, built into bosun (a library chart). To change them, write a
  # copy with `bosun library copy templates/service` and point `repository` at it (file://).
  - name: service
    version: {version}
    repository: {library}
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
    let mut written = Vec::new();
    for (file, template) in FILES {
        let text = template
            .replace("{name}", name)
            .replace("{library}", crate::library::REPOSITORY)
            .replace("{version}", crate::library::VERSION)
            .replace("{dir}", &shown);
        let path = dir.join(file);
        crate::output::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
