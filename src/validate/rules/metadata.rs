//! Object metadata: names per kind, namespaces, label keys and values, annotation keys and
//! size, as `staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go`
//! `ValidateObjectMeta` checks them with each kind's name function.

use std::borrow::Cow;

use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, at, entries, formats, same, str_at};

pub static NAME_FORMAT: Rule = Rule {
    id: "metadata/name-format",
    kinds: "every kind (the rule per kind is in the table below)",
    mirrors: "pkg/apis/*/validation/validation.go Validate<Kind>Name (NameIsDNSSubdomain, NameIsDNSLabel, NameIsDNS1035Label, ValidatePathSegmentName)",
};
pub static NAMESPACE_FORMAT: Rule = Rule {
    id: "metadata/namespace-format",
    kinds: "namespaced kinds",
    mirrors: "apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor (ValidateNamespaceName)",
};
pub static LABELS: Rule = Rule {
    id: "metadata/labels",
    kinds: "every kind, and every Pod template and label selector",
    mirrors: "apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabels",
};
pub static ANNOTATIONS: Rule = Rule {
    id: "metadata/annotations",
    kinds: "every kind, and every Pod template",
    mirrors: "apimachinery/pkg/api/validation/objectmeta.go ValidateAnnotations",
};

pub static RULES: &[&Rule] = &[&NAME_FORMAT, &NAMESPACE_FORMAT, &LABELS, &ANNOTATIONS];

/// How a kind's name is checked.
#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Label,
    PathSegment,
    /// A DNS-1123 subdomain of at most this many characters.
    ShortSubdomain(usize),
}

/// Kinds whose names Kubernetes checks, by group: the data of `metadata/name-format`.
/// Built-in kinds not listed are left unchecked; custom resources are DNS-1123 subdomains.
const NAMES: &[(&str, &str, NameRule)] = &[
    // DNS-1035 before RelaxedServiceNameValidation (alpha in 1.34), a DNS-1123 label with it:
    // only what both refuse is refused.
    ("", "Service", NameRule::Label),
    ("", "Namespace", NameRule::Label),
    ("", "Pod", NameRule::Subdomain),
    ("", "PodTemplate", NameRule::Subdomain),
    ("", "ReplicationController", NameRule::Subdomain),
    ("", "ConfigMap", NameRule::Subdomain),
    ("", "Secret", NameRule::Subdomain),
    ("", "ServiceAccount", NameRule::Subdomain),
    ("", "PersistentVolumeClaim", NameRule::Subdomain),
    ("", "LimitRange", NameRule::Subdomain),
    ("", "ResourceQuota", NameRule::Subdomain),
    ("", "Endpoints", NameRule::Subdomain),
    ("apps", "Deployment", NameRule::Subdomain),
    ("apps", "ReplicaSet", NameRule::Subdomain),
    ("apps", "StatefulSet", NameRule::Subdomain),
    ("apps", "DaemonSet", NameRule::Subdomain),
    ("batch", "Job", NameRule::Subdomain),
    // Job names are the CronJob's name plus an 11-character suffix, within a DNS-1035 label.
    ("batch", "CronJob", NameRule::ShortSubdomain(52)),
    ("networking.k8s.io", "Ingress", NameRule::Subdomain),
    ("networking.k8s.io", "IngressClass", NameRule::Subdomain),
    ("networking.k8s.io", "NetworkPolicy", NameRule::Subdomain),
    (
        "autoscaling",
        "HorizontalPodAutoscaler",
        NameRule::Subdomain,
    ),
    ("policy", "PodDisruptionBudget", NameRule::Subdomain),
    ("scheduling.k8s.io", "PriorityClass", NameRule::Subdomain),
    ("storage.k8s.io", "StorageClass", NameRule::Subdomain),
    ("rbac.authorization.k8s.io", "Role", NameRule::PathSegment),
    (
        "rbac.authorization.k8s.io",
        "ClusterRole",
        NameRule::PathSegment,
    ),
    (
        "rbac.authorization.k8s.io",
        "RoleBinding",
        NameRule::PathSegment,
    ),
    (
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        NameRule::PathSegment,
    ),
];

/// Built-in namespaced kinds. The API server clears the namespace of a cluster-scoped object
/// before validating it, and bosun does not know every custom resource's scope, so only these
/// have their namespace checked.
const NAMESPACED: &[&str] = &[
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Service",
    "PersistentVolumeClaim",
    "LimitRange",
    "ResourceQuota",
    "Endpoints",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "Ingress",
    "NetworkPolicy",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "Role",
    "RoleBinding",
];

const ANNOTATIONS_MAX: usize = 256 * 1024;

fn built_in(group: &str) -> bool {
    group.is_empty() || !group.contains('.') || group.ends_with(".k8s.io")
}

