//! Helm's repositories file (`helm repo add` writes it): names for repository URLs, with
//! their credentials. A dependency names one as `@name` or `alias:name`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Error;

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
}

/// A user name and password for a repository or registry.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Repositories {
    #[serde(default)]
    pub repositories: Vec<Entry>,
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// Where Helm keeps the file: $HELM_REPOSITORY_CONFIG, else helm/repositories.yaml in the
/// user's config folder.
pub fn default_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HELM_REPOSITORY_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(config.join("helm").join("repositories.yaml"))
}

impl Repositories {
    /// Reads the file at `path` (or Helm's default); a missing file names no repository.
    pub fn read(path: Option<&Path>) -> Result<Repositories, crate::error::Error> {
        let Some(path) = path.map(Path::to_path_buf).or_else(default_path) else {
            return Ok(Repositories::default());
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Repositories {
                    path: Some(path),
                    ..Repositories::default()
                });
            }
            Err(source) => return Err(crate::error::Error::Read { path, source }),
        };
        let mut repositories: Repositories =
            crate::yaml::parse_typed(&path.display().to_string(), &text)?;
        repositories.path = Some(path);
        Ok(repositories)
    }

    /// The URL a dependency's `repository` stands for: `@name` and `alias:name` looked up,
    /// anything else as written.
    pub fn resolve(&self, repository: &str) -> Result<String, Error> {
        let name = repository
            .strip_prefix('@')
            .or_else(|| repository.strip_prefix("alias:"));
        let Some(name) = name else {
            return Ok(repository.to_string());
        };
        self.repositories
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.url.clone())
            .ok_or_else(|| Error::UnknownRepository {
                name: name.to_string(),
                file: self.path.clone(),
                known: self.repositories.iter().map(|r| r.name.clone()).collect(),
            })
    }

    /// Credentials recorded for `url`, if any.
    pub fn credentials(&self, url: &str) -> Option<Credentials> {
        self.repositories
            .iter()
            .find(|r| r.url.trim_end_matches('/') == url.trim_end_matches('/'))
            .filter(|r| !r.username.is_empty())
            .map(|r| Credentials {
                username: r.username.clone(),
                password: r.password.clone(),
            })
    }
}
