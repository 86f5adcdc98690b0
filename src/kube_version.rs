//! A Kubernetes `MAJOR.MINOR` version: what `--kube-version` reads, what schemas are bundled
//! for, and what templates see as `capabilities.kube_version`.

use crate::error::Error;

/// A Kubernetes `MAJOR.MINOR` version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub major: u64,
    pub minor: u64,
}

impl KubeVersion {
    /// Reads `1.35`, `v1.35` or `1.35.2` (the patch is ignored).
    pub fn parse(text: &str) -> Result<KubeVersion, Error> {
        let bad = || Error::KubeVersion(text.to_string());
        let trimmed = text.trim().trim_start_matches('v');
        let mut parts = trimmed.split('.');
        let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        if parts.next().is_some_and(|p| p.parse::<u64>().is_err()) || parts.next().is_some() {
            return Err(bad());
        }
        Ok(KubeVersion { major, minor })
    }

    /// `v1.35.0`, as a cluster reports its version (`capabilities.kube_version.version`).
    pub fn git_version(&self) -> String {
        format!("v{}.{}.0", self.major, self.minor)
    }
}

/// `1.35`, as bosun's messages and `--kube-version` spell it.
impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::KubeVersion;

    #[test]
    fn kube_versions_parse_loosely_but_not_garbage() {
        assert_eq!(
            KubeVersion::parse("1.30").unwrap(),
            KubeVersion {
                major: 1,
                minor: 30
            }
        );
        assert_eq!(KubeVersion::parse("v1.31.4").unwrap().minor, 31);
        for bad in ["", "1", "one.two", "1.30.x", "1.2.3.4"] {
            assert!(KubeVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_version_prints_as_bosun_spells_it_and_as_a_cluster_reports_it() {
        let version = KubeVersion::parse("v1.35.2").unwrap();
        assert_eq!(
            (version.to_string(), version.git_version()),
            ("1.35".into(), "v1.35.0".into())
        );
    }
}
