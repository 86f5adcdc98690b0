//! Who a Kubernetes object is: its apiVersion, kind, namespace and name. Documents, verdicts,
//! lint findings and diff entries all name an object by this one type and print it one way.

use serde::Serialize;
use serde_json::Value;

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
        let field = |path: &[&str]| {
            let mut v = value;
            for key in path {
                v = &v[*key];
            }
            v.as_str().unwrap_or("").to_string()
        };
        let name = match field(&["metadata", "name"]) {
            name if name.is_empty() => field(&["metadata", "generateName"]),
            name => name,
        };
        Resource {
            api_version: field(&["apiVersion"]),
            kind: field(&["kind"]),
            namespace: field(&["metadata", "namespace"]),
            name,
        }
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
