//! OCI registries (`oci://host/path`) through the registry HTTP API v2, with Helm's media
//! types: anonymous or basic access, and bearer tokens where the registry hands them out.

use std::cell::RefCell;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::Error;
use super::http::{Http, Reply, basic, encode};
use super::repositories::Credentials;

pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
pub const CHART_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// How many pages of tags bosun reads before it stops (a guard against a looping `Link`).
const MAX_TAG_PAGES: usize = 100;

/// A registry and the repository path under it (`oci://localhost:5000/charts` →
/// `localhost:5000`, `charts`).
pub struct Registry<'a> {
    http: &'a Http,
    base: String,
    path: String,
    credentials: Option<Credentials>,
    authorization: RefCell<Option<String>>,
}

/// Helm writes `+` in a version as `_` in a tag, which may not hold `+`.
pub fn tag(version: &str) -> String {
    version.replace('+', "_")
}

impl<'a> Registry<'a> {
    pub fn new(
        http: &'a Http,
        reference: &str,
        plain_http: bool,
        credentials: Option<Credentials>,
    ) -> Result<Self, Error> {
        let rest = reference
            .strip_prefix("oci://")
            .ok_or_else(|| Error::Repository {
                repository: reference.to_string(),
                reason: "an OCI reference starts with `oci://`".into(),
            })?
            .trim_end_matches('/');
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let scheme = if plain_http { "http" } else { "https" };
        Ok(Registry {
            http,
            base: format!("{scheme}://{host}"),
            path: path.to_string(),
            credentials,
            authorization: RefCell::new(None),
        })
    }

