//! The canonical writer: a JSON value as the block YAML serde-saphyr writes, byte for byte,
//! without serde's machinery for the shapes rendered manifests are made of.
//!
//! serde-saphyr checks every string against a dozen quoting rules through `char` iterators;
//! most strings of a manifest (names, labels, images) are short ASCII words that no rule can
//! touch. This writer settles those with one pass over the bytes and asks serde-saphyr about
//! every other scalar alone (a quoted or plain form does not depend on where it is written). A
//! shape it does not know well enough to lay out (a list directly in a list, a folded or
//! multi-line string in a list, a document that is not a mapping or list) makes it give up on
//! the whole document, which serde-saphyr then writes. `canonical_tests.rs` holds it to
//! serde-saphyr's bytes.

use serde_json::{Map, Value};

/// Strings longer than this (in bytes) may be folded (`>`) by serde-saphyr: its
/// `folded_wrap_chars` default.
const FOLD_WIDTH: usize = 80;

/// Spaces per level: serde-saphyr's `indent_step` default.
const STEP: usize = 2;

/// `value` as serde-saphyr writes it, or `None` where serde-saphyr must write it.
pub(super) fn write(value: &Value) -> Option<String> {
    write_sized(value, 512)
}

/// [`write`] into a string of `capacity` bytes to begin with: sized from the text the value
/// was read from, the text is written without growing (a copy at each doubling) and keeps
/// little spare room for as long as the document lives.
pub(super) fn write_sized(value: &Value, capacity: usize) -> Option<String> {
    let mut out = String::with_capacity(capacity);
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0, false)?,
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0)?,
        _ => return None,
    }
    Some(out)
}

/// The entries of a mapping, each key at `column`; with `inline`, the first key goes where
/// the line already is (after a list's `- `).
fn write_map(
    out: &mut String,
    map: &Map<String, Value>,
    column: usize,
    inline: bool,
) -> Option<()> {
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 || !inline {
            indent(out, column);
        }
        write_key(out, key)?;
        out.push(':');
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, inner, column + STEP, false)?;
            }
            // serde-saphyr's `compact_list_indent`: a list's dashes line up with its key.
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_seq(out, items, column)?;
            }
            Value::String(text) if text.contains('\n') && block_content_safe(text) => {
                out.push(' ');
                write_literal(out, text, column + STEP);
            }
            scalar => {
                out.push(' ');
                write_scalar(out, scalar)?;
                out.push('\n');
            }
        }
    }
    Some(())
}

/// The items of a list, each dash at `column`.
fn write_seq(out: &mut String, items: &[Value], column: usize) -> Option<()> {
    for item in items {
        indent(out, column);
        out.push_str("- ");
        match item {
            Value::Object(inner) if !inner.is_empty() => {
                write_map(out, inner, column + STEP, true)?;
            }
            Value::Array(inner) if !inner.is_empty() => return None,
            Value::String(text) if text.contains('\n') && block_content_safe(text) => return None,
            scalar => {
                write_scalar(out, scalar)?;
                out.push('\n');
            }
        }
    }
    Some(())
}

fn indent(out: &mut String, column: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = column;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// A scalar (or an empty collection) on one line, without its line break.
fn write_scalar(out: &mut String, value: &Value) -> Option<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) if number.is_u64() || number.is_i64() => {
            out.push_str(&number.to_string());
        }
        Value::String(text) if is_plain_word(text) => out.push_str(text),
        Value::String(text) if quoted_as_is(text) => {
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        other => out.push_str(alone(other)?.trim_end_matches('\n')),
    }
    Some(())
}

/// serde-saphyr's one-line form of a scalar, or `None` when it writes it over several lines
/// (a folded or literal block, whose layout depends on its place).
fn alone(value: &Value) -> Option<String> {
    let text = serde_saphyr::to_string(value).ok()?;
    let line = text.strip_suffix('\n')?;
    let block = line.starts_with(['>', '|']) || line.contains('\n');
    (!block).then_some(text)
}

/// The bytes a key written as it is may hold: ASCII letters and digits, `-`, `_`, `.`, `/`.
/// One look-up per byte, where the tests for each class took several.
static KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/');
        byte += 1;
    }
    table
};

/// A mapping key: a plain word as it is, anything else as serde-saphyr writes it.
fn write_key(out: &mut String, key: &str) -> Option<()> {
    let bytes = key.as_bytes();
    let plain = bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.iter().all(|&b| KEY_BYTES[usize::from(b)])
        && !is_keyword(key);
    if plain {
        out.push_str(key);
        return Some(());
    }
    let mut entry = Map::new();
    entry.insert(key.to_string(), Value::Null);
    let text = serde_saphyr::to_string(&Value::Object(entry)).ok()?;
    let written = text.strip_suffix(": null\n")?;
    if written.contains('\n') {
        return None;
    }
    out.push_str(written);
    Some(())
}

