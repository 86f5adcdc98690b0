//! Whether a file already holds what would be written to it, found by comparing the bytes as
//! they are produced with the file's, stopping at the first difference. `bosun render` leaves
//! a record that holds exactly this render in place: writing it again under a temporary name,
//! syncing it and renaming it over the old one (whose pages the kernel then frees) cost more
//! than the render's longest step on one core.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

/// Whether the file at `path` holds exactly the bytes `write` writes; `false` when it cannot
/// be read.
pub(crate) fn holds(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut old = Compare {
        file: BufReader::with_capacity(1 << 16, file),
    };
    write(&mut old).is_ok() && old.file.fill_buf().is_ok_and(|rest| rest.is_empty())
}

/// A sink that checks what is written against a file, failing at the first difference.
struct Compare {
    file: BufReader<File>,
}

impl Write for Compare {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let old = self.file.fill_buf()?;
            let n = old.len().min(data.len());
            if n == 0 || old[..n] != data[..n] {
                return Err(io::Error::other("the file differs"));
            }
            self.file.consume(n);
            data = &data[n..];
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds_text(path: &Path, text: &str) -> bool {
        holds(path, |out| {
            // Written in pieces, as the record is.
            for line in text.split_inclusive('\n') {
                out.write_all(line.as_bytes())?;
            }
            Ok(())
        })
    }

    #[test]
    fn a_file_holds_only_exactly_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.yaml");
        assert!(!holds_text(&path, "a: 1\n"), "a missing file holds nothing");
        std::fs::write(&path, "a: 1\nb: 2\n").unwrap();
        assert!(holds_text(&path, "a: 1\nb: 2\n"));
        assert!(!holds_text(&path, "a: 1\n"), "the file is longer");
        assert!(
            !holds_text(&path, "a: 1\nb: 2\nc: 3\n"),
            "the file is shorter"
        );
        assert!(!holds_text(&path, "a: 1\nb: 3\n"), "a byte differs");
        assert!(!holds_text(&path, ""));
    }

    #[test]
    fn a_file_longer_than_the_read_buffer_is_compared_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.yaml");
        let text = "key: value\n".repeat(20_000);
        std::fs::write(&path, &text).unwrap();
        assert!(holds_text(&path, &text));
        let mut changed = text.clone();
        changed.replace_range(150_000..150_001, "V");
        assert!(!holds_text(&path, &changed));
    }
}
