//! Dependencies from repositories, as Helm's `dependency update|build|list`, and publishing
//! with `package` and `push`.
//!
//! `update` resolves each Chart.yaml range ([`constraint`]) against its repository — a
//! `file://` folder, an HTTP repository's [`index`], or an [`oci`] registry, by URL or by a
//! name from Helm's [`repositories`] file — downloads the archives through the [`cache`],
//! unpacks them with the [`archive`] checks into `charts/NAME/` (the folder the chart loader
//! reads), and writes the [`lock`]. `build` fetches what the lock says. Every archive is
//! unpacked into a staging folder first, so a failure leaves `charts/` as it was.

pub mod archive;
pub mod cache;
pub mod cli;
pub mod constraint;
mod http;
pub mod index;
pub mod lock;
pub mod oci;
mod publish;
pub mod repositories;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::paths::shown;
use cache::Cache;
use constraint::Constraint;
use http::Http;
use lock::{Lock, Requirement};
use repositories::{Credentials, Repositories};

pub use publish::{package, push};

/// How dependency commands reach repositories.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use only the download cache.
    pub offline: bool,
    /// Talk to OCI registries over plain HTTP (a registry on 127.0.0.1).
    pub plain_http: bool,
    /// Helm's repositories file [default: Helm's].
    pub repository_config: Option<PathBuf>,
    /// The download cache [default: [`cache::default_dir`]].
    pub cache_dir: Option<PathBuf>,
    /// Credentials for OCI registries.
    pub credentials: Option<Credentials>,
}

/// What can go wrong reaching repositories and reading what they serve.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot reach `{url}`")]
    Unreachable {
        url: String,
        #[source]
        source: Box<ureq::Error>,
    },
    #[error("`{url}` answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("`{url}` is not a chart repository index")]
    BadIndex {
        url: String,
        #[source]
        source: Box<crate::error::Error>,
    },
    #[error("`{name}` in `{repository}`: {what}")]
    NotFound {
        name: String,
        repository: String,
        what: String,
    },
    #[error("no version of `{name}` in `{repository}` matches `{range}`")]
    NoMatch {
        name: String,
        range: String,
        repository: String,
        /// The available versions nearest the range, newest first.
        nearest: Vec<String>,
    },
    #[error("dependency `{name}` has version range `{range}` that bosun cannot read: {reason}")]
    Range {
        name: String,
        range: String,
        reason: String,
    },
    #[error(
        "the archive of `{name}` {version} has digest `{actual}`, not the `{expected}` its repository lists"
    )]
    Digest {
        name: String,
        version: String,
        expected: String,
        actual: String,
    },
    #[error("refused `{entry}` in `{archive}`: {reason}")]
    Archive {
        archive: String,
        entry: String,
        reason: String,
    },
    #[error("`{repository}`: {reason}")]
    Repository { repository: String, reason: String },
    #[error("no repository named `{name}`{}", file.as_ref().map(|f| format!(" in `{}`", shown(f))).unwrap_or_default())]
    UnknownRepository {
        name: String,
        file: Option<PathBuf>,
        known: Vec<String>,
    },
    #[error("the registry `{registry}` refused access{}", if *given { " with the credentials given" } else { "" })]
    Auth { registry: String, given: bool },
    #[error(
        "`{name}` {version} is not in the download cache `{}` and --offline forbids fetching it",
        shown(cache)
    )]
    Offline {
        name: String,
        version: String,
        cache: PathBuf,
    },
    #[error("`{}` has no Chart.lock", shown(chart))]
    NoLock { chart: PathBuf },
    #[error("`{}` is out of sync with its Chart.yaml's dependencies", shown(&chart.join("Chart.lock")))]
    OutOfSync { chart: PathBuf },
    #[error("the cache has no place: set BOSUN_CACHE_DIR or HOME")]
    NoCache,
}

