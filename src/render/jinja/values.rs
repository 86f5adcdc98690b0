//! The chart's values as its Jinja templates see them, built from the merged values tree in
//! one pass: no JSON copy in between and no serde serializer.
//!
//! The result is the value minijinja's own serde conversion (`Value::from(Serde(json))`) makes
//! of the same tree as JSON: maps keep their keys' order, a whole number is `u64` when it is
//! not negative and `i64` when it is, any other number `f64`, and `null` is none.

use indexmap::IndexMap;
use minijinja::value::Value;
use rayon::prelude::*;

use crate::values::Node;

/// Entries of a map past which its values are converted on all cores: the map of a fleet's
/// services, built before the template starts, while the other cores have nothing to do.
const PARALLEL: usize = 128;

/// `values` for a chart's templates, from its merged tree.
pub fn from_node(node: &Node) -> Value {
    match node {
        Node::Map(map, _) if map.len() >= PARALLEL => {
            let pairs: Vec<(&String, &Node)> = map.iter().collect();
            let converted: Vec<(Value, Value)> = pairs
                .par_iter()
                .with_min_len(PARALLEL / 4)
                .map(|(key, child)| (Value::from(key.as_str()), from_node(child)))
                .collect();
            Value::from_object(converted.into_iter().collect::<IndexMap<Value, Value>>())
        }
        Node::Map(map, _) => {
            let mut entries = IndexMap::with_capacity(map.len());
            for (key, child) in map {
                entries.insert(Value::from(key.as_str()), from_node(child));
            }
            Value::from_object(entries)
        }
        Node::Leaf(leaf, _) => from_json(leaf),
    }
}

/// A JSON value as minijinja's serde conversion makes it.
pub fn from_json(json: &serde_json::Value) -> Value {
    use serde_json::Value as Json;
    match json {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(number) => {
            if let Some(unsigned) = number.as_u64() {
                Value::from(unsigned)
            } else if let Some(signed) = number.as_i64() {
                Value::from(signed)
            } else {
                Value::from(number.as_f64().unwrap_or_default())
            }
        }
        Json::String(text) => Value::from(text.as_str()),
        Json::Array(items) => Value::from_object(items.iter().map(from_json).collect::<Vec<_>>()),
        Json::Object(map) => {
            let mut entries = IndexMap::with_capacity(map.len());
            for (key, child) in map {
                entries.insert(Value::from(key.as_str()), from_json(child));
            }
            Value::from_object(entries)
        }
    }
}
