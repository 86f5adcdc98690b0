//! A chart's `.helmignore` as a matcher. Building one compiles its globs into a regex set, a
//! good part of loading a small chart, and every chart of a tree (Bitnami's subcharts and each
//! one's `common`) carries the same file: a process builds one matcher per distinct text and
//! shares it. Matchers are asked about paths relative to their chart, never under its root, so
//! one built at another chart's root answers the same.

use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Matchers built so far, by the text they were built from.
static BUILT: Mutex<Vec<(String, Arc<Gitignore>)>> = Mutex::new(Vec::new());

/// How many distinct texts are kept (a repository's charts have a handful).
const KEPT: usize = 16;

/// The matcher of the `.helmignore` in `root`; one that matches nothing if there is none.
pub(super) fn load(root: &Path) -> Arc<Gitignore> {
    let file = root.join(".helmignore");
    let Ok(bytes) = fs::read(&file) else {
        return Arc::new(Gitignore::empty());
    };
    let Ok(text) = String::from_utf8(bytes) else {
        // Lines that are not UTF-8 are skipped by the file reader, as Helm skips bad lines.
        let mut builder = GitignoreBuilder::new(root);
        let _ = builder.add(&file);
        return Arc::new(builder.build().unwrap_or_else(|_| Gitignore::empty()));
    };
    let mut built = BUILT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, matcher)) = built.iter().find(|(known, _)| *known == text) {
        return Arc::clone(matcher);
    }
    let matcher = Arc::new(build(root, &file, &text));
    if built.len() < KEPT {
        built.push((text, Arc::clone(&matcher)));
    }
    matcher
}

/// The matcher of `text`, read line by line as the `ignore` crate reads a file: a byte-order
/// mark before the first line dropped, and a malformed line skipped rather than failing the
/// chart, as Helm does.
pub(super) fn build(root: &Path, file: &Path, text: &str) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    for (index, line) in text.lines().enumerate() {
        let line = match index {
            0 => line.trim_start_matches('\u{feff}'),
            _ => line,
        };
        let _ = builder.add_line(Some(file.to_path_buf()), line);
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::build;
    use ignore::gitignore::GitignoreBuilder;
    use std::path::Path;

    const HELMIGNORE: &str = "\u{feff}# comment\n.DS_Store\n.git/\n*.swp\n*~\r\n!keep.swp\nimg/\n/top.txt\nsub/**/deep.yaml\n[bad\n\\#hash\n";

    #[test]
    fn a_text_built_line_by_line_matches_as_the_file_read_by_ignore() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".helmignore");
        std::fs::write(&file, HELMIGNORE).unwrap();
        let mut from_file = GitignoreBuilder::new(dir.path());
        let _ = from_file.add(&file);
        let from_file = from_file.build().unwrap();
        let from_text = build(Path::new("/elsewhere"), &file, HELMIGNORE);
        assert_eq!(from_text.num_ignores(), from_file.num_ignores());
        assert_eq!(from_text.num_whitelists(), from_file.num_whitelists());
        let paths = [
            ".DS_Store",
            "a/.DS_Store",
            ".git",
            "x.swp",
            "keep.swp",
            "b~",
            "img",
            "templates/img",
            "top.txt",
            "templates/top.txt",
            "sub/a/b/deep.yaml",
            "sub/deep.yaml",
            "[bad",
            "#hash",
            "templates/deployment.yaml",
            "values.yaml",
        ];
        for path in paths {
            for is_dir in [false, true] {
                let want = from_file.matched(path, is_dir);
                let got = from_text.matched(path, is_dir);
                assert_eq!(
                    (got.is_ignore(), got.is_whitelist()),
                    (want.is_ignore(), want.is_whitelist()),
                    "{path} (dir: {is_dir})"
                );
            }
        }
        assert!(from_text.matched("x.swp", false).is_ignore());
    }
}
