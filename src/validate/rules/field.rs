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

#[cfg(test)]
mod tests {
    use super::{Field, SCANNED};
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
