//! The API rules (src/validate/rules/) write a finding's JSON pointer only once the finding
//! exists. These tests hold the paths written that way to the escaping they had when every
//! path was written up front: `~` as `~0`, `/` as `~1`, under the map that holds the key.

use bosun::validate::rules::check;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::{fixture, run};

/// A JSON pointer segment as the rules wrote it before (`str::replace`, then `format!`).
fn pointer(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The (rule, path) of every finding on `document`.
fn findings(document: &Value) -> Vec<(String, String)> {
    check(document)
        .into_iter()
        .map(|finding| (finding.rule.id.to_string(), finding.path))
        .collect()
}

/// Keys mixing what label keys may hold with what they may not: `/`, `~`, capitals, spaces.
fn key() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9~/._ -]{0,12}"
}

fn map_of(keys: &[String]) -> Value {
    Value::Object(
        keys.iter()
            .map(|key| (key.clone(), json!("x")))
            .collect::<Map<_, _>>(),
    )
}

proptest! {
    #[test]
    fn label_and_annotation_findings_point_at_the_escaped_key(key in key()) {
        let labels = json!({ key.clone(): "x" });
        let document = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": labels, "annotations": labels},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": []}}}
        });
        let found = findings(&document);
        let label_maps = ["/metadata/labels", "/spec/selector/matchLabels", "/spec/template/metadata/labels"];
        for (rule, path) in &found {
            let expected: Vec<String> = match rule.as_str() {
                "metadata/labels" => label_maps.iter().map(|base| pointer(base, &key)).collect(),
                "metadata/annotations" => vec![pointer("/metadata/annotations", &key)],
                _ => continue,
            };
            prop_assert!(expected.contains(path), "{path} is not the escaped key: {found:?}");
        }
        // A space is never allowed in a label key: each label map reports it.
        if key.contains(' ') {
            for base in label_maps {
                let expected = ("metadata/labels".to_string(), pointer(base, &key));
                prop_assert!(found.contains(&expected), "{expected:?} missing from {found:?}");
            }
        }
    }

    #[test]
    fn config_key_findings_point_at_the_escaped_key(keys in prop::collection::vec(key(), 1..6)) {
        let document = json!({
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"},
            "data": map_of(&keys), "binaryData": map_of(&keys)
        });
        let found = findings(&document);
        for (_, path) in &found {
            let escaped = keys.iter().any(|key| *path == pointer("/data", key) || *path == pointer("/binaryData", key));
            prop_assert!(escaped, "{path} is not an escaped data key: {found:?}");
        }
        // A space is never allowed in a ConfigMap key.
        for key in keys.iter().filter(|key| key.contains(' ')) {
            let expected = ("config/keys".to_string(), pointer("/data", key));
            prop_assert!(found.contains(&expected), "{expected:?} missing from {found:?}");
        }
    }
}

#[test]
fn a_bad_label_key_is_reported_at_its_line_and_fails_the_render() {
    let (code, stdout, stderr) = run(["render", &fixture("bad-label-key"), "--no-save"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("/metadata/labels/a~1b~1c"),
        "the finding's path is not escaped: {stderr}"
    );
    assert!(
        stderr.contains("/metadata/labels/ok~0key"),
        "the finding's path is not escaped: {stderr}"
    );
    assert!(
        stderr.contains("templates/configmap.yaml:6")
            && stderr.contains("templates/configmap.yaml:7"),
        "the findings are not located: {stderr}"
    );
}
