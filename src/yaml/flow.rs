//! One-line flow collections of scalars (`["ALL"]`, `{cpu: 500m}`, `[]`) for the block
//! reader ([`super::block`]): templates write them for short lists and resource limits.
//! Nested collections, empty entries and anything unusual are left to the other paths.

use serde_json::{Map, Value};

use super::block::{MAX_DEPTH, quoted};
use super::fast::{map_key, scalar_plain};
use super::spaces;

/// A flow list or mapping of scalars on one line (`["ALL"]`, `{cpu: 1}`, `[]`): the value and
/// the bytes it took. Nested collections are left to the other paths.
pub(super) fn flow(text: &str, depth: usize) -> Option<(Value, usize)> {
    if depth + 1 >= MAX_DEPTH {
        return None;
    }
    let is_map = text.starts_with('{');
    let close = if is_map { '}' } else { ']' };
    let mut items = Vec::new();
    let mut map = Map::new();
    let skip = |at: usize| at + text[at..].len() - spaces::trim_start(&text[at..]).len();
    let mut at = skip(1);
    if text[at..].starts_with(close) {
        let empty = if is_map {
            Value::Object(map)
        } else {
            Value::Array(items)
        };
        return Some((empty, at + 1));
    }
    loop {
        if is_map {
            let (key, used) = flow_scalar(&text[at..], true)?;
            let Value::String(key) = key else {
                return None;
            };
            at += used;
            at = skip(text[at..].strip_prefix(": ").map(|_| at + 2)?);
            let (value, used) = flow_scalar(&text[at..], false)?;
            if map.insert(key, value).is_some() {
                return None;
            }
            at += used;
        } else {
            let (value, used) = flow_scalar(&text[at..], false)?;
            items.push(value);
            at += used;
        }
        at = skip(at);
        match text[at..].chars().next()? {
            ',' => at = skip(at + 1),
            c if c == close => {
                let value = if is_map {
                    Value::Object(map)
                } else {
                    Value::Array(items)
                };
                return Some((value, at + 1));
            }
            _ => return None,
        }
        // `[a, ]` and `[a, , b]` are for serde-saphyr.
        if text[at..].starts_with([',', ']', '}']) {
            return None;
        }
    }
}

/// One scalar inside a flow collection: quoted, or plain up to `,`, `]` or `}`.
fn flow_scalar(text: &str, key: bool) -> Option<(Value, usize)> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => {
            let (value, used) = quoted(text)?;
            Some((Value::String(value), used))
        }
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'%' | b'@' | b'`' => None,
        _ => {
            let end = text
                .bytes()
                .position(|b| matches!(b, b',' | b']' | b'}' | b':' | b'#' | b'[' | b'{'))?;
            if text.as_bytes()[end] != b',' && text.as_bytes()[end] != b']' {
                // `:` ends a key (and nothing else); `}` ends a value.
                let ok = match text.as_bytes()[end] {
                    b':' => key,
                    b'}' => !key,
                    _ => false,
                };
                if !ok {
                    return None;
                }
            }
            let plain = spaces::trim_end(&text[..end]);
            if plain.is_empty() {
                return None;
            }
            let value = if key {
                Value::String(map_key(plain, granit_parser::ScalarStyle::Plain)?)
            } else {
                scalar_plain(plain)?
            };
            Some((value, plain.len()))
        }
    }
}
