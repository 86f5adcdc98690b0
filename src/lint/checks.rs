//! The checks behind `bosun lint`, one function per family of rules: each workload alone,
//! PDBs and HPAs, Services and Ingresses, references to Secrets and ConfigMaps, NetworkPolicies,
//! duplicates, API versions and secret-looking literals.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Linter, Object, RuleId};
use crate::kube_version::KubeVersion;
use crate::validate::schema::{Catalog, Lookup};

fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    pod["spec"]["containers"].as_array().into_iter().flatten()
}

pub(super) fn all_containers(pod: &Value) -> impl Iterator<Item = &Value> {
    containers(pod).chain(
        pod["spec"]["initContainers"]
            .as_array()
            .into_iter()
            .flatten(),
    )
}

fn labels_match(selector: &serde_json::Map<String, Value>, labels: &Value) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

pub(super) fn per_workload(linter: &mut Linter) {
    for i in 0..linter.objects.len() {
        let Some(pod) = linter.objects[i].pod_template().cloned() else {
            continue;
        };
        let is_job = matches!(linter.objects[i].kind(), "Job" | "CronJob");
        let pod_security = &pod["spec"]["securityContext"];
        for container in containers(&pod) {
            let name = container["name"].as_str().unwrap_or("?");
            let container_at = linter.objects[i].container_pointer(name);
            let at = |field: &str| container_at.as_ref().map(|c| format!("{c}{field}"));
            if !is_job {
                let missing: Vec<&str> = ["readinessProbe", "livenessProbe"]
                    .into_iter()
                    .filter(|p| container.get(*p).is_none())
                    .collect();
                if !missing.is_empty() {
                    linter.report_at(RuleId::Probes, i, at(""), format!(
                        "container `{name}` has no {}: without one, traffic reaches it before it is ready (or a hung process is never restarted); add the probe",
                        missing.join(" and no ")
                    ));
                }
            }
            let resources = &container["resources"];
            let missing: Vec<&str> = ["requests", "limits"]
                .into_iter()
                .filter(|k| {
                    resources
                        .get(*k)
                        .is_none_or(|v| v.as_object().is_none_or(|m| m.is_empty()))
                })
                .collect();
            if !missing.is_empty() {
                linter.report_at(RuleId::Resources, i, at("/resources"), format!(
                    "container `{name}` has no resource {}: the scheduler cannot place it fairly and one pod can starve its node; set them",
                    missing.join(" or ")
                ));
            }
            let image = container["image"].as_str().unwrap_or("");
            let last = image.rsplit('/').next().unwrap_or(image);
            if !image.contains('@') && (!last.contains(':') || last.ends_with(":latest")) {
                linter.report_at(RuleId::ImageTag, i, at("/image"), format!(
                    "container `{name}` runs `{image}`: `latest` (or no tag) changes under you and cannot be rolled back; pin a version or a digest"
                ));
            }
        }
        for container in all_containers(&pod) {
            let name = container["name"].as_str().unwrap_or("?");
            let container_at = linter.objects[i].container_pointer(name);
            let at = |field: &str| container_at.as_ref().map(|c| format!("{c}{field}"));
            let security = &container["securityContext"];
            if security["privileged"] == Value::Bool(true) {
                linter.report_at(RuleId::Privileged, i, at("/securityContext/privileged"), format!(
                    "container `{name}` is privileged: it has the node's full powers; drop `privileged: true`"
                ));
            }
            let run_as_user = security["runAsUser"]
                .as_i64()
                .or_else(|| pod_security["runAsUser"].as_i64());
            let non_root = security["runAsNonRoot"]
                .as_bool()
                .or_else(|| pod_security["runAsNonRoot"].as_bool());
            let problem = if run_as_user == Some(0) {
                Some("sets runAsUser: 0".to_string())
            } else if pod_security.is_null() && security.is_null() {
                Some("has no securityContext".to_string())
            } else if non_root != Some(true) && run_as_user.is_none() {
                Some("does not set runAsNonRoot: true".to_string())
            } else {
                None
            };
            if let Some(problem) = problem {
                linter.report_at(RuleId::SecurityContext, i, at("/securityContext"), format!(
                    "container `{name}` {problem}, so it may run as root; set runAsNonRoot: true and a non-zero runAsUser"
                ));
            }
        }
    }
}

fn selects(object: &Object, selector: &serde_json::Map<String, Value>, namespace: &str) -> bool {
    object.namespace() == namespace
        && object
            .pod_template()
            .is_some_and(|pod| labels_match(selector, &pod["metadata"]["labels"]))
}

