//! PriorityClasses: the `system-` prefix and the highest value a user may give, as
//! `pkg/apis/scheduling/validation/validation.go` `ValidatePriorityClass` checks them.

use serde_json::Value;

use super::{Doc, Out, Rule, str_at};
use super::{Field, Follow};

pub static PRIORITY: Rule = Rule {
    id: "priorityclass/value",
    kinds: "PriorityClass",
    mirrors: "pkg/apis/scheduling/validation/validation.go ValidatePriorityClass",
};

pub static RULES: &[&Rule] = &[&PRIORITY];

/// `HighestUserDefinablePriority`.
const HIGHEST_USER: i64 = 1_000_000_000;
/// The system classes the API server creates, with their values (`IsKnownSystemPriorityClass`).
const SYSTEM: [(&str, i64); 2] = [
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    if !doc.is("scheduling.k8s.io", "PriorityClass") {
        return;
    }
    let name = doc
        .value
        .follow("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let value = doc.value.field("value").and_then(Value::as_i64);
    if name.starts_with("system-") {
        let global = doc.value.field("globalDefault") == Some(&Value::Bool(true));
        let known = SYSTEM.iter().any(|(n, v)| *n == name && value == Some(*v)) && !global;
        if !known {
            out.push(&PRIORITY, "/metadata/name", "priority class names with the `system-` prefix are reserved for the system's own classes");
        }
    } else if let Some(value) = value
        && value > HIGHEST_USER
    {
        out.push(
            &PRIORITY,
            "/value",
            format!("the maximum value of a user-defined priority is 1000000000 (it is {value})"),
        );
    }
    if let Some(policy) = str_at(doc.value, "preemptionPolicy")
        && !["PreemptLowerPriority", "Never"].contains(&policy)
    {
        out.push(&PRIORITY, "/preemptionPolicy", format!("unsupported preemptionPolicy `{policy}`: supported values are `PreemptLowerPriority`, `Never`"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn priority_classes() {
        let class = |name: &str, value: i64| {
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                                                   "metadata": {"name": name}, "value": value, "description": "x"})
        };
        assert!(super::super::check(&class("high", 1_000_000_000)).is_empty());
        assert!(super::super::check(&class("system-node-critical", 2_000_001_000)).is_empty());
        let found = super::super::check(&class("high", 1_000_000_001));
        assert_eq!(
            found[0].message,
            "the maximum value of a user-defined priority is 1000000000 (it is 1000000001)"
        );
        let found = super::super::check(&class("system-high", 10));
        assert_eq!(found[0].path, "/metadata/name");
    }
}
