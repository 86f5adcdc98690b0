//! Custom resource schemas: those bosun bundles (schemas/crds/), those a chart's CRDs declare,
//! and those found in a `--schema-location` folder (kubeconform's and the CRDs-catalog layouts).
//! A CRD's `openAPIV3Schema` is made strict the way kubeconform's `-strict` does: objects that
//! list their properties reject others, unless they preserve unknown fields. Its
//! `x-kubernetes-validations` CEL rules stay in the schema for `src/validate/cel/`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

include!(concat!(env!("OUT_DIR"), "/bundled_crds.rs"));

/// The upstream CEL rules bosun adds to its bundled schemas (schemas/crds/cel-rules.yaml).
static CEL_RULES: &str = include_str!("../../schemas/crds/cel-rules.yaml");

/// The bundled schema for `api_version` + `kind`, with the CEL rules of
/// schemas/crds/cel-rules.yaml in place, and where it came from. schemas/crds/ follows the
/// CRDs-catalog layout (`group/kind_version.json`), so only that one file is parsed.
pub fn bundled(api_version: &str, kind: &str) -> Option<(Value, String)> {
    let (group, version) = api_version.rsplit_once('/')?;
    let wanted = format!("{group}/{}_{version}.json", kind.to_lowercase());
    let (path, text) = BUNDLED_CRDS.iter().find(|(path, _)| *path == wanted)?;
    let mut schema: Value = serde_json::from_str(text).ok()?;
    // cel-rules.yaml names every file it adds a rule to: one it does not name (ServiceMonitor,
    // ExternalSecret) is used without parsing it.
    if CEL_RULES.contains(path) {
        add_cel_rules(cel_rules(), path, &mut schema);
    }
    (schema_key(&schema)? == format!("{api_version}/{kind}"))
        .then(|| (schema, format!("schemas/crds/{path}")))
}

/// The apiVersions of the bundled schemas for `kind`.
pub fn bundled_api_versions(kind: &str) -> Vec<String> {
    let prefix = format!("{}_", kind.to_lowercase());
    BUNDLED_CRDS
        .iter()
        .filter(|(path, _)| {
            path.rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with(&prefix))
        })
        .filter_map(|(_, text)| schema_key(&serde_json::from_str(text).ok()?))
        .filter_map(|key| Some(key.strip_suffix(&format!("/{kind}"))?.to_string()))
        .collect()
}

/// schemas/crds/cel-rules.yaml, parsed once per run: every bundled kind looked up reads it.
fn cel_rules() -> &'static [Value] {
    static RULES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| match crate::yaml::parse_value(CEL_RULES) {
        Ok(Value::Array(rules)) => rules,
        _ => Vec::new(),
    })
}

/// Adds each rule of `rules` that lists `path` to the schema node its `at` points to.
/// Returns the `at`s that point nowhere in this schema.
fn add_cel_rules(rules: &[Value], path: &str, schema: &mut Value) -> Vec<String> {
    let mut missing = Vec::new();
    for entry in rules {
        let listed = entry["files"]
            .as_array()
            .is_some_and(|files| files.iter().any(|file| file == path));
        if !listed {
            continue;
        }
        let at = entry["at"].as_str().unwrap_or_default();
        let Some(node) = schema.pointer_mut(at).and_then(Value::as_object_mut) else {
            missing.push(at.to_string());
            continue;
        };
        let mut rule = Map::new();
        for field in ["rule", "message", "fieldPath"] {
            if let Some(value) = entry.get(field) {
                rule.insert(field.into(), value.clone());
            }
        }
        if let Value::Array(list) = node
            .entry("x-kubernetes-validations")
            .or_insert_with(|| json!([]))
        {
            list.push(Value::Object(rule));
        }
    }
    missing
}

/// `apiVersion/Kind` from a schema's `const` (or one-value `enum`) properties.
fn schema_key(schema: &Value) -> Option<String> {
    let constant = |field: &str| {
        let property = &schema["properties"][field];
        property["const"]
            .as_str()
            .or_else(|| property["enum"][0].as_str())
            .map(str::to_string)
    };
    Some(format!("{}/{}", constant("apiVersion")?, constant("kind")?))
}

