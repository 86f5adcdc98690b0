//! Changes that say nothing about behaviour: only labels or annotations that carry a chart or
//! app version, or only checksum annotations. A report groups them into one line per kind
//! instead of a diff per resource (what they cause, such as a pod restart, is still reported).

use serde::Serialize;

/// The kind of noise a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Noise {
    /// Only labels or annotations that carry a chart or app version.
    VersionLabels,
    /// Only checksum annotations.
    Checksums,
    /// Only those two together.
    VersionLabelsAndChecksums,
}

impl Noise {
    /// How a report names it.
    pub fn describe(self) -> &'static str {
        match self {
            Noise::VersionLabels => "only chart or app version labels changed",
            Noise::Checksums => "only checksum annotations changed",
            Noise::VersionLabelsAndChecksums => {
                "only chart or app version labels and checksum annotations changed"
            }
        }
    }
}

/// The kind of noise a change of these paths is, if it is only noise.
pub(in crate::diff) fn classify(paths: &[String]) -> Option<Noise> {
    let (mut versions, mut checksums) = (false, false);
    for path in paths {
        match key(path) {
            Some(key) if is_version(key) => versions = true,
            Some(key) if is_checksum(key) && path_is_annotation(path) => checksums = true,
            _ => return None,
        }
    }
    match (versions, checksums) {
        (true, false) => Some(Noise::VersionLabels),
        (false, true) => Some(Noise::Checksums),
        (true, true) => Some(Noise::VersionLabelsAndChecksums),
        (false, false) => None,
    }
}

/// The label or annotation key a path ends in (keys hold dots, so it is the rest of the path).
fn key(path: &str) -> Option<&str> {
    ["labels.", "annotations."].iter().find_map(|map| {
        if let Some(rest) = path
            .strip_prefix("metadata.")
            .and_then(|p| p.strip_prefix(map))
        {
            return Some(rest);
        }
        path.find(&format!(".metadata.{map}"))
            .map(|i| &path[i + ".metadata.".len() + map.len()..])
    })
}

fn path_is_annotation(path: &str) -> bool {
    path.starts_with("metadata.annotations.") || path.contains(".metadata.annotations.")
}

fn is_version(key: &str) -> bool {
    matches!(
        key,
        "helm.sh/chart" | "chart" | "app.kubernetes.io/version" | "version"
    ) || key.ends_with("/version")
        || key.ends_with("/chart-version")
}

fn is_checksum(key: &str) -> bool {
    key.starts_with("checksum/") || key.contains("checksum")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn version_labels_and_checksums_are_noise_and_nothing_else_is() {
        assert_eq!(
            classify(&paths(&[
                "metadata.labels.helm.sh/chart",
                "spec.template.metadata.labels.app.kubernetes.io/version"
            ])),
            Some(Noise::VersionLabels)
        );
        assert_eq!(
            classify(&paths(&[
                "spec.template.metadata.annotations.checksum/config"
            ])),
            Some(Noise::Checksums)
        );
        assert_eq!(
            classify(&paths(&["metadata.labels.checksum/config"])),
            None,
            "a checksum label is not a checksum annotation"
        );
        assert_eq!(
            classify(&paths(&["metadata.labels.helm.sh/chart", "spec.replicas"])),
            None
        );
    }
}
