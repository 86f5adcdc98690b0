//! Pod specs, wherever they appear (Pods, and the templates of every workload kind), as
//! `pkg/apis/core/validation/validation.go` `ValidatePodSpec` and the functions it calls check
//! them: containers, ports, env, volumes and mounts, probes, resources, restart policy.

use std::collections::HashSet;

use serde_json::Value;

use super::{Doc, Out, Rule, container, formats, items, metadata, str_at};
use super::{Field, Follow};

macro_rules! rule {
    ($name:ident, $id:literal, $func:literal) => {
        pub static $name: Rule = Rule {
            id: $id,
            kinds: "Pod and the Pod templates of Deployment, ReplicaSet, DaemonSet, Job, CronJob, ReplicationController, PodTemplate (a StatefulSet's: restart policy only)",
            mirrors: concat!("pkg/apis/core/validation/validation.go ", $func),
        };
    };
}

rule!(
    CONTAINERS_REQUIRED,
    "pod/containers-required",
    "ValidatePodSpec"
);
rule!(
    CONTAINER_NAMES,
    "pod/container-names",
    "validateContainers, validateInitContainers"
);
rule!(
    IMAGE_REQUIRED,
    "pod/image-required",
    "validateContainerCommon"
);
rule!(PORTS, "pod/container-ports", "validateContainerPorts");
rule!(ENV, "pod/env", "ValidateEnv, validateEnvVarValueFrom");
rule!(VOLUMES, "pod/volumes", "ValidateVolumes");
rule!(MOUNTS, "pod/volume-mounts", "ValidateVolumeMounts");
rule!(
    PROBES,
    "pod/probes",
    "validateProbe, validateHandler, validateContainerCommon"
);
rule!(
    RESOURCES,
    "pod/resources",
    "ValidateResourceRequirements, ValidateResourceQuantityValue"
);
rule!(
    RESTART_POLICY,
    "pod/restart-policy",
    "validateRestartPolicy; pkg/apis/apps/validation/validation.go, pkg/apis/batch/validation/validation.go (per controller)"
);

rule!(
    ENUMS,
    "pod/enums",
    "validateDNSPolicy, validatePullPolicy, validateContainerCommon (terminationMessagePolicy), validateContainerPorts (protocol)"
);
rule!(HOST_NETWORK, "pod/host-network", "validateHostNetwork");

pub static RULES: &[&Rule] = &[
    &CONTAINERS_REQUIRED,
    &CONTAINER_NAMES,
    &IMAGE_REQUIRED,
    &PORTS,
    &ENV,
    &VOLUMES,
    &MOUNTS,
    &PROBES,
    &RESOURCES,
    &RESTART_POLICY,
    &ENUMS,
    &HOST_NETWORK,
];

/// Where a kind keeps its Pod template (`None` for a Pod, whose spec is at `/spec`), and the
/// restart policies its controller allows (empty: any).
pub(super) fn template(doc: &Doc) -> Option<(&'static str, &'static [&'static str])> {
    const ALWAYS: &[&str] = &["Always"];
    const JOB: &[&str] = &["OnFailure", "Never"];
    match (doc.group, doc.kind) {
        ("", "Pod") => Some(("", &[])),
        ("", "PodTemplate") => Some(("/template", &[])),
        ("", "ReplicationController") => Some(("/spec/template", ALWAYS)),
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet") => {
            Some(("/spec/template", ALWAYS))
        }
        ("batch", "Job") => Some(("/spec/template", JOB)),
        ("batch", "CronJob") => Some(("/spec/jobTemplate/spec/template", JOB)),
        _ => None,
    }
}

pub(super) fn check(doc: &Doc, out: &mut Out) {
    let Some((base, restart)) = template(doc) else {
        return;
    };
    let (spec_path, meta) = if base.is_empty() {
        ("/spec".to_string(), None)
    } else {
        (
            format!("{base}/spec"),
            doc.value.follow(&format!("{base}/metadata")),
        )
    };
    if let Some(meta) = meta.filter(|m| m.is_object()) {
        metadata::check_meta(meta, &format!("{base}/metadata"), out);
    }
    let Some(spec) = doc.value.follow(&spec_path).filter(|s| s.is_object()) else {
        return;
    };
    if doc.group == "apps"
        && spec
            .field("activeDeadlineSeconds")
            .is_some_and(|v| !v.is_null())
    {
        out.push(
            &RESTART_POLICY,
            format!("{spec_path}/activeDeadlineSeconds"),
            format!(
                "activeDeadlineSeconds is not supported in a {}'s Pod template",
                doc.kind
            ),
        );
    }
    // The API server checks a StatefulSet's template for its labels, annotations and restart
    // policy only (`ValidatePodTemplateSpecForStatefulSet` leaves the Pod spec to the Pods, which
    // the controller creates later): the rest of the Pod rules would refuse what it accepts.
    if doc.kind == "StatefulSet" {
        check_restart(spec, &spec_path, restart, out);
        return;
    }
    check_spec(spec, &spec_path, restart, out);
}

