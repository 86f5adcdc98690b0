//! The schemas bosun ships build their patterns on first use: every pattern in them builds,
//! and a shipped schema compiled that way answers as one whose patterns were built up front.

use std::path::Path;

use serde_json::Value;

use super::library_tests::{fixtures, mutations};
use super::{Pattern, Structural};

pub(super) fn patterns(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    // A property may be called `pattern`: its schema is walked, not read as one.
                    ("pattern", Value::String(text)) => out.push(text.clone()),
                    _ => patterns(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| patterns(item, out)),
        _ => {}
    }
}

#[test]
fn every_pattern_of_the_shipped_crd_schemas_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/crds");
    let mut found = Vec::new();
    for group in std::fs::read_dir(root).unwrap().flatten() {
        let Ok(files) = std::fs::read_dir(group.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "json") {
                let schema: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                patterns(&schema, &mut found);
            }
        }
    }
    assert!(found.len() > 50, "only {} patterns", found.len());
    for text in found {
        assert!(Pattern::get(&text, true).is_ok(), "{text}");
    }
}

#[test]
fn a_shipped_schema_answers_as_one_whose_patterns_were_built_up_front() {
    let version = *crate::validate::bundle::versions().last().unwrap();
    let definitions = crate::validate::bundle::Definitions::load(version).unwrap();
    let resolve = |name: &str| definitions.get(name);
    let mut kinds = 0;
    for document in fixtures() {
        let (Some(api_version), Some(kind)) =
            (document["apiVersion"].as_str(), document["kind"].as_str())
        else {
            continue;
        };
        let Some((schema, _)) = crate::validate::crd::bundled(api_version, kind) else {
            continue;
        };
        kinds += 1;
        let shipped = Structural::compile_shipped(&schema, &resolve).unwrap();
        let checked = Structural::compile(&schema, &resolve).unwrap();
        for mutated in mutations(&document) {
            assert_eq!(
                shipped.is_valid(&mutated),
                checked.is_valid(&mutated),
                "{api_version} {kind}: {mutated}"
            );
        }
    }
    assert!(kinds >= 5, "only {kinds} documents of shipped kinds");
}