pub(super) fn check(doc: &Doc, out: &mut Out) {
    let meta = doc.value.field("metadata").unwrap_or(&Value::Null);
    // A generateName prefix is checked the way `maskTrailingDash` leaves it: a trailing `-` and
    // the character before it become one `a` (so `web-` is checked as `wea`).
    let (name, field): (Cow<str>, _) = match (str_at(meta, "name"), str_at(meta, "generateName")) {
        (Some(name), _) => (name.into(), "name"),
        (None, Some(prefix)) if prefix.len() > 1 && prefix.ends_with('-') => {
            match prefix.get(..prefix.len() - 2) {
                Some(kept) => (format!("{kept}a").into(), "generateName"),
                None => ("".into(), "generateName"),
            }
        }
        (None, Some(prefix)) => (prefix.into(), "generateName"),
        (None, None) => ("".into(), "name"),
    };
    let rule = NAMES
        .iter()
        .find(|(group, kind, _)| same(doc.kind, kind) && same(doc.group, group))
        .map(|(_, _, rule)| *rule)
        .or_else(|| (!built_in(doc.group)).then_some(NameRule::Subdomain));
    if let Some(rule) = rule
        && !name.is_empty()
    {
        let name: &str = &name;
        let problem = match rule {
            NameRule::Subdomain => formats::dns1123_subdomain(name),
            NameRule::Label => formats::dns1123_label(name),
            NameRule::PathSegment if field == "generateName" => {
                formats::path_segment(name).filter(|_| name.contains(['/', '%']))
            }
            NameRule::PathSegment => formats::path_segment(name),
            NameRule::ShortSubdomain(max) if name.len() > max => Some(format!(
                "must be no more than {max} characters (it has {})",
                name.len()
            )),
            NameRule::ShortSubdomain(_) => formats::dns1123_subdomain(name),
        };
        if let Some(problem) = problem {
            let shown = if field == "name" {
                name
            } else {
                str_at(meta, "generateName").unwrap_or_default()
            };
            out.push(
                &NAME_FORMAT,
                format!("/metadata/{field}"),
                format!("{field} `{shown}` of a {}: {problem}", doc.kind),
            );
        }
    }
    if let Some(namespace) = str_at(meta, "namespace")
        && !namespace.is_empty()
        && built_in(doc.group)
        && NAMESPACED.iter().any(|kind| same(doc.kind, kind))
        && let Some(problem) = formats::dns1123_label(namespace)
    {
        out.push(
            &NAMESPACE_FORMAT,
            "/metadata/namespace",
            format!("namespace `{namespace}` {problem}"),
        );
    }
    if meta.is_object() {
        check_meta(meta, "/metadata", out);
    }
}

/// Labels and annotations of the metadata at `base` (an object's, or a Pod template's).
pub(super) fn check_meta(meta: &Value, base: &str, out: &mut Out) {
    check_labels(meta, "labels", base, out);
    let mut size = 0;
    for (key, value) in entries(meta, "annotations") {
        // Annotation keys are checked lowercased (`ValidateAnnotations`), unlike label keys.
        let lowered = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(key.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(key.as_str())
        };
        if let Some(problem) = formats::qualified_name(&lowered) {
            out.push(
                &ANNOTATIONS,
                at(&format!("{base}/annotations"), key),
                format!("annotation key `{key}`: {problem}"),
            );
        }
        size += key.len() + value.as_str().map_or(0, str::len);
    }
    if size > ANNOTATIONS_MAX {
        out.push(
            &ANNOTATIONS,
            format!("{base}/annotations"),
            format!("annotations may not hold more than 262144 bytes in all (they hold {size})"),
        );
    }
}

/// The keys and values of a label map at `parent[key]` (labels, or a selector's matchLabels),
/// `parent` being at the JSON pointer `base`. Paths are written only for a finding: most
/// labels have none.
pub(super) fn check_labels(parent: &Value, key: &str, base: &str, out: &mut Out) {
    let path = |label: &str| at(&format!("{base}/{key}"), label);
    for (label, value) in entries(parent, key) {
        if let Some(problem) = formats::qualified_name(label) {
            out.push(
                &LABELS,
                path(label),
                format!("label key `{label}`: {problem}"),
            );
        }
        if let Some(value) = value.as_str()
            && let Some(problem) = formats::label_value(value)
        {
            out.push(
                &LABELS,
                path(label),
                format!("value `{value}` of label `{label}` {problem}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn ids(value: serde_json::Value) -> Vec<(String, String)> {
        super::super::check(&value)
            .into_iter()
            .map(|f| (f.rule.id.to_string(), f.path))
            .collect()
    }

    #[test]
    fn names_per_kind() {
        let service = |name: &str| {
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                   "spec": {"ports": [{"port": 80}]}})
        };
        assert_eq!(ids(service("web")), vec![]);
        assert_eq!(ids(service("1web")), vec![]);
        assert_eq!(
            ids(service("web_1")),
            vec![("metadata/name-format".into(), "/metadata/name".into())]
        );
        let config = |name: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}});
        assert_eq!(ids(config("web.config-1")), vec![]);
        assert_eq!(ids(config("Web")).len(), 1);
        let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                          "metadata": {"name": "system:web"}, "rules": []});
        assert_eq!(ids(role), vec![]);
        let cron = |name: &str| json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name}});
        assert!(
            ids(cron(&"a".repeat(53)))
                .iter()
                .any(|(id, _)| id == "metadata/name-format")
        );
        assert!(
            !ids(cron(&"a".repeat(52)))
                .iter()
                .any(|(id, _)| id == "metadata/name-format")
        );
    }

    #[test]
    fn labels_and_annotations() {
        let doc = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x",
            "labels": {"app.kubernetes.io/name": "web", "version": "1.0+b", "bad key": "x"},
            "annotations": {"example.com/ok": "anything at all", "Example.COM/Upper": "x", "a/b/c": "x"}}});
        assert_eq!(
            ids(doc),
            vec![
                ("metadata/labels".into(), "/metadata/labels/version".into()),
                ("metadata/labels".into(), "/metadata/labels/bad key".into()),
                (
                    "metadata/annotations".into(),
                    "/metadata/annotations/a~1b~1c".into()
                ),
            ]
        );
    }
}
