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
    let bytes = text.as_bytes();
    let start = skip_space(bytes, 0);
    let (members, end) = members_at(text, start, Some(large))?;
    if skip_space(bytes, end) != bytes.len() {
        return None;
    }
    object(&members, origin)
}

/// One member of an object: its key (with the quotes), its value's text, and the members of
/// that value when it is a large object, found in the same scan.
struct Member<'t> {
    key: &'t str,
    value: &'t str,
    inner: Option<Vec<Member<'t>>>,
}

fn object(members: &[Member], origin: &Origin) -> Option<Node> {
    let read: Vec<Option<(String, Node)>> = members
        .par_iter()
        .with_min_len(16)
        .map(|member| {
            let key: String = serde_json::from_str(member.key).ok()?;
            let node = match &member.inner {
                Some(inner) => object(inner, origin)?,
                None => json::read_value(member.value, origin)?,
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

/// The members of the object whose `{` is at `at`, and where it ends (just past its `}`);
/// `None` when the text there is not shaped like one. With `large`, a member's value that is
/// an object of that many bytes or more has its own members found in the same scan (the
/// text is read once, not again for the large member).
fn members_at(text: &str, at: usize, large: Option<usize>) -> Option<(Vec<Member<'_>>, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut at = skip_space(bytes, at + 1);
    let mut members = Vec::new();
    if bytes.get(at) == Some(&b'}') {
        return Some((members, at + 1));
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
        let (inner, value_end) = match large {
            Some(large) if bytes.get(value_start) == Some(&b'{') => {
                let (inner, end) = members_at(text, value_start, None)?;
                let end_of_space = skip_space(bytes, end);
                ((end - value_start >= large).then_some(inner), end_of_space)
            }
            _ => (None, value_end(bytes, value_start)?),
        };
        let value = text[value_start..value_end].trim_end_matches(is_space);
        members.push(Member { key, value, inner });
        at = value_end;
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => return Some((members, at + 1)),
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

/// Bytes of a string looked at one by one before memchr takes over.
const SHORT: usize = 16;

/// Just past the string that starts (with its quote) at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = at + 1;
    loop {
        // Most strings of a values file are short: a plain loop finds their end before
        // memchr's set-up would.
        let rest = bytes.get(at..)?;
        at += match rest[..rest.len().min(SHORT)]
            .iter()
            .position(|&b| b == b'"' || b == b'\\')
        {
            Some(i) => i,
            None => SHORT + memchr::memchr2(b'"', b'\\', rest.get(SHORT..)?)?,
        };
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
