//! Parsing while rendering: each template's output is cut into documents at its `---` lines
//! as the template writes it, and every few documents go to another core to be parsed,
//! checked and written in canonical form while the template goes on rendering.
//!
//! A large chart is often one template that loops over a list (the 5,000-service fleet): kept
//! whole, its text grows by reallocation (copying it and faulting in fresh pages each time)
//! and nothing is parsed until the last line is out. Cut as it comes, no copy of the whole
//! text exists, and the parse overlaps the render. The documents, their order and the error
//! reported are those of [`manifest::split`] and [`manifest::parse`] on the whole text.

use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::manifest::{self, Checks, Chunk, Parsed};

/// Documents handed to a parse job at a time: enough to keep the spawning cheap, few enough
/// that the other core starts early.
const BATCH: usize = 16;

/// Cuts a stream into its documents as it is written, as [`manifest::split`] cuts the whole.
#[derive(Debug)]
pub(crate) struct Splitter {
    /// The current document's text, with the line being written at its end.
    buffer: Vec<u8>,
    /// Where the line being written starts in `buffer`.
    line_start: usize,
    /// The line number of the line being written.
    line: usize,
    /// The line number the current document starts on.
    part_line: usize,
}

impl Default for Splitter {
    fn default() -> Splitter {
        Splitter {
            buffer: Vec::new(),
            line_start: 0,
            line: 1,
            part_line: 1,
        }
    }
}

impl Splitter {
    /// Appends `data`; each document a `---` line completes goes to `emit` with its first line.
    /// Each document is copied out once; what is left is the document still being written.
    pub(crate) fn push(&mut self, data: &[u8], emit: &mut impl FnMut(usize, Vec<u8>)) {
        let scanned = self.buffer.len();
        self.buffer.extend_from_slice(data);
        let mut part_start = 0;
        // `memchr` finds the line breaks a vector at a time (a byte-by-byte search was 2-3% of
        // a fleet render, on the rendering thread); only a line that starts with `-` is looked
        // at further.
        for at in memchr::memchr_iter(b'\n', &self.buffer[scanned..]) {
            let end = scanned + at + 1;
            if self.buffer[self.line_start] == b'-'
                && manifest::is_marker(&self.buffer[self.line_start..end])
            {
                emit(
                    self.part_line,
                    self.buffer[part_start..self.line_start].to_vec(),
                );
                part_start = end;
                self.part_line = self.line + 1;
            }
            self.line_start = end;
            self.line += 1;
        }
        if part_start > 0 {
            self.buffer.drain(..part_start);
            self.line_start -= part_start;
        }
    }

    /// The last document, which the end of the text completes.
    pub(crate) fn finish(mut self, emit: &mut impl FnMut(usize, Vec<u8>)) {
        if manifest::is_marker(&self.buffer[self.line_start..]) {
            self.buffer.truncate(self.line_start);
        }
        emit(self.part_line, self.buffer);
    }
}

/// A template known by its name in `# Source:`, its path on disk, and the name of the text it
/// rendered ([`manifest::rendered_name`]).
struct Template {
    source: String,
    shown: String,
    rendered: String,
}

/// The parse jobs' answers: per batch, its template and each document's place and chunk.
type Answers = Mutex<Vec<(Arc<Template>, Vec<(usize, Chunk)>)>>;

/// Parses the documents of templates while they render, on the cores the render leaves idle.
pub(crate) struct Streamer<'scope, 'env> {
    scope: &'scope rayon::Scope<'env>,
    checks: Option<&'env Checks<'env>>,
    answers: &'env Answers,
}

