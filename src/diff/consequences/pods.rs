//! Pods: a workload whose pod template changes replaces its pods (named with its replicas and
//! each cause), and a ConfigMap or Secret that changes under pods that do not restart leaves
//! them reading the old value. Pods read one through `envFrom`, `env[].valueFrom`, `volumes`
//! or a `projected` volume's sources, found in the same release's new render.

use serde_json::Value;

use super::paths::under;
use super::{Consequence, Consumer, Found, Sides, Via, is_workload};
use crate::resource::Resource;

/// The restart a change of `paths` causes, if this is a workload and its pod template changed.
pub(super) fn restart(
    resource: &Resource,
    old: &Value,
    new: &Value,
    paths: &[String],
) -> Option<Consequence> {
    // A ReplicaSet, and a StatefulSet or DaemonSet updated `OnDelete`, give the new template
    // only to pods created later: nothing restarts now.
    let on_delete = new["spec"]["updateStrategy"]["type"] == "OnDelete";
    if !is_workload(resource) || resource.kind == "ReplicaSet" || on_delete {
        return None;
    }
    let mut causes: Vec<String> = Vec::new();
    let mut shared: Vec<String> = Vec::new();
    for path in paths.iter().filter(|p| under(p, "spec.template")) {
        let (cause, alike) = cause(path, old, new);
        if !causes.contains(&cause) {
            causes.push(cause);
        }
        if !shared.contains(&alike) {
            shared.push(alike);
        }
    }
    if causes.is_empty() {
        return None;
    }
    let replicas = match resource.kind.as_str() {
        "DaemonSet" => None,
        _ => Some(new["spec"]["replicas"].as_u64().unwrap_or(1)),
    };
    Some(Consequence::RestartsPods {
        replicas,
        causes,
        shared,
    })
}

/// What a changed path under `spec.template` is, in a reviewer's words, and the same without
/// what differs from one workload to the next (container names, the parts of an image that did
/// not change), so that many workloads restarted by one change can be counted together.
fn cause(path: &str, old: &Value, new: &Value) -> (String, String) {
    let rest = &path["spec.template.".len().min(path.len())..];
    for map in ["metadata.annotations.", "metadata.labels."] {
        if let Some(key) = rest.strip_prefix(map) {
            let text = if map.contains("annotations") && key.contains("checksum") {
                format!("annotation `{key}` (what it hashes changed)")
            } else if map.contains("annotations") {
                format!("pod annotation `{key}`")
            } else {
                format!("pod label `{key}`")
            };
            return (text.clone(), text);
        }
    }
    for list in ["spec.containers[", "spec.initContainers["] {
        let Some(rest) = rest.strip_prefix(list) else {
            continue;
        };
        let Some((index, field)) = rest.split_once(']') else {
            return (format!("`{path}`"), format!("`{path}`"));
        };
        let list_name = &list["spec.".len()..list.len() - 1];
        let index = index.parse::<usize>().unwrap_or(usize::MAX);
        let item = |side: &Value| side["spec"]["template"]["spec"][list_name][index].clone();
        let name = item(new)["name"]
            .as_str()
            .or(item(old)["name"].as_str())
            .unwrap_or("?")
            .to_string();
        let field = field.trim_start_matches('.');
        let top = field.split(['.', '[']).next().unwrap_or("");
        let (text, alike) = match top {
            "image" => {
                let image =
                    |side: &Value| item(side)["image"].as_str().unwrap_or("(none)").to_string();
                let (before, after) = (image(old), image(new));
                let (from, to) = changed_part(&before, &after);
                (
                    format!("image of `{name}`: {before} → {after}"),
                    format!("image `{from}` → `{to}`"),
                )
            }
            "env" | "envFrom" => (format!("env of `{name}`"), "env".to_string()),
            "resources" => (format!("resources of `{name}`"), "resources".to_string()),
            "livenessProbe" | "readinessProbe" | "startupProbe" => {
                (format!("{top} of `{name}`"), top.to_string())
            }
            "" => (
                format!("container `{name}` added or removed"),
                "a container added or removed".to_string(),
            ),
            other => (
                format!("`{other}` of `{name}`"),
                format!("container `{other}`"),
            ),
        };
        return (text, alike);
    }
    let text = match rest.strip_prefix("spec.") {
        Some(field) => format!("pod `{}`", field.split(['.', '[']).next().unwrap_or(field)),
        None => format!("`{path}`"),
    };
    (text.clone(), text)
}

