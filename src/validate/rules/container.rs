//! One container of a Pod spec: its ports, env, volume mounts, probes and resources, as
//! `pkg/apis/core/validation/validation.go` `validateContainerCommon` and the functions it calls
//! check them. The rules are listed with the other Pod rules in `pod.rs`.

use std::collections::HashSet;

use serde_json::Value;

use super::Field;
use super::pod::{ENUMS, ENV, MOUNTS, PORTS, PROBES, RESOURCES};
use super::{Out, at, entries, formats, items, quantity, scalar, str_at};

pub(super) fn check(
    container: &Value,
    path: &str,
    plain_init: bool,
    volumes: &HashSet<&str>,
    out: &mut Out,
) {
    for (field, allowed) in [
        ("imagePullPolicy", &["Always", "IfNotPresent", "Never"][..]),
        (
            "terminationMessagePolicy",
            &["File", "FallbackToLogsOnError"][..],
        ),
    ] {
        if let Some(value) = str_at(container, field)
            && !allowed.contains(&value)
        {
            out.push(
                &ENUMS,
                format!("{path}/{field}"),
                format!(
                    "unsupported {field} `{value}`: supported values are `{}`",
                    allowed.join("`, `")
                ),
            );
        }
    }
    let mut port_names = HashSet::new();
    for (j, port) in items(container, "ports") {
        let at_port = |field: &str| format!("{path}/ports/{j}/{field}");
        if let Some(protocol) = str_at(port, "protocol")
            && !["TCP", "UDP", "SCTP"].contains(&protocol)
        {
            out.push(
                &ENUMS,
                at_port("protocol"),
                format!(
                    "unsupported protocol `{protocol}`: supported values are `TCP`, `UDP`, `SCTP`"
                ),
            );
        }
        if let Some(n) = port.field("containerPort").and_then(Value::as_i64)
            && let Some(problem) = formats::port_number(n)
        {
            out.push(
                &PORTS,
                at_port("containerPort"),
                format!("containerPort {n} {problem}"),
            );
        }
        if let Some(n) = port.field("hostPort").and_then(Value::as_i64)
            && n != 0
            && let Some(problem) = formats::port_number(n)
        {
            out.push(
                &PORTS,
                at_port("hostPort"),
                format!("hostPort {n} {problem}"),
            );
        }
        if let Some(name) = str_at(port, "name") {
            if let Some(problem) = formats::port_name(name) {
                out.push(
                    &PORTS,
                    at_port("name"),
                    format!("port name `{name}` {problem}"),
                );
            } else if !port_names.insert(name) {
                out.push(
                    &PORTS,
                    at_port("name"),
                    format!("duplicate port name `{name}` in this container"),
                );
            }
        }
    }
    for (j, env) in items(container, "env") {
        let at_env = |field: &str| format!("{path}/env/{j}/{field}");
        match str_at(env, "name") {
            Some(name) => {
                if let Some(problem) = formats::env_var_name(name) {
                    out.push(
                        &ENV,
                        at_env("name"),
                        format!("env var name `{name}` {problem}"),
                    );
                }
            }
            None if env.is_object() => out.push(&ENV, at_env("name"), "`name` is required"),
            None => {}
        }
        if let Some(from) = env.field("valueFrom").and_then(Value::as_object) {
            if str_at(env, "value").is_some_and(|v| !v.is_empty()) {
                out.push(
                    &ENV,
                    at_env("valueFrom"),
                    "`valueFrom` may not be given when `value` is not empty",
                );
            }
            if from.values().filter(|v| !v.is_null()).count() != 1 {
                out.push(
                    &ENV,
                    at_env("valueFrom"),
                    "`valueFrom` must name exactly one source (`fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`)",
                );
            }
        }
    }
    let mut mount_paths = HashSet::new();
    for (j, mount) in items(container, "volumeMounts") {
        let at_mount = |field: &str| format!("{path}/volumeMounts/{j}/{field}");
        if let Some(name) = str_at(mount, "name")
            && !volumes.contains(name)
        {
            out.push(
                &MOUNTS,
                at_mount("name"),
                format!("volume `{name}` is mounted but not defined in the Pod's `volumes`"),
            );
        }
        match str_at(mount, "mountPath") {
            None if mount.is_object() => {
                out.push(&MOUNTS, at_mount("mountPath"), "`mountPath` is required");
            }
            Some(mount_path) if !mount_paths.insert(mount_path) => {
                out.push(
                    &MOUNTS,
                    at_mount("mountPath"),
                    format!("mountPath `{mount_path}` must be unique within the container"),
                );
            }
            _ => {}
        }
        if let Some(sub) = str_at(mount, "subPath")
            && (sub.starts_with('/') || sub.split('/').any(|part| part == ".."))
        {
            out.push(
                &MOUNTS,
                at_mount("subPath"),
                format!("subPath `{sub}` must be a relative path without `..`"),
            );
        }
    }
    if plain_init && container.field("lifecycle").is_some_and(Value::is_object) {
        out.push(
            &PROBES,
            format!("{path}/lifecycle"),
            "`lifecycle` may not be set for init containers without `restartPolicy: Always`",
        );
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(value) = container.field(probe).filter(|p| p.is_object()) else {
            continue;
        };
        // Paths are written only for a finding: most probes have none.
        let at_probe = || format!("{path}/{probe}");
        if plain_init {
            out.push(
                &PROBES,
                at_probe(),
                format!(
                    "`{probe}` may not be set for init containers without `restartPolicy: Always`"
                ),
            );
            continue;
        }
        let handlers = ["exec", "httpGet", "tcpSocket", "grpc"]
            .into_iter()
            .filter(|h| value.field(h).is_some_and(|v| !v.is_null()));
        match handlers.clone().count() {
            0 => out.push(&PROBES, at_probe(), format!("`{probe}` must specify a handler: one of `exec`, `httpGet`, `tcpSocket`, `grpc`")),
            1 => {}
            _ => out.push(&PROBES, at_probe(), format!("`{probe}` may not specify more than one handler (it has `{}`)", handlers.collect::<Vec<_>>().join("`, `"))),
        }
        for handler in ["httpGet", "tcpSocket"] {
            if let Some(port) = value.field(handler).and_then(|h| h.field("port"))
                && let Some(problem) = formats::port_number_or_name(port)
            {
                out.push(
                    &PROBES,
                    format!("{path}/{probe}/{handler}/port"),
                    format!("port `{}` {problem}", scalar(port)),
                );
            }
        }
        if probe != "readinessProbe"
            && let Some(n) = value.field("successThreshold").and_then(Value::as_i64)
            && n != 1
        {
            out.push(
                &PROBES,
                format!("{path}/{probe}/successThreshold"),
                format!("successThreshold of a `{probe}` must be 1 (it is {n})"),
            );
        }
        for field in [
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
        ] {
            if let Some(n) = value.field(field).and_then(Value::as_i64)
                && n < 0
            {
                out.push(
                    &PROBES,
                    format!("{path}/{probe}/{field}"),
                    format!("{field} must be greater than or equal to 0 (it is {n})"),
                );
            }
        }
    }
    let resources = container.field("resources").unwrap_or(&Value::Null);
    let mut parsed: [Vec<(&String, f64)>; 2] = [Vec::new(), Vec::new()];
    for (k, section) in ["limits", "requests"].into_iter().enumerate() {
        for (name, amount) in entries(resources, section) {
            let at_amount = || at(&format!("{path}/resources/{section}"), name);
            match quantity::parse(amount) {
                Err(problem) => out.push(
                    &RESOURCES,
                    at_amount(),
                    format!("{section}.{name} `{}` {problem}", scalar(amount)),
                ),
                Ok(v) if v < 0.0 => out.push(
                    &RESOURCES,
                    at_amount(),
                    format!("{section}.{name} must be greater than or equal to 0"),
                ),
                Ok(v) => parsed[k].push((name, v)),
            }
        }
    }
    let [limits, requests] = &parsed;
    for (name, request) in requests {
        if let Some((_, limit)) = limits.iter().find(|(n, _)| n == name)
            && *request > limit * (1.0 + 1e-9)
        {
            out.push(
                &RESOURCES,
                at(&format!("{path}/resources/requests"), name),
                format!(
                    "requests.{name} `{}` must be less than or equal to limits.{name} `{}`",
                    scalar(&resources["requests"][name.as_str()]),
                    scalar(&resources["limits"][name.as_str()])
                ),
            );
        }
    }
}