/// Runs `render` with a [`Streamer`] to send the templates' output to, and returns the
/// documents in template order, each template's in the order written. The first error of
/// `render` wins; then the first document that does not parse, in that order.
pub(crate) fn parse_while_rendering(
    checks: Option<&Checks>,
    render: impl FnOnce(&Streamer) -> Result<(), Error> + Send,
) -> Result<Parsed, Error> {
    let answers = Answers::default();
    rayon::scope(|scope| {
        render(&Streamer {
            scope,
            checks,
            answers: &answers,
        })
    })?;
    let mut batches = answers
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // A batch holds consecutive documents of one template: sorting the batches by template
    // and first document puts every document in place without moving each one.
    batches.sort_unstable_by(|a, b| {
        let first = |chunks: &[(usize, Chunk)]| chunks.first().map(|(at, _)| *at);
        a.0.source
            .cmp(&b.0.source)
            .then(first(&a.1).cmp(&first(&b.1)))
    });
    let count = batches.iter().map(|(_, chunks)| chunks.len()).sum();
    manifest::gather(
        count,
        batches
            .into_iter()
            .flat_map(|(_, chunks)| chunks.into_iter().map(|(_, chunk)| chunk)),
    )
}

impl<'env> Streamer<'_, 'env> {
    /// A writer for the output of the template `source` (at `shown` on disk).
    pub(crate) fn writer(&self, source: String, shown: String) -> DocumentWriter<'_, '_, 'env> {
        DocumentWriter {
            streamer: self,
            template: Arc::new(Template {
                source,
                rendered: manifest::rendered_name(&shown),
                shown,
            }),
            splitter: Splitter::default(),
            batch: Vec::with_capacity(BATCH),
            written: 0,
            not_utf8: false,
        }
    }

    fn spawn(&self, template: &Arc<Template>, batch: Vec<(usize, usize, String)>) {
        let template = Arc::clone(template);
        let checks = self.checks;
        let answers = self.answers;
        self.scope.spawn(move |_| {
            let chunks = batch
                .into_iter()
                .map(|(at, line, part)| {
                    let chunk = manifest::parse_part(
                        &template.source,
                        &template.shown,
                        &template.rendered,
                        line,
                        &part,
                        checks,
                    );
                    (at, chunk)
                })
                .collect();
            answers
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push((template, chunks));
        });
    }
}

/// Takes one template's output as it is written and sends its documents to be parsed.
pub(crate) struct DocumentWriter<'a, 'scope, 'env> {
    streamer: &'a Streamer<'scope, 'env>,
    template: Arc<Template>,
    splitter: Splitter,
    /// Documents waiting for a parse job: (place in the template, first line, text).
    batch: Vec<(usize, usize, String)>,
    /// Documents cut so far.
    written: usize,
    not_utf8: bool,
}

impl DocumentWriter<'_, '_, '_> {
    /// Takes more of the template's output.
    pub(crate) fn write(&mut self, data: &[u8]) {
        let mut splitter = std::mem::take(&mut self.splitter);
        splitter.push(data, &mut |line, part| self.take(line, part));
        self.splitter = splitter;
    }

    /// The template is done: its last document goes to be parsed. An error when the output
    /// was not UTF-8 text.
    pub(crate) fn finish(mut self) -> Result<(), Error> {
        let splitter = std::mem::take(&mut self.splitter);
        splitter.finish(&mut |line, part| self.take(line, part));
        let batch = std::mem::take(&mut self.batch);
        if !batch.is_empty() {
            self.streamer.spawn(&self.template, batch);
        }
        if self.not_utf8 {
            return Err(Error::Template {
                message: format!("`{}` rendered text that is not UTF-8", self.template.shown),
                snippet: None,
                help: None,
            });
        }
        Ok(())
    }

    fn take(&mut self, line: usize, part: Vec<u8>) {
        let Ok(mut text) = String::from_utf8(part) else {
            self.not_utf8 = true;
            return;
        };
        let Some(len) = manifest::trim_part(&text).map(str::len) else {
            return;
        };
        text.truncate(len);
        self.batch.push((self.written, line, text));
        self.written += 1;
        if self.batch.len() == BATCH {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.streamer.spawn(&self.template, batch);
        }
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
