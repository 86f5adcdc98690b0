//! Workload kinds: selectors that match their template, replica counts and history limits,
//! rollout strategies, as `pkg/apis/apps/validation/validation.go` checks them (Jobs and
//! CronJobs are in `batch.rs`).

use serde_json::Value;

use super::{Doc, Out, Rule, items, metadata, str_at};
use super::{Field, Follow};

pub static SELECTOR: Rule = Rule {
    id: "workload/selector",
    kinds: "Deployment, ReplicaSet, StatefulSet, DaemonSet",
    mirrors: "pkg/apis/apps/validation/validation.go ValidateDeploymentSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec",
};
pub static LABEL_SELECTOR: Rule = Rule {
    id: "workload/label-selector",
    kinds: "every label selector (workloads, PodDisruptionBudget, NetworkPolicy)",
    mirrors: "apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabelSelector, ValidateLabelSelectorRequirement",
};
pub static COUNTS: Rule = Rule {
    id: "workload/counts",
    kinds: "Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob",
    mirrors: "pkg/apis/apps/validation/validation.go, pkg/apis/batch/validation/validation.go ValidateNonnegativeField on replicas, minReadySeconds, revisionHistoryLimit, parallelism, completions, backoffLimit, history limits",
};
pub static STRATEGY: Rule = Rule {
    id: "workload/strategy",
    kinds: "Deployment, StatefulSet, DaemonSet",
    mirrors: "pkg/apis/apps/validation/validation.go ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, ValidateStatefulSetUpdateStrategy, ValidateDaemonSetUpdateStrategy",
};
pub static PROGRESS_DEADLINE: Rule = Rule {
    id: "workload/progress-deadline",
    kinds: "Deployment",
    mirrors: "pkg/apis/apps/validation/validation.go ValidateDeploymentSpec",
};
pub static ENUMS: Rule = Rule {
    id: "workload/enums",
    kinds: "StatefulSet, CronJob, Job",
    mirrors: "pkg/apis/apps/validation/validation.go ValidateStatefulSetSpec (podManagementPolicy); pkg/apis/batch/validation/validation.go validateConcurrencyPolicy, validateCompletionMode",
};

pub static RULES: &[&Rule] = &[
    &SELECTOR,
    &LABEL_SELECTOR,
    &COUNTS,
    &STRATEGY,
    &PROGRESS_DEADLINE,
    &ENUMS,
];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    let spec = doc.value.field("spec").unwrap_or(&Value::Null);
    match (doc.group, doc.kind) {
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet") => {
            check_selector(spec, out);
            let mut counts = vec!["minReadySeconds", "revisionHistoryLimit"];
            if doc.kind != "DaemonSet" {
                counts.push("replicas");
            }
            non_negative(spec, "/spec", &counts, out);
        }
        _ => return,
    }
    match doc.kind {
        "Deployment" => check_deployment(spec, out),
        "StatefulSet" => check_stateful_set(spec, out),
        "DaemonSet" => check_daemon_set(spec, out),
        _ => {}
    }
}

pub(super) fn non_negative(parent: &Value, base: &str, fields: &[&str], out: &mut Out) {
    for field in fields {
        if let Some(n) = parent.field(field).and_then(Value::as_i64)
            && n < 0
        {
            out.push(
                &COUNTS,
                format!("{base}/{field}"),
                format!("{field} must be greater than or equal to 0 (it is {n})"),
            );
        }
    }
}

/// A label selector at `parent[key]`: its labels and expressions. Returns whether it selects
/// anything at all (an empty selector selects everything).
pub(super) fn check_label_selector(parent: &Value, key: &str, pointer: &str, out: &mut Out) {
    let Some(selector) = parent.field(key).filter(|s| s.is_object()) else {
        return;
    };
    metadata::check_labels(selector, "matchLabels", pointer, out);
    for (i, expression) in items(selector, "matchExpressions") {
        let path = format!("{pointer}/matchExpressions/{i}");
        let values = expression.field("values").and_then(Value::as_array);
        let count = values.map_or(0, Vec::len);
        match str_at(expression, "operator") {
            Some("In" | "NotIn") if count == 0 => out.push(
                &LABEL_SELECTOR,
                format!("{path}/values"),
                "`values` must be non-empty when `operator` is `In` or `NotIn`",
            ),
            Some("Exists" | "DoesNotExist") if count > 0 => out.push(
                &LABEL_SELECTOR,
                format!("{path}/values"),
                "`values` must be empty when `operator` is `Exists` or `DoesNotExist`",
            ),
            Some("In" | "NotIn" | "Exists" | "DoesNotExist") | None => {}
            Some(other) => out.push(
                &LABEL_SELECTOR,
                format!("{path}/operator"),
                format!("unsupported operator `{other}`: supported values are `In`, `NotIn`, `Exists`, `DoesNotExist`"),
            ),
        }
        if let Some(key) = str_at(expression, "key")
            && let Some(problem) = super::formats::qualified_name(key)
        {
            out.push(
                &LABEL_SELECTOR,
                format!("{path}/key"),
                format!("key `{key}`: {problem}"),
            );
        }
    }
}

