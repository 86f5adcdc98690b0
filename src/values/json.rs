//! Reading a JSON values file straight into the values tree: each map of the file becomes a
//! [`Node::Map`] as serde_json reads it, everything else a [`Node::Leaf`], every node tagged
//! with the file's origin. The same tree as reading a `serde_json::Value` and converting it,
//! without building the value first and hashing every key a second time.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostics::Origin;
use crate::values::Node;

/// The tree of a JSON text whose top level is an object, every node tagged with `origin`;
/// `None` when the text is not JSON or its top level is not an object.
pub(super) fn read_object(text: &str, origin: &Origin) -> Option<Node> {
    read_value(text, origin).filter(|node| matches!(node, Node::Map(..)))
}

/// The tree of any JSON text; `None` when it is not JSON.
pub(super) fn read_value(text: &str, origin: &Origin) -> Option<Node> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let node = Tagged(origin).deserialize(&mut reader).ok()?;
    reader.end().ok()?;
    Some(node)
}

/// Reads one JSON value into a tree whose nodes carry this origin.
#[derive(Clone, Copy)]
struct Tagged<'o>(&'o Origin);

impl<'de> DeserializeSeed<'de> for Tagged<'_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tagged<'_> {
    type Value = Node;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = IndexMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            // A repeated key keeps its first place and takes the last value, as serde_json's
            // own map does.
            entries.insert(key, map.next_value_seed(self)?);
        }
        Ok(Node::Map(entries, self.0.clone()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(self.leaf(Value::Array(items)))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(self.leaf(Value::Bool(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(self.leaf(Value::from(v)))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(self.leaf(Value::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(self.leaf(Value::from(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(self.leaf(Value::String(v.to_string())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Node, E> {
        Ok(self.leaf(Value::String(v)))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Node, E> {
        Ok(self.leaf(Value::Null))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Node, E> {
        Ok(self.leaf(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Err(E::custom("bytes are not JSON"))
    }
}

impl Tagged<'_> {
    fn leaf(self, value: Value) -> Node {
        Node::Leaf(value, self.0.clone())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(in crate::values) fn origin() -> Origin {
        Origin::File {
            path: "values.json".into(),
            line: 0,
        }
    }

    /// The tree the reader replaced: serde_json's value, converted.
    fn through_value(text: &str) -> Option<Node> {
        match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => Some(Node::from_value(value, &origin())),
            _ => None,
        }
    }

    /// Any JSON value, its strings and keys full of what a scan of JSON text must skip.
    pub(in crate::values) fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z,:{}\\[\\]\\\\\"é\\n ]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[a-c,\"\\\\:{}]{1,2}", inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn reads_the_tree_serde_json_values_give(value in json(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            prop_assert_eq!(read_object(&text, &origin()), through_value(&text));
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_place_and_its_last_value() {
        let text = r#"{"a": 1, "b": {"x": 1}, "a": {"y": [1, {"z": 2}]}}"#;
        let tree = read_object(text, &origin());
        assert_eq!(tree, through_value(text));
        assert!(matches!(tree, Some(Node::Map(ref map, _)) if map.keys().eq(["a", "b"])));
    }

    #[test]
    fn only_a_json_object_is_read() {
        for text in [
            "[1]",
            "1",
            "null",
            "{\"a\": 1} x",
            "{\"a\": }",
            "a: 1",
            "{\"a\": 1e999}",
        ] {
            assert_eq!(read_object(text, &origin()), through_value(text), "{text}");
        }
        assert_eq!(read_object("[1]", &origin()), None);
    }
}
