//! Chart.lock, as Helm writes and reads it: the resolved version of each dependency, a digest
//! of Chart.yaml's dependencies with the resolved list (so a changed Chart.yaml is noticed),
//! and the time it was generated. Helm and bosun can share one lock.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::yaml;

/// One entry of Chart.yaml's `dependencies`, every field Helm hashes, in Helm's field order
/// (the digest is of Helm's JSON encoding of this struct).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Requirement {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default)]
    pub repository: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub condition: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub enabled: bool,
    #[serde(
        default,
        rename = "import-values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub import_values: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alias: String,
}

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Debug, Deserialize)]
struct ChartYaml {
    #[serde(default)]
    dependencies: Vec<Requirement>,
}

/// Chart.yaml's dependencies.
pub fn requirements(chart_dir: &Path) -> Result<Vec<Requirement>, Error> {
    let path = chart_dir.join("Chart.yaml");
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    let chart: ChartYaml = yaml::parse_typed(&path.display().to_string(), &text)?;
    Ok(chart.dependencies)
}

/// Chart.lock's contents.
#[derive(Debug, Clone, Deserialize)]
pub struct Lock {
    pub dependencies: Vec<Requirement>,
    pub digest: String,
    #[serde(default)]
    pub generated: String,
}

impl Lock {
    /// A new lock of `locked` (name, repository, version each) for `requirements`.
    pub fn new(requirements: &[Requirement], locked: Vec<Requirement>) -> Lock {
        Lock {
            digest: digest(requirements, &locked),
            dependencies: locked,
            generated: now_rfc3339(),
        }
    }

    /// Reads `Chart.lock` of the chart, if it has one.
    pub fn read(chart_dir: &Path) -> Result<Option<Lock>, Error> {
        let path = chart_dir.join("Chart.lock");
        match std::fs::read_to_string(&path) {
            Ok(text) => yaml::parse_typed(&path.display().to_string(), &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Read { path, source }),
        }
    }

    /// True when the lock was made for these requirements (Helm's "out of sync" check).
    pub fn matches(&self, requirements: &[Requirement]) -> bool {
        self.digest == digest(requirements, &self.dependencies)
    }

    /// Writes the lock in Helm's layout (keys sorted, as Helm's YAML encoder writes them).
    pub fn write(&self, chart_dir: &Path) -> Result<(), Error> {
        let mut text = String::from("dependencies:\n");
        for dep in &self.dependencies {
            text.push_str(&format!("- name: {}\n", scalar(&dep.name)));
            text.push_str(&format!("  repository: {}\n", scalar(&dep.repository)));
            text.push_str(&format!("  version: {}\n", scalar(&dep.version)));
        }
        text.push_str(&format!("digest: {}\n", self.digest));
        text.push_str(&format!("generated: \"{}\"\n", self.generated));
        let path = chart_dir.join("Chart.lock");
        std::fs::write(&path, text).map_err(|source| Error::Write { path, source })
    }
}

/// A YAML scalar: plain when that reads back as the same string, else double-quoted.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:@-+~".contains(c))
        && !s.starts_with(['@', '-', '~', ':'])
        && !matches!(s, "true" | "false" | "null" | "yes" | "no" | "on" | "off")
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// `sha256:` of Helm's JSON encoding of `[requirements, locked]` (Go escapes `<`, `>` and `&`
/// in strings, so this does too: ranges such as `>=1.0` must hash as Helm hashes them).
pub fn digest(requirements: &[Requirement], locked: &[Requirement]) -> String {
    let json = serde_json::to_string(&(requirements, locked)).unwrap_or_default();
    let json = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("sha256:{:x}", Sha256::digest(json.as_bytes()))
}

/// The current time as Go's RFC 3339 with nanoseconds, in UTC.
fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        now.subsec_nanos()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_helms_json_with_go_escapes() {
        let req = vec![Requirement {
            name: "db".into(),
            version: ">=1.0.0".into(),
            repository: "https://example.com/charts".into(),
            ..Requirement::default()
        }];
        let lock = vec![Requirement {
            name: "db".into(),
            version: "1.2.0".into(),
            repository: "https://example.com/charts".into(),
            ..Requirement::default()
        }];
        let json = r#"[[{"name":"db","version":"\u003e=1.0.0","repository":"https://example.com/charts"}],[{"name":"db","version":"1.2.0","repository":"https://example.com/charts"}]]"#;
        assert_eq!(
            digest(&req, &lock),
            format!("sha256:{:x}", Sha256::digest(json.as_bytes()))
        );
    }

    #[test]
    fn generated_reads_as_a_timestamp() {
        let now = now_rfc3339();
        assert_eq!(now.len(), "2026-01-01T00:00:00.000000000Z".len(), "{now}");
        assert!(now.starts_with("20"), "{now}");
    }
}