    fn repository(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.path)
        }
    }

    /// Sends a request, answering the registry's challenge once when it asks for one.
    fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&'static str, String)],
        body: &[u8],
    ) -> Result<Reply, Error> {
        let with_auth = |headers: &[(&'static str, String)]| {
            let mut all: Vec<(&'static str, String)> = headers.to_vec();
            if let Some(value) = self.authorization.borrow().clone() {
                all.push(("Authorization", value));
            }
            all
        };
        let reply = self.http.send(method, url, &with_auth(headers), body)?;
        if reply.status != 401 {
            return Ok(reply);
        }
        let challenge = reply.header("www-authenticate").unwrap_or("").to_string();
        let answer = self.answer(&challenge, url)?;
        *self.authorization.borrow_mut() = Some(answer);
        let reply = self.http.send(method, url, &with_auth(headers), body)?;
        if reply.status == 401 {
            return Err(Error::Auth {
                registry: self.base.clone(),
                given: self.credentials.is_some(),
            });
        }
        Ok(reply)
    }

    /// The `Authorization` value that answers `challenge`.
    fn answer(&self, challenge: &str, url: &str) -> Result<String, Error> {
        let (scheme, params) = challenge.split_once(' ').unwrap_or((challenge, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            let c = self.credentials.as_ref().ok_or_else(|| Error::Auth {
                registry: self.base.clone(),
                given: false,
            })?;
            return Ok(basic(&c.username, &c.password));
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(Error::Status {
                url: url.to_string(),
                status: 401,
            });
        }
        let mut realm = String::new();
        let mut query = Vec::new();
        for param in split_params(params) {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            let value = value.trim_matches('"');
            if key.trim() == "realm" {
                realm = value.to_string();
            } else {
                query.push(format!("{}={}", key.trim(), encode(value)));
            }
        }
        let token_url = format!("{realm}?{}", query.join("&"));
        let headers: Vec<(&str, String)> = self
            .credentials
            .iter()
            .map(|c| ("Authorization", basic(&c.username, &c.password)))
            .collect();
        let reply = self.http.get(&token_url, &headers)?;
        if reply.status != 200 {
            return Err(Error::Auth {
                registry: self.base.clone(),
                given: self.credentials.is_some(),
            });
        }
        let body: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        let token = body
            .get("token")
            .or_else(|| body.get("access_token"))
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Auth {
                registry: self.base.clone(),
                given: self.credentials.is_some(),
            })?;
        Ok(format!("Bearer {token}"))
    }

    /// The chart's versions, from the registry's tags (following `Link: <...>; rel="next"`
    /// pages, as Docker Hub and others paginate).
    pub fn versions(&self, name: &str) -> Result<Vec<String>, Error> {
        let mut url = format!("{}/v2/{}/tags/list", self.base, self.repository(name));
        let mut versions = Vec::new();
        for _ in 0..MAX_TAG_PAGES {
            let reply = self.send("GET", &url, &[], &[])?;
            match reply.status {
                200 => {}
                404 => break,
                status => return Err(Error::Status { url, status }),
            }
            let body: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
            versions.extend(
                body.get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|t| t.replace('_', "+")),
            );
            match reply.header("link").and_then(next_page).map(str::to_string) {
                Some(next) if next.starts_with('/') => url = format!("{}{next}", self.base),
                Some(next) => url = next,
                None => break,
            }
        }
        Ok(versions)
    }

    /// Downloads the chart archive of `name:version`, checked against its digest.
    pub fn pull(&self, name: &str, version: &str) -> Result<Vec<u8>, Error> {
        let repository = self.repository(name);
        let url = format!("{}/v2/{repository}/manifests/{}", self.base, tag(version));
        let accept = [("Accept", MANIFEST_MEDIA_TYPE.to_string())];
        let reply = self.send("GET", &url, &accept, &[])?;
        if reply.status == 404 {
            return Err(Error::NotFound {
                name: name.to_string(),
                repository: format!("oci://{}", url_host_path(&self.base, &self.path)),
                what: format!("no tag `{}`", tag(version)),
            });
        }
        if reply.status != 200 {
            return Err(Error::Status {
                url,
                status: reply.status,
            });
        }
        let manifest: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        let layer = manifest
            .get("layers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|l| {
                matches!(
                    l.get("mediaType").and_then(Value::as_str),
                    Some(CHART_MEDIA_TYPE | "application/tar+gzip")
                )
            })
            .and_then(|l| l.get("digest").and_then(Value::as_str))
            .ok_or_else(|| Error::NotFound {
                name: name.to_string(),
                repository: format!("oci://{}", url_host_path(&self.base, &self.path)),
                what: format!("`{}` is not a Helm chart (no chart layer)", tag(version)),
            })?
            .to_string();
        let blob_url = format!("{}/v2/{repository}/blobs/{layer}", self.base);
        let reply = self.send("GET", &blob_url, &[], &[])?;
        if reply.status != 200 {
            return Err(Error::Status {
                url: blob_url,
                status: reply.status,
            });
        }
        super::verify(name, version, &layer, &reply.body)?;
        Ok(reply.body)
    }

    /// Pushes a chart archive as Helm does: config blob, chart layer, manifest tagged with
    /// the version. Returns the manifest's digest.
    pub fn push(
        &self,
        name: &str,
        version: &str,
        config: &[u8],
        archive: &[u8],
    ) -> Result<String, Error> {
        let repository = self.repository(name);
        let config_digest = self.upload(&repository, config)?;
        let chart_digest = self.upload(&repository, archive)?;
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": MANIFEST_MEDIA_TYPE,
            "config": {"mediaType": CONFIG_MEDIA_TYPE, "digest": config_digest, "size": config.len()},
            "layers": [{"mediaType": CHART_MEDIA_TYPE, "digest": chart_digest, "size": archive.len()}],
            "annotations": {
                "org.opencontainers.image.title": name,
                "org.opencontainers.image.version": version,
            },
        });
        let body = serde_json::to_vec(&manifest).unwrap_or_default();
        let url = format!("{}/v2/{repository}/manifests/{}", self.base, tag(version));
        let reply = self.send(
            "PUT",
            &url,
            &[("Content-Type", MANIFEST_MEDIA_TYPE.to_string())],
            &body,
        )?;
        if reply.status != 201 && reply.status != 200 {
            return Err(Error::Status {
                url,
                status: reply.status,
            });
        }
        Ok(sha256(&body))
    }

    /// Uploads a blob unless the registry has it; returns its digest.
    fn upload(&self, repository: &str, data: &[u8]) -> Result<String, Error> {
        let digest = sha256(data);
        let head = format!("{}/v2/{repository}/blobs/{digest}", self.base);
        if self.send("HEAD", &head, &[], &[])?.status == 200 {
            return Ok(digest);
        }
        let start = format!("{}/v2/{repository}/blobs/uploads/", self.base);
        let reply = self.send("POST", &start, &[], &[])?;
        let location = reply
            .header("location")
            .filter(|_| reply.status == 202)
            .ok_or(Error::Status {
                url: start.clone(),
                status: reply.status,
            })?;
        let location = if location.starts_with('/') {
            format!("{}{location}", self.base)
        } else {
            location.to_string()
        };
        let separator = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{separator}digest={}", encode(&digest));
        let reply = self.send(
            "PUT",
            &url,
            &[("Content-Type", "application/octet-stream".to_string())],
            data,
        )?;
        if reply.status != 201 {
            return Err(Error::Status {
                url: start,
                status: reply.status,
            });
        }
        Ok(digest)
    }
}

/// The target of a `Link: <URL>; rel="next"` header.
fn next_page(link: &str) -> Option<&str> {
    link.split(',')
        .find(|part| part.contains("rel=\"next\"") || part.contains("rel=next"))
        .and_then(|part| part.split_once('<'))
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(target, _)| target)
}

fn url_host_path(base: &str, path: &str) -> String {
    let host = base.split_once("://").map_or(base, |(_, h)| h);
    if path.is_empty() {
        host.to_string()
    } else {
        format!("{host}/{path}")
    }
}

fn sha256(data: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(data))
}

/// Splits `a="x,y",b=z` at the commas outside quotes.
fn split_params(params: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in params.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(params[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(params[start..].trim());
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_of_tags_comes_from_the_link_header() {
        assert_eq!(
            next_page(r#"</v2/charts/db/tags/list?last=1.2.0&n=100>; rel="next""#),
            Some("/v2/charts/db/tags/list?last=1.2.0&n=100")
        );
        assert_eq!(next_page(r#"</v2/x>; rel="prev""#), None);
    }

    #[test]
    fn a_bearer_challenge_splits_at_commas_outside_quotes() {
        assert_eq!(
            split_params(
                r#"realm="https://auth.example/token",service="reg",scope="repository:a/b:pull,push""#
            ),
            [
                r#"realm="https://auth.example/token""#,
                r#"service="reg""#,
                r#"scope="repository:a/b:pull,push""#
            ]
        );
    }
}
