//! A values file with its whole-line comments emptied, for the located reader's event parser.
//!
//! Bitnami's values files are mostly comment lines, which the event parser reads a character
//! at a time. An empty line reads the same as a comment line wherever the comment is one: the
//! lines keep their numbers, and the reader only keeps key lines. Two places differ: inside a
//! block scalar (`|`, `>`), where a `#` line may be text and an empty line is kept or chomped,
//! and inside a scalar over several lines, which the reader already leaves to serde-saphyr
//! (an empty line there puts a line break in a plain scalar, which it checks for). So from a
//! line that may open a block scalar until the next line that cannot be inside it, every line
//! is copied as it is.

use std::borrow::Cow;

/// `text` with each whole-line comment outside block scalars emptied (its line break kept), or
/// `None` when a line that is not a whole-line comment fails `screen` (given the line without
/// its indentation).
pub(super) fn emptied(text: &str, screen: impl Fn(&str) -> bool) -> Option<Cow<'_, str>> {
    let mut out = String::new();
    // The indentation of the line that may have opened a block scalar, while in it.
    let mut block: Option<usize> = None;
    let mut copied = 0; // bytes of `text` already accounted for in `out`
    let mut start = 0;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let comment = content.starts_with('#');
        let blank = content.trim_end().is_empty();
        if !comment && !screen(content) {
            return None;
        }
        if let Some(header) = block
            && !comment
            && !blank
            && indent <= header
        {
            block = None;
        }
        if block.is_none() {
            if comment {
                if out.capacity() == 0 {
                    out.reserve(text.len() / 2);
                }
                out.push_str(&text[copied..start]);
                copied = end;
            } else if may_open_block_scalar(content) {
                if content.starts_with(['|', '>']) {
                    // A header on a line of its own: its scalar's indentation is not this
                    // line's. Rare enough to read the whole text as it is.
                    return Some(Cow::Borrowed(text));
                }
                block = Some(indent);
            }
        }
        start = end + 1;
    }
    if out.capacity() == 0 {
        return Some(Cow::Borrowed(text));
    }
    out.push_str(&text[copied..]);
    Some(Cow::Owned(out))
}

/// Whether a line (without its indentation) may end with a block scalar header, before or
/// without a comment: `|`, `>`, with a chomping and an indentation indicator. Any line that
/// looks so counts, such as a plain scalar ending in `>`: copying more lines as they are only
/// costs time.
fn may_open_block_scalar(content: &str) -> bool {
    let ends_in_header = |part: &str| {
        let part = part.trim_end_matches([
            ' ', '\r', '-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
        ]);
        part.ends_with(['|', '>'])
    };
    ends_in_header(content)
        || content
            .match_indices('#')
            .any(|(at, _)| ends_in_header(&content[..at]))
}

#[cfg(test)]
#[path = "located_comments_tests.rs"]
mod tests;
