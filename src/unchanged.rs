//! Whether a file already holds what would be written to it, found by comparing the bytes as
//! they are produced with the file's, stopping at the first difference. `bosun render` leaves
//! a record that holds exactly this render in place: writing it again under a temporary name,
//! syncing it and renaming it over the old one (whose pages the kernel then frees) cost more
//! than the render's longest step on one core.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// Bytes of the file read at a time.
const CHUNK: usize = 1 << 16;

/// Whether the file at `path` holds exactly the bytes `write` writes; `false` when it cannot
/// be read.
pub(crate) fn holds(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    // On the stack rather than the heap: a fresh 64 KiB heap block often lands on memory the
    // process has not touched yet, which costs more to fault in than the comparison itself.
    let mut chunk = [0u8; CHUNK];
    let mut old = Compare {
        file,
        chunk: &mut chunk,
        start: 0,
        end: 0,
    };
    write(&mut old).is_ok() && old.fill().is_ok_and(|rest| rest.is_empty())
}

/// A sink that checks what is written against a file, failing at the first difference.
struct Compare<'a> {
    file: File,
    chunk: &'a mut [u8; CHUNK],
    /// The unread part of `chunk` is `start..end`.
    start: usize,
    end: usize,
}

impl Compare<'_> {
    /// The file's next unread bytes, read in when none are left; empty at its end.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.end = loop {
                match self.file.read(&mut self.chunk[..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    read => break read?,
                }
            };
            self.start = 0;
        }
        Ok(&self.chunk[self.start..self.end])
    }
}

impl Write for Compare<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let old = self.fill()?;
            let n = old.len().min(data.len());
            if n == 0 || old[..n] != data[..n] {
                return Err(io::Error::other("the file differs"));
            }
            self.start += n;
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
