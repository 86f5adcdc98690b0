//! Fields the Kubernetes API server refuses to change on an existing object, so `kubectl apply`
//! (or `helm upgrade`) of the change fails. Each rule mirrors a check of kubernetes/kubernetes:
//!
//! - Deployment, DaemonSet, ReplicaSet `spec.selector`: `ValidateImmutableField` on the selector
//!   in `pkg/registry/apps/{deployment,daemonset,replicaset}/strategy.go` (every apps/v1 update).
//! - StatefulSet: `ValidateStatefulSetUpdate` (`pkg/apis/apps/validation`) forbids changing any
//!   of `spec` but `replicas`, `ordinals`, `template`, `updateStrategy`, `revisionHistoryLimit`,
//!   `persistentVolumeClaimRetentionPolicy` and `minReadySeconds`.
//! - Job: `ValidateJobSpecUpdate` (`pkg/apis/batch/validation`): `selector`, `template`,
//!   `completionMode`, `podFailurePolicy` are immutable (`completions` too, outside elastic
//!   indexed Jobs).
//! - Service `spec.clusterIP`: `ValidateServiceUpdate` (`pkg/apis/core/validation`), when the
//!   old one was set and neither side is `type: ExternalName`. A type the new object's own
//!   rules refuse (`clusterIP: None` on a NodePort Service) fails validation at render time
//!   (rule `service/type`), before any diff.
//! - PersistentVolumeClaim: `ValidatePersistentVolumeClaimUpdate`: the spec is immutable but
//!   `resources.requests` (and `volumeAttributesClassName`), and storage cannot shrink.
//! - ConfigMap and Secret with `immutable: true`: `ValidateConfigMapUpdate`,
//!   `ValidateSecretUpdate`: data cannot change, nor `immutable` be unset.
//! - RoleBinding, ClusterRoleBinding `roleRef`: `ValidateRoleBindingUpdate`
//!   (`pkg/apis/rbac/validation`).
//!
//! A Helm or Argo CD hook is recreated rather than updated, so none of this applies to it.

use serde_json::Value;

use super::paths::under;
use super::{Consequence, group};
use crate::resource::Resource;

const STATEFULSET_MUTABLE: &[&str] = &[
    "spec.replicas",
    "spec.ordinals",
    "spec.template",
    "spec.updateStrategy",
    "spec.revisionHistoryLimit",
    "spec.persistentVolumeClaimRetentionPolicy",
    "spec.minReadySeconds",
];

const PVC_MUTABLE: &[&str] = &["spec.resources.requests", "spec.volumeAttributesClassName"];

const ORPHAN_WAY_OUT: &str = "`kubectl delete KIND NAME --cascade=orphan`, then apply: the running pods are kept and adopted";