fn check_spec(spec: &Value, base: &str, restart: &[&str], out: &mut Out) {
    const DNS: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    if let Some(policy) = str_at(spec, "dnsPolicy") {
        if !DNS.contains(&policy) {
            out.push(
                &ENUMS,
                format!("{base}/dnsPolicy"),
                format!(
                    "unsupported dnsPolicy `{policy}`: supported values are `{}`",
                    DNS.join("`, `")
                ),
            );
        } else if policy == "None" && spec.field("dnsConfig").is_none_or(Value::is_null) {
            out.push(
                &ENUMS,
                format!("{base}/dnsConfig"),
                "`dnsConfig` is required when dnsPolicy is `None`",
            );
        }
    }
    // With hostNetwork, a container's port is the host's: a hostPort given must be the same.
    if spec.field("hostNetwork") == Some(&Value::Bool(true)) {
        for (i, container) in items(spec, "containers") {
            for (j, port) in items(container, "ports") {
                let container_port = port.field("containerPort").and_then(Value::as_i64);
                if let Some(host) = port.field("hostPort").and_then(Value::as_i64)
                    && host != 0
                    && container_port.is_some_and(|c| c != host)
                {
                    out.push(
                        &HOST_NETWORK,
                        format!("{base}/containers/{i}/ports/{j}/containerPort"),
                        format!(
                            "containerPort must match hostPort ({host}) when `hostNetwork` is true"
                        ),
                    );
                }
            }
        }
    }
    let containers = spec.field("containers").and_then(Value::as_array);
    if containers.is_some_and(Vec::is_empty) {
        out.push(
            &CONTAINERS_REQUIRED,
            format!("{base}/containers"),
            "a Pod needs at least one container",
        );
    }
    let mut volumes = HashSet::new();
    for (i, volume) in items(spec, "volumes") {
        let path = format!("{base}/volumes/{i}");
        let Some(name) = str_at(volume, "name") else {
            continue;
        };
        if let Some(problem) = formats::dns1123_label(name) {
            out.push(
                &VOLUMES,
                format!("{path}/name"),
                format!("volume name `{name}` {problem}"),
            );
        }
        if !volumes.insert(name) {
            out.push(
                &VOLUMES,
                format!("{path}/name"),
                format!("duplicate volume name `{name}`"),
            );
        }
        let sources: Vec<&String> = volume
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, v)| *k != "name" && !v.is_null())
            .map(|(k, _)| k)
            .collect();
        if sources.len() > 1 {
            out.push(
                &VOLUMES,
                path,
                format!(
                    "volume `{name}` may not specify more than one volume type (it has {})",
                    sources
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    let mut names = HashSet::new();
    // Host ports are unique across the containers, and within each init container (they run
    // one at a time): (hostPort, protocol, hostIP).
    let mut host_ports = HashSet::new();
    for list in ["initContainers", "containers"] {
        host_ports.clear();
        for (i, container) in items(spec, list) {
            let path = format!("{base}/{list}/{i}");
            if list == "initContainers" {
                host_ports.clear();
            }
            for (j, port) in items(container, "ports") {
                if let Some(host) = port.field("hostPort").and_then(Value::as_i64)
                    && host != 0
                {
                    let protocol = str_at(port, "protocol").unwrap_or("TCP");
                    let ip = str_at(port, "hostIP").unwrap_or_default();
                    if !host_ports.insert((host, protocol, ip)) {
                        out.push(
                            &PORTS,
                            format!("{path}/ports/{j}/hostPort"),
                            format!("duplicate hostPort {host}/{protocol} in this Pod"),
                        );
                    }
                }
            }
            if let Some(name) = str_at(container, "name") {
                if let Some(problem) = formats::dns1123_label(name) {
                    out.push(
                        &CONTAINER_NAMES,
                        format!("{path}/name"),
                        format!("container name `{name}` {problem}"),
                    );
                }
                if !names.insert(name) {
                    out.push(
                        &CONTAINER_NAMES,
                        format!("{path}/name"),
                        format!("duplicate container name `{name}`: names are unique across `containers` and `initContainers`"),
                    );
                }
            }
            if container.is_object() && str_at(container, "image").is_none_or(str::is_empty) {
                out.push(
                    &IMAGE_REQUIRED,
                    format!("{path}/image"),
                    "`image` is required",
                );
            }
            let sidecar =
                list == "initContainers" && str_at(container, "restartPolicy") == Some("Always");
            container::check(
                container,
                &path,
                list == "initContainers" && !sidecar,
                &volumes,
                out,
            );
        }
    }
    check_restart(spec, base, restart, out);
}

/// The Pod's restart policy, and the ones its controller allows.
fn check_restart(spec: &Value, base: &str, restart: &[&str], out: &mut Out) {
    if let Some(policy) = str_at(spec, "restartPolicy")
        && !["Always", "OnFailure", "Never"].contains(&policy)
    {
        out.push(
                &RESTART_POLICY,
                format!("{base}/restartPolicy"),
                format!("unsupported restartPolicy `{policy}`: supported values are `Always`, `OnFailure`, `Never`"),
            );
    }
    if !restart.is_empty() {
        // Unset, it defaults to Always before the controller's check.
        let policy = str_at(spec, "restartPolicy").unwrap_or("Always");
        if !restart.contains(&policy) {
            let allowed: Vec<String> = restart.iter().map(|p| format!("`{p}`")).collect();
            let unset = if str_at(spec, "restartPolicy").is_none() {
                " (unset, it defaults to `Always`)"
            } else {
                ""
            };
            out.push(
                &RESTART_POLICY,
                format!("{base}/restartPolicy"),
                format!(
                    "restartPolicy `{policy}`{unset} is not allowed here: supported values are {}",
                    allowed.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::messages;

    fn deployment(spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
               "spec": {"selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}}, "spec": spec}}})
    }

    #[test]
    fn a_sound_pod_spec_passes() {
        let spec = json!({
            "volumes": [{"name": "data", "emptyDir": {}}, {"name": "conf", "configMap": {"name": "c"}}],
            "initContainers": [{"name": "init", "image": "busybox"}],
            "containers": [{
                "name": "web", "image": "nginx",
                "ports": [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}],
                "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "conf", "mountPath": "/etc/c", "subPath": "a.conf"}],
                "livenessProbe": {"httpGet": {"path": "/", "port": "http"}, "successThreshold": 1},
                "readinessProbe": {"tcpSocket": {"port": 8080}, "successThreshold": 3},
                "resources": {"requests": {"cpu": "100m", "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "1024Mi"}}
            }]
        });
        assert_eq!(messages(deployment(spec)), Vec::<String>::new());
    }

    #[test]
    fn each_refusal() {
        let spec = json!({
            "restartPolicy": "Never",
            "volumes": [{"name": "data", "emptyDir": {}, "configMap": {"name": "x"}}, {"name": "data", "emptyDir": {}}],
            "containers": [
                {"name": "web", "image": "",
                 "ports": [{"name": "http_port", "containerPort": 70000}, {"name": "m", "containerPort": 1}, {"name": "m", "containerPort": 2}],
                 "env": [{"name": "A=B", "value": "x"}, {"name": "C", "value": "x", "valueFrom": {"fieldRef": {}}}],
                 "volumeMounts": [{"name": "missing", "mountPath": "/a"}, {"name": "data", "mountPath": "/a"}],
                 "livenessProbe": {"httpGet": {"port": 80}, "exec": {"command": ["true"]}, "successThreshold": 2},
                 "resources": {"requests": {"cpu": "2", "memory": "1GB"}, "limits": {"cpu": "500m"}}},
                {"name": "web", "image": "nginx"}
            ]
        });
        let found = messages(deployment(spec)).join("\n");
        for expected in [
            "pod/restart-policy /spec/template/spec/restartPolicy: restartPolicy `Never` is not allowed here: supported values are `Always`",
            "pod/volumes /spec/template/spec/volumes/0: volume `data` may not specify more than one volume type",
            "pod/volumes /spec/template/spec/volumes/1/name: duplicate volume name `data`",
            "pod/image-required /spec/template/spec/containers/0/image: `image` is required",
            "pod/container-ports /spec/template/spec/containers/0/ports/0/containerPort: containerPort 70000 must be between 1 and 65535",
            "pod/container-ports /spec/template/spec/containers/0/ports/0/name: port name `http_port` must be an IANA service name",
            "pod/container-ports /spec/template/spec/containers/0/ports/2/name: duplicate port name `m`",
            "pod/env /spec/template/spec/containers/0/env/0/name: env var name `A=B`",
            "pod/env /spec/template/spec/containers/0/env/1/valueFrom: `valueFrom` may not be given when `value` is not empty",
            "pod/volume-mounts /spec/template/spec/containers/0/volumeMounts/0/name: volume `missing` is mounted but not defined",
            "pod/volume-mounts /spec/template/spec/containers/0/volumeMounts/1/mountPath: mountPath `/a` must be unique",
            "pod/probes /spec/template/spec/containers/0/livenessProbe: `livenessProbe` may not specify more than one handler",
            "pod/probes /spec/template/spec/containers/0/livenessProbe/successThreshold: successThreshold of a `livenessProbe` must be 1",
            "pod/resources /spec/template/spec/containers/0/resources/requests/memory: requests.memory `1GB` must be a quantity",
            "pod/resources /spec/template/spec/containers/0/resources/requests/cpu: requests.cpu `2` must be less than or equal to limits.cpu `500m`",
            "pod/container-names /spec/template/spec/containers/1/name: duplicate container name `web`",
        ] {
            assert!(found.contains(expected), "missing {expected:?} in\n{found}");
        }
    }

    #[test]
    fn jobs_need_a_restart_policy_and_init_containers_no_probes() {
        let job = |spec: Value| {
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                                       "spec": {"template": {"spec": spec}}})
        };
        let found = messages(job(json!({"containers": [{"name": "j", "image": "x"}]})));
        assert_eq!(
            found,
            vec![
                "pod/restart-policy /spec/template/spec/restartPolicy: restartPolicy `Always` (unset, it defaults to `Always`) is not allowed here: supported values are `OnFailure`, `Never`"
            ]
        );
        assert_eq!(
            messages(job(
                json!({"restartPolicy": "Never", "containers": [{"name": "j", "image": "x"}]})
            )),
            Vec::<String>::new()
        );
        let init = messages(job(
            json!({"restartPolicy": "Never", "containers": [{"name": "j", "image": "x"}],
            "initContainers": [{"name": "i", "image": "x", "readinessProbe": {"exec": {"command": ["x"]}}},
                               {"name": "s", "image": "x", "restartPolicy": "Always", "readinessProbe": {"exec": {"command": ["x"]}}}]}),
        ));
        assert_eq!(init.len(), 1, "{init:?}");
        assert!(init[0].contains("initContainers/0/readinessProbe"));
    }

    #[test]
    fn statefulset_templates_are_checked_for_labels_and_restart_policy_only() {
        let set = |extra: Value| {
            json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
            "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}},
                                  "spec": extra}}})
        };
        // The API server accepts these (its Pods would be refused later): no image, an undefined volume.
        assert_eq!(
            messages(set(
                json!({"containers": [{"name": "db", "volumeMounts": [{"name": "data", "mountPath": "/var/lib"}]}]})
            )),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(set(
                json!({"restartPolicy": "OnFailure", "activeDeadlineSeconds": 5, "containers": [{"name": "db", "image": "pg"}]})
            )),
            vec![
                "pod/restart-policy /spec/template/spec/activeDeadlineSeconds: activeDeadlineSeconds is not supported in a StatefulSet's Pod template",
                "pod/restart-policy /spec/template/spec/restartPolicy: restartPolicy `OnFailure` is not allowed here: supported values are `Always`",
            ]
        );
    }

    #[test]
    fn host_ports_are_unique_across_containers() {
        let spec = json!({"containers": [
            {"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 53, "hostPort": 8080, "protocol": "UDP"}]},
            {"name": "b", "image": "x", "ports": [{"containerPort": 81, "hostPort": 8080}]}
        ], "initContainers": [{"name": "i", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]}]});
        assert_eq!(
            messages(deployment(spec)),
            vec![
                "pod/container-ports /spec/template/spec/containers/1/ports/0/hostPort: duplicate hostPort 8080/TCP in this Pod"
            ]
        );
    }

    #[test]
    fn enums_and_host_network() {
        let spec = json!({"dnsPolicy": "None", "hostNetwork": true, "containers": [
            {"name": "a", "image": "x", "imagePullPolicy": "always", "terminationMessagePolicy": "File",
             "ports": [{"containerPort": 80, "hostPort": 8080, "protocol": "tcp"}, {"containerPort": 81}]}]});
        assert_eq!(
            messages(deployment(spec)),
            vec![
                "pod/enums /spec/template/spec/dnsConfig: `dnsConfig` is required when dnsPolicy is `None`",
                "pod/host-network /spec/template/spec/containers/0/ports/0/containerPort: containerPort must match hostPort (8080) when `hostNetwork` is true",
                "pod/enums /spec/template/spec/containers/0/imagePullPolicy: unsupported imagePullPolicy `always`: supported values are `Always`, `IfNotPresent`, `Never`",
                "pod/enums /spec/template/spec/containers/0/ports/0/protocol: unsupported protocol `tcp`: supported values are `TCP`, `UDP`, `SCTP`",
            ]
        );
        let spec = json!({"dnsPolicy": "ClusterFirstWithHostNet", "hostNetwork": true, "containers": [
            {"name": "a", "image": "x", "imagePullPolicy": "IfNotPresent", "terminationMessagePolicy": "FallbackToLogsOnError",
             "ports": [{"containerPort": 80, "hostPort": 80, "protocol": "UDP"}]}]});
        assert_eq!(messages(deployment(spec)), Vec::<String>::new());
    }
}
