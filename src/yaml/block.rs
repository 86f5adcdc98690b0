//! The fastest read path: a line reader for the block YAML that templates write.
//!
//! A rendered manifest is nearly always block mappings and sequences of one-line scalars, with
//! the odd literal block (`|`) and short flow list (`["ALL"]`). This reader takes that subset
//! line by line, about ten times faster than the event parser under serde-saphyr, and answers
//! `None` for anything else, or anything it is unsure of: folded or indented-indicator blocks,
//! nested flow collections, anchors, tags, directives,
//! duplicate keys, control characters. Those documents go to the slower paths in [`super::fast`]
//! and serde-saphyr. Plain scalars are typed by the same rules as the event path, which asks
//! serde-saphyr about the unusual ones; the differential tests in [`super::fast`] hold all the
//! paths to serde-saphyr's answers.

use serde_json::{Map, Value};

use std::borrow::Cow;

use super::fast::{is_plain_key, scalar_plain};
use super::flow;
use super::folding::{self, fold};
use super::spaces;

/// Deeper nesting than this is left to the other paths.
pub(super) const MAX_DEPTH: usize = 64;

/// The value of a one-document YAML text, or `None` when another path must read it.
pub fn parse(text: &str) -> Option<Value> {
    if !printable(text) {
        return None;
    }
    parse_printable(text)
}

/// [`parse`] of a text already known to hold only YAML's printable characters (no tab).
pub(super) fn parse_printable(text: &str) -> Option<Value> {
    if !text.ends_with('\n') {
        return None;
    }
    let mut reader = Reader {
        lines: lines(text),
        next: 0,
        pending: None,
        peeked: None,
        keyed: None,
        entries: Vec::new(),
    };
    let (indent, content) = reader.peek()?;
    // A document that is one scalar is not a manifest; serde-saphyr says what it is.
    if !starts_sequence(content) && reader.key(content)?.is_none() {
        return None;
    }
    let value = reader.node(indent, 0)?;
    if reader.peek().is_some() {
        return None;
    }
    Some(value)
}

/// The lines of a text that ends with a line break and holds no carriage return: what
/// `str::lines` gives, cut where `memchr` finds the breaks (a vector at a time, where a loop
/// over the bytes took one byte per step, and a second pass counted them to size the list).
fn lines(text: &str) -> Vec<&str> {
    // About one line per 24 bytes in a manifest: the list grows at most a few times.
    let mut lines = Vec::with_capacity(text.len() / 24 + 1);
    let mut start = 0;
    for at in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..at]);
        start = at + 1;
    }
    lines
}

/// YAML's printable characters, less the byte-order mark, carriage return and tab.
fn printable(text: &str) -> bool {
    // Beyond ASCII, the characters YAML forbids all start with one of two bytes: 0xC2 (the
    // C1 controls, U+0080 to U+009F) and 0xEF (the byte-order mark, U+FFFE and U+FFFF). A
    // text without either is checked a byte at a time, in blocks the compiler vectorizes.
    let bytes_ok = text.as_bytes().chunks(64).all(|block| {
        block.iter().fold(true, |ok, &b| {
            ok & (b == b'\n' || (0x20..0x7f).contains(&b) || (b >= 0x80 && b != 0xc2 && b != 0xef))
        })
    });
    bytes_ok || printable_chars(text)
}

/// [`printable`] a character at a time.
fn printable_chars(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{10000}'..='\u{10ffff}')
            || (('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}')
    })
}

