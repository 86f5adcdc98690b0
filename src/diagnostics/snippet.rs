//! A place in a source text to point at, and how it is drawn: the lines around it with a caret
//! under the span (annotate-snippets), as every error and finding with a place is.

use annotate_snippets::{AnnotationKind, Snippet};

/// A place in a source text to point at, with a few lines around it.
///
/// Only a window of the source is kept, so an error about a 4 MB render stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSnippet {
    /// What to call the source: a file path, or a template plus "(rendered)".
    pub path: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column (in characters) of the error.
    pub column: usize,
    /// What the caret says.
    pub label: String,
    window: String,
    window_first_line: usize,
    span: std::ops::Range<usize>,
}

const CONTEXT_LINES: usize = 2;

impl SourceSnippet {
    /// Points at `line:column` (both 1-based) of `source`, marking `len` characters.
    pub fn new(
        path: impl Into<String>,
        source: &str,
        line: usize,
        column: usize,
        len: usize,
        label: impl Into<String>,
    ) -> Self {
        let line = line.max(1);
        let first = line.saturating_sub(CONTEXT_LINES).max(1);
        let mut window = String::new();
        let mut span = 0..0;
        for (index, text) in source.lines().enumerate().skip(first - 1) {
            let number = index + 1;
            if number > line + CONTEXT_LINES {
                break;
            }
            if number == line {
                let start_chars = column.saturating_sub(1).min(text.chars().count());
                let start = window.len() + char_to_byte(text, start_chars);
                let end_chars = (start_chars + len.max(1)).min(text.chars().count());
                let end = window.len() + char_to_byte(text, end_chars);
                span = start..end.max(start);
            }
            window.push_str(text);
            window.push('\n');
        }
        Self {
            path: path.into(),
            line,
            column: column.max(1),
            label: label.into(),
            window,
            window_first_line: first,
            span,
        }
    }

    /// Like [`SourceSnippet::new`] for `part`, a piece of a larger text that starts on its line
    /// `first_line`: `line` counts in the whole text, but only lines of `part` are shown (the
    /// document before may be a Secret).
    pub fn in_part(
        path: impl Into<String>,
        part: &str,
        first_line: usize,
        line: usize,
        column: usize,
        len: usize,
        label: impl Into<String>,
    ) -> Self {
        let offset = first_line.max(1) - 1;
        let mut snippet = Self::new(path, part, line.saturating_sub(offset), column, len, label);
        snippet.line += offset;
        snippet.window_first_line += offset;
        snippet
    }

    /// Points at a byte range of `source`.
    pub fn at_bytes(
        path: impl Into<String>,
        source: &str,
        range: std::ops::Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        let start = range.start.min(source.len());
        let before = &source[..floor_char_boundary(source, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let end = floor_char_boundary(source, range.end.min(source.len()).max(start));
        let len = source[floor_char_boundary(source, start)..end]
            .lines()
            .next()
            .map_or(1, |l| l.chars().count().max(1));
        Self::new(path, source, line, column, len, label)
    }

    /// The line of the snippet that the error points at.
    pub fn source_line(&self) -> &str {
        self.window
            .lines()
            .nth(self.line - self.window_first_line)
            .unwrap_or("")
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl SourceSnippet {
    /// The snippet as annotate-snippets draws it, the caret labelled when `labelled`.
    pub fn drawn(&self, labelled: bool) -> Snippet<'_, annotate_snippets::Annotation<'_>> {
        let annotation = AnnotationKind::Primary.span(self.span.clone());
        let annotation = if labelled {
            annotation.label(self.label.as_str())
        } else {
            annotation
        };
        Snippet::source(self.window.as_str())
            .line_start(self.window_first_line)
            .path(self.path.as_str())
            .annotation(annotation)
    }
}

#[cfg(test)]
mod tests {
    use super::SourceSnippet;

    #[test]
    fn snippet_keeps_a_window_and_points_at_the_column() {
        let source = "a\nb\nc: 1\nd: [\ne\nf\ng\n";
        let snippet = SourceSnippet::new("x.yaml", source, 4, 4, 1, "here");
        assert_eq!(snippet.window, "b\nc: 1\nd: [\ne\nf\n");
        assert_eq!(snippet.source_line(), "d: [");
        assert_eq!(&snippet.window[snippet.span.clone()], "[");
    }

    #[test]
    fn snippet_from_bytes_finds_line_and_column() {
        let source = "one\ntwo three\n";
        let snippet = SourceSnippet::at_bytes("t", source, 8..13, "x");
        assert_eq!((snippet.line, snippet.column), (2, 5));
    }
}
