//! Holds the structural shortcut of the values check (`vouched`) to `jsonschema`: whatever it
//! vouches for, `jsonschema` finds valid too, on the repository's values schemas with their
//! charts' values and mutations of them (each value replaced by others of other types, removed,
//! an unknown key added), and on a schema written as Bitnami's are.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{ChartFiles, vouched};
use crate::validate::structural::mutations;

/// `jsonschema`'s answer, compiled as the values check compiles it.
fn full(schema: &Value, file: &Path) -> jsonschema::Validator {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    jsonschema::options()
        .with_base_uri(format!("file://{}", file.display()))
        .with_retriever(ChartFiles { roots: vec![root] })
        .build(schema)
        .unwrap()
}

/// Checks that `vouched` implies `jsonschema`'s yes on each mutation; returns how many it
/// vouched for.
fn holds(schema: &Value, file: &Path, values: &Value) -> usize {
    let validator = full(schema, file);
    let mut vouched_for = 0;
    for candidate in mutations(values) {
        if vouched(schema, &candidate) {
            vouched_for += 1;
            assert!(
                validator.is_valid(&candidate),
                "{}: vouched for {candidate}",
                file.display()
            );
        }
    }
    vouched_for
}

#[test]
fn what_the_structural_check_vouches_for_jsonschema_finds_valid_on_the_repositorys_charts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut vouched_for = 0;
    for dir in ["charts", "tests/fixtures/charts", "tests/fixtures/messages"] {
        for chart in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let file = chart.path().join("values.schema.json");
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let Ok(schema) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let values = std::fs::read_to_string(chart.path().join("values.yaml"))
                .ok()
                .and_then(|text| serde_saphyr::from_str::<Value>(&text).ok())
                .unwrap_or(json!({}));
            vouched_for += holds(&schema, &file, &values);
        }
    }
    assert!(vouched_for > 100, "vouched for only {vouched_for}");
}

#[test]
fn a_schema_written_as_bitnamis_are_is_read_by_the_structural_check() {
    let schema = json!({
        "$schema": "http://json-schema.org/schema#",
        "type": "object",
        "properties": {
            "user": {"type": "string", "title": "User", "form": true, "description": "Name"},
            "replicas": {"type": "integer", "form": true, "render": "slider",
                "sliderMin": 1, "sliderMax": 10, "sliderUnit": "pods"},
            "persistence": {"type": "object", "properties": {
                "size": {"type": "string", "hidden": {"value": false, "path": "persistence/enabled"}},
                "enabled": {"type": "boolean"}}}
        }
    });
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("values.schema.json");
    let values = json!({"user": "ghost", "replicas": 2,
        "persistence": {"size": "8Gi", "enabled": true}, "other": [1, 2]});
    assert!(vouched(&schema, &values));
    assert!(!vouched(&schema, &json!({"replicas": "two"})));
    assert!(holds(&schema, &file, &values) > 10);
}

#[test]
fn a_schema_the_structural_check_cannot_read_is_left_to_jsonschema() {
    for schema in [
        json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}),
        json!({"type": "object", "patternProperties": {"^a": {"type": "string"}}}),
        json!({"$ref": "other.json"}),
        json!({"$ref": "bosun://service/values.schema.json", "type": "object"}),
        json!({"type": "object", "properties": {"a": {"pattern": "("}}}),
    ] {
        assert!(!vouched(&schema, &json!({})), "{schema}");
    }
}