/// Whether serde-saphyr surely writes `text` as it is (a plain scalar) in a block mapping
/// value or list item: printable ASCII starting with a letter or `/`, a digit where the text
/// cannot be a number or date, or a flag (`-c`, `--port`) (so no number, date, indicator or document
/// marker), no `: ` or ` #`, no space or `:` at the end, short enough
/// not to be folded, and no word YAML 1.1 reads as a boolean, null or special number.
fn is_plain_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let lead_ok = first.is_ascii_alphabetic()
        || first == b'/'
        || (first.is_ascii_digit() && surely_not_numeric(bytes))
        || (first == b'-' && dashed_word(bytes));
    if !lead_ok || bytes.len() > FOLD_WIDTH || last == b' ' || last == b':' {
        return false;
    }
    // Printable throughout, and whether a `:` or a space is in it, checked in one pass without
    // an early exit so that it vectorizes; then `: ` and ` #`, looked for only when one is.
    // (`memchr2`, set up anew for each of these short strings, cost more than the words.)
    let (printable, separated) = bytes.iter().fold((true, false), |(ok, seen), &byte| {
        (
            ok & (0x20..0x7f).contains(&byte),
            seen | (byte == b':') | (byte == b' '),
        )
    });
    let breaks = separated
        && bytes
            .windows(2)
            .any(|pair| matches!(pair, [b':', b' '] | [b' ', b'#']));
    printable && !breaks && !is_keyword(text)
}

/// Whether serde-saphyr surely writes `text` in double quotes with nothing escaped: a word
/// YAML 1.1 reads as a boolean, null or special number ([`is_keyword`]), the empty string, or
/// digits and dots that start with a digit (a number, or a version such as `1.6.9`, which YAML
/// 1.1's float form takes), short enough not to be folded. Quoted values are one in 25 of the
/// fleet's lines; each took a serde-saphyr serializer set up to write it.
fn quoted_as_is(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes.first() {
        None => true,
        Some(first) if first.is_ascii_digit() => {
            bytes.len() <= FOLD_WIDTH && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.')
        }
        Some(_) => is_keyword(text),
    }
}

/// Whether a string that starts with a digit is surely none of the forms YAML 1.1 resolves
/// from digits (an integer in any radix, a float, a base-60 number, a timestamp): it holds a
/// letter none of them has (`100m`, `256Mi`, a hex checksum), with no radix prefix and no `_`
/// (serde-saphyr drops underscores before it looks for a prefix). Quantities, versions with a
/// suffix and checksums are common in manifests; this keeps them off serde-saphyr's path.
pub(super) fn surely_not_numeric(bytes: &[u8]) -> bool {
    let radix =
        bytes[0] == b'0' && matches!(bytes.get(1), Some(b'b' | b'B' | b'o' | b'O' | b'x' | b'X'));
    !radix
        && !bytes.contains(&b'_')
        && bytes
            .iter()
            .any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E' | b't' | b'T' | b'Z'))
}

/// Whether a string that starts with `-` goes on with a letter, or with `-` and a letter (a
/// flag: `-c`, `--port=80`): no number, list item or document marker, unless it is `-inf`.
fn dashed_word(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(b"--").unwrap_or(&bytes[1..]);
    rest.first().is_some_and(u8::is_ascii_alphabetic) && !bytes.eq_ignore_ascii_case(b"-inf")
}

/// Words a YAML 1.1 reader takes for a boolean, null, or special number, in any case.
fn is_keyword(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Every word starts with one of these letters, in either case (`| 0x20` lowers a letter
    // and maps no other byte onto one); most keys and values start with another.
    let may_start = bytes
        .first()
        .is_some_and(|&b| matches!(b | 0x20, b'n' | b't' | b'f' | b'y' | b'o' | b'i'));
    if bytes.len() > 5 || !may_start {
        return false;
    }
    // Lowered once and matched against all the words at once: comparing each word in turn
    // was a tenth of the writer's time, as nearly every key and many values are short.
    let mut lower = [0u8; 5];
    for (low, byte) in lower.iter_mut().zip(bytes) {
        *low = byte.to_ascii_lowercase();
    }
    matches!(
        &lower[..bytes.len()],
        b"null"
            | b"true"
            | b"false"
            | b"yes"
            | b"no"
            | b"y"
            | b"n"
            | b"on"
            | b"off"
            | b"nan"
            | b"inf"
    )
}

/// Whether serde-saphyr may write `text` as a block scalar (its `is_block_scalar_content_safe`).
fn block_content_safe(text: &str) -> bool {
    text.chars().all(|c| match c {
        '\n' | '\t' => true,
        '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' => false,
        c => matches!(
            c as u32,
            0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x0010_FFFF
        ),
    })
}

/// A multi-line string as a literal block (`|`) after a key, its lines at `body` columns.
fn write_literal(out: &mut String, text: &str, body: usize) {
    let content = text.trim_end_matches('\n');
    let trailing = text.len() - content.len();
    out.push('|');
    let first_line = content.split('\n').find(|line| !line.is_empty());
    if first_line.is_some_and(|line| line.starts_with(' ')) {
        out.push(char::from(b'0' + STEP as u8));
    }
    match trailing {
        0 => out.push('-'),
        1 if !content.is_empty() => {}
        _ => out.push('+'),
    }
    out.push('\n');
    if content.is_empty() {
        for _ in 0..trailing {
            out.push('\n');
        }
        return;
    }
    for line in content.split('\n') {
        if !line.is_empty() {
            indent(out, body);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

#[cfg(test)]
#[path = "canonical_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "canonical_scalar_tests.rs"]
mod scalar_tests;

#[cfg(test)]
#[path = "canonical_word_tests.rs"]
mod word_tests;

#[cfg(test)]
#[path = "canonical_quoted_tests.rs"]
mod quoted_tests;
