//! Field lookups for the rules. A rendered object is a small mapping (a container has about
//! ten fields, metadata three or four), and `serde_json`'s map hashes the key with SipHash on
//! every `get`, about 290 instructions a lookup; a scan over a small map's entries comparing
//! lengths first finds the field in a fraction of that. Large maps keep the hashed lookup.

use serde_json::{Map, Value};

/// Maps with more entries than this are searched by hash.
const SCANNED: usize = 16;

/// `get` by scanning small maps: the same answer as `serde_json`'s, as keys are unique.
pub(crate) trait Field {
    fn field(&self, key: &str) -> Option<&Value>;
}

impl Field for Map<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        if self.len() > SCANNED {
            return self.get(key);
        }
        self.iter()
            .find(|(name, _)| name.len() == key.len() && name.as_bytes() == key.as_bytes())
            .map(|(_, value)| value)
    }
}

impl Field for Value {
    fn field(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|map| map.field(key))
    }
}

/// `Value::pointer` with the fields of small maps found by [`Field`]: the same answer for any
/// pointer. A pointer with an escape (`~0`, `~1`) is left to `serde_json`.
pub(crate) trait Follow {
    fn follow(&self, pointer: &str) -> Option<&Value>;
}

impl Follow for Value {
    fn follow(&self, pointer: &str) -> Option<&Value> {
        if pointer.contains('~') {
            return self.pointer(pointer);
        }
        if pointer.is_empty() {
            return Some(self);
        }
        let tokens = pointer.strip_prefix('/')?;
        tokens
            .split('/')
            .try_fold(self, |target, token| match target {
                Value::Object(map) => map.field(token),
                Value::Array(list) => index(token).and_then(|at| list.get(at)),
                _ => None,
            })
    }
}

/// A list index as JSON pointers write it: digits, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{Field, Follow, SCANNED};
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    proptest! {
        #[test]
        fn scanned_lookup_answers_as_the_hashed_one(
            keys in proptest::collection::vec("[a-c]{0,3}", 0..(SCANNED * 2)),
            probe in "[a-c]{0,3}",
        ) {
            let map: Map<String, Value> = keys
                .iter()
                .enumerate()
                .map(|(at, key)| (key.clone(), Value::from(at)))
                .collect();
            prop_assert_eq!(map.field(&probe), map.get(&probe));
            let value = Value::Object(map);
            prop_assert_eq!(value.field(&probe), value.get(&probe));
        }
    }

    /// Pointers over a document with lists, escapes and odd indexes.
    fn pointer_like() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "(/(a|b|c~1d|e~0|0|1|01|\\+1|-1|x|))*",
            "[a/~01+]{0,8}",
        ]
    }

    proptest! {
        #[test]
        fn following_a_pointer_answers_as_serde_json(pointer in pointer_like()) {
            let doc = serde_json::json!({
                "a": {"b": [{"a": 1}, {"b": {"c/d": 2, "e~": 3}}], "": 4},
                "b": [[0, 1], {"": [5]}], "c/d": {"e~": 6}, "": {"": 7}
            });
            prop_assert_eq!(doc.follow(&pointer), doc.pointer(&pointer));
        }
    }

    #[test]
    fn only_mappings_have_fields() {
        assert_eq!(Value::from("name").field("name"), None);
        assert_eq!(serde_json::json!([1]).field("0"), None);
        assert_eq!(
            serde_json::json!({"a": 1}).field("a"),
            Some(&Value::from(1))
        );
    }
}
