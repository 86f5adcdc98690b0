//! Property lookup in the length-then-bytes order: every declared property is found and
//! checked against its own schema, every other field falls to `additionalProperties`, as
//! `jsonschema` sees them.

use super::Structural;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn each_field_meets_its_own_property_schema(
        declared in prop::collection::btree_set("[a-zA-Z]{0,6}|é[a-z]{0,2}", 1..24),
        extra in prop::collection::vec("[a-zA-Z]{0,6}", 0..6),
        wrong in any::<prop::sample::Index>(),
    ) {
        let declared: Vec<String> = declared.into_iter().collect();
        // Each declared property wants a string; any other field must be an integer.
        let properties: Map<String, Value> = declared
            .iter()
            .map(|name| (name.clone(), json!({"type": "string"})))
            .collect();
        let schema = json!({"type": "object", "properties": properties,
                            "additionalProperties": {"type": "integer"}});
        let fast = Structural::compile(&schema, &|_| None).unwrap();
        let full = crate::validate::kind_schema::compile(&schema).unwrap();
        let mut object: Map<String, Value> =
            declared.iter().map(|name| (name.clone(), json!("x"))).collect();
        for name in &extra {
            if !object.contains_key(name) {
                object.insert(name.clone(), json!(1));
            }
        }
        let valid = Value::Object(object.clone());
        prop_assert!(fast.is_valid(&valid));
        prop_assert!(full.is_valid(&valid));
        // One declared property given the extra fields' type: both refuse it.
        let name = &declared[wrong.index(declared.len())];
        object.insert(name.clone(), json!(1));
        let invalid = Value::Object(object);
        prop_assert!(!fast.is_valid(&invalid));
        prop_assert!(!full.is_valid(&invalid));
    }
}