/// Whether `hpa` is a HorizontalPodAutoscaler scaling `workload`.
fn scales(hpa: &Object, workload: &Object) -> bool {
    let target = &hpa.value["spec"]["scaleTargetRef"];
    hpa.kind() == "HorizontalPodAutoscaler"
        && hpa.namespace() == workload.namespace()
        && target["kind"].as_str() == Some(workload.kind())
        && target["name"].as_str() == Some(workload.name())
}

/// The fewest pods a workload runs: its `spec.replicas`, or, when it leaves the count to an
/// HPA, the HPA's `minReplicas` (1 when neither says: Kubernetes' default).
fn replicas(objects: &[Object], workload: &Object) -> u64 {
    workload.value["spec"]["replicas"]
        .as_u64()
        .or_else(|| {
            objects
                .iter()
                .find(|hpa| scales(hpa, workload))
                .map(|hpa| hpa.value["spec"]["minReplicas"].as_u64().unwrap_or(1))
        })
        .unwrap_or(1)
}

pub(super) fn pdbs_and_hpas(linter: &mut Linter) {
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        match object.kind() {
            "PodDisruptionBudget" => {
                let Some(selector) = object.value["spec"]["selector"]["matchLabels"].as_object()
                else {
                    continue;
                };
                let spec = &object.value["spec"];
                for target in linter
                    .objects
                    .iter()
                    .filter(|o| selects(o, selector, object.namespace()))
                {
                    let replicas = replicas(&linter.objects, target);
                    let blocked = match (
                        spec["minAvailable"].as_u64(),
                        spec["maxUnavailable"].as_u64(),
                    ) {
                        (Some(min), _) => min >= replicas,
                        (_, Some(0)) => true,
                        _ => {
                            spec["minAvailable"].as_str() == Some("100%")
                                || spec["maxUnavailable"].as_str() == Some("0%")
                        }
                    };
                    if blocked {
                        findings.push((i, RuleId::PdbBlocksEviction, Some("/spec/minAvailable"), format!(
                            "it selects {} ({replicas} replicas) but allows no pod to be evicted, so node drains hang; lower minAvailable or raise replicas",
                            target.resource()
                        )));
                    }
                }
            }
            "HorizontalPodAutoscaler" => {
                let spec = &object.value["spec"];
                let min = spec["minReplicas"].as_u64().unwrap_or(1);
                let max = spec["maxReplicas"].as_u64().unwrap_or(0);
                if min > max {
                    findings.push((i, RuleId::HpaRange, Some("/spec/minReplicas"), format!(
                        "minReplicas {min} is above maxReplicas {max}; the autoscaler cannot satisfy both"
                    )));
                }
                let target = &spec["scaleTargetRef"];
                let (kind, name) = (
                    target["kind"].as_str().unwrap_or(""),
                    target["name"].as_str().unwrap_or(""),
                );
                let target = linter.objects.iter().position(|o| scales(object, o));
                match target {
                    None => findings.push((i, RuleId::HpaTarget, Some("/spec/scaleTargetRef/name"), format!(
                        "it scales {kind} `{name}`, which this render does not contain in its namespace; fix scaleTargetRef"
                    ))),
                    Some(t) => {
                        if let Some(n) = linter.objects[t].value["spec"].get("replicas") {
                            findings.push((t, RuleId::HpaReplicas, Some("/spec/replicas"), format!(
                                "it sets replicas: {n} and HorizontalPodAutoscaler `{}` scales it: every apply resets the autoscaler's count to {n}; leave replicas out and let minReplicas ({min}) set the floor",
                                object.name()
                            )));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (i, object) in linter.objects.iter().enumerate() {
        if object.pod_template().is_none() || matches!(object.kind(), "Job" | "CronJob") {
            continue;
        }
        let count = replicas(&linter.objects, object);
        if count <= 1 {
            continue;
        }
        let Some(labels) = object.pod_template().map(|p| &p["metadata"]["labels"]) else {
            continue;
        };
        let covered = linter.objects.iter().any(|pdb| {
            pdb.kind() == "PodDisruptionBudget"
                && pdb.namespace() == object.namespace()
                && pdb.value["spec"]["selector"]["matchLabels"]
                    .as_object()
                    .is_some_and(|s| labels_match(s, labels))
        });
        if !covered {
            findings.push((i, RuleId::PdbMissing, Some("/spec/replicas"), format!(
                "{count} replicas and no PodDisruptionBudget: a node drain may take them all down at once; add a PDB"
            )));
        }
    }
    for (i, rule, path, message) in findings {
        linter.report_at(rule, i, path.map(str::to_string), message);
    }
}

/// The ports (numbers and names) the containers of pods matching `selector` expose.
fn exposed_ports<'a>(
    objects: &'a [Object],
    selector: &serde_json::Map<String, Value>,
    namespace: &str,
) -> Vec<&'a Value> {
    objects
        .iter()
        .filter(|o| selects(o, selector, namespace))
        .filter_map(Object::pod_template)
        .flat_map(containers)
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .collect()
}

pub(super) fn services_and_ingresses(linter: &mut Linter) {
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        match object.kind() {
            "Service" => {
                let Some(selector) = object.value["spec"]["selector"].as_object() else {
                    continue; // a Service without selector has its endpoints set by hand
                };
                if !linter
                    .objects
                    .iter()
                    .any(|o| selects(o, selector, object.namespace()))
                {
                    let shown: Vec<String> = selector
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("?")))
                        .collect();
                    findings.push((i, RuleId::ServiceSelector, format!(
                        "selector {} matches no pod template in `{}`: it will have no endpoints; fix the selector or the pod labels",
                        shown.join(","),
                        object.namespace()
                    )));
                    continue;
                }
                let ports = exposed_ports(&linter.objects, selector, object.namespace());
                for port in object.value["spec"]["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let target = port.get("targetPort").unwrap_or(&port["port"]);
                    let found = ports.iter().any(|p| match target {
                        Value::String(name) => p["name"].as_str() == Some(name),
                        number => &p["containerPort"] == number,
                    });
                    if !found {
                        findings.push((i, RuleId::ServiceTargetPort, format!(
                            "targetPort {target} is not a port the selected containers expose; traffic to it is refused; name the container port or fix targetPort"
                        )));
                    }
                }
            }
            "Ingress" => {
                let mut backends = Vec::new();
                if let Some(default) = object.value["spec"].get("defaultBackend") {
                    backends.push(default);
                }
                for rule in object.value["spec"]["rules"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    for path in rule["http"]["paths"].as_array().into_iter().flatten() {
                        backends.push(&path["backend"]);
                    }
                }
                for backend in backends {
                    let service = &backend["service"];
                    let Some(name) = service["name"].as_str() else {
                        continue;
                    };
                    let target = linter.objects.iter().find(|o| {
                        o.kind() == "Service"
                            && o.name() == name
                            && o.namespace() == object.namespace()
                    });
                    let Some(target) = target else {
                        let elsewhere: Vec<String> = linter
                            .objects
                            .iter()
                            .filter(|o| o.kind() == "Service" && o.name() == name)
                            .map(|o| format!("`{}`", o.namespace()))
                            .collect();
                        let hint = if elsewhere.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " (it exists in {}; an Ingress reaches only Services of its own namespace)",
                                elsewhere.join(", ")
                            )
                        };
                        findings.push((i, RuleId::IngressBackend, format!(
                            "backend Service `{name}` is not rendered in `{}`{hint}; move the Ingress or the Service",
                            object.namespace()
                        )));
                        continue;
                    };
                    let port = &service["port"];
                    let ports = target.value["spec"]["ports"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let found = match (port["name"].as_str(), port["number"].as_u64()) {
                        (Some(n), _) => ports.iter().any(|p| p["name"].as_str() == Some(n)),
                        (_, Some(n)) => ports.iter().any(|p| p["port"].as_u64() == Some(n)),
                        _ => true,
                    };
                    if !found {
                        findings.push((i, RuleId::IngressBackend, format!(
                            "backend port {port} is not a port of Service `{name}`; fix the backend's port"
                        )));
                    }
                }
            }
            _ => {}
        }
    }
    for (i, rule, message) in findings {
        linter.report(rule, i, message);
    }
}