/// The consequences of changing `paths` of this object that the API server refuses.
pub(super) fn refused(
    resource: &Resource,
    old: &Value,
    new: &Value,
    paths: &[String],
) -> Vec<Consequence> {
    // A hook is deleted and created anew on each run (Helm's default `before-hook-creation`),
    // never updated in place.
    let hook = |v: &Value| {
        let annotations = &v["metadata"]["annotations"];
        !annotations["helm.sh/hook"].is_null() || !annotations["argocd.argoproj.io/hook"].is_null()
    };
    if hook(old) || hook(new) {
        return Vec::new();
    }
    let touched = |field: &str| paths.iter().any(|p| under(p, field));
    let orphan = || {
        ORPHAN_WAY_OUT
            .replace("KIND", &resource.kind.to_lowercase())
            .replace("NAME", &resource.name)
    };
    let mut found = Vec::new();
    let mut refuse = |field: &str, reason: &str, way_out: String| {
        found.push(Consequence::WillNotApply {
            field: field.to_string(),
            reason: reason.to_string(),
            way_out,
        })
    };
    match (group(resource), resource.kind.as_str()) {
        ("apps", "Deployment" | "DaemonSet" | "ReplicaSet") if touched("spec.selector") => {
            refuse(
                "spec.selector",
                "field is immutable",
                format!(
                    "{} (the old ReplicaSets stay: delete them once the new pods are ready)",
                    orphan()
                ),
            );
        }
        ("apps", "StatefulSet") => {
            for field in spec_fields_outside(paths, STATEFULSET_MUTABLE) {
                refuse(
                    field,
                    "updates to a StatefulSet's spec other than replicas, ordinals, template, updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds are forbidden",
                    format!(
                        "{} with their claims (existing claims keep their old size and class; resize them one by one)",
                        orphan()
                    ),
                );
            }
        }
        ("batch", "Job") => {
            for field in [
                "spec.selector",
                "spec.template",
                "spec.completionMode",
                "spec.podFailurePolicy",
                "spec.completions",
            ] {
                if touched(field) {
                    refuse(
                        field,
                        "field is immutable",
                        format!(
                            "delete the Job (`kubectl delete job {}`) and apply again; a Job run per release is better as a hook deleted before each run, or with a name per release",
                            resource.name
                        ),
                    );
                }
            }
        }
        ("", "Service") => {
            let ip = |v: &Value| v["spec"]["clusterIP"].as_str().unwrap_or("").to_string();
            let external = |v: &Value| v["spec"]["type"] == "ExternalName";
            let (before, after) = (ip(old), ip(new));
            if !before.is_empty()
                && !after.is_empty()
                && before != after
                && !external(old)
                && !external(new)
            {
                refuse(
                    "spec.clusterIP",
                    "field is immutable",
                    format!(
                        "delete the Service (`kubectl delete service {}`) and apply again: it gets a new address, and clients that resolve it by DNS follow",
                        resource.name
                    ),
                );
            }
        }
        ("", "PersistentVolumeClaim") => {
            for field in spec_fields_outside(paths, PVC_MUTABLE) {
                refuse(
                    field,
                    "a claim's spec is immutable after creation except resources.requests",
                    "create a claim with a new name and copy the data across".to_string(),
                );
            }
            let storage = |v: &Value| {
                v["spec"]["resources"]["requests"]["storage"]
                    .as_str()
                    .and_then(bytes)
            };
            if let (Some(before), Some(after)) = (storage(old), storage(new))
                && after < before
            {
                refuse(
                    "spec.resources.requests.storage",
                    "field can not be less than previous value",
                    "a claim cannot shrink: create a smaller one with a new name and copy the data across".to_string(),
                );
            }
        }
        ("", "ConfigMap" | "Secret") if old["immutable"] == true => {
            let data = ["data", "binaryData", "stringData", "immutable"];
            if let Some(field) = data.iter().find(|f| touched(f)) {
                refuse(
                    field,
                    "field is immutable when `immutable` is set",
                    format!(
                        "give the {} a new name (a content hash in the name) and point the pods at it",
                        resource.kind
                    ),
                );
            }
        }
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding")
            if touched("roleRef") =>
        {
            refuse(
                "roleRef",
                "cannot change roleRef",
                format!(
                    "delete the binding (`kubectl delete {} {}`) and apply again",
                    resource.kind.to_lowercase(),
                    resource.name
                ),
            );
        }
        _ => {}
    }
    found
}

/// The fields right under `spec` that `paths` change, but for those under `mutable`.
fn spec_fields_outside<'a>(paths: &'a [String], mutable: &[&str]) -> Vec<&'a str> {
    let mut fields: Vec<&str> = paths
        .iter()
        .filter(|p| under(p, "spec") && !mutable.iter().any(|m| under(p, m)))
        .map(|p| top_field(p))
        .collect();
    fields.dedup();
    fields
}

/// `spec.volumeClaimTemplates[0].spec.x` → `spec.volumeClaimTemplates`.
fn top_field(path: &str) -> &str {
    let end = path["spec.".len().min(path.len())..]
        .find(['.', '['])
        .map_or(path.len(), |i| i + "spec.".len());
    &path[..end]
}

/// A storage quantity in bytes (`10Gi`, `500M`, `1e3`), for comparing sizes.
fn bytes(quantity: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("Pi", 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
    ];
    for (suffix, factor) in SUFFIXES {
        if let Some(number) = quantity.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * factor);
        }
    }
    quantity.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_compare_across_suffixes() {
        assert!(bytes("1Gi") > bytes("1000Mi"));
        assert!(bytes("2G") > bytes("1Gi"));
        assert_eq!(bytes("x"), None);
        assert_eq!(
            top_field("spec.volumeClaimTemplates[0].spec"),
            "spec.volumeClaimTemplates"
        );
        assert_eq!(top_field("spec.serviceName"), "spec.serviceName");
    }
}
