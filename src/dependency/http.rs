//! One HTTP client for chart repositories and registries: ureq over rustls, status codes
//! returned rather than raised (a registry answers 401 to ask for credentials), bodies bounded.

use std::time::Duration;

use ureq::http::{Request, Response};

use super::Error;

/// The largest response bosun reads: an index.yaml of a big repository, or an archive.
const MAX_BODY: u64 = 256 * 1024 * 1024;

pub struct Http {
    agent: ureq::Agent,
}

/// A response with its body read.
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Http {
    pub fn new() -> Http {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(300)))
            .build();
        Http {
            agent: config.into(),
        }
    }

    /// Sends `method url` with `headers` and `body`; an error only when no answer came.
    pub fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> Result<Reply, Error> {
        let mut request = Request::builder().method(method).uri(url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let unreachable = |source: ureq::Error| Error::Unreachable {
            url: url.to_string(),
            source: Box::new(source),
        };
        let request = request
            .body(body.to_vec())
            .map_err(|e| Error::Unreachable {
                url: url.to_string(),
                source: Box::new(ureq::Error::Http(e)),
            })?;
        let response: Response<ureq::Body> = self.agent.run(request).map_err(unreachable)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(unreachable)?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    pub fn get(&self, url: &str, headers: &[(&str, String)]) -> Result<Reply, Error> {
        self.send("GET", url, headers, &[])
    }
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// `Basic` credentials for a header.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