pub(super) fn references(linter: &mut Linter) {
    let mut made: HashSet<(String, String, String)> = HashSet::new();
    for o in &linter.objects {
        match o.kind() {
            "Secret" | "ConfigMap" => {
                made.insert((
                    o.kind().to_string(),
                    o.namespace().to_string(),
                    o.name().to_string(),
                ));
            }
            "ExternalSecret" => {
                let target = o.value["spec"]["target"]["name"]
                    .as_str()
                    .unwrap_or(o.name());
                made.insert((
                    "Secret".into(),
                    o.namespace().to_string(),
                    target.to_string(),
                ));
            }
            _ => {}
        }
    }
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        let Some(pod) = object.pod_template() else {
            continue;
        };
        let mut wanted: Vec<(&str, String)> = Vec::new();
        for container in all_containers(pod) {
            for env in container["env"].as_array().into_iter().flatten() {
                if let Some(name) = env["valueFrom"]["secretKeyRef"]["name"].as_str() {
                    wanted.push(("Secret", name.to_string()));
                }
                if let Some(name) = env["valueFrom"]["configMapKeyRef"]["name"].as_str() {
                    wanted.push(("ConfigMap", name.to_string()));
                }
            }
            for from in container["envFrom"].as_array().into_iter().flatten() {
                if let Some(name) = from["secretRef"]["name"].as_str() {
                    wanted.push(("Secret", name.to_string()));
                }
                if let Some(name) = from["configMapRef"]["name"].as_str() {
                    wanted.push(("ConfigMap", name.to_string()));
                }
            }
        }
        for volume in pod["spec"]["volumes"].as_array().into_iter().flatten() {
            if let Some(name) = volume["secret"]["secretName"].as_str() {
                wanted.push(("Secret", name.to_string()));
            }
            if let Some(name) = volume["configMap"]["name"].as_str() {
                wanted.push(("ConfigMap", name.to_string()));
            }
        }
        wanted.sort();
        wanted.dedup();
        for (kind, name) in wanted {
            if !made.contains(&(
                kind.to_string(),
                object.namespace().to_string(),
                name.clone(),
            )) {
                findings.push((i, format!(
                    "it reads {kind} `{name}`, which this render neither contains nor makes with an ExternalSecret; it must exist in the cluster before the pods start"
                )));
            }
        }
    }
    for (i, message) in findings {
        linter.report(RuleId::MissingReference, i, message);
    }
}