/// Whether the template labels satisfy the selector (`None` when the selector cannot be read).
fn selects(selector: &Value, labels: &serde_json::Map<String, Value>) -> Option<bool> {
    for (key, value) in selector
        .field("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if labels.field(key).and_then(Value::as_str) != Some(value.as_str()?) {
            return Some(false);
        }
    }
    for (_, expression) in items(selector, "matchExpressions") {
        let key = str_at(expression, "key")?;
        let values: Vec<&str> = expression
            .field("values")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let label = labels.field(key).and_then(Value::as_str);
        let ok = match str_at(expression, "operator")? {
            "In" => label.is_some_and(|l| values.contains(&l)),
            "NotIn" => label.is_none_or(|l| !values.contains(&l)),
            "Exists" => label.is_some(),
            "DoesNotExist" => label.is_none(),
            _ => return None,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

fn check_selector(spec: &Value, out: &mut Out) {
    check_label_selector(spec, "selector", "/spec/selector", out);
    let Some(selector) = spec.field("selector").filter(|s| s.is_object()) else {
        return;
    };
    let empty = selector
        .field("matchLabels")
        .and_then(Value::as_object)
        .is_none_or(|m| m.is_empty())
        && selector
            .field("matchExpressions")
            .and_then(Value::as_array)
            .is_none_or(|m| m.is_empty());
    if empty {
        out.push(
            &SELECTOR,
            "/spec/selector",
            "an empty selector is invalid: it would select every Pod",
        );
        return;
    }
    let none = serde_json::Map::new();
    let labels = spec
        .follow("/template/metadata/labels")
        .and_then(Value::as_object)
        .unwrap_or(&none);
    if selects(selector, labels) == Some(false) {
        out.push(
            &SELECTOR,
            "/spec/template/metadata/labels",
            "`selector` does not match template `labels`: every label of `selector.matchLabels` (and every `matchExpressions` term) must hold for the Pod template",
        );
    }
}

/// An int-or-percent: `Some(Ok(n))` for a count, `Some(Err(p))` for a percentage; a message
/// when it is neither.
fn int_or_percent(value: &Value) -> Result<Option<(i64, bool)>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(n.as_i64().map(|n| (n, false))),
        Value::String(s) => match s.strip_suffix('%') {
            Some(digits) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => {
                Ok(digits.parse().ok().map(|n| (n, true)))
            }
            _ => Err(format!(
                "`{s}` must be an integer or a percentage (e.g. `25%`)"
            )),
        },
        _ => Ok(None),
    }
}

/// `maxUnavailable` and `maxSurge` of a rolling update at `pointer`: each a count or percentage,
/// `maxUnavailable` at most 100%, and not both zero.
fn check_rolling(update: &Value, pointer: &str, out: &mut Out) {
    let mut zero = [false, false];
    for (k, field) in ["maxUnavailable", "maxSurge"].into_iter().enumerate() {
        let Some(value) = update.field(field) else {
            continue;
        };
        match int_or_percent(value) {
            Err(problem) => out.push(
                &STRATEGY,
                format!("{pointer}/{field}"),
                format!("{field} {problem}"),
            ),
            Ok(Some((n, percent))) => {
                zero[k] = n == 0;
                if n < 0 {
                    out.push(
                        &STRATEGY,
                        format!("{pointer}/{field}"),
                        format!("{field} must be greater than or equal to 0"),
                    );
                } else if percent && n > 100 && field == "maxUnavailable" {
                    out.push(
                        &STRATEGY,
                        format!("{pointer}/{field}"),
                        format!("{field} must not be greater than 100%"),
                    );
                }
            }
            Ok(None) => {}
        }
    }
    if zero == [true, true] {
        out.push(
            &STRATEGY,
            format!("{pointer}/maxUnavailable"),
            "maxUnavailable may not be 0 when maxSurge is 0",
        );
    }
}

