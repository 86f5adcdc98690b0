//! Plain scalars over several lines, as the block reader ([`super::block`]) meets them in
//! CustomResourceDefinitions: controller-gen writes a long `description` as one plain scalar
//! whose continuation lines sit deeper than its key.
//!
//! The lines are folded as serde-saphyr folds them: each continuation line is trimmed of its
//! spaces and joined to the text with one space, or with one line break per blank line between
//! them. A line no deeper than the key or item, or a comment line, ends the scalar; a comment
//! (` #`) ends it after that line's text. A continuation line that holds `: ` or ends with `:`
//! is an error or a construct serde-saphyr must judge, so the reader declines the text.

use std::borrow::Cow;

/// The text of a plain scalar whose first line's text is `first`, under a key or item whose
/// continuation lines must be deeper than `indent`, and how many of `lines` (those after the
/// first) it took: none when the next line holding text is not deeper. `None` when the text
/// must go to serde-saphyr.
pub(super) fn fold<'a>(
    first: &'a str,
    lines: &[&str],
    indent: usize,
) -> Option<(Cow<'a, str>, usize)> {
    let mut folded: Option<String> = None;
    let (mut blank, mut used) = (0, 0);
    for (at, line) in lines.iter().enumerate() {
        let content = super::spaces::trim_start(line);
        if content.is_empty() {
            blank += 1;
            continue;
        }
        if line.len() - content.len() <= indent || content.starts_with('#') {
            break;
        }
        let (text, comment) = match content.find(" #") {
            Some(cut) => (super::spaces::trim_end(&content[..cut]), true),
            None => (super::spaces::trim_end(content), false),
        };
        if text.contains(": ") || text.ends_with(':') {
            return None;
        }
        let out = folded.get_or_insert_with(|| first.to_string());
        if blank == 0 {
            out.push(' ');
        }
        for _ in 0..blank {
            out.push('\n');
        }
        out.push_str(text);
        blank = 0;
        used = at + 1;
        if comment {
            break;
        }
    }
    Some(match folded {
        Some(text) => (Cow::Owned(text), used),
        None => (Cow::Borrowed(first), 0),
    })
}

/// A quoted scalar that does not close on its first line: `first` is that line from the
/// opening quote on, `lines` those after it, whose text must sit deeper than `indent`. The
/// value, how many of `lines` it took, and what follows the closing quote on its line; `None`
/// when serde-saphyr must read it (a double-quoted line that ends in a backslash, which escapes
/// the line break or a space, say).
pub(super) fn quoted<'l>(
    first: &str,
    lines: &[&'l str],
    indent: usize,
) -> Option<(String, usize, &'l str)> {
    let double = first.starts_with('"');
    let body = &first[1..];
    if close_at(body, double)?.is_some() {
        return None;
    }
    let mut value = String::new();
    unescape(line_end(body, double)?, double, &mut value)?;
    let mut blank = 0;
    for (at, line) in lines.iter().enumerate() {
        let content = super::spaces::trim_start(line);
        if content.is_empty() {
            blank += 1;
            continue;
        }
        if line.len() - content.len() <= indent {
            return None;
        }
        if blank == 0 {
            value.push(' ');
        }
        for _ in 0..blank {
            value.push('\n');
        }
        blank = 0;
        if let Some(close) = close_at(content, double)? {
            unescape(&content[..close], double, &mut value)?;
            return Some((value, at + 1, &content[close + 1..]));
        }
        unescape(line_end(content, double)?, double, &mut value)?;
    }
    None
}

/// Where the closing quote of a quoted scalar is in `text` (a line from the scalar's text
/// on), `Some(None)` when the line does not close it, `None` when it ends in an escape.
fn close_at(text: &str, double: bool) -> Option<Option<usize>> {
    let bytes = text.as_bytes();
    let quote = if double { b'"' } else { b'\'' };
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if double => {
                if at + 1 == bytes.len() {
                    return None;
                }
                at += 2;
            }
            b if b == quote => {
                if !double && bytes.get(at + 1) == Some(&b'\'') {
                    at += 2;
                } else {
                    return Some(Some(at));
                }
            }
            _ => at += 1,
        }
    }
    Some(None)
}

/// A line of a quoted scalar that the line break folds: without its trailing spaces. `None`
/// when it then ends in a backslash (the spaces or the break were escaped).
fn line_end(text: &str, double: bool) -> Option<&str> {
    let text = super::spaces::trim_end(text);
    (!(double && text.ends_with('\\'))).then_some(text)
}

/// Appends the value of a piece of a quoted scalar's text (no closing quote in it).
fn unescape(text: &str, double: bool, out: &mut String) -> Option<()> {
    if !double {
        out.push_str(&text.replace("''", "'"));
        return Some(());
    }
    let mut from = 0;
    while let Some(found) = text[from..].find('\\') {
        let at = from + found;
        out.push_str(&text[from..at]);
        let (c, used) = super::block::escape(&text[at + 1..])?;
        out.push(c);
        from = at + 1 + used;
    }
    out.push_str(&text[from..]);
    Some(())
}

#[cfg(test)]
#[path = "folding_tests.rs"]
mod tests;
