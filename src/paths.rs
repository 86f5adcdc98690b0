//! Showing paths the way a person typed them: relative to the working folder when inside it.

use std::path::{Path, PathBuf};

/// `path` relative to the current folder when it lies inside it, else as it is.
pub fn shown(path: &Path) -> String {
    relative_to_cwd(path).display().to_string()
}

/// `path` relative to the current folder when it lies inside it, else as it is.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rest) = path.strip_prefix(&cwd)
    {
        return rest.to_path_buf();
    }
    path.to_path_buf()
}
