//! The identity fields looked for at their usual place first ([`crate::resource::entry`]),
//! held to plain look-ups by name on objects whose keys come in any order.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::not_an_object;
use crate::resource::Resource;

/// [`Resource::of`] by name alone, as it was written before the guesses.
fn identity_by_name(value: &Value) -> Resource {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let metadata = &value["metadata"];
    let name = match text(&metadata["name"]) {
        name if name.is_empty() => text(&metadata["generateName"]),
        name => name,
    };
    Resource {
        api_version: text(&value["apiVersion"]),
        kind: text(&value["kind"]),
        namespace: text(&metadata["namespace"]),
        name,
    }
}

/// [`not_an_object`] by name alone, as it was written before the guesses.
fn reason_by_name(value: &Value) -> Option<&'static str> {
    let Value::Object(map) = value else {
        return Some("it is not a mapping");
    };
    let name = map.get("metadata").and_then(|m| m.get("name"));
    if !map.get("apiVersion").is_some_and(Value::is_string) {
        Some("it has no `apiVersion`")
    } else if !map.get("kind").is_some_and(Value::is_string) {
        Some("it has no `kind`")
    } else if name.is_some_and(|name| !name.is_string() && !name.is_null()) {
        Some("its `metadata.name` is not a string")
    } else if !(name.is_some_and(Value::is_string)
        || map
            .get("metadata")
            .and_then(|m| m.get("generateName"))
            .is_some_and(Value::is_string))
    {
        Some("it has no `metadata.name`")
    } else {
        None
    }
}

fn agree(value: &Value) {
    assert_eq!(Resource::of(value), identity_by_name(value), "{value}");
    assert_eq!(not_an_object(value), reason_by_name(value), "{value}");
}

#[test]
fn identity_is_read_wherever_its_keys_are() {
    for value in [
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "n"}}),
        json!({"metadata": {"namespace": "n", "name": "a"}, "kind": "Pod", "apiVersion": "v1"}),
        json!({"kind": "Pod", "apiVersion": "v1", "spec": {}, "metadata": {"generateName": "g-"}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": null, "generateName": "g-"}}),
        json!({"apiVersion": 1, "kind": "Pod", "metadata": {"name": "a"}}),
        json!({"apiVersion": "v1", "kind": ["Pod"], "metadata": {"name": "a"}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": 3}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": ["name"]}),
        json!({"apiVersion": "v1", "kind": "Pod"}),
        json!(["apiVersion", "kind"]),
        json!("Pod"),
        Value::Null,
    ] {
        agree(&value);
    }
}

/// One of the fields an identity is read from, or another, with a value of any type.
fn field() -> impl Strategy<Value = (String, Value)> {
    let key = prop::sample::select(vec![
        "apiVersion",
        "kind",
        "metadata",
        "name",
        "namespace",
        "generateName",
        "spec",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        "[a-z]{0,3}".prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
    ];
    (key, leaf).prop_map(|(key, value)| (key.to_string(), value))
}

fn object(fields: Vec<(String, Value)>) -> Value {
    Value::Object(fields.into_iter().collect::<Map<_, _>>())
}

proptest! {
    #[test]
    fn identity_and_reason_agree_with_look_ups_by_name(
        top in prop::collection::vec(field(), 0..6),
        metadata in prop::collection::vec(field(), 0..5),
        metadata_at in 0usize..6,
    ) {
        let mut top = top;
        top.insert(metadata_at.min(top.len()), ("metadata".to_string(), object(metadata)));
        agree(&object(top));
    }
}
