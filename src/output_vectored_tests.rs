//! The stream written in vectored pieces, held to the same stream built as one text.

use std::io::{self, IoSlice, Write};

use serde_json::json;

use super::{DOCUMENTS_PER_WRITE, Format, to_text, write_stream};
use crate::manifest::Document;

/// A writer that takes at most `most` bytes per call and is interrupted every third call.
struct Trickle {
    written: Vec<u8>,
    most: usize,
    calls: usize,
}

impl Write for Trickle {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_vectored(&[IoSlice::new(data)])
    }

    fn write_vectored(&mut self, pieces: &[IoSlice<'_>]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls.is_multiple_of(3) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let mut left = self.most;
        for piece in pieces {
            let n = piece.len().min(left);
            self.written.extend_from_slice(&piece[..n]);
            left -= n;
            if left == 0 {
                break;
            }
        }
        Ok(self.most - left)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn documents(count: usize) -> Vec<Document> {
    (0..count)
        .map(|at| {
            Document::new(
                format!("c/templates/t{}.yaml", at % 3),
                &json!({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": format!("m{at}")}, "data": {"k": "v\nw"}}),
            )
        })
        .collect()
}

#[test]
fn the_stream_written_in_pieces_is_the_stream_as_one_text() {
    for count in [0, 1, 2, DOCUMENTS_PER_WRITE, DOCUMENTS_PER_WRITE + 1, 600] {
        let documents = documents(count);
        for most in [1, 7, 1 << 20] {
            let mut out = Trickle {
                written: Vec::new(),
                most,
                calls: 0,
            };
            write_stream(&documents, Format::Yaml, &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out.written).unwrap(),
                to_text(&documents, Format::Yaml),
                "{count} documents, {most} bytes per write"
            );
        }
    }
}

#[test]
fn a_writer_that_takes_nothing_is_an_error() {
    let mut out = Trickle {
        written: Vec::new(),
        most: 0,
        calls: 0,
    };
    let error = write_stream(&documents(1), Format::Yaml, &mut out).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::WriteZero);
}
