//! Who a Kubernetes object is: its apiVersion, kind, namespace and name. Documents, verdicts,
//! lint findings and diff entries all name an object by this one type and print it one way.

use serde::Serialize;
use serde_json::{Map, Value};

/// An object's identity; `namespace` is empty when the object sets none.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Resource {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl Resource {
    /// The identity of a parsed object; `metadata.generateName` stands in for a missing name.
    pub fn of(value: &Value) -> Resource {
        let top = value.as_object();
        let metadata = top
            .and_then(|map| entry(map, "metadata", METADATA_AT))
            .and_then(Value::as_object);
        let text = |map: Option<&Map<String, Value>>, key: &str, guess: usize| {
            map.and_then(|map| entry(map, key, guess))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let name = match text(metadata, "name", NAME_AT) {
            name if name.is_empty() => text(metadata, "generateName", NAME_AT),
            name => name,
        };
        Resource {
            api_version: text(top, "apiVersion", API_VERSION_AT),
            kind: text(top, "kind", KIND_AT),
            namespace: text(metadata, "namespace", NAMESPACE_AT),
            name,
        }
    }
}

/// Where a manifest nearly always has its identity's keys: `apiVersion`, `kind` and
/// `metadata` open the object, `name` and then `namespace` open `metadata`.
pub(crate) const API_VERSION_AT: usize = 0;
pub(crate) const KIND_AT: usize = 1;
pub(crate) const METADATA_AT: usize = 2;
pub(crate) const NAME_AT: usize = 0;
pub(crate) const NAMESPACE_AT: usize = 1;

/// `map[key]`, looked for first at the entry `guess` (keys keep the order they were read in):
/// a hashed look-up per identity field was over 2% of the fleet's instructions.
pub(crate) fn entry<'v>(map: &'v Map<String, Value>, key: &str, guess: usize) -> Option<&'v Value> {
    match map.iter().nth(guess) {
        Some((found, value)) if found == key => Some(value),
        _ => map.get(key),
    }
}

/// `Kind namespace/name`, or `Kind name` for an object without a namespace.
impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Resource;

    #[test]
    fn a_namespaced_object_shows_its_namespace_and_a_cluster_wide_one_does_not() {
        let pod = Resource::of(&serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"generateName": "web-", "namespace": "shop"}}));
        assert_eq!(pod.to_string(), "Pod shop/web-");
        let ns =
            Resource::of(&serde_json::json!({"kind": "Namespace", "metadata": {"name": "shop"}}));
        assert_eq!(ns.to_string(), "Namespace shop");
    }
}