/// The schemas a CustomResourceDefinition declares: one per served version that has one. A schema
/// that is there but is not a mapping is an error saying where.
pub fn from_crd(crd: &Value) -> Result<Vec<(String, Value)>, String> {
    let group = crd["spec"]["group"].as_str().unwrap_or_default();
    let kind = crd["spec"]["names"]["kind"].as_str().unwrap_or_default();
    let mut out = Vec::new();
    let Some(versions) = crd["spec"]["versions"].as_array() else {
        return Ok(out);
    };
    for version in versions {
        // A version the CRD keeps only for stored objects (`served: false`) is refused by the
        // API server: no schema, so bosun says it is not served where it knows that.
        if version["served"] == Value::Bool(false) {
            continue;
        }
        let name = version["name"].as_str();
        let schema = &version["schema"]["openAPIV3Schema"];
        let (Some(name), true) = (name, schema.is_object()) else {
            if !schema.is_null() {
                return Err(format!(
                    "version `{}`: `openAPIV3Schema` is not a mapping",
                    name.unwrap_or("?")
                ));
            }
            continue;
        };
        let api_version = format!("{group}/{name}");
        let mut schema = strict(schema);
        if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            properties.insert("apiVersion".into(), json!({"const": api_version}));
            properties.insert("kind".into(), json!({"const": kind}));
            properties.insert("metadata".into(), json!({"type": "object"}));
        }
        out.push((format!("{api_version}/{kind}"), schema));
    }
    Ok(out)
}

