//! HorizontalPodAutoscalers: replica bounds, the scale target, metric sources and targets, as
//! `pkg/apis/autoscaling/validation/validation.go` `validateHorizontalPodAutoscalerSpec` and
//! `validateMetrics` check them.

use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, items, str_at};

pub static REPLICAS: Rule = Rule {
    id: "hpa/replicas",
    kinds: "HorizontalPodAutoscaler (autoscaling/v1, v2)",
    mirrors: "pkg/apis/autoscaling/validation/validation.go validateHorizontalPodAutoscalerSpec",
};
pub static TARGET: Rule = Rule {
    id: "hpa/scale-target",
    kinds: "HorizontalPodAutoscaler (autoscaling/v1, v2)",
    mirrors: "pkg/apis/autoscaling/validation/validation.go ValidateCrossVersionObjectReference",
};
pub static METRICS: Rule = Rule {
    id: "hpa/metrics",
    kinds: "HorizontalPodAutoscaler (autoscaling/v2)",
    mirrors: "pkg/apis/autoscaling/validation/validation.go validateMetricSpec, validateMetricTarget",
};

pub static RULES: &[&Rule] = &[&REPLICAS, &TARGET, &METRICS];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    if !doc.is("autoscaling", "HorizontalPodAutoscaler") {
        return;
    }
    let Some(spec) = doc.value.field("spec").filter(|s| s.is_object()) else {
        return;
    };
    let min = spec.field("minReplicas").and_then(Value::as_i64);
    let max = spec.field("maxReplicas").and_then(Value::as_i64);
    if let Some(min) = min
        && min < 1
    {
        out.push(
            &REPLICAS,
            "/spec/minReplicas",
            format!("minReplicas must be greater than or equal to 1 (it is {min})"),
        );
    }
    if let Some(max) = max {
        if max < 1 {
            out.push(
                &REPLICAS,
                "/spec/maxReplicas",
                format!("maxReplicas must be greater than 0 (it is {max})"),
            );
        } else if max < min.unwrap_or(1) {
            out.push(
                &REPLICAS,
                "/spec/maxReplicas",
                format!(
                    "maxReplicas ({max}) must be greater than or equal to minReplicas ({})",
                    min.unwrap_or(1)
                ),
            );
        }
    }
    if let Some(target) = spec.field("scaleTargetRef").filter(|t| t.is_object()) {
        for field in ["kind", "name"] {
            if str_at(target, field).is_none_or(str::is_empty) {
                out.push(
                    &TARGET,
                    format!("/spec/scaleTargetRef/{field}"),
                    format!("scaleTargetRef.{field} is required"),
                );
            }
        }
    }
    if let Some(percent) = spec
        .field("targetCPUUtilizationPercentage")
        .and_then(Value::as_i64)
        && percent < 1
    {
        out.push(
            &METRICS,
            "/spec/targetCPUUtilizationPercentage",
            "targetCPUUtilizationPercentage must be greater than 0",
        );
    }
    if doc.version != "v2" {
        return;
    }
    const SOURCES: [(&str, &str); 5] = [
        ("Object", "object"),
        ("Pods", "pods"),
        ("Resource", "resource"),
        ("ContainerResource", "containerResource"),
        ("External", "external"),
    ];
    for (i, metric) in items(spec, "metrics") {
        let base = format!("/spec/metrics/{i}");
        let Some(kind) = str_at(metric, "type") else {
            continue;
        };
        let Some((_, field)) = SOURCES.iter().find(|(k, _)| *k == kind) else {
            out.push(&METRICS, format!("{base}/type"), format!("unsupported metric type `{kind}`: supported values are `Object`, `Pods`, `Resource`, `ContainerResource`, `External`"));
            continue;
        };
        let given: Vec<&str> = SOURCES
            .iter()
            .map(|(_, f)| *f)
            .filter(|f| metric.field(f).is_some_and(|v| !v.is_null()))
            .collect();
        if !given.contains(field) {
            out.push(
                &METRICS,
                format!("{base}/{field}"),
                format!("a `{kind}` metric must give `{field}`"),
            );
        }
        if given.iter().any(|f| f != field) {
            out.push(
                &METRICS,
                base.clone(),
                format!("a `{kind}` metric may give `{field}` only"),
            );
        }
        let Some(target) = metric
            .field(field)
            .and_then(|s| s.field("target"))
            .filter(|t| t.is_object())
        else {
            continue;
        };
        let at_target = format!("{base}/{field}/target");
        if let Some(other) = str_at(target, "type")
            && !["Utilization", "Value", "AverageValue"].contains(&other)
        {
            out.push(&METRICS, format!("{at_target}/type"), format!("unsupported target type `{other}`: supported values are `Utilization`, `Value`, `AverageValue`"));
        }
        // A resource metric targets a utilization or an average value (`validateResourceSource`).
        let resource = matches!(kind, "Resource" | "ContainerResource");
        let has = |key: &str| target.field(key).is_some_and(|v| !v.is_null());
        if resource && !has("averageUtilization") && !has("averageValue") {
            out.push(
                &METRICS,
                format!("{at_target}/averageUtilization"),
                "a resource metric must set a target `averageUtilization` or `averageValue`",
            );
        }
        if let Some(n) = target.field("averageUtilization").and_then(Value::as_i64)
            && n < 1
        {
            out.push(
                &METRICS,
                format!("{at_target}/averageUtilization"),
                "averageUtilization must be greater than 0",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(spec: Value) -> Vec<String> {
        let doc = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}, "spec": spec});
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    #[test]
    fn autoscalers() {
        let target = json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"});
        assert!(messages(json!({"scaleTargetRef": target, "minReplicas": 2, "maxReplicas": 5,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]})).is_empty());
        assert_eq!(
            messages(json!({"scaleTargetRef": target, "minReplicas": 5, "maxReplicas": 2})),
            vec![
                "hpa/replicas /spec/maxReplicas: maxReplicas (2) must be greater than or equal to minReplicas (5)"
            ]
        );
        assert_eq!(
            messages(json!({"scaleTargetRef": target, "minReplicas": 0, "maxReplicas": 2})),
            vec![
                "hpa/replicas /spec/minReplicas: minReplicas must be greater than or equal to 1 (it is 0)"
            ]
        );
        assert_eq!(
            messages(json!({"scaleTargetRef": target, "maxReplicas": 2,
            "metrics": [{"type": "Pods", "resource": {"name": "cpu", "target": {"type": "Utilization"}}}]})),
            vec![
                "hpa/metrics /spec/metrics/0/pods: a `Pods` metric must give `pods`",
                "hpa/metrics /spec/metrics/0: a `Pods` metric may give `pods` only",
            ]
        );
        assert_eq!(
            messages(json!({"scaleTargetRef": target, "maxReplicas": 2,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization"}}}]})),
            vec![
                "hpa/metrics /spec/metrics/0/resource/target/averageUtilization: a resource metric must set a target `averageUtilization` or `averageValue`"
            ]
        );
    }
}
