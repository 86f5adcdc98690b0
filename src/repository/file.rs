//! The releases file, `bosun.yaml` at the repository root: what conventions cannot say about
//! what is deployed where (helmfile's `releases:` are the model). Read with the line of every
//! entry and key, so a mistake is reported at its place: an unknown key (with the nearest known
//! one), a chart folder that does not exist, an environment the chart has no values for.
//!
//! ```yaml
//! releases:
//!   - chart: charts/okla           # required: a chart folder, relative to bosun.yaml
//!     name: okla                   # the release name [default: the chart's name]
//!     namespace: okla              # [default: default]
//!     values: [values/okla.yaml]   # more values files, after the environment's
//!     kubeVersion: "1.33"
//!     environments:                # [default: the environments the chart has values for]
//!       staging:
//!       production:
//!         namespace: okla-prod     # per environment: namespace, values, kubeVersion, installed
//!     installed: false             # not released at all (drops what conventions would find)
//! ```

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{SourceSnippet, did_you_mean};
use crate::error::Error;
use crate::yaml;

/// The file's name, at the repository root.
pub const FILE_NAME: &str = "bosun.yaml";

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleasesFile {
    #[serde(default)]
    pub releases: Vec<Spanned<Entry>>,
}

/// One entry of `releases:`: a chart, released under one name and namespace, in some
/// environments.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Entry {
    pub chart: Spanned<String>,
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub namespace: Option<Spanned<String>>,
    #[serde(default)]
    pub values: Vec<Spanned<String>>,
    #[serde(default)]
    pub kube_version: Option<String>,
    #[serde(default)]
    pub installed: Option<bool>,
    /// Each environment the release exists in, with its extras; `None`: the chart's own.
    #[serde(default)]
    pub environments: Option<IndexMap<Spanned<String>, Option<Extras>>>,
}

/// What one environment adds to (or changes in) an entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Extras {
    #[serde(default)]
    pub namespace: Option<Spanned<String>>,
    #[serde(default)]
    pub values: Vec<Spanned<String>>,
    #[serde(default)]
    pub kube_version: Option<String>,
    #[serde(default)]
    pub installed: Option<bool>,
}

/// The keys each mapping takes, for "did you mean".
const KEYS: &[&str] = &[
    "releases",
    "chart",
    "name",
    "namespace",
    "values",
    "kubeVersion",
    "installed",
    "environments",
];

/// Reads the releases file `shown` (its text `text`).
pub fn parse(shown: &str, text: &str) -> Result<ReleasesFile, Error> {
    if yaml::is_blank(text) {
        return Ok(ReleasesFile::default());
    }
    yaml::parse_typed::<ReleasesFile>(shown, text).map_err(|error| match error {
        Error::Yaml {
            message, snippet, ..
        } => {
            let help = unknown_key(&message)
                .map(|key| match did_you_mean(key, KEYS.iter().copied()) {
                    Some(known) => format!("did you mean `{known}`? the keys are described in the README, \"A repository's releases\""),
                    None => "the keys are described in the README, \"A repository's releases\"".to_string(),
                });
            Error::Repository {
                message: format!("`{shown}` is not a valid releases file: {message}"),
                snippet,
                help,
            }
        }
        other => other,
    })
}

/// The key named by serde's "unknown field `x`, expected ..." message.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// An error at `(line, column)` of the releases file, marking `len` characters.
pub fn error_at(
    shown: &str,
    text: &str,
    (line, column): (u64, u64),
    len: usize,
    message: String,
    help: Option<String>,
) -> Error {
    let snippet = SourceSnippet::new(
        shown,
        text,
        line as usize,
        column.max(1) as usize,
        len,
        message.clone(),
    );
    Error::Repository {
        message,
        snippet: Some(Box::new(snippet)),
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn an_unknown_key_is_reported_at_its_line_with_the_nearest_known_one() {
        let text = "releases:\n  - chart: charts/web\n    namspace: web\n";
        let error = parse("bosun.yaml", text).unwrap_err();
        let report = error.report(false);
        assert!(report.contains("bosun.yaml:3:"), "{report}");
        assert!(report.contains("did you mean `namespace`?"), "{report}");
    }

    #[test]
    fn entries_keep_their_lines() {
        let text = "releases:\n  - chart: charts/web\n    environments:\n      dev:\n      prod:\n        namespace: p\n";
        let file = parse("bosun.yaml", text).unwrap();
        let entry = &file.releases[0].value;
        assert_eq!(entry.chart.referenced.line(), 2);
        let envs = entry.environments.as_ref().unwrap();
        let names: Vec<(&str, u64)> = envs
            .keys()
            .map(|k| (k.value.as_str(), k.referenced.line()))
            .collect();
        assert_eq!(names, [("dev", 4), ("prod", 5)]);
        let prod = envs.values().nth(1).unwrap().as_ref().unwrap();
        assert_eq!(prod.namespace.as_ref().unwrap().value, "p");
    }
}
