//! Services: type, ports (required, named when several, unique), target ports, node ports
//! only where a node port exists, headless and ExternalName fields, as
//! `pkg/apis/core/validation/validation.go` `ValidateService` checks them.

use std::collections::HashSet;

use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, formats, items, scalar, str_at};

pub static TYPE: Rule = Rule {
    id: "service/type",
    kinds: "Service",
    mirrors: "pkg/apis/core/validation/validation.go ValidateService (type, clusterIP None, externalName, sessionAffinity)",
};
pub static PORTS: Rule = Rule {
    id: "service/ports",
    kinds: "Service",
    mirrors: "pkg/apis/core/validation/validation.go ValidateService, validateServicePort",
};

pub static RULES: &[&Rule] = &[&TYPE, &PORTS];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    if !doc.is("", "Service") {
        return;
    }
    let Some(spec) = doc.value.field("spec").filter(|s| s.is_object()) else {
        return;
    };
    let kind = str_at(spec, "type").unwrap_or("ClusterIP");
    if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(&kind) {
        out.push(&TYPE, "/spec/type", format!("unsupported type `{kind}`: supported values are `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`"));
        return;
    }
    let headless = str_at(spec, "clusterIP") == Some("None");
    if headless && matches!(kind, "NodePort" | "LoadBalancer") {
        out.push(
            &TYPE,
            "/spec/clusterIP",
            format!("clusterIP may not be `None` when `type` is `{kind}`"),
        );
    }
    if kind == "ExternalName" {
        match str_at(spec, "externalName") {
            None | Some("") => out.push(
                &TYPE,
                "/spec/externalName",
                "`externalName` is required when `type` is `ExternalName`",
            ),
            Some(name) => {
                if let Some(problem) =
                    formats::dns1123_subdomain(name.strip_suffix('.').unwrap_or(name))
                {
                    out.push(
                        &TYPE,
                        "/spec/externalName",
                        format!("externalName `{name}` {problem}"),
                    );
                }
            }
        }
    }
    if let Some(affinity) = str_at(spec, "sessionAffinity")
        && !["None", "ClientIP"].contains(&affinity)
    {
        out.push(
            &TYPE,
            "/spec/sessionAffinity",
            format!(
                "unsupported sessionAffinity `{affinity}`: supported values are `None`, `ClientIP`"
            ),
        );
    }
    let ports: Vec<(usize, &Value)> = items(spec, "ports").collect();
    if ports.is_empty()
        && kind != "ExternalName"
        && !headless
        && spec.field("ports").is_none_or(Value::is_array)
    {
        out.push(
            &PORTS,
            "/spec/ports",
            "a Service needs at least one port (unless it is headless or `ExternalName`)",
        );
    }
    let several = ports.len() > 1;
    let mut names = HashSet::new();
    let mut pairs = HashSet::new();
    for (i, port) in ports {
        let path = format!("/spec/ports/{i}");
        match str_at(port, "name") {
            Some(name) if !name.is_empty() => {
                if let Some(problem) = formats::dns1123_label(name) {
                    out.push(
                        &PORTS,
                        format!("{path}/name"),
                        format!("port name `{name}` {problem}"),
                    );
                }
                if !names.insert(name) {
                    out.push(
                        &PORTS,
                        format!("{path}/name"),
                        format!("duplicate port name `{name}`"),
                    );
                }
            }
            _ if several => out.push(
                &PORTS,
                format!("{path}/name"),
                "each port needs a `name` when a Service has more than one",
            ),
            _ => {}
        }
        let number = port.field("port").and_then(Value::as_i64);
        if let Some(n) = number
            && let Some(problem) = formats::port_number(n)
        {
            out.push(
                &PORTS,
                format!("{path}/port"),
                format!("port {n} {problem}"),
            );
        }
        let protocol = str_at(port, "protocol").unwrap_or("TCP");
        if !["TCP", "UDP", "SCTP"].contains(&protocol) {
            out.push(
                &PORTS,
                format!("{path}/protocol"),
                format!(
                    "unsupported protocol `{protocol}`: supported values are `TCP`, `UDP`, `SCTP`"
                ),
            );
        }
        if let Some(n) = number
            && !pairs.insert((n, protocol))
        {
            out.push(
                &PORTS,
                format!("{path}/port"),
                format!("duplicate port {n}/{protocol}"),
            );
        }
        if let Some(target) = port.field("targetPort")
            && target.as_i64() != Some(0)
            && let Some(problem) = formats::port_number_or_name(target)
        {
            out.push(
                &PORTS,
                format!("{path}/targetPort"),
                format!("targetPort `{}` {problem}", scalar(target)),
            );
        }
        if let Some(node) = port.field("nodePort").and_then(Value::as_i64)
            && node != 0
            && kind == "ClusterIP"
        {
            out.push(
                &PORTS,
                format!("{path}/nodePort"),
                format!("nodePort may not be used when `type` is `{kind}`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(spec: Value) -> Vec<String> {
        let doc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec});
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    #[test]
    fn services() {
        assert!(messages(json!({"ports": [{"name": "http", "port": 80, "targetPort": "http"},
                                          {"name": "dns", "port": 80, "protocol": "UDP", "targetPort": 53}]})).is_empty());
        assert!(messages(json!({"clusterIP": "None"})).is_empty());
        assert!(
            messages(json!({"type": "ExternalName", "externalName": "db.example.com."})).is_empty()
        );
        assert!(
            messages(json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}))
                .is_empty()
        );
        let found = messages(
            json!({"ports": [{"port": 80, "nodePort": 30080, "targetPort": "http_port"}, {"name": "Web", "port": 80}]}),
        );
        assert_eq!(
            found,
            vec![
                "service/ports /spec/ports/0/name: each port needs a `name` when a Service has more than one",
                "service/ports /spec/ports/0/targetPort: targetPort `http_port` must be an IANA service name: lowercase letters, digits and `-`, with at least one letter, no `-` at either end and no `--`",
                "service/ports /spec/ports/0/nodePort: nodePort may not be used when `type` is `ClusterIP`",
                "service/ports /spec/ports/1/name: port name `Web` must be a DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or digit",
                "service/ports /spec/ports/1/port: duplicate port 80/TCP",
            ]
        );
        assert_eq!(
            messages(json!({"ports": []})),
            vec![
                "service/ports /spec/ports: a Service needs at least one port (unless it is headless or `ExternalName`)"
            ]
        );
        assert_eq!(
            messages(json!({"type": "ExternalName"})),
            vec![
                "service/type /spec/externalName: `externalName` is required when `type` is `ExternalName`"
            ]
        );
        assert_eq!(
            messages(json!({"type": "LoadBalancer", "clusterIP": "None", "ports": [{"port": 1}]})),
            vec![
                "service/type /spec/clusterIP: clusterIP may not be `None` when `type` is `LoadBalancer`"
            ]
        );
    }
}