/// Rewrites OpenAPI v3 to JSON Schema: `nullable`, int-or-string, and strict objects. It reads
/// the CRD where it is (a large CRD is megabytes) and builds the result in one pass; the edits
/// are replayed on a list of the node's entries so that the keys keep the order they had when
/// they were made on a copy of the map (serde_json's `remove` moves the last entry into the
/// gap), and so messages and snapshots keep theirs.
fn strict(node: &Value) -> Value {
    type Entries<'a> = Vec<(&'a str, Cow<'a, Value>)>;
    fn remove<'a>(map: &mut Entries<'a>, key: &str) -> Option<Cow<'a, Value>> {
        let at = map.iter().position(|(k, _)| *k == key)?;
        Some(map.swap_remove(at).1)
    }
    fn insert<'a>(map: &mut Entries<'a>, key: &'a str, value: Cow<'a, Value>) {
        match map.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => map.push((key, value)),
        }
    }
    let Value::Object(source) = node else {
        return match node {
            Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
            other => other.clone(),
        };
    };
    let mut map: Entries = source
        .iter()
        .map(|(key, value)| (key.as_str(), Cow::Borrowed(value)))
        .collect();
    let is_true = |value: Option<Cow<Value>>| value.is_some_and(|v| *v == Value::Bool(true));
    let preserve = is_true(remove(&mut map, "x-kubernetes-preserve-unknown-fields"));
    if is_true(remove(&mut map, "x-kubernetes-int-or-string")) {
        remove(&mut map, "type");
        insert(&mut map, "type", Cow::Owned(json!(["integer", "string"])));
    }
    // OpenAPI 3.0's boolean `exclusiveMaximum: true` (beside `maximum`) is JSON Schema's
    // `exclusiveMaximum: <maximum>`; the same for the minimum.
    for (exclusive, bound) in [
        ("exclusiveMaximum", "maximum"),
        ("exclusiveMinimum", "minimum"),
    ] {
        let flag = map.iter().find_map(|(k, v)| match &**v {
            Value::Bool(flag) if *k == exclusive => Some(*flag),
            _ => None,
        });
        if let Some(flag) = flag {
            remove(&mut map, exclusive);
            if flag && let Some(limit) = remove(&mut map, bound) {
                insert(&mut map, exclusive, limit);
            }
        }
    }
    if is_true(remove(&mut map, "nullable"))
        && let Some(Value::String(t)) = map
            .iter()
            .find(|(k, _)| *k == "type")
            .map(|(_, v)| v.clone().into_owned())
    {
        insert(&mut map, "type", Cow::Owned(json!([t, "null"])));
    }
    let mut out = Map::with_capacity(map.len() + 1);
    for (key, value) in map {
        // `properties: null` and the like say nothing (kube-arangodb's CRDs have them); only a
        // null `default`, `enum`, `const` or `example` means something.
        if value.is_null() && !matches!(key, "default" | "enum" | "const" | "example") {
            continue;
        }
        let value = match key {
            // A branch only validates the value the object's own `properties` describe
            // (a structural schema's rule): it is not closed to other fields.
            "allOf" | "anyOf" | "oneOf" | "not" => open_branches(&value),
            "properties" | "patternProperties" | "definitions" | "$defs" => match &*value {
                Value::Object(props) => {
                    Value::Object(props.iter().map(|(k, v)| (k.clone(), strict(v))).collect())
                }
                _ => value.into_owned(),
            },
            "description" | "example" => continue,
            // Kept as they are: src/validate/cel/ evaluates them, JSON Schema ignores them.
            "x-kubernetes-validations" => value.into_owned(),
            _ => strict(&value),
        };
        out.insert(key.to_string(), value);
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") && !preserve {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// `strict` applied inside `allOf`/`anyOf`/`oneOf`/`not` branches, without closing their
/// objects: `{"oneOf": [{"properties": {"type": {"enum": ["IPAddress"]}}}, ...]}` says
/// nothing about the object's other fields.
fn open_branches(node: &Value) -> Value {
    match node {
        Value::Array(items) => Value::Array(items.iter().map(open_branches).collect()),
        Value::Object(map) => {
            let had = map.contains_key("additionalProperties");
            let Value::Object(mut out) = strict(node) else {
                unreachable!("strict keeps an object an object")
            };
            if !had && out.get("additionalProperties") == Some(&Value::Bool(false)) {
                out.remove("additionalProperties");
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Candidate files for `apiVersion/Kind` in a `--schema-location` folder: the CRDs-catalog
/// layout (`group/kind_version.json`) and kubeconform's (`kind-group-version.json`).
pub fn candidates(dir: &Path, api_version: &str, kind: &str) -> Vec<PathBuf> {
    let kind = kind.to_lowercase();
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let mut out = Vec::new();
    if group.is_empty() {
        out.push(dir.join(format!("{kind}-{version}.json")));
    } else {
        out.push(dir.join(group).join(format!("{kind}_{version}.json")));
        let short = group.split('.').next().unwrap_or(group);
        out.push(dir.join(format!("{kind}-{short}-{version}.json")));
        out.push(dir.join(format!("{kind}-{}-{version}.json", group.replace('.', "-"))));
    }
    out
}

#[cfg(test)]
#[path = "crd_cel_tests.rs"]
mod cel_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crd_becomes_a_strict_schema() {
        let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "spec": {"group": "demo.example", "names": {"kind": "Widget"}, "versions": [{"name": "v1",
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"size": {"type": "integer"}, "port": {"x-kubernetes-int-or-string": true},
            "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}}}}}}}}]}});
        let schemas = from_crd(&crd).unwrap();
        assert_eq!(schemas.len(), 1);
        let (key, schema) = &schemas[0];
        assert_eq!(key, "demo.example/v1/Widget");
        let validator = jsonschema::validator_for(schema).unwrap();
        let good = json!({"apiVersion": "demo.example/v1", "kind": "Widget", "metadata": {"name": "w"},
            "spec": {"size": 1, "port": "http", "extra": {"a": "x", "b": 2}}});
        assert!(validator.is_valid(&good));
        let mut bad = good.clone();
        bad["spec"]["sise"] = json!(1);
        assert!(!validator.is_valid(&bad));
        let mut wrong_kind = good.clone();
        wrong_kind["kind"] = json!("Gadget");
        assert!(!validator.is_valid(&wrong_kind));
    }

    #[test]
    fn every_bundled_schema_is_found_under_its_own_api_version_and_kind() {
        assert!(BUNDLED_CRDS.len() >= 20);
        for (path, text) in BUNDLED_CRDS {
            let schema: Value = serde_json::from_str(text).unwrap();
            let key = schema_key(&schema).unwrap_or_else(|| panic!("{path}: no key"));
            let (api_version, kind) = key.rsplit_once('/').unwrap();
            let (_, origin) =
                bundled(api_version, kind).unwrap_or_else(|| panic!("{key} not found"));
            assert_eq!(origin, format!("schemas/crds/{path}"));
            assert!(bundled_api_versions(kind).contains(&api_version.to_string()));
        }
        assert!(bundled("monitoring.coreos.com/v1", "Gizmo").is_none());
    }

    #[test]
    fn every_cel_rule_lands_on_a_node_of_each_file_it_names_and_compiles() {
        let rules = cel_rules();
        assert!(
            rules.len() >= 30,
            "schemas/crds/cel-rules.yaml did not parse"
        );
        for entry in rules {
            for file in entry["files"].as_array().unwrap() {
                let file = file.as_str().unwrap();
                let (_, text) = BUNDLED_CRDS
                    .iter()
                    .find(|(path, _)| *path == file)
                    .unwrap_or_else(|| panic!("{file} is not bundled"));
                let mut schema: Value = serde_json::from_str(text).unwrap();
                let missing = add_cel_rules(std::slice::from_ref(entry), file, &mut schema);
                assert!(missing.is_empty(), "{file}: no node at {missing:?}");
                let compiled = crate::validate::cel::Rules::from_schema(&schema);
                assert!(
                    compiled.skipped.is_empty() && compiled.count == 1,
                    "{file}: {} does not compile: {:?}",
                    entry["id"],
                    compiled.skipped
                );
            }
        }
    }

    #[test]
    fn openapi_boolean_exclusive_bounds_become_json_schema_numbers() {
        // Regression: contour's CRDs (`exclusiveMaximum: true`) made `bosun validate --crd`
        // refuse to run ("true is not of type number").
        let crd = json!({"spec": {"group": "demo.example", "names": {"kind": "Widget"}, "versions": [{"name": "v1",
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"port": {"type": "integer", "minimum": 0, "exclusiveMinimum": true,
            "maximum": 65536, "exclusiveMaximum": true}}}}}}}]}});
        let (_, schema) = &from_crd(&crd).unwrap()[0];
        let validator = jsonschema::validator_for(schema).unwrap();
        let doc = |port: i64| json!({"apiVersion": "demo.example/v1", "kind": "Widget", "metadata": {}, "spec": {"port": port}});
        assert!(validator.is_valid(&doc(1)));
        assert!(validator.is_valid(&doc(65535)));
        assert!(!validator.is_valid(&doc(0)));
        assert!(!validator.is_valid(&doc(65536)));
    }

    #[test]
    fn a_crd_schema_without_properties_compiles() {
        // Regression: kube-arangodb's `{type: object, x-kubernetes-preserve-unknown-fields: true}`
        // schemas got `properties: null` and made `bosun validate --crd` refuse to run.
        let crd = json!({"spec": {"group": "demo.example", "names": {"kind": "Widget"}, "versions": [{"name": "v1",
            "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}});
        let (_, schema) = &from_crd(&crd).unwrap()[0];
        let validator = jsonschema::validator_for(schema).unwrap();
        assert!(validator.is_valid(
            &json!({"apiVersion": "demo.example/v1", "kind": "Widget", "spec": {"a": 1}})
        ));
    }

    #[test]
    fn one_of_branches_stay_open_to_the_objects_other_fields() {
        // Regression: Gateway API's address items were refused (`'value' was unexpected`)
        // because the CRD's oneOf branches were closed like the object itself.
        let crd = json!({"spec": {"group": "demo.example", "names": {"kind": "Widget"}, "versions": [{"name": "v1",
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"type": {"type": "string"}, "value": {"type": "string"}},
            "oneOf": [{"properties": {"type": {"enum": ["A"]}}}, {"properties": {"type": {"not": {"enum": ["A"]}}}}]}}}}}]}});
        let (_, schema) = &from_crd(&crd).unwrap()[0];
        let validator = jsonschema::validator_for(schema).unwrap();
        let doc = |t: &str| json!({"apiVersion": "demo.example/v1", "kind": "Widget", "metadata": {}, "spec": {"type": t, "value": "v"}});
        assert!(validator.is_valid(&doc("A")));
        assert!(validator.is_valid(&doc("B")));
        let mut unknown = doc("A");
        unknown["spec"]["extra"] = json!(1);
        assert!(
            !validator.is_valid(&unknown),
            "the object itself stays closed"
        );
    }

    #[test]
    fn schema_locations_follow_both_layouts() {
        let found = candidates(Path::new("s"), "monitoring.coreos.com/v1", "ServiceMonitor");
        assert_eq!(
            found[0],
            Path::new("s/monitoring.coreos.com/servicemonitor_v1.json")
        );
        assert_eq!(found[1], Path::new("s/servicemonitor-monitoring-v1.json"));
        assert_eq!(
            candidates(Path::new("s"), "v1", "Service")[0],
            Path::new("s/service-v1.json")
        );
    }

    fn old_strict(node: Value) -> Value {
        let Value::Object(mut map) = node else {
            return match node {
                Value::Array(items) => Value::Array(items.into_iter().map(old_strict).collect()),
                other => other,
            };
        };
        let preserve = map
            .remove("x-kubernetes-preserve-unknown-fields")
            .is_some_and(|v| v == Value::Bool(true));
        if map.remove("x-kubernetes-int-or-string") == Some(Value::Bool(true)) {
            map.remove("type");
            map.insert("type".into(), json!(["integer", "string"]));
        }
        // OpenAPI 3.0's boolean `exclusiveMaximum: true` (beside `maximum`) is JSON Schema's
        // `exclusiveMaximum: <maximum>`; the same for the minimum.
        for (exclusive, bound) in [
            ("exclusiveMaximum", "maximum"),
            ("exclusiveMinimum", "minimum"),
        ] {
            if let Some(Value::Bool(flag)) = map.get(exclusive).cloned() {
                map.remove(exclusive);
                if flag && let Some(limit) = map.remove(bound) {
                    map.insert(exclusive.into(), limit);
                }
            }
        }
        if map.remove("nullable") == Some(Value::Bool(true))
            && let Some(Value::String(t)) = map.get("type").cloned()
        {
            map.insert("type".into(), json!([t, "null"]));
        }
        let mut out = Map::new();
        for (key, value) in map {
            // `properties: null` and the like say nothing (kube-arangodb's CRDs have them); only a
            // null `default`, `enum`, `const` or `example` means something.
            if value.is_null() && !matches!(key.as_str(), "default" | "enum" | "const" | "example")
            {
                continue;
            }
            let value = match key.as_str() {
                // A branch only validates the value the object's own `properties` describe
                // (a structural schema's rule): it is not closed to other fields.
                "allOf" | "anyOf" | "oneOf" | "not" => old_open_branches(value),
                "properties" | "patternProperties" | "definitions" | "$defs" => match value {
                    Value::Object(props) => {
                        Value::Object(props.into_iter().map(|(k, v)| (k, old_strict(v))).collect())
                    }
                    other => other,
                },
                "description" | "example" => continue,
                // Kept as they are: src/validate/cel/ evaluates them, JSON Schema ignores them.
                "x-kubernetes-validations" => value,
                _ => old_strict(value),
            };
            out.insert(key, value);
        }
        if out.contains_key("properties") && !out.contains_key("additionalProperties") && !preserve
        {
            out.insert("additionalProperties".into(), Value::Bool(false));
        }
        Value::Object(out)
    }

    /// `old_strict` applied inside `allOf`/`anyOf`/`oneOf`/`not` branches, without closing their
    /// objects: `{"oneOf": [{"properties": {"type": {"enum": ["IPAddress"]}}}, ...]}` says
    /// nothing about the object's other fields.
    fn old_open_branches(node: Value) -> Value {
        match node {
            Value::Array(items) => Value::Array(items.into_iter().map(old_open_branches).collect()),
            Value::Object(map) => {
                let had = map.contains_key("additionalProperties");
                let Value::Object(mut out) = old_strict(Value::Object(map)) else {
                    unreachable!("strict keeps an object an object")
                };
                if !had && out.get("additionalProperties") == Some(&Value::Bool(false)) {
                    out.remove("additionalProperties");
                }
                Value::Object(out)
            }
            other => other,
        }
    }

    /// Schema trees made of the keywords `strict` rewrites, in any order.
    fn schema_tree() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        const KEYS: &[&str] = &[
            "type",
            "nullable",
            "x-kubernetes-int-or-string",
            "x-kubernetes-preserve-unknown-fields",
            "exclusiveMaximum",
            "maximum",
            "exclusiveMinimum",
            "minimum",
            "properties",
            "additionalProperties",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
            "items",
            "description",
            "example",
            "default",
            "enum",
            "x-kubernetes-validations",
            "patternProperties",
            "$defs",
            "a",
            "b",
        ];
        let leaf = prop_oneof![
            Just(json!(true)),
            Just(json!(false)),
            Just(json!(null)),
            Just(json!("string")),
            Just(json!(3)),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec((proptest::sample::select(KEYS), inner.clone()), 0..7)
                    .prop_map(|entries| {
                        Value::Object(
                            entries
                                .into_iter()
                                .map(|(k, v)| (k.to_string(), v))
                                .collect(),
                        )
                    }),
                proptest::collection::vec(inner, 0..3).prop_map(Value::Array),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn strict_reading_in_place_gives_the_copying_versions_answer_key_order_included(
            schema in schema_tree()
        ) {
            proptest::prop_assert_eq!(
                serde_json::to_string(&strict(&schema)).unwrap(),
                serde_json::to_string(&old_strict(schema.clone())).unwrap()
            );
        }
    }

    #[test]
    fn strict_reading_in_place_gives_the_copying_versions_answer_on_the_repositorys_crds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for file in [
            "charts/demo/crds/widgets.yaml",
            "tests/fixtures/cel/widget-crd.yaml",
            "tests/fixtures/cel/chart/crds/widget.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            for crd in crate::yaml::parse_stream(&text).unwrap() {
                for version in crd["spec"]["versions"].as_array().unwrap() {
                    let schema = &version["schema"]["openAPIV3Schema"];
                    assert_eq!(
                        serde_json::to_string(&strict(schema)).unwrap(),
                        serde_json::to_string(&old_strict(schema.clone())).unwrap(),
                        "{file}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 3);
    }
}
