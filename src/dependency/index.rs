//! HTTP(S) chart repositories: `index.yaml` lists each chart's versions, archive URLs and
//! digests.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Error;
use super::http::{Http, basic};
use super::repositories::Credentials;

#[derive(Debug, Deserialize)]
struct Index {
    #[serde(default)]
    entries: BTreeMap<String, Vec<IndexEntry>>,
}

/// One version of one chart in an index.
#[derive(Debug, Clone, Deserialize)]
pub struct IndexEntry {
    pub version: String,
    #[serde(default)]
    pub urls: Vec<String>,
    #[serde(default)]
    pub digest: Option<String>,
}

/// A repository's index, read once per command.
pub struct Repository {
    pub url: String,
    credentials: Option<Credentials>,
    entries: BTreeMap<String, Vec<IndexEntry>>,
}

fn auth(credentials: &Option<Credentials>) -> Vec<(&'static str, String)> {
    credentials
        .iter()
        .map(|c| ("Authorization", basic(&c.username, &c.password)))
        .collect()
}

impl Repository {
    /// Downloads and reads `url/index.yaml`.
    pub fn fetch(http: &Http, url: &str, credentials: Option<Credentials>) -> Result<Self, Error> {
        let url = url.trim_end_matches('/').to_string();
        let index_url = format!("{url}/index.yaml");
        let reply = http.get(&index_url, &auth(&credentials))?;
        if reply.status != 200 {
            return Err(Error::Status {
                url: index_url,
                status: reply.status,
            });
        }
        let text = String::from_utf8_lossy(&reply.body);
        let index: Index =
            crate::yaml::parse_typed(&index_url, &text).map_err(|e| Error::BadIndex {
                url: index_url.clone(),
                source: Box::new(e),
            })?;
        Ok(Repository {
            url,
            credentials,
            entries: index.entries,
        })
    }

    /// Every version of `name` the repository lists.
    pub fn versions(&self, name: &str) -> Option<&[IndexEntry]> {
        self.entries.get(name).map(Vec::as_slice)
    }

    /// Downloads the archive of `entry`, checking it against the index's digest.
    pub fn download(&self, http: &Http, name: &str, entry: &IndexEntry) -> Result<Vec<u8>, Error> {
        let first = entry.urls.first().ok_or_else(|| Error::NotFound {
            name: name.to_string(),
            repository: self.url.clone(),
            what: format!("version {} lists no archive URL", entry.version),
        })?;
        let url = if first.contains("://") {
            first.clone()
        } else {
            format!("{}/{}", self.url, first.trim_start_matches("./"))
        };
        // As Helm (without --pass-credentials), credentials go only to the repository's own
        // URL, never to an archive hosted elsewhere.
        let headers = if url.starts_with(&format!("{}/", self.url)) {
            auth(&self.credentials)
        } else {
            Vec::new()
        };
        let reply = http.get(&url, &headers)?;
        if reply.status != 200 {
            return Err(Error::Status {
                url,
                status: reply.status,
            });
        }
        if let Some(expected) = entry.digest.as_deref().filter(|d| !d.is_empty()) {
            super::verify(name, &entry.version, expected, &reply.body)?;
        }
        Ok(reply.body)
    }
}
