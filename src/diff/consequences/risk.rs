//! Risks: a deleted resource that holds data, a PodDisruptionBudget that lets no pod of its
//! workload be evicted, a HorizontalPodAutoscaler whose range leaves out the replicas its
//! workload sets. The last two are told when the budget, the autoscaler or the workload is
//! added or changed, from the new render alone.

use std::collections::HashSet;

use serde_json::Value;

use super::{Consequence, Found, Sides, group, is_workload};
use crate::resource::Resource;

/// What deleting `old` loses, if it holds data.
pub(super) fn data_loss(resource: &Resource, old: &Value) -> Option<Consequence> {
    let reason = match (group(resource), resource.kind.as_str()) {
        ("", "PersistentVolumeClaim") => "the claim is deleted, and its volume with it when the reclaim policy is `Delete` (the default for dynamically provisioned volumes)".to_string(),
        ("", "PersistentVolume") => "the volume object is deleted; with reclaim policy `Delete` its storage too".to_string(),
        ("", "Namespace") => "every object in the namespace is deleted with it, whoever created it".to_string(),
        ("apiextensions.k8s.io", "CustomResourceDefinition") => "every custom resource of this kind, in every namespace, is deleted with it".to_string(),
        ("apps", "StatefulSet") if old["spec"]["volumeClaimTemplates"].as_array().is_some_and(|t| !t.is_empty()) => {
            if old["spec"]["persistentVolumeClaimRetentionPolicy"]["whenDeleted"] == "Delete" {
                "its pods are deleted, and their claims with them (`persistentVolumeClaimRetentionPolicy.whenDeleted: Delete`)".to_string()
            } else {
                "its pods are deleted; their claims stay (and keep costing) until deleted by hand".to_string()
            }
        }
        _ => return None,
    };
    Some(Consequence::DataLoss { reason })
}

/// Budgets that allow no eviction, and autoscalers whose range leaves out their workload's
/// replicas, where the budget, the autoscaler or the workload is among `changes`.
pub(super) fn budgets_and_autoscalers(
    changes: &[Sides],
    rendered: &[(Resource, Value)],
) -> Vec<Found> {
    let changed: HashSet<&Resource> = changes
        .iter()
        .filter(|c| !c.gone)
        .map(|c| c.resource)
        .collect();
    let workloads = || {
        rendered
            .iter()
            .filter(|(r, _)| is_workload(r) && r.kind != "DaemonSet")
    };
    let mut found = Vec::new();
    for (resource, value) in rendered {
        match (group(resource), resource.kind.as_str()) {
            ("policy", "PodDisruptionBudget") => {
                let Some(selector) = value["spec"]["selector"]["matchLabels"].as_object() else {
                    continue;
                };
                if selector.is_empty() || !value["spec"]["selector"]["matchExpressions"].is_null() {
                    continue;
                }
                for (workload, spec) in workloads() {
                    let labels = &spec["spec"]["template"]["metadata"]["labels"];
                    let selects = workload.namespace == resource.namespace
                        && selector.iter().all(|(k, v)| labels[k] == *v);
                    if !selects || !(changed.contains(resource) || changed.contains(workload)) {
                        continue;
                    }
                    let replicas = spec["spec"]["replicas"].as_u64().unwrap_or(1);
                    if let Some(rule) = allows_none(&value["spec"], replicas) {
                        found.push(Found {
                            resource: resource.clone(),
                            consequence: Consequence::BlocksEviction {
                                workload: workload.clone(),
                                reason: format!(
                                    "{rule} with {replicas} replicas allows no eviction: node drains and cluster upgrades wait on these pods until someone steps in (a rolling update of the workload itself is not an eviction)"
                                ),
                            },
                        });
                    }
                }
            }
            ("autoscaling", "HorizontalPodAutoscaler") => {
                let target = &value["spec"]["scaleTargetRef"];
                let min = value["spec"]["minReplicas"].as_u64().unwrap_or(1);
                let Some(max) = value["spec"]["maxReplicas"].as_u64() else {
                    continue;
                };
                for (workload, spec) in workloads() {
                    let targets = workload.namespace == resource.namespace
                        && target["kind"] == workload.kind.as_str()
                        && target["name"] == workload.name.as_str();
                    let Some(replicas) = spec["spec"]["replicas"].as_u64() else {
                        continue;
                    };
                    if targets
                        && (changed.contains(resource) || changed.contains(workload))
                        && !(min..=max).contains(&replicas)
                    {
                        found.push(Found {
                            resource: resource.clone(),
                            consequence: Consequence::ReplicasOutOfRange {
                                workload: workload.clone(),
                                replicas,
                                min,
                                max,
                            },
                        });
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The rule of a budget that allows no disruption of `replicas` pods, if it is one. Percentages
/// round as the disruption controller does: `maxUnavailable` up, `minAvailable` up.
fn allows_none(spec: &Value, replicas: u64) -> Option<String> {
    let scaled = |v: &Value| -> Option<u64> {
        match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => {
                let percent: u64 = s.strip_suffix('%')?.parse().ok()?;
                Some((percent * replicas).div_ceil(100))
            }
            _ => None,
        }
    };
    if let Some(max) = scaled(&spec["maxUnavailable"]) {
        return (max == 0).then(|| format!("`maxUnavailable: {}`", plain(&spec["maxUnavailable"])));
    }
    let min = scaled(&spec["minAvailable"])?;
    (min >= replicas).then(|| format!("`minAvailable: {}`", plain(&spec["minAvailable"])))
}

fn plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}
