//! The `$ref`s between schemas: a Kubernetes kind's schema cut down to the definitions it
//! reaches, and a custom resource schema given the Kubernetes definitions it points into.

use serde_json::Value;

use crate::validate::bundle::Definitions;

/// A custom resource schema may point into Kubernetes' own definitions
/// (`{"$ref": "#/$defs/io.k8s.api.core.v1.PodTemplateSpec"}`, a Rollout's pod template):
/// those definitions, of the target version, are added to the schema's `$defs`.
pub(super) fn with_kubernetes_refs(definitions: &Definitions, mut schema: Value) -> Value {
    let mut wanted = Vec::new();
    collect_refs(&schema, &mut wanted);
    let own = schema["$defs"].as_object().cloned().unwrap_or_default();
    let mut added = serde_json::Map::new();
    while let Some(name) = wanted.pop() {
        if own.contains_key(&name) || added.contains_key(&name) {
            continue;
        }
        let Some(definition) = definitions.get(&name) else {
            continue;
        };
        collect_refs(&definition, &mut wanted);
        added.insert(name, Value::clone(&definition));
    }
    if !added.is_empty() {
        if !schema["$defs"].is_object() {
            schema["$defs"] = Value::Object(serde_json::Map::new());
        }
        if let Some(defs) = schema["$defs"].as_object_mut() {
            defs.extend(added);
        }
    }
    schema
}

/// A schema for the definition `name` carrying only the definitions it reaches, so that
/// compiling a Service does not copy and walk the 700 definitions of the whole API.
pub(super) fn schema_for(definitions: &Definitions, name: &str) -> Value {
    let mut needed = serde_json::Map::new();
    let mut pending = vec![name.to_string()];
    while let Some(next) = pending.pop() {
        if needed.contains_key(&next) {
            continue;
        }
        let Some(definition) = definitions.get(&next) else {
            continue;
        };
        collect_refs(&definition, &mut pending);
        needed.insert(next, Value::clone(&definition));
    }
    let mut document = serde_json::Map::new();
    document.insert("$defs".into(), Value::Object(needed));
    document.insert("$ref".into(), Value::String(format!("#/$defs/{name}")));
    Value::Object(document)
}

fn collect_refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = reference.strip_prefix("#/$defs/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}