fn check_deployment(spec: &Value, out: &mut Out) {
    let strategy = spec.field("strategy").unwrap_or(&Value::Null);
    let rolling = strategy.field("rollingUpdate").filter(|r| r.is_object());
    match (str_at(strategy, "type"), rolling) {
        (Some("Recreate"), Some(_)) => out.push(
            &STRATEGY,
            "/spec/strategy/rollingUpdate",
            "`rollingUpdate` may not be given when strategy `type` is `Recreate`",
        ),
        (Some("RollingUpdate") | None, Some(rolling)) => {
            check_rolling(rolling, "/spec/strategy/rollingUpdate", out);
        }
        _ => {}
    }
    if let Some(deadline) = spec
        .field("progressDeadlineSeconds")
        .and_then(Value::as_i64)
    {
        let ready = spec
            .field("minReadySeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if deadline <= ready {
            out.push(
                &PROGRESS_DEADLINE,
                "/spec/progressDeadlineSeconds",
                format!("progressDeadlineSeconds ({deadline}) must be greater than minReadySeconds ({ready})"),
            );
        }
    }
}

fn check_daemon_set(spec: &Value, out: &mut Out) {
    let strategy = spec.field("updateStrategy").unwrap_or(&Value::Null);
    if let Some(rolling) = strategy.field("rollingUpdate").filter(|r| r.is_object())
        && str_at(strategy, "type").is_none_or(|t| t == "RollingUpdate")
    {
        check_rolling(rolling, "/spec/updateStrategy/rollingUpdate", out);
    }
}

fn check_stateful_set(spec: &Value, out: &mut Out) {
    if let Some(policy) = str_at(spec, "podManagementPolicy")
        && !["OrderedReady", "Parallel"].contains(&policy)
    {
        out.push(
            &ENUMS,
            "/spec/podManagementPolicy",
            format!("unsupported podManagementPolicy `{policy}`: supported values are `OrderedReady`, `Parallel`"),
        );
    }
    let strategy = spec.field("updateStrategy").unwrap_or(&Value::Null);
    if str_at(strategy, "type") == Some("OnDelete")
        && strategy
            .field("rollingUpdate")
            .is_some_and(Value::is_object)
    {
        out.push(
            &STRATEGY,
            "/spec/updateStrategy/rollingUpdate",
            "`rollingUpdate` may only be given when updateStrategy `type` is `RollingUpdate`",
        );
    }
    if let Some(partition) = strategy
        .follow("/rollingUpdate/partition")
        .and_then(Value::as_i64)
        && partition < 0
    {
        out.push(
            &STRATEGY,
            "/spec/updateStrategy/rollingUpdate/partition",
            "partition must be greater than or equal to 0",
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::messages;

    fn deployment(spec: Value) -> Value {
        let mut spec = spec;
        spec["template"] = json!({"metadata": {"labels": {"app": "web", "tier": "front"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx"}]}});
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec})
    }

    #[test]
    fn selectors() {
        assert!(
            messages(deployment(
                json!({"selector": {"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["front"]}]}})
            ))
            .is_empty()
        );
        assert_eq!(
            messages(deployment(
                json!({"selector": {"matchLabels": {"app": "api"}}})
            )),
            vec![
                "workload/selector /spec/template/metadata/labels: `selector` does not match template `labels`: every label of `selector.matchLabels` (and every `matchExpressions` term) must hold for the Pod template"
            ]
        );
        assert_eq!(
            messages(deployment(json!({"selector": {}}))),
            vec![
                "workload/selector /spec/selector: an empty selector is invalid: it would select every Pod"
            ]
        );
        let found = messages(deployment(
            json!({"selector": {"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "Exists", "values": ["x"]}]}}),
        ));
        assert!(
            found[0]
                .starts_with("workload/label-selector /spec/selector/matchExpressions/0/values"),
            "{found:?}"
        );
    }

    #[test]
    fn strategies_and_counts() {
        let base = |extra: Value| {
            let mut spec = json!({"selector": {"matchLabels": {"app": "web"}}});
            spec.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            deployment(spec)
        };
        assert!(
            messages(base(
                json!({"replicas": 0, "strategy": {"type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 0}}})
            ))
            .is_empty()
        );
        let found = messages(base(
            json!({"replicas": -1, "progressDeadlineSeconds": 10, "minReadySeconds": 10,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "0%"}}}),
        ));
        assert_eq!(
            found,
            vec![
                "workload/counts /spec/replicas: replicas must be greater than or equal to 0 (it is -1)",
                "workload/strategy /spec/strategy/rollingUpdate/maxUnavailable: maxUnavailable may not be 0 when maxSurge is 0",
                "workload/progress-deadline /spec/progressDeadlineSeconds: progressDeadlineSeconds (10) must be greater than minReadySeconds (10)",
            ]
        );
        let found = messages(base(
            json!({"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}}),
        ));
        assert_eq!(
            found,
            vec![
                "workload/strategy /spec/strategy/rollingUpdate: `rollingUpdate` may not be given when strategy `type` is `Recreate`"
            ]
        );
        let found = messages(base(
            json!({"strategy": {"rollingUpdate": {"maxUnavailable": "150%", "maxSurge": "ten"}}}),
        ));
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
