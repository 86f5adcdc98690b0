//! Manifests to compare a render against instead of the record: a release artifact, or what
//! `kubectl get -o yaml` prints. An object read from a cluster (it carries `resourceVersion`,
//! `uid`, `creationTimestamp` or `managedFields`) is compared only on the fields the render sets:
//! the rest was filled in by the API server or a controller, and is not bosun's to diff.

use serde_json::Value;

use super::Before;
use crate::error::Error;
use crate::manifest::{self, Document};
use crate::yaml;

/// Server-set metadata that `kubectl get -o yaml` adds and a render never has.
const SERVER_FIELDS: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Reads manifests to compare against: `List`s are flattened and server-set fields dropped.
pub fn read_against(shown: &str, text: &str) -> Result<Vec<Before>, Error> {
    let mut documents = Vec::new();
    for (first_line, part) in manifest::split(text) {
        let value = yaml::parse_value_lenient(part)
            .map_err(|e| e.into_error_in(shown, text, first_line))?;
        let items = match value {
            Value::Object(ref map)
                if map
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List")) =>
            {
                map.get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            }
            Value::Null => Vec::new(),
            other => vec![other],
        };
        for mut item in items {
            let from_cluster = is_from_cluster(&item);
            strip_server_fields(&mut item);
            documents.push(Before {
                document: Document::new(shown.to_string(), &item),
                from_cluster,
            });
        }
    }
    Ok(documents)
}

fn is_from_cluster(value: &Value) -> bool {
    let metadata = &value["metadata"];
    [
        "resourceVersion",
        "uid",
        "creationTimestamp",
        "managedFields",
    ]
    .iter()
    .any(|field| !metadata[*field].is_null())
}

fn strip_server_fields(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    object.shift_remove("status");
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in SERVER_FIELDS {
            metadata.shift_remove(*field);
        }
        if let Some(annotations) = metadata
            .get_mut("annotations")
            .and_then(Value::as_object_mut)
        {
            annotations.shift_remove(LAST_APPLIED);
            annotations.shift_remove("deployment.kubernetes.io/revision");
        }
        if metadata
            .get("annotations")
            .and_then(Value::as_object)
            .is_some_and(|a| a.is_empty())
        {
            metadata.shift_remove("annotations");
        }
    }
}

/// Keeps in `live` only what `rendered` sets: a map keeps the keys the rendered map has (each
/// pruned in turn); a list stays a list, each item pruned against the rendered item at its
/// position, so a list of a different length or order still shows as changed.
pub(super) fn keep_managed(live: &mut Value, rendered: &Value) {
    match (live, rendered) {
        (Value::Object(live), Value::Object(rendered)) => {
            live.retain(|key, _| rendered.contains_key(key));
            for (key, value) in live.iter_mut() {
                keep_managed(value, &rendered[key]);
            }
        }
        (Value::Array(live), Value::Array(rendered)) => {
            for (item, rendered) in live.iter_mut().zip(rendered) {
                keep_managed(item, rendered);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_output_loses_its_server_fields() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    uid: 123\n    resourceVersion: \"9\"\n    creationTimestamp: \"2026-01-01T00:00:00Z\"\n    annotations:\n      kubectl.kubernetes.io/last-applied-configuration: '{}'\n    managedFields: []\n  data: {k: v}\n  status: {}\nmetadata:\n  resourceVersion: \"\"\n";
        let documents = read_against("live.yaml", text).unwrap();
        assert_eq!(documents.len(), 1);
        assert!(documents[0].from_cluster);
        assert_eq!(
            documents[0].document.yaml,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n"
        );
    }

    #[test]
    fn only_the_fields_the_render_sets_are_kept() {
        let mut live = json!({"spec": {"clusterIP": "10.0.0.1", "sessionAffinity": "None",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}, {"port": 443}]}});
        let rendered = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}]}});
        keep_managed(&mut live, &rendered);
        assert_eq!(
            live,
            json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}}),
            "a list keeps its length, so an extra item still shows"
        );
    }
}
