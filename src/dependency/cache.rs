//! The download cache: each archive once, verified, under the user's cache folder, so a
//! second `bosun dep build` needs no network and `--offline` can work from it alone.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// $BOSUN_CACHE_DIR, else bosun/ in $XDG_CACHE_HOME or ~/.cache.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("bosun"))
}

pub struct Cache {
    pub dir: PathBuf,
}

impl Cache {
    /// Where `name-version.tgz` from `repository` is kept.
    pub fn path(&self, repository: &str, name: &str, version: &str) -> PathBuf {
        let key = format!("{:x}", Sha256::digest(repository.trim_end_matches('/')));
        self.dir
            .join("charts")
            .join(&key[..16])
            .join(format!("{name}-{version}.tgz"))
    }

    /// The cached archive, if present.
    pub fn get(&self, path: &Path) -> Option<Vec<u8>> {
        std::fs::read(path).ok()
    }

    /// Stores an archive (already verified); a cache that cannot be written is only slower.
    pub fn put(&self, path: &Path, data: &[u8]) {
        let Some(parent) = path.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        if let Ok(mut file) = tempfile::NamedTempFile::new_in(parent) {
            use std::io::Write as _;
            if file.write_all(data).is_ok() {
                let _ = file.persist(path);
            }
        }
    }
}
