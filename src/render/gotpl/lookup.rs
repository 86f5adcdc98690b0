//! `lookup` answered offline. `helm template` has no cluster, so every `lookup` finds nothing
//! (an empty map) and a chart that reuses an existing Secret renders a fresh one. Given
//! `--lookup-file` (objects as `kubectl get -o yaml` prints them: a stream of objects, or a
//! `List` with `items`), `lookup` answers from those objects as the API server would: one
//! object by name, or a list of the matching ones when the name is empty.

use std::path::Path;

use gotmpl::Value;
use serde_json::{Map, Value as Json, json};

use crate::error::Error;
use crate::yaml;

/// The objects `lookup` answers from.
#[derive(Debug, Default)]
pub struct Cluster {
    objects: Vec<Json>,
}

impl Cluster {
    /// Reads the objects of `path`; a broken stream is an error at its line, an object
    /// without `apiVersion`, `kind` or `metadata.name` one naming its place in the file.
    pub fn read(path: &Path) -> Result<Cluster, Error> {
        let shown = crate::paths::shown(path);
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let documents = yaml::parse_stream(&text).map_err(|e| e.into_error(&shown, &text))?;
        let mut objects = Vec::new();
        for document in documents {
            match document.get("items") {
                Some(Json::Array(items)) => objects.extend(items.iter().cloned()),
                _ => objects.push(document),
            }
        }
        for (index, object) in objects.iter().enumerate() {
            let has = |pointer: &str| object.pointer(pointer).and_then(Json::as_str).is_some();
            if !(has("/apiVersion") && has("/kind") && has("/metadata/name")) {
                return Err(Error::Usage {
                    message: format!(
                        "object {} of `{shown}` has no apiVersion, kind or metadata.name",
                        index + 1
                    ),
                    help: "--lookup-file takes objects as `kubectl get -o yaml` prints them".into(),
                });
            }
        }
        Ok(Cluster { objects })
    }

    /// What Helm's `lookup apiVersion kind namespace name` gives: the object, or with an empty
    /// name a `<Kind>List` of every match (in `namespace`, or in all when it is empty), as the
    /// API server lists; an empty map when no object has the name.
    pub fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Json {
        let matches = |object: &&Json| {
            let field = |pointer: &str| object.pointer(pointer).and_then(Json::as_str);
            field("/apiVersion") == Some(api_version)
                && field("/kind") == Some(kind)
                && (namespace.is_empty() || field("/metadata/namespace").unwrap_or("") == namespace)
        };
        if name.is_empty() {
            // The API server answers a list, empty or not.
            let items: Vec<Json> = self.objects.iter().filter(matches).cloned().collect();
            return json!({
                "apiVersion": api_version,
                "kind": format!("{kind}List"),
                "metadata": {},
                "items": items,
            });
        }
        self.objects
            .iter()
            .filter(matches)
            .find(|object| object.pointer("/metadata/name").and_then(Json::as_str) == Some(name))
            .cloned()
            .unwrap_or_else(|| Json::Object(Map::new()))
    }
}

/// The answer as templates see it: numbers as the API server's JSON gives them to Helm
/// (integers int64).
pub fn to_template(json: &Json) -> Value {
    super::objects::with_int64(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("objects.yaml");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: db, namespace: shop}\n  data: {password: cGFzcw==}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: cache, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: db, namespace: other}\n",
        )
        .unwrap();
        Cluster::read(&path).unwrap()
    }

    #[test]
    fn one_object_by_kind_namespace_and_name_and_nothing_else() {
        let cluster = cluster();
        assert_eq!(
            cluster.lookup("v1", "Secret", "shop", "db")["data"]["password"],
            "cGFzcw=="
        );
        assert_eq!(cluster.lookup("v1", "Secret", "other", "db"), json!({}));
        assert_eq!(cluster.lookup("v1", "ConfigMap", "shop", "db"), json!({}));
        assert_eq!(cluster.lookup("apps/v1", "Secret", "shop", "db"), json!({}));
    }

    #[test]
    fn an_empty_name_lists_the_matches_and_an_empty_namespace_looks_everywhere() {
        let cluster = cluster();
        let list = cluster.lookup("v1", "Secret", "shop", "");
        assert_eq!(list["kind"], "SecretList");
        assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            cluster.lookup("v1", "ConfigMap", "", "db")["metadata"]["namespace"],
            "other"
        );
        assert_eq!(
            cluster.lookup("v1", "Pod", "", "")["items"]
                .as_array()
                .map(Vec::len),
            Some(0)
        );
    }
}
