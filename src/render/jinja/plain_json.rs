//! The JSON of a template value made of plain data, built by walking it: `toyaml`, `tojson`
//! and the text of a map or list read the fleet's maps once per service, and serde's way
//! there (minijinja's `Serialize` into `serde_json::to_value`) makes a value for every pair
//! it enumerates and turns every key into a string through a key serializer.
//!
//! Only maps and lists minijinja builds itself (map literals, the values tree, `merge`
//! results, list literals) with string keys are walked; numbers go through serde one by
//! one, so they come out exactly as before. Anything else sends the whole value back to
//! serde, which stays the reference: `plain_json_tests.rs` holds this path to its answers.

use indexmap::IndexMap;
use minijinja::value::{Value, ValueKind};
use serde_json::Value as Json;

/// The JSON serde gives for `value`, when it is plain data; `None` otherwise.
pub(super) fn plain_json(value: &Value) -> Option<Json> {
    match value.kind() {
        ValueKind::None => Some(Json::Null),
        ValueKind::Bool => Some(Json::Bool(value.is_true())),
        ValueKind::String => Some(Json::String(value.as_str()?.to_string())),
        ValueKind::Number => serde_json::to_value(value).ok(),
        ValueKind::Map => {
            let map = value.downcast_object_ref::<IndexMap<Value, Value>>()?;
            let mut object = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                if key.kind() != ValueKind::String {
                    return None;
                }
                object.insert(key.as_str()?.to_string(), plain_json(item)?);
            }
            Some(Json::Object(object))
        }
        ValueKind::Seq => {
            let items = value.downcast_object_ref::<Vec<Value>>()?;
            items
                .iter()
                .map(plain_json)
                .collect::<Option<Vec<_>>>()
                .map(Json::Array)
        }
        _ => None,
    }
}