impl Error {
    /// What to do about it.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Error::Unreachable { .. } => "check the URL and the network (a registry without TLS needs --plain-http); `bosun dep build --offline` works from the download cache alone".into(),
            Error::Status { status: 401 | 403, .. } => "the repository wants credentials: record them in Helm's repositories file (`helm repo add NAME URL --username ...`)".into(),
            Error::Status { status: 404, .. } => "check the repository URL and the chart's name".into(),
            Error::Status { .. } | Error::BadIndex { .. } => "check the repository URL".into(),
            Error::NotFound { .. } => "check the dependency's name and repository in Chart.yaml".into(),
            Error::NoMatch { nearest, .. } if nearest.is_empty() => "the repository holds no version of this chart: check its name".into(),
            Error::NoMatch { nearest, .. } => format!("nearest available versions: {}; widen the range in Chart.yaml", nearest.join(", ")),
            Error::Range { .. } => "write a range as Helm does: `1.2.3`, `^1.2`, `~1.2.3`, `>=1.0, <2.0`, `1.2.x`".into(),
            Error::Digest { .. } => "the archive is not the one the repository published (or it changed since): nothing was written; tell the repository's owner, or clear the cache entry if it is corrupt".into(),
            Error::Archive { .. } => "the archive is refused whole and nothing was written to charts/; ask its publisher for a clean archive".into(),
            Error::Repository { .. } => return None,
            Error::UnknownRepository { known, .. } if known.is_empty() => "add it with `helm repo add NAME URL`, or write the URL in Chart.yaml".into(),
            Error::UnknownRepository { known, .. } => format!("known repositories: {}", known.join(", ")),
            Error::Auth { given: false, .. } => "set BOSUN_REGISTRY_USERNAME and BOSUN_REGISTRY_PASSWORD".into(),
            Error::Auth { given: true, .. } => "check BOSUN_REGISTRY_USERNAME and BOSUN_REGISTRY_PASSWORD".into(),
            Error::Offline { .. } => "run `bosun dep build` once without --offline to fill the cache".into(),
            Error::NoLock { chart } => format!("run `bosun dep update {}` to resolve the ranges and write it", shown(chart)),
            Error::OutOfSync { chart } => format!("run `bosun dep update {}` to resolve Chart.yaml's dependencies again", shown(chart)),
            Error::NoCache => return None,
        })
    }
}

/// Checks `data` against a `sha256:` (or bare hex) digest.
fn verify(name: &str, version: &str, expected: &str, data: &[u8]) -> Result<(), Error> {
    let actual = format!("{:x}", Sha256::digest(data));
    let want = expected.strip_prefix("sha256:").unwrap_or(expected);
    if actual.eq_ignore_ascii_case(want) {
        Ok(())
    } else {
        Err(Error::Digest {
            name: name.to_string(),
            version: version.to_string(),
            expected: expected.to_string(),
            actual: format!("sha256:{actual}"),
        })
    }
}

/// Where a dependency comes from.
enum Source {
    /// On disk: a `file://` folder, or `charts/NAME` when no repository is named.
    Local(PathBuf),
    /// The service library built into bosun (`bosun://service`): nothing to fetch.
    Builtin,
    Http(String),
    Oci(String),
}

/// One command's reach: repositories file, HTTP client, cache, indexes read so far.
struct Session {
    options: Options,
    repositories: Repositories,
    http: Http,
    cache: Cache,
    indexes: HashMap<String, index::Repository>,
}

impl Session {
    fn new(options: &Options) -> Result<Session, crate::error::Error> {
        let cache_dir = options
            .cache_dir
            .clone()
            .or_else(cache::default_dir)
            .ok_or(Error::NoCache)?;
        Ok(Session {
            options: options.clone(),
            repositories: Repositories::read(options.repository_config.as_deref())?,
            http: Http::new(),
            cache: Cache { dir: cache_dir },
            indexes: HashMap::new(),
        })
    }

    /// Chart.yaml's dependencies with `@name` repositories replaced by their URLs, as Helm
    /// hashes and locks them.
    fn requirements(&self, chart_dir: &Path) -> Result<Vec<Requirement>, crate::error::Error> {
        let mut requirements = lock::requirements(chart_dir)?;
        for req in &mut requirements {
            req.repository = self.repositories.resolve(&req.repository)?;
        }
        Ok(requirements)
    }

