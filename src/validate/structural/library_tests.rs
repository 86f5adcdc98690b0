//! The library's lazily compiled, shared definitions give the same answers as compiling a
//! kind's whole schema up front: on every document of the repository's fixtures and on
//! documents mutated from them, and every bundled definition compiles, so no kind is left to
//! `jsonschema` for want of it.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{Library, Structural};
use crate::validate::bundle::{self, Definitions};

/// Every Kubernetes object in the `.yaml` files under tests/fixtures (templates that do not
/// parse are passed over).
pub(super) fn fixtures() -> Vec<Value> {
    fn walk(dir: &Path, out: &mut Vec<Value>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml")
                && let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(found) = serde_saphyr::from_multiple::<Value>(&text)
            {
                out.extend(
                    found
                        .into_iter()
                        .filter(|d| d["apiVersion"].is_string() && d["kind"].is_string()),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut out,
    );
    out
}

/// `document` and, for each value in it, copies with that value replaced by values of other
/// types, with an unknown field added to an object, and with a field removed.
pub(in crate::validate) fn mutations(document: &Value) -> Vec<Value> {
    fn at(document: &Value, path: &[Value], out: &mut Vec<Value>) {
        let here = path_get(document, path);
        for replacement in [
            json!("x"),
            json!(7),
            json!(-1),
            json!(1.5),
            json!(null),
            json!(true),
            json!([]),
            json!({}),
        ] {
            if here != Some(&replacement) {
                let mut copy = document.clone();
                *path_get_mut(&mut copy, path) = replacement;
                out.push(copy);
            }
        }
        match here {
            Some(Value::Object(map)) => {
                let mut copy = document.clone();
                if let Value::Object(target) = path_get_mut(&mut copy, path) {
                    target.insert("notAField".into(), json!("x"));
                }
                out.push(copy);
                for key in map.keys() {
                    let mut copy = document.clone();
                    if let Value::Object(target) = path_get_mut(&mut copy, path) {
                        target.remove(key);
                    }
                    out.push(copy);
                    let mut deeper = path.to_vec();
                    deeper.push(json!(key));
                    at(document, &deeper, out);
                }
            }
            Some(Value::Array(items)) => {
                for index in 0..items.len() {
                    let mut deeper = path.to_vec();
                    deeper.push(json!(index));
                    at(document, &deeper, out);
                }
            }
            _ => {}
        }
    }
    let mut out = vec![document.clone()];
    at(document, &[], &mut out);
    out
}

fn path_get<'a>(value: &'a Value, path: &[Value]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, step| match step {
        Value::String(key) => node.get(key),
        Value::Number(index) => node.get(index.as_u64()? as usize),
        _ => None,
    })
}

fn path_get_mut<'a>(value: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(value, |node, step| match step {
        Value::String(key) => &mut node[key.as_str()],
        Value::Number(index) => &mut node[index.as_u64().unwrap_or(0) as usize],
        _ => node,
    })
}

fn loaded(version: crate::kube_version::KubeVersion) -> (Arc<Definitions>, Arc<Library>) {
    let definitions = Arc::new(Definitions::load(version).expect("a bundled version loads"));
    let library = Arc::new(Library::new(Arc::clone(&definitions) as _));
    (definitions, library)
}

#[test]
fn every_bundled_definition_compiles_in_the_library() {
    for version in bundle::versions() {
        let (definitions, library) = loaded(version);
        let names = definitions.names();
        assert!(names.len() > 500, "{version}");
        for name in names {
            assert!(library.compiles(name), "{version} {name}");
        }
    }
}

#[test]
fn a_kind_compiled_on_first_use_agrees_with_its_whole_schema_compiled_up_front() {
    let version = *bundle::versions().last().expect("a bundled version");
    let (definitions, library) = loaded(version);
    let mut checked = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for document in fixtures() {
        let key = format!(
            "{}/{}",
            document["apiVersion"].as_str().unwrap_or_default(),
            document["kind"].as_str().unwrap_or_default()
        );
        let Some(name) = definitions.kind(&key) else {
            continue;
        };
        kinds.insert(key);
        let lazy = Structural::of_definition(name, Arc::clone(&library)).unwrap();
        let root = json!({ "$ref": format!("#/$defs/{name}") });
        let whole = Structural::compile(&root, &|name| definitions.get(name)).unwrap();
        for mutated in mutations(&document) {
            assert_eq!(
                lazy.is_valid(&mutated),
                whole.is_valid(&mutated),
                "{name}: {mutated}"
            );
            checked += 1;
        }
    }
    assert!(kinds.len() >= 10, "only {kinds:?}");
    assert!(checked > 10_000, "only {checked} documents");
}

#[test]
fn a_definition_the_library_lacks_is_refused_up_front() {
    let (_, library) = loaded(*bundle::versions().last().expect("a bundled version"));
    assert!(Structural::of_definition("io.k8s.no.such.Thing", library).is_err());
}
