//! The fast structural validator (src/validate/structural.rs) stands in for `jsonschema` only
//! where they agree: it never vouches for a document `jsonschema` refuses (on the repository's
//! own charts and fixtures, and on documents mutated from them), it vouches for the valid
//! documents of that corpus, and a CRD schema is reported broken exactly when `jsonschema`
//! cannot compile it.

use std::sync::OnceLock;

use bosun::validate::schema::{Catalog, Lookup, newest_version};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::{root, run};

/// Every document of the repository's example charts (rendered) and of the manifest and CRD
/// fixtures.
fn corpus() -> &'static [Value] {
    static CORPUS: OnceLock<Vec<Value>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut documents = Vec::new();
        let mut rendered = 0;
        for entry in std::fs::read_dir(root().join("charts")).unwrap() {
            let chart = entry.unwrap().path();
            let chart = chart.to_str().unwrap();
            let (code, stdout, _) =
                run(["render", chart, "--no-validate", "--no-save", "-o", "json"]);
            if code != 0 {
                continue;
            }
            rendered += 1;
            let list: Value = serde_json::from_str(&stdout).unwrap();
            documents.extend(list["items"].as_array().unwrap().iter().cloned());
        }
        assert!(rendered >= 4, "only {rendered} example charts rendered");
        for folder in ["tests/fixtures/manifests", "tests/fixtures/crds"] {
            for entry in std::fs::read_dir(root().join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if let Ok(found) = serde_saphyr::from_multiple::<Value>(&text) {
                        documents.extend(found.into_iter().filter(Value::is_object));
                    }
                }
            }
        }
        documents
    })
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(newest_version()).unwrap())
}

/// The fast answer and `jsonschema`'s on `document`, or `None` without a schema.
fn both(document: &Value) -> Option<(bool, bool)> {
    let api_version = document["apiVersion"].as_str()?;
    let kind = document["kind"].as_str()?;
    let Lookup::Found(schema, _) = catalog().lookup(api_version, kind) else {
        return None;
    };
    let full = schema.validator().unwrap().is_valid(document);
    Some((schema.surely_valid(document), full))
}

#[test]
fn the_fast_validator_agrees_with_jsonschema_on_the_repositorys_documents() {
    let (mut valid, mut invalid) = (0, 0);
    for document in corpus() {
        let Some((fast, full)) = both(document) else {
            continue;
        };
        assert_eq!(fast, full, "{document}");
        if full {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(
        valid >= 60 && invalid >= 20,
        "{valid} valid, {invalid} invalid"
    );
}

/// A replacement value of every JSON type, and the edge cases between them.
fn replacement(choice: usize) -> Value {
    let values = [
        json!(null),
        json!("x"),
        json!("80"),
        json!(80),
        json!(80.0),
        json!(80.5),
        json!(-1),
        json!(true),
        json!([]),
        json!({}),
        json!(["a"]),
        json!({"a": 1}),
        json!(1e20),
        json!(u64::MAX),
        json!(""),
        json!("NotAnEnumValue"),
    ];
    values[choice % values.len()].clone()
}

/// The JSON pointer of every value in `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                pointers(
                    inner,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                pointers(inner, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Applies one mutation: replace a value, add an unknown field, remove a field, or add an item.
fn mutate(document: &mut Value, (place, how, choice): (usize, usize, usize)) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let pointer = &all[place % all.len()];
    let Some(target) = document.pointer_mut(pointer) else {
        return;
    };
    match (how % 4, target) {
        (0, target) => *target = replacement(choice),
        (1, Value::Object(map)) => {
            map.insert("zzUnknown".into(), replacement(choice));
        }
        (2, Value::Object(map)) if !map.is_empty() => {
            let key = map.keys().nth(choice % map.len()).unwrap().clone();
            map.shift_remove(&key);
        }
        (3, Value::Array(items)) => {
            let item = items
                .first()
                .cloned()
                .unwrap_or_else(|| replacement(choice));
            items.push(if choice % 2 == 0 {
                item
            } else {
                replacement(choice)
            });
        }
        (_, target) => *target = replacement(choice),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_validator_never_vouches_for_a_mutated_document_jsonschema_refuses(
        pick in any::<usize>(),
        mutations in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..4),
    ) {
        let documents = corpus();
        let mut document = documents[pick % documents.len()].clone();
        for mutation in mutations {
            mutate(&mut document, mutation);
        }
        if let Some((fast, full)) = both(&document) {
            prop_assert!(!fast || full, "vouched for an invalid document: {}", document);
        }
    }

    #[test]
    fn a_crd_schema_is_broken_exactly_when_jsonschema_cannot_compile_it(
        pick in any::<usize>(),
        mutations in proptest::collection::vec((any::<usize>(), any::<usize>()), 1..3),
    ) {
        let mut files = Vec::new();
        for group in std::fs::read_dir(root().join("schemas/crds")).unwrap() {
            let group = group.unwrap().path();
            if group.is_dir() {
                files.extend(std::fs::read_dir(group).unwrap().map(|f| f.unwrap().path()));
            }
        }
        // Those that point into Kubernetes' definitions compile with them added: left out.
        files.retain(|file| !std::fs::read_to_string(file).unwrap().contains("#/$defs/io.k8s."));
        files.sort();
        let text = std::fs::read_to_string(&files[pick % files.len()]).unwrap();
        let mut schema: Value = serde_json::from_str(&text).unwrap();
        // Keyword values the meta-schema refuses, and ones it allows.
        let breakages = [
            ("type", json!("strin")),
            ("type", json!(["string", "string"])),
            ("type", json!("integer")),
            ("required", json!(["a", "a"])),
            ("required", json!(["a"])),
            ("minLength", json!(-1)),
            ("maxItems", json!(2)),
            ("minimum", json!("1")),
            ("maximum", json!(10)),
            ("pattern", json!("(")),
            ("pattern", json!("^[a-z]+$")),
            ("items", json!([{}])),
            ("enum", json!("a")),
            ("anyOf", json!([])),
            ("$ref", json!("#/$defs/nowhere")),
            ("description", json!(1)),
            ("additionalProperties", json!(3)),
        ];
        for (place, which) in mutations {
            let mut all = Vec::new();
            pointers(&schema, String::new(), &mut all);
            let pointer = &all[place % all.len()];
            if let Some(Value::Object(node)) = schema.pointer_mut(pointer) {
                let (keyword, value) = &breakages[which % breakages.len()];
                node.insert(keyword.to_string(), value.clone());
            }
        }
        let compiles = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(false)
            .build(&schema)
            .is_ok();
        let mut catalog = Catalog::new(newest_version()).unwrap();
        catalog.add_custom("example.com/v1/Widget", schema.clone(), "test".into());
        match catalog.lookup("example.com/v1", "Widget") {
            Lookup::Found(found, _) => {
                prop_assert!(compiles, "not reported broken: {}", schema);
                prop_assert!(found.validator().is_ok());
            }
            Lookup::Broken(_) => prop_assert!(!compiles, "reported broken: {}", schema),
            _ => prop_assert!(false, "no schema"),
        }
    }
}
