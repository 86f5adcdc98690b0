//! What a change will do, before the text of it: a field the API server refuses to change
//! (`immutable.rs`), pods that restart or keep reading an old value (`pods.rs`), a Secret's keys
//! (never their values), resources whose loss or limits put data or a rollout at risk
//! (`risk.rs`), and changes that are only noise (`noise.rs`). Every finding is plain data,
//! computed from the old and new parsed documents of one release.

mod immutable;
mod noise;
mod paths;
mod pods;
mod risk;

use serde::Serialize;
use serde_json::Value;

use crate::resource::Resource;

pub use noise::Noise;
pub(super) use paths::changed_paths;

/// The classes `--fail-on` names; each [`Consequence`] belongs to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// A change the API server refuses (an immutable field).
    WillNotApply,
    /// A resource that holds data is deleted.
    DataLoss,
    /// A workload's pod template changes: its pods are replaced.
    RestartsPods,
    /// A ConfigMap or Secret changes and the pods reading it are not restarted.
    KeepsOldValue,
    /// A Secret's keys are added, removed or changed.
    SecretChange,
    /// A PodDisruptionBudget allows no pod of its workload to be evicted.
    BlocksEviction,
    /// A HorizontalPodAutoscaler's range does not contain its workload's replicas.
    ReplicasOutOfRange,
}

impl Class {
    /// The name `--fail-on` and every format use.
    pub fn name(self) -> &'static str {
        match self {
            Class::WillNotApply => "will-not-apply",
            Class::DataLoss => "data-loss",
            Class::RestartsPods => "restarts-pods",
            Class::KeepsOldValue => "keeps-old-value",
            Class::SecretChange => "secret-change",
            Class::BlocksEviction => "blocks-eviction",
            Class::ReplicasOutOfRange => "replicas-out-of-range",
        }
    }

    /// How a report heads this class.
    pub fn title(self) -> &'static str {
        match self {
            Class::WillNotApply => "Will not apply",
            Class::DataLoss => "Data loss",
            Class::RestartsPods => "Restarts pods",
            Class::KeepsOldValue => "Running pods keep the old value",
            Class::SecretChange => "Secrets",
            Class::BlocksEviction => "Blocks evictions",
            Class::ReplicasOutOfRange => "Replicas out of the autoscaler's range",
        }
    }
}

/// A pod reads a ConfigMap or Secret through its environment (read once, at start) or a
/// volume (the kubelet updates the files, unless mounted with `subPath`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Env,
    Volume,
}

/// A workload that reads a changed ConfigMap or Secret without being restarted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consumer {
    #[serde(flatten)]
    pub workload: Resource,
    pub via: Via,
}

/// What one change will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum Consequence {
    WillNotApply {
        /// The field the API server refuses to change, as a path (`spec.selector`).
        field: String,
        /// Why, in the API server's terms.
        reason: String,
        /// The usual way out.
        way_out: String,
    },
    DataLoss {
        reason: String,
    },
    RestartsPods {
        /// The replicas in the new render (none for a DaemonSet: one pod per node).
        replicas: Option<u64>,
        /// What in the pod template changed, one item per cause.
        causes: Vec<String>,
        /// The causes without what differs between workloads (container names, the parts of
        /// an image that stayed), to count many workloads restarted by one change together.
        shared: Vec<String>,
    },
    KeepsOldValue {
        consumers: Vec<Consumer>,
    },
    SecretChange {
        added: Vec<String>,
        removed: Vec<String>,
        changed: Vec<String>,
        /// Keys whose values could not be compared (no key to check the record with).
        not_compared: Vec<String>,
    },
    BlocksEviction {
        workload: Resource,
        reason: String,
    },
    ReplicasOutOfRange {
        workload: Resource,
        replicas: u64,
        min: u64,
        max: u64,
    },
}

impl Consequence {
    pub fn class(&self) -> Class {
        match self {
            Consequence::WillNotApply { .. } => Class::WillNotApply,
            Consequence::DataLoss { .. } => Class::DataLoss,
            Consequence::RestartsPods { .. } => Class::RestartsPods,
            Consequence::KeepsOldValue { .. } => Class::KeepsOldValue,
            Consequence::SecretChange { .. } => Class::SecretChange,
            Consequence::BlocksEviction { .. } => Class::BlocksEviction,
            Consequence::ReplicasOutOfRange { .. } => Class::ReplicasOutOfRange,
        }
    }

