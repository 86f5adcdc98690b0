//! The fields that differ between two objects, as paths (`spec.template.spec.containers[0].image`),
//! the form the Kubernetes API server names fields in its errors.

use serde_json::Value;

/// Every leaf (or list whose length changed, or value that appears or disappears) that differs.
pub fn changed_paths(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(old, new, &mut String::new(), &mut out);
    out
}

fn walk(old: &Value, new: &Value, path: &mut String, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk(x, y, path, out),
                    _ => out.push(path.clone()),
                }
                path.truncate(length);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let length = path.len();
                path.push_str(&format!("[{i}]"));
                walk(x, y, path, out);
                path.truncate(length);
            }
        }
        _ if old != new => out.push(path.clone()),
        _ => {}
    }
}

/// Whether `path` is `field` or lies under it.
pub fn under(path: &str, field: &str) -> bool {
    path.strip_prefix(field)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_leaves_and_lists_that_changed_length() {
        let old = json!({"spec": {"a": 1, "list": [1, 2], "same": [{"x": 1}], "gone": true}});
        let new = json!({"spec": {"a": 2, "list": [1], "same": [{"x": 2}], "new": true}});
        assert_eq!(
            changed_paths(&old, &new),
            [
                "spec.a",
                "spec.list",
                "spec.same[0].x",
                "spec.gone",
                "spec.new"
            ]
        );
        assert!(under("spec.selector.matchLabels.app", "spec.selector"));
        assert!(!under("spec.selectorX", "spec.selector"));
    }
}