struct Reader<'a> {
    lines: Vec<&'a str>,
    /// The next line not yet read.
    next: usize,
    /// What follows `- ` on a sequence item's line, read as a line of its own at its column.
    pending: Option<(usize, &'a str)>,
    /// The answer of [`Reader::peek`] for the line `next` it names: a line is peeked at
    /// several times (by the mapping, the node, the child) before it is taken.
    peeked: Option<(usize, (usize, &'a str))>,
    /// The entries of the mappings being read, innermost last: a mapping is built once its
    /// size is known, at that size, instead of growing (and rehashing) entry by entry.
    entries: Vec<(String, Value)>,
    /// The text [`Reader::key`] last read a key from (where it starts, its length) and what
    /// it found: a mapping's first line is probed by the node and the list item holding it
    /// before the mapping takes its key.
    keyed: Option<((usize, usize), Key<'a>)>,
}

/// What [`key_of`] answers.
type Key<'a> = Option<Option<(Cow<'a, str>, &'a str)>>;

/// A copy of what [`key_of`] found: a key borrowed from the line (nearly every key) is copied
/// inline; `Cow::clone`, called out of line for every key, was 6% of [`Reader::key`].
fn copy_key<'a>(found: &Key<'a>) -> Key<'a> {
    match found {
        Some(Some((Cow::Borrowed(key), rest))) => Some(Some((Cow::Borrowed(key), rest))),
        other => other.clone(),
    }
}

fn starts_sequence(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// A block mapping entry's key and the text after its `:`; `Ok(None)` when the line is not a
/// mapping entry, `None` when it may be one this reader does not read. A plain key is borrowed
/// from the line: the line is often only probed for being an entry.
fn key_of(content: &str) -> Key<'_> {
    let (key, rest) = match content.as_bytes()[0] {
        b'"' | b'\'' => {
            let (key, used) = quoted(content)?;
            let rest = &content[used..];
            match rest.strip_prefix(':') {
                Some(rest) if rest.is_empty() || rest.starts_with(' ') => (Cow::Owned(key), rest),
                _ => return None,
            }
        }
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'%' | b'@' | b'`' => return None,
        _ => {
            let (at, unusual) = separator(content);
            let Some(at) = at else {
                return Some(None);
            };
            let key = &content[..at];
            if unusual || key.ends_with(' ') || !is_plain_key(key) {
                return None;
            }
            (Cow::Borrowed(key), &content[at + 1..])
        }
    };
    Some(Some((key, spaces::trim_start(rest))))
}

/// Where the first `:` that ends a plain key is (followed by a space or the end of the line),
/// and whether the text before it holds a character that is legal in a plain key but rare
/// enough in manifests to leave to serde-saphyr. One pass over the key's bytes, one table
/// look-up per byte ([`KEY_SCAN`]).
fn separator(content: &str) -> (Option<usize>, bool) {
    let bytes = content.as_bytes();
    let mut unusual = false;
    for (at, &byte) in bytes.iter().enumerate() {
        match KEY_SCAN[usize::from(byte)] {
            ORDINARY => {}
            COLON => {
                if bytes.get(at + 1).is_none_or(|b| *b == b' ') {
                    return (Some(at), unusual);
                }
            }
            _ => unusual = true,
        }
    }
    (None, unusual)
}

/// What a byte of a key is to [`separator`]: most are [`ORDINARY`]; a `:` may end the key;
/// the others are rare in keys. A match on the byte took about twice the instructions.
static KEY_SCAN: [u8; 256] = {
    let mut table = [ORDINARY; 256];
    table[b':' as usize] = COLON;
    let rare = b"#[]{},\"'";
    let mut at = 0;
    while at < rare.len() {
        table[rare[at] as usize] = RARE;
        at += 1;
    }
    table
};
const ORDINARY: u8 = 0;
const COLON: u8 = 1;
const RARE: u8 = 2;

impl<'a> Reader<'a> {
    /// [`key_of`] `content`, a line's text or what follows a list item's dash, read once.
    fn key(&mut self, content: &'a str) -> Key<'a> {
        let id = (content.as_ptr() as usize, content.len());
        if let Some((keyed, found)) = &self.keyed
            && *keyed == id
        {
            return copy_key(found);
        }
        let found = key_of(content);
        self.keyed = Some((id, copy_key(&found)));
        found
    }

    /// The next line holding something, as (indent, text without the indent); comments and
    /// blank lines are passed over.
    fn peek(&mut self) -> Option<(usize, &'a str)> {
        if self.pending.is_some() {
            return self.pending;
        }
        if let Some((next, found)) = self.peeked
            && next == self.next
        {
            return Some(found);
        }
        while let Some(line) = self.lines.get(self.next) {
            let content = spaces::trim_start(line);
            if content.is_empty() || content.starts_with('#') {
                self.next += 1;
                continue;
            }
            let found = (line.len() - content.len(), spaces::trim_end(content));
            self.peeked = Some((self.next, found));
            return Some(found);
        }
        None
    }

    fn take(&mut self) {
        if self.pending.take().is_none() {
            self.next += 1;
        }
    }

    /// The node whose first line is the next one, at `indent`.
    fn node(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let (_, content) = self.peek()?;
        if starts_sequence(content) {
            self.sequence(indent, depth)
        } else if self.key(content)?.is_some() {
            self.mapping(indent, depth)
        } else {
            // A scalar on a line of its own, under a key or an item: the lines that go on it
            // are those as deep as it is (deeper than its parent, which it is deeper than).
            self.take();
            self.inline(content, indent, indent.saturating_sub(1), depth)
        }
    }

    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some((at, content)) = self.peek() {
            if at < indent {
                break;
            }
            if at > indent {
                return None;
            }
            if !starts_sequence(content) {
                break; // the next key of the mapping this sequence is the value of
            }
            let rest = spaces::trim_start(&content[1..]);
            self.take();
            let item = if rest.is_empty() || rest.starts_with('#') {
                self.child(indent, depth)?
            } else {
                let column = indent + content.len() - rest.len();
                // A quoted scalar or a literal block is an item of its own (`- "x"`, `- |`),
                // unless the quoted text is a key (`- "a": 1`).
                let is_node = match rest.as_bytes()[0] {
                    b'"' | b'\'' | b'|' => self.key(rest).flatten().is_some(),
                    _ => starts_sequence(rest) || self.key(rest)?.is_some(),
                };
                if is_node {
                    self.pending = Some((column, rest));
                    self.node(column, depth + 1)?
                } else {
                    self.inline(rest, indent, indent, depth)?
                }
            };
            items.push(item);
        }
        Some(Value::Array(items))
    }

    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let start = self.entries.len();
        while let Some((at, content)) = self.peek() {
            if at < indent {
                break;
            }
            if at > indent {
                return None;
            }
            let (key, rest) = self.key(content)??;
            let key = key.into_owned();
            self.take();
            let value = if rest.is_empty() || rest.starts_with('#') {
                match self.peek() {
                    // A sequence may sit at its key's indent.
                    Some((at, next)) if at == indent && starts_sequence(next) => {
                        self.sequence(indent, depth + 1)?
                    }
                    _ => self.child(indent, depth)?,
                }
            } else {
                self.inline(rest, indent, indent, depth)?
            };
            self.entries.push((key, value));
        }
        let mut map = Map::with_capacity(self.entries.len() - start);
        for (key, value) in self.entries.drain(start..) {
            if map.insert(key, value).is_some() {
                return None; // serde-saphyr reports the duplicate
            }
        }
        Some(Value::Object(map))
    }

    /// The node on the lines below a key or item at `indent` with nothing after it: null
    /// when the next line is not indented deeper.
    fn child(&mut self, indent: usize, depth: usize) -> Option<Value> {
        match self.peek() {
            Some((at, _)) if at > indent => self.node(at, depth + 1),
            _ => Some(Value::Null),
        }
    }

    /// A value written on its key's or item's line; `indent` is that key's or item's. A plain
    /// scalar goes on over the lines deeper than `fold_above`.
    fn inline(
        &mut self,
        text: &'a str,
        indent: usize,
        fold_above: usize,
        depth: usize,
    ) -> Option<Value> {
        let value = match text.as_bytes()[0] {
            b'|' => return self.literal(&text[1..], indent),
            b'"' | b'\'' => match quoted(text) {
                Some((value, used)) => {
                    after_value(&text[used..])?;
                    Value::String(value)
                }
                None if self.pending.is_none() => {
                    let (value, used, rest) =
                        folding::quoted(text, &self.lines[self.next..], fold_above)?;
                    after_value(rest)?;
                    self.next += used;
                    Value::String(value)
                }
                None => return None,
            },
            b'[' | b'{' => {
                let (value, used) = flow::flow(text, depth)?;
                after_value(&text[used..])?;
                value
            }
            b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'?' | b':' | b',' | b']' | b'}'
            | b'#' => return None,
            _ => self.plain(text, fold_above)?,
        };
        // A deeper line after the value (after a comment, or a quoted scalar's closing quote)
        // is an error serde-saphyr words.
        match self.peek() {
            Some((at, _)) if at > indent => None,
            _ => Some(value),
        }
    }

    /// A plain scalar whose first line is `text`, with the lines deeper than `fold_above`
    /// that go on it.
    fn plain(&mut self, text: &'a str, fold_above: usize) -> Option<Value> {
        let first = plain_text(text)?;
        // After a comment (`a: b # c`) the scalar has ended.
        if first.len() < text.len() || self.pending.is_some() {
            return scalar_plain(first);
        }
        // The next line holding text settles nearly every scalar: when it is no deeper than
        // `fold_above` (or there is none), `fold` would stop at it, or at a comment before it,
        // and take no line. The reader looks at that line next in any case. (The look passes
        // over blank and comment lines, which `fold` must see: it starts where the look did.)
        let after = self.next;
        if self.peek().is_none_or(|(at, _)| at <= fold_above) {
            return scalar_plain(first);
        }
        let (folded, used) = fold(first, &self.lines[after..], fold_above)?;
        self.next = after + used;
        match folded {
            // Line breaks make it a string whatever its words; the typing rules (and
            // serde-saphyr, asked about unusual scalars) read one line. A first character
            // that may not start a plain scalar (`- x`) is for serde-saphyr to judge.
            Cow::Owned(text) if text.contains('\n') => {
                let starts_plain = first.starts_with(|c: char| c.is_alphanumeric() || c == '_');
                starts_plain.then_some(Value::String(text))
            }
            folded => scalar_plain(&folded),
        }
    }

    /// A literal block scalar whose header (after `|`) is `header`, under a key or item at
    /// `indent`. Only the clip (`|`) and strip (`|-`) forms with no indentation indicator.
    fn literal(&mut self, header: &str, indent: usize) -> Option<Value> {
        let (strip, rest) = match header.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, header),
        };
        after_value(rest)?;
        if self.pending.is_some() {
            return None;
        }
        // The content's indent is the first non-blank line's; blank lines before it may not
        // be longer.
        let mut longest_blank = 0;
        let mut content_indent = None;
        for line in &self.lines[self.next..] {
            let content = spaces::trim_start(line);
            if content.is_empty() {
                longest_blank = longest_blank.max(line.len());
            } else {
                content_indent = Some(line.len() - content.len());
                break;
            }
        }
        let content_indent = content_indent?;
        if content_indent <= indent || longest_blank > content_indent {
            return None;
        }
        let mut text = String::new();
        let mut blank_run = 0;
        while let Some(line) = self.lines.get(self.next) {
            let content = spaces::trim_start(line);
            if content.is_empty() {
                if line.len() > content_indent {
                    return None;
                }
                blank_run += 1;
            } else if line.len() - content.len() < content_indent {
                break;
            } else {
                for _ in 0..blank_run {
                    text.push('\n');
                }
                blank_run = 0;
                text.push_str(&line[content_indent..]);
                text.push('\n');
            }
            self.next += 1;
        }
        if strip {
            text.pop();
        }
        Some(Value::String(text))
    }
}