pub(super) fn network_policies(linter: &mut Linter) {
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        if object.kind() != "NetworkPolicy" {
            continue;
        }
        let spec = &object.value["spec"];
        let denies_egress = spec["policyTypes"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "Egress"))
            && spec["podSelector"].as_object().is_none_or(|s| {
                s.is_empty()
                    || s.get("matchLabels")
                        .and_then(Value::as_object)
                        .is_some_and(|m| m.is_empty())
            })
            && spec["egress"].as_array().is_none_or(|e| e.is_empty());
        if !denies_egress {
            continue;
        }
        let allows_dns = linter.objects.iter().any(|o| {
            o.kind() == "NetworkPolicy"
                && o.namespace() == object.namespace()
                && o.value["spec"]["egress"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|rule| {
                        rule["ports"].as_array().into_iter().flatten().any(|p| {
                            p["port"] == 53 || p["port"] == "dns" || p["port"] == "dns-tcp"
                        })
                    })
        });
        if !allows_dns {
            findings.push(i);
        }
    }
    for i in findings {
        linter.report(RuleId::NetpolDns, i, "it denies all egress and no policy in the namespace allows port 53: pods cannot resolve names; allow DNS egress to kube-dns".into());
    }
}

pub(super) fn duplicates(linter: &mut Linter) {
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        let key = (
            object.kind().to_string(),
            object.namespace().to_string(),
            object.name().to_string(),
        );
        if let Some(first) = seen.get(&key) {
            findings.push((i, format!(
                "rendered twice (also by {}); one silently replaces the other when applied; rename one",
                linter.objects[*first].document.source
            )));
        } else {
            seen.insert(key, i);
        }
    }
    for (i, message) in findings {
        linter.report(RuleId::Duplicate, i, message);
    }
}

pub(super) fn api_versions(linter: &mut Linter, catalog: Option<&Catalog>, kube: KubeVersion) {
    let Some(catalog) = catalog else {
        return;
    };
    let mut findings = Vec::new();
    for (i, object) in linter.objects.iter().enumerate() {
        let api_version = &object.document.resource.api_version;
        match catalog.lookup(api_version, object.kind()) {
            Lookup::Removed {
                project,
                replacement,
                removed_in,
            } => findings.push((
                i,
                format!(
                    "{api_version} is not served by {}; use {}",
                    match project {
                        Some(project) => format!(
                            "{project} {}",
                            removed_in.map_or_else(String::new, |v| format!("{v} or later"))
                        ),
                        None => format!("Kubernetes {kube}"),
                    },
                    replacement.unwrap_or_else(|| "a served apiVersion".into())
                ),
            )),
            Lookup::Found(..) if api_version.contains("beta") || api_version.contains("alpha") => {
                let stable: Vec<String> = catalog
                    .api_versions_of(object.kind())
                    .into_iter()
                    .filter(|v| !v.contains("beta") && !v.contains("alpha"))
                    .collect();
                if let Some(stable) = stable.last() {
                    findings.push((i, format!(
                        "{api_version} is deprecated: {stable} serves {} and the beta will be removed; move to {stable}",
                        object.kind()
                    )));
                }
            }
            _ => {}
        }
    }
    for (i, message) in findings {
        linter.report_at(RuleId::ApiVersion, i, Some("/apiVersion".into()), message);
    }
}
