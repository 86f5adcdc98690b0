//! The fast validator against `jsonschema` on small schemas, keyword by keyword.

use super::*;
use serde_json::json;

fn compiled(schema: Value) -> Structural {
    Structural::compile(&schema, &|_| None).unwrap()
}

fn full(schema: &Value) -> jsonschema::Validator {
    crate::validate::kind_schema::compile(schema).unwrap()
}

/// Every value: the fast answer is `true` exactly where `jsonschema` says valid (these
/// schemas are in the part the fast validator decides without doubt).
pub(super) fn agrees(schema: Value, values: &[Value]) {
    let (fast, full) = (compiled(schema.clone()), full(&schema));
    for value in values {
        assert_eq!(
            fast.is_valid(value),
            full.is_valid(value),
            "{schema} {value}"
        );
    }
}

#[test]
fn int_or_string_takes_one_branch_only() {
    let values = [
        json!(80),
        json!("http"),
        json!(null),
        json!(true),
        json!(80.5),
    ];
    agrees(
        json!({"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]}),
        &values,
    );
    agrees(json!({"type": ["integer", "string"]}), &values);
}

#[test]
fn a_whole_float_for_an_integer_is_left_to_jsonschema() {
    let fast = compiled(json!({"type": "integer"}));
    assert!(!fast.is_valid(&json!(1.0)), "1.0 is not vouched for");
    assert!(full(&json!({"type": "integer"})).is_valid(&json!(1.0)));
}

#[test]
fn objects_fields_and_bounds() {
    let schema = json!({"type": "object", "required": ["name"], "additionalProperties": false,
        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^[a-z]+$"},
        "port": {"type": "integer", "minimum": 1, "exclusiveMaximum": 65536},
        "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": true, "maxItems": 2},
        "mode": {"const": "x"}, "open": {"type": "object", "additionalProperties": {"type": "string"}}}});
    agrees(
        schema,
        &[
            json!({"name": "abc"}),
            json!({"name": ""}),
            json!({"name": "abcd"}),
            json!({"name": "ABC"}),
            json!({"port": 1}),
            json!({"name": "a", "port": 0}),
            json!({"name": "a", "port": 65536}),
            json!({"name": "a", "port": 65535, "tags": ["a", "b"]}),
            json!({"name": "a", "tags": ["a", "a"]}),
            json!({"name": "a", "tags": ["c"]}),
            json!({"name": "a", "mode": "x", "open": {"k": "v"}}),
            json!({"name": "a", "mode": "y"}),
            json!({"name": "a", "open": {"k": 1}}),
            json!({"name": "a", "other": 1}),
        ],
    );
}

#[test]
fn combinators() {
    let values = [json!("a"), json!("b"), json!(1), json!({"a": 1})];
    agrees(
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        &values,
    );
    agrees(
        json!({"allOf": [{"type": "string"}, {"enum": ["a"]}]}),
        &values,
    );
    agrees(json!({"not": {"enum": ["a"]}}), &values);
    agrees(
        json!({"oneOf": [{"required": ["a"]}, {"type": "string"}]}),
        &values,
    );
    agrees(json!(false), &values);
    agrees(
        json!({"if": {"type": "string"}, "then": {"enum": ["a"]}, "else": {"type": "integer"}}),
        &values,
    );
    agrees(json!({"propertyNames": {"pattern": "^b"}}), &values);
    agrees(
        json!({"dependentSchemas": {"a": {"required": ["b"]}}}),
        &[json!({"a": 1}), json!({"a": 1, "b": 2}), json!({"c": 1})],
    );
}

#[test]
fn references_resolve_into_the_roots_definitions_and_beyond() {
    let shared = Arc::new(json!({"type": "string"}));
    let schema = json!({"$defs": {"own": {"$ref": "#/$defs/shared"}},
        "properties": {"a": {"$ref": "#/$defs/own"}}});
    let fast = Structural::compile(&schema, &|name| {
        (name == "shared").then(|| Arc::clone(&shared))
    })
    .unwrap();
    assert!(fast.is_valid(&json!({"a": "x"})));
    assert!(!fast.is_valid(&json!({"a": 1})));
    assert!(
        Structural::compile(&schema, &|_| None).is_err(),
        "unresolved"
    );
}

#[test]
fn what_it_cannot_read_or_jsonschema_would_refuse_does_not_compile() {
    for schema in [
        json!({"patternProperties": {"a": {}}}),
        json!({"multipleOf": 2}),
        json!({"$id": "x"}),
        json!({"$schema": "http://json-schema.org/draft-07/schema#"}),
        json!({"type": "strin"}),
        json!({"type": ["string", "string"]}),
        json!({"required": ["a", "a"]}),
        json!({"minLength": -1}),
        json!({"minimum": "1"}),
        json!({"pattern": "("}),
        json!({"items": [{}]}),
        json!({"anyOf": []}),
        json!({"description": 1}),
        json!({"properties": {"a": {"$defs": {}}}}),
    ] {
        assert!(Structural::compile(&schema, &|_| None).is_err(), "{schema}");
    }
}

#[test]
fn a_pattern_shared_by_many_properties_matches_in_each_and_a_bad_one_still_fails() {
    let schema = json!({"properties": {
        "a": {"type": "string", "pattern": "^[0-9]+m?$"},
        "b": {"items": {"type": "string", "pattern": "^[0-9]+m?$"}},
    }});
    agrees(
        schema,
        &[
            json!({"a": "100m", "b": ["1", "2m"]}),
            json!({"a": "x"}),
            json!({"b": ["1", "x"]}),
        ],
    );
    for _ in 0..2 {
        let broken = json!({"properties": {"a": {"pattern": "(["}}});
        assert!(Structural::compile(&broken, &|_| None).is_err());
    }
}
