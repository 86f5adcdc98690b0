//! A large JSON values file read on every core: the members of its top-level object (and of
//! a large object among them, as a generated fleet's `services:`) are found by a quick scan of
//! the text, then each member's value is read by serde_json on its own. The tree is the one
//! reading the whole text at once gives; anything the scan does not expect (or nesting near
//! serde_json's depth limit) leaves the file to that whole read.

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::diagnostics::Origin;
use crate::values::Node;
use crate::values::json;

/// Below this a text is read whole: splitting it costs more than it saves.
pub(super) const LARGE: usize = 256 * 1024;

/// Nesting deeper than this (from a member's value) is left to the whole read, whose depth
/// limit (128) then decides as it would have.
const MAX_DEPTH: usize = 100;

/// The tree of the JSON object `text`, its members (and those of members of `large` bytes or
/// more that are objects, one level down) read in parallel; `None` when the scan or a member's
/// read fails.
pub(super) fn read_object(text: &str, origin: &Origin, large: usize) -> Option<Node> {
    object(text, origin, large, 0)
}

fn object(text: &str, origin: &Origin, large: usize, level: usize) -> Option<Node> {
    let members = members(text)?;
    let read: Vec<Option<(String, Node)>> = members
        .par_iter()
        .with_min_len(16)
        .map(|&(key, value)| {
            let key: String = serde_json::from_str(key).ok()?;
            let node = if level == 0 && value.len() >= large && value.starts_with('{') {
                object(value, origin, large, level + 1)?
            } else {
                json::read_value(value, origin)?
            };
            Some((key, node))
        })
        .collect();
    let mut entries = IndexMap::with_capacity(read.len());
    for member in read {
        let (key, node) = member?;
        // A repeated key keeps its first place and takes the last value, as in the whole read.
        entries.insert(key, node);
    }
    Some(Node::Map(entries, origin.clone()))
}

/// The (key, value) texts of the object that is the whole of `text` (JSON whitespace around
/// it); each key with its quotes. `None` when `text` is not shaped like one.
fn members(text: &str) -> Option<Vec<(&str, &str)>> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    let mut members = Vec::new();
    if bytes.get(at) == Some(&b'}') {
        return (skip_space(bytes, at + 1) == bytes.len()).then_some(members);
    }
    loop {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, at)?;
        let key = &text[at..key_end];
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(bytes, at + 1);
        let value_end = value_end(bytes, value_start)?;
        members.push((key, text[value_start..value_end].trim_end_matches(is_space)));
        at = value_end;
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => {
                return (skip_space(bytes, at + 1) == bytes.len()).then_some(members);
            }
            _ => return None,
        }
    }
}

/// JSON's whitespace, and only it.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| is_space(b as char)) {
        at += 1;
    }
    at
}

/// Just past the string that starts (with its quote) at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
        if bytes[at] == b'"' {
            return Some(at + 1);
        }
        at += 2;
    }
}

/// Where the value starting at `at` ends: the `,` or `}` that closes its member.
fn value_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *bytes.get(at)? {
            b'"' => {
                at = string_end(bytes, at)?;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return None;
                }
            }
            b'}' | b']' if depth > 0 => depth -= 1,
            b',' | b'}' if depth == 0 => return Some(at),
            b']' => return None,
            _ => {}
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::json::tests::{json as json_value, origin};
    use proptest::prelude::*;

    proptest! {
        /// Split at every size, the read gives the tree of the whole read.
        #[test]
        fn reads_the_tree_the_whole_read_gives(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let whole = json::read_object(&text, &origin());
            let split = read_object(&text, &origin(), 0);
            if value.is_object() {
                prop_assert_eq!(split, whole);
            } else {
                prop_assert_eq!(split, None);
            }
        }
    }

    #[test]
    fn what_the_whole_read_refuses_the_split_read_refuses() {
        for text in [
            "{\"a\": 1,}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": [1, 2}",
            "{\"a\": {\"b\": 1}} x",
            "{\"a\": \"\\ud800\"}",
            "{\"a\" 1}",
            "{\"a\": 1}\u{a0}",
            "{\"a\": {\"b\": 01}}",
            "{a: 1}",
        ] {
            assert_eq!(json::read_object(text, &origin()), None, "{text}");
            assert_eq!(read_object(text, &origin(), 0), None, "{text}");
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_place_and_its_last_value() {
        let text = r#"{"a": 1, "s": {"x": 1, "y": 2, "x": {"z": 3}}, "a": [1]}"#;
        assert_eq!(
            read_object(text, &origin(), 0),
            json::read_object(text, &origin())
        );
    }

    #[test]
    fn nesting_near_the_depth_limit_is_left_to_the_whole_read() {
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(120), "]".repeat(120));
        assert_eq!(read_object(&deep, &origin(), 0), None);
    }
}