/// A plain scalar written after a key or dash: the text before a comment (` #`), or `None`
/// when it holds `: ` or ends with `:` (a mapping this reader does not take inline). One pass
/// over the bytes, where searching for each pattern set up a substring searcher per value.
fn plain_text(text: &str) -> Option<&str> {
    let mut text = text;
    for (at, pair) in text.as_bytes().windows(2).enumerate() {
        match pair {
            [b' ', b'#'] => {
                text = spaces::trim_end(&text[..at]);
                break;
            }
            [b':', b' '] => return None,
            _ => {}
        }
    }
    (!text.ends_with(':')).then_some(text)
}

/// What may follow a quoted scalar or flow collection on its line: nothing, or a comment.
fn after_value(rest: &str) -> Option<()> {
    let trimmed = spaces::trim_start(rest);
    (trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())).then_some(())
}

/// A one-line quoted scalar at the start of `text`: its value and the bytes it took.
pub(super) fn quoted(text: &str) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    if bytes[0] == b'\'' {
        let mut value = String::new();
        let mut from = 1;
        loop {
            let at = from + text[from..].find('\'')?;
            value.push_str(&text[from..at]);
            if bytes.get(at + 1) == Some(&b'\'') {
                value.push('\'');
                from = at + 2;
            } else {
                return Some((value, at + 1));
            }
        }
    }
    let mut value = String::new();
    let mut from = 1;
    loop {
        // `memchr2` looks for both bytes a vector at a time; a search for either character
        // decoded the text a character at a time.
        let at = from + memchr::memchr2(b'"', b'\\', &bytes[from..])?;
        value.push_str(&text[from..at]);
        if bytes[at] == b'"' {
            return Some((value, at + 1));
        }
        let (c, used) = escape(&text[at + 1..])?;
        value.push(c);
        from = at + 1 + used;
    }
}

/// A double-quoted escape (after the `\`): the character and the bytes it took.
pub(super) fn escape(text: &str) -> Option<(char, usize)> {
    let hex = |len: usize| {
        let digits = text.get(1..1 + len)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some((
            char::from_u32(u32::from_str_radix(digits, 16).ok()?)?,
            1 + len,
        ))
    };
    Some(match text.as_bytes().first()? {
        b'"' => ('"', 1),
        b'\\' => ('\\', 1),
        b'/' => ('/', 1),
        b'n' => ('\n', 1),
        b't' => ('\t', 1),
        b'r' => ('\r', 1),
        b'0' => ('\0', 1),
        b'a' => ('\u{07}', 1),
        b'b' => ('\u{08}', 1),
        b'v' => ('\u{0b}', 1),
        b'f' => ('\u{0c}', 1),
        b'e' => ('\u{1b}', 1),
        b' ' => (' ', 1),
        b'x' => hex(2)?,
        b'u' => hex(4)?,
        b'U' => hex(8)?,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "block_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "block_lines_tests.rs"]
mod lines_tests;

#[cfg(test)]
#[path = "block_plain_end_tests.rs"]
mod plain_end_tests;