    fn source(&self, chart_dir: &Path, req: &Requirement) -> Result<Source, Error> {
        let url = self.repositories.resolve(&req.repository)?;
        Ok(if crate::library::is_builtin(&url) {
            Source::Builtin
        } else if url.is_empty() {
            Source::Local(chart_dir.join("charts").join(&req.name))
        } else if let Some(path) = url.strip_prefix("file://") {
            Source::Local(chart_dir.join(path))
        } else if url.starts_with("oci://") {
            Source::Oci(url)
        } else if url.starts_with("http://") || url.starts_with("https://") {
            Source::Http(url)
        } else {
            return Err(Error::Repository {
                repository: req.repository.clone(),
                reason: "a repository is `file://PATH`, `https://URL`, `oci://HOST/PATH`, `@NAME` from Helm's repositories file, or `bosun://service` (the built-in library)".into(),
            });
        })
    }

    fn index(&mut self, url: &str) -> Result<&index::Repository, Error> {
        if !self.indexes.contains_key(url) {
            let credentials = self.repositories.credentials(url);
            let repo = index::Repository::fetch(&self.http, url, credentials)?;
            self.indexes.insert(url.to_string(), repo);
        }
        Ok(&self.indexes[url])
    }

    fn registry(&self, url: &str) -> Result<oci::Registry<'_>, Error> {
        oci::Registry::new(
            &self.http,
            url,
            self.options.plain_http,
            self.options.credentials.clone(),
        )
    }

    /// The newest version of `req` its range allows.
    fn resolve(
        &mut self,
        chart_dir: &Path,
        req: &Requirement,
    ) -> Result<String, crate::error::Error> {
        let range = if req.version.is_empty() {
            "*"
        } else {
            &req.version
        };
        let constraint = Constraint::parse(range).map_err(|reason| Error::Range {
            name: req.name.clone(),
            range: range.to_string(),
            reason,
        })?;
        let (available, repository) = match self.source(chart_dir, req)? {
            Source::Local(dir) => {
                let chart = crate::chart::Chart::load(&dir)?;
                (vec![chart.metadata.version.clone()], shown(&dir))
            }
            Source::Builtin => (
                vec![crate::library::VERSION.to_string()],
                crate::library::REPOSITORY.to_string(),
            ),
            Source::Http(url) => {
                let index = self.index(&url)?;
                let versions = index.versions(&req.name).ok_or_else(|| Error::NotFound {
                    name: req.name.clone(),
                    repository: url.clone(),
                    what: "the repository's index does not list this chart".into(),
                })?;
                (versions.iter().map(|e| e.version.clone()).collect(), url)
            }
            Source::Oci(url) => (self.registry(&url)?.versions(&req.name)?, url),
        };
        let mut parsed: Vec<semver::Version> = available
            .iter()
            .filter_map(|v| semver::Version::parse(v.trim_start_matches('v')).ok())
            .collect();
        if let Some(best) = constraint.best(&parsed) {
            // Keep the version as the repository spells it.
            let best = best.to_string();
            return Ok(available
                .into_iter()
                .find(|v| v.trim_start_matches('v') == best)
                .unwrap_or(best));
        }
        parsed.dedup();
        Err(Error::NoMatch {
            name: req.name.clone(),
            range: range.to_string(),
            repository,
            nearest: nearest(&constraint, &parsed),
        }
        .into())
    }

    /// The archive of `name` `version` from `source`: from the cache, else downloaded,
    /// checked, and cached.
    fn archive(&mut self, source: &Source, name: &str, version: &str) -> Result<Vec<u8>, Error> {
        let url = match source {
            Source::Http(url) | Source::Oci(url) => url.clone(),
            Source::Local(_) | Source::Builtin => {
                unreachable!("local dependencies are not fetched")
            }
        };
        let path = self.cache.path(&url, name, version);
        if let Some(data) = self.cache.get(&path) {
            return Ok(data);
        }
        if self.options.offline {
            return Err(Error::Offline {
                name: name.to_string(),
                version: version.to_string(),
                cache: self.cache.dir.clone(),
            });
        }
        let data = match source {
            Source::Http(url) => {
                let index = self.index(url)?;
                let entry = index
                    .versions(name)
                    .and_then(|all| all.iter().find(|e| e.version == version))
                    .ok_or_else(|| Error::NotFound {
                        name: name.to_string(),
                        repository: url.clone(),
                        what: format!("the index does not list version {version}"),
                    })?
                    .clone();
                let index = &self.indexes[url.as_str()];
                index.download(&self.http, name, &entry)?
            }
            Source::Oci(url) => self.registry(url)?.pull(name, version)?,
            Source::Local(_) | Source::Builtin => unreachable!(),
        };
        self.cache.put(&path, &data);
        Ok(data)
    }
}