    /// One line saying what will happen, without the resource's name.
    pub fn describe(&self) -> String {
        match self {
            Consequence::WillNotApply {
                field,
                reason,
                way_out,
            } => format!("`{field}`: {reason}; way out: {way_out}"),
            Consequence::DataLoss { reason } => reason.clone(),
            Consequence::RestartsPods {
                replicas, causes, ..
            } => {
                let pods = match replicas {
                    Some(1) => "1 replica".to_string(),
                    Some(n) => format!("{n} replicas"),
                    None => "one pod per node".to_string(),
                };
                format!("{pods} replaced: {}", causes.join("; "))
            }
            Consequence::KeepsOldValue { consumers } => {
                let list: Vec<String> = consumers
                    .iter()
                    .map(|c| match c.via {
                        Via::Env => format!("{} (env: until its pods restart)", c.workload),
                        Via::Volume => format!(
                            "{} (volume: files update within about a minute, unless mounted with subPath; the program must reread them)",
                            c.workload
                        ),
                    })
                    .collect();
                format!(
                    "no checksum rolls the pods that read it: {}",
                    list.join(", ")
                )
            }
            Consequence::SecretChange {
                added,
                removed,
                changed,
                not_compared,
            } => {
                let mut parts = Vec::new();
                for (word, keys) in [
                    ("added", added),
                    ("removed", removed),
                    ("changed", changed),
                    ("not compared", not_compared),
                ] {
                    if !keys.is_empty() {
                        let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                        parts.push(format!("{word} {}", keys.join(", ")));
                    }
                }
                // Never a secret's contents, nor their size.
                format!("keys {}", parts.join("; "))
            }
            Consequence::BlocksEviction { workload, reason } => format!("{workload}: {reason}"),
            Consequence::ReplicasOutOfRange {
                workload,
                replicas,
                min,
                max,
            } => format!(
                "{workload} sets {replicas} replicas, outside {min}..={max}: the autoscaler rescales it at once, and each apply of `spec.replicas` fights it (leave `replicas` unset when an autoscaler owns it)"
            ),
        }
    }
}

/// A consequence and the resource it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    #[serde(flatten)]
    pub resource: Resource,
    #[serde(flatten)]
    pub consequence: Consequence,
}

/// One resource as the plan saw it: its two sides (parsed), for the findings that look at
/// more than one resource.
pub(super) struct Sides<'a> {
    pub resource: &'a Resource,
    /// Parsed only for a change or a deletion.
    pub old: Option<&'a Value>,
    /// Parsed only for a change.
    pub new: Option<&'a Value>,
    /// Deleted by the plan.
    pub gone: bool,
}

/// What changing `old` into `new` does to this one resource (a Secret's keys come from the
/// secret comparison, which alone can read the record's sealed values).
pub(super) fn of_change(
    resource: &Resource,
    old: &Value,
    new: &Value,
    paths: &[String],
) -> Vec<Consequence> {
    let mut found = immutable::refused(resource, old, new, paths);
    found.extend(pods::restart(resource, old, new, paths));
    found
}

/// The kind of noise a change of these paths is, if it is only noise.
pub(super) fn classify_noise(paths: &[String]) -> Option<Noise> {
    noise::classify(paths)
}

/// Whether a rendered object takes part in a finding across resources (a workload, a
/// budget, an autoscaler), so the plan reads it back.
pub(super) fn joins(resource: &Resource) -> bool {
    is_workload(resource)
        || matches!(
            resource.kind.as_str(),
            "PodDisruptionBudget" | "HorizontalPodAutoscaler"
        )
}

/// What deleting `old` does.
pub(super) fn of_destroy(resource: &Resource, old: &Value) -> Vec<Consequence> {
    risk::data_loss(resource, old).into_iter().collect()
}

/// The findings that join resources of one release: pods reading a changed ConfigMap or
/// Secret without a restart, budgets that allow no eviction, autoscalers out of range.
/// `changes` are the resources the plan lists; `rendered` every object of the new render.
pub(super) fn across(
    changes: &[Sides],
    restarted: &[&Resource],
    rendered: &[(Resource, Value)],
) -> Vec<Found> {
    let mut found = pods::stale_readers(changes, restarted, rendered);
    found.extend(risk::budgets_and_autoscalers(changes, rendered));
    found
}

/// The `apiVersion`'s group: empty for the core group.
fn group(resource: &Resource) -> &str {
    resource
        .api_version
        .rsplit_once('/')
        .map_or("", |(group, _)| group)
}

/// A workload whose pods come from `spec.template`.
fn is_workload(resource: &Resource) -> bool {
    matches!(
        (group(resource), resource.kind.as_str()),
        (
            "apps",
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet"
        ) | ("argoproj.io", "Rollout")
    )
}