/// The part of an image reference that changed, whole between `/`, `:` and `@`:
/// `ghcr.io/acme/web:1.2` → `registry.example.com/acme/web:1.2` gives `ghcr.io`,
/// `registry.example.com`.
fn changed_part<'a>(before: &'a str, after: &'a str) -> (&'a str, &'a str) {
    let is_separator = |c: &u8| matches!(c, b'/' | b':' | b'@');
    let (a, b) = (before.as_bytes(), after.as_bytes());
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let start = a[..common]
        .iter()
        .rposition(is_separator)
        .map_or(0, |i| i + 1);
    let room = a.len().min(b.len()) - start;
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    // The shared tail starts at a separator, so that a name is never cut in two.
    let tail = a[a.len() - tail..]
        .iter()
        .position(is_separator)
        .map_or(0, |i| tail - i);
    (
        &before[start..before.len() - tail],
        &after[start..after.len() - tail],
    )
}

/// ConfigMaps and Secrets whose data changed while pods that read them do not restart.
pub(super) fn stale_readers(
    changes: &[Sides],
    restarted: &[&Resource],
    rendered: &[(Resource, Value)],
) -> Vec<Found> {
    let mut found = Vec::new();
    for change in changes {
        let (Some(old), Some(new)) = (change.old, change.new) else {
            continue;
        };
        let kind = change.resource.kind.as_str();
        if change.resource.api_version != "v1" || !matches!(kind, "ConfigMap" | "Secret") {
            continue;
        }
        let data_changed = ["data", "binaryData", "stringData"]
            .iter()
            .any(|field| old[field] != new[field]);
        if !data_changed {
            continue;
        }
        let consumers: Vec<Consumer> = rendered
            .iter()
            .filter(|(workload, _)| {
                is_workload(workload)
                    && workload.namespace == change.resource.namespace
                    && !restarted.contains(&workload)
            })
            .filter_map(|(workload, value)| {
                reads(
                    &value["spec"]["template"]["spec"],
                    kind,
                    &change.resource.name,
                )
                .map(|via| Consumer {
                    workload: workload.clone(),
                    via,
                })
            })
            .collect();
        if !consumers.is_empty() {
            found.push(Found {
                resource: change.resource.clone(),
                consequence: Consequence::KeepsOldValue { consumers },
            });
        }
    }
    found
}

/// How a pod spec reads the ConfigMap or Secret `name`: through its environment (which wins:
/// it never updates) or a volume.
fn reads(pod: &Value, kind: &str, name: &str) -> Option<Via> {
    let (env_ref, key_ref, volume, volume_name, projected) = match kind {
        "ConfigMap" => (
            "configMapRef",
            "configMapKeyRef",
            "configMap",
            "name",
            "configMap",
        ),
        _ => (
            "secretRef",
            "secretKeyRef",
            "secret",
            "secretName",
            "secret",
        ),
    };
    let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let containers = items(&pod["containers"])
        .into_iter()
        .chain(items(&pod["initContainers"]));
    for container in containers {
        let from = items(&container["envFrom"])
            .iter()
            .any(|e| e[env_ref]["name"] == name);
        let value = items(&container["env"])
            .iter()
            .any(|e| e["valueFrom"][key_ref]["name"] == name);
        if from || value {
            return Some(Via::Env);
        }
    }
    items(&pod["volumes"])
        .iter()
        .any(|v| {
            v[volume][volume_name] == name
                || items(&v["projected"]["sources"])
                    .iter()
                    .any(|s| s[projected]["name"] == name)
        })
        .then_some(Via::Volume)
}

#[cfg(test)]
mod tests {
    use super::changed_part;

    #[test]
    fn the_changed_part_of_an_image_is_whole() {
        assert_eq!(
            changed_part("ghcr.io/acme/web:1.2", "registry.example.com/acme/web:1.2"),
            ("ghcr.io", "registry.example.com")
        );
        assert_eq!(changed_part("web:1.4.2", "web:1.5.0"), ("1.4.2", "1.5.0"));
        assert_eq!(changed_part("a/web:1", "a/api:1"), ("web", "api"));
        assert_eq!(changed_part("web", "web:2"), ("web", "web:2"));
    }
}
