//! `required` names that `properties` lists are counted as the object's fields are checked; the
//! others are looked up in the object. Both are held to `jsonschema`'s answers on every subset
//! of the fields.

use serde_json::{Map, Value, json};

use super::tests::agrees;

/// Every object made of a subset of `fields`, each field a string.
fn every_subset(fields: &[&str]) -> Vec<Value> {
    (0..1u32 << fields.len())
        .map(|mask| {
            let object: Map<String, Value> = fields
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, field)| (field.to_string(), json!("x")))
                .collect();
            Value::Object(object)
        })
        .collect()
}

#[test]
fn a_missing_required_field_fails_whether_properties_lists_it_or_not() {
    let objects = every_subset(&["a", "b", "c", "z", "extra"]);
    let properties = json!({"a": {"type": "string"}, "b": {"type": "string"},
        "c": {"type": "string"}});
    agrees(
        json!({"type": "object", "properties": properties, "required": ["a", "c", "z"]}),
        &objects,
    );
    agrees(
        json!({"type": "object", "properties": properties, "required": ["c", "a"],
            "additionalProperties": false}),
        &objects,
    );
    agrees(
        json!({"type": "object", "properties": properties, "required": ["z"],
            "additionalProperties": {"type": "string"}}),
        &objects,
    );
    agrees(json!({"type": "object", "required": ["a", "z"]}), &objects);
}

#[test]
fn a_required_field_of_the_wrong_type_fails_as_a_missing_one_does() {
    let schema = json!({"type": "object", "required": ["a", "b"],
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}});
    agrees(
        schema,
        &[
            json!({"a": 1, "b": "x"}),
            json!({"a": "1", "b": "x"}),
            json!({"a": 1}),
            json!({"b": 1}),
            json!({"a": 1, "b": "x", "c": null}),
            json!({}),
        ],
    );
}