/// Up to five available versions around where the range starts (three below, two above),
/// newest first.
fn nearest(constraint: &Constraint, versions: &[semver::Version]) -> Vec<String> {
    let mut sorted: Vec<&semver::Version> = versions.iter().collect();
    sorted.sort_by(|a, b| a.cmp_precedence(b));
    let at = constraint.anchor().map_or(sorted.len(), |anchor| {
        sorted.partition_point(|v| v.cmp_precedence(anchor).is_lt())
    });
    let end = (at.saturating_sub(3) + 5).min(sorted.len());
    let start = end.saturating_sub(5);
    sorted[start..end]
        .iter()
        .rev()
        .map(ToString::to_string)
        .collect()
}

/// True when `charts/NAME` holds `name` at `version`.
fn present(chart_dir: &Path, name: &str, version: &str) -> bool {
    holds(&chart_dir.join("charts").join(name), name, version)
}

/// True when the chart folder `dir` holds `name` at `version`.
fn holds(dir: &Path, name: &str, version: &str) -> bool {
    let path = dir.join("Chart.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return false;
    };
    let Ok(fields) = crate::yaml::parse_value(&text) else {
        return false;
    };
    let field = |key: &str| fields.get(key).and_then(|v| v.as_str()).map(str::to_string);
    field("name").as_deref() == Some(name) && field("version").as_deref() == Some(version)
}

/// Fetches and unpacks each `(requirement, version)` not already in `charts/`, all or none.
/// Returns the names fetched.
fn install(
    session: &mut Session,
    chart_dir: &Path,
    wanted: &[(Requirement, String)],
) -> Result<Vec<String>, crate::error::Error> {
    let staging = tempfile::Builder::new()
        .prefix(".bosun-dep-")
        .tempdir_in(chart_dir)
        .map_err(|source| crate::error::Error::Write {
            path: chart_dir.to_path_buf(),
            source,
        })?;
    let mut staged = Vec::new();
    for (req, version) in wanted {
        let source = session.source(chart_dir, req)?;
        if matches!(source, Source::Local(_) | Source::Builtin)
            || present(chart_dir, &req.name, version)
        {
            continue;
        }
        let data = session.archive(&source, &req.name, version)?;
        let label = format!("{}-{version}.tgz", req.name);
        let (_, entries) = archive::read(&label, &data)?;
        let dest = staging.path().join(&req.name);
        archive::write_into(&dest, &entries)?;
        if !holds(&dest, &req.name, version) {
            return Err(Error::Archive {
                archive: label,
                entry: "Chart.yaml".into(),
                reason: format!("it does not hold chart `{}` version {version}", req.name),
            }
            .into());
        }
        staged.push(req.name.clone());
    }
    if staged.is_empty() {
        return Ok(staged);
    }
    let charts = chart_dir.join("charts");
    std::fs::create_dir_all(&charts).map_err(|source| crate::error::Error::Write {
        path: charts.clone(),
        source,
    })?;
    for name in &staged {
        let target = charts.join(name);
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|source| crate::error::Error::Write {
                path: target.clone(),
                source,
            })?;
        }
        std::fs::rename(staging.path().join(name), &target).map_err(|source| {
            crate::error::Error::Write {
                path: target,
                source,
            }
        })?;
        remove_archives(&charts, name)?;
    }
    Ok(staged)
}

/// Removes `charts/NAME-VERSION.tgz` (as `helm dependency build` leaves them) once
/// `charts/NAME/` holds the chart, so the chart never carries it twice.
fn remove_archives(charts: &Path, name: &str) -> Result<(), crate::error::Error> {
    let Ok(entries) = std::fs::read_dir(charts) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let version = file
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.strip_suffix(".tgz"));
        if version.is_some_and(|v| semver::Version::parse(v).is_ok()) {
            let path = entry.path();
            std::fs::remove_file(&path)
                .map_err(|source| crate::error::Error::Write { path, source })?;
        }
    }
    Ok(())
}

/// `bosun dep update`: resolves every range, fetches, writes Chart.lock. Returns the lock.
pub fn update(chart_dir: &Path, options: &Options) -> Result<Lock, crate::error::Error> {
    let mut session = Session::new(options)?;
    let requirements = session.requirements(chart_dir)?;
    let mut wanted = Vec::new();
    for req in &requirements {
        let version = session.resolve(chart_dir, req)?;
        wanted.push((req.clone(), version));
    }
    install(&mut session, chart_dir, &wanted)?;
    let locked = wanted
        .into_iter()
        .map(|(req, version)| Requirement {
            name: req.name,
            repository: req.repository,
            version,
            ..Requirement::default()
        })
        .collect();
    let lock = Lock::new(&requirements, locked);
    lock.write(chart_dir)?;
    Ok(lock)
}

/// `bosun dep build`: fetches what Chart.lock says. Returns the names fetched (none when
/// `charts/` already matched).
pub fn build(chart_dir: &Path, options: &Options) -> Result<Vec<String>, crate::error::Error> {
    let mut session = Session::new(options)?;
    let requirements = session.requirements(chart_dir)?;
    let lock = Lock::read(chart_dir)?.ok_or_else(|| Error::NoLock {
        chart: chart_dir.to_path_buf(),
    })?;
    if !lock.matches(&requirements) {
        return Err(Error::OutOfSync {
            chart: chart_dir.to_path_buf(),
        }
        .into());
    }
    let wanted: Vec<(Requirement, String)> = lock
        .dependencies
        .iter()
        .map(|d| (d.clone(), d.version.clone()))
        .collect();
    install(&mut session, chart_dir, &wanted)
}

/// One line of `bosun dep list`.
pub struct Listed {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub status: &'static str,
}

/// `bosun dep list`: each dependency, its range, repository and whether `charts/` has it.
pub fn list(chart_dir: &Path) -> Result<Vec<Listed>, crate::error::Error> {
    let requirements = lock::requirements(chart_dir)?;
    let lock = Lock::read(chart_dir)?;
    let repositories = Repositories::default();
    Ok(requirements
        .iter()
        .map(|req| {
            let locked = lock
                .as_ref()
                .and_then(|l| l.dependencies.iter().find(|d| d.name == req.name))
                .map(|d| d.version.clone());
            let local = match repositories.resolve(&req.repository) {
                Ok(url) if url.is_empty() => Some(chart_dir.join("charts").join(&req.name)),
                Ok(url) => url.strip_prefix("file://").map(|p| chart_dir.join(p)),
                Err(_) => None,
            };
            let status = match (local, locked) {
                _ if crate::library::is_builtin(&req.repository) => "built in",
                (Some(dir), _) if dir.join("Chart.yaml").is_file() => "ok",
                (Some(_), _) => "missing",
                (None, Some(version)) if present(chart_dir, &req.name, &version) => "ok",
                (None, Some(_)) if chart_dir.join("charts").join(&req.name).is_dir() => {
                    "wrong version"
                }
                (None, Some(_)) => "missing",
                (None, None) => "not locked",
            };
            Listed {
                name: req.name.clone(),
                version: req.version.clone(),
                repository: req.repository.clone(),
                status,
            }
        })
        .collect())
}
