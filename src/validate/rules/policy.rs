//! PodDisruptionBudgets and NetworkPolicies, as `pkg/apis/policy/validation/validation.go`
//! `ValidatePodDisruptionBudgetSpec` and `pkg/apis/networking/validation/validation.go`
//! `ValidateNetworkPolicySpec` check them.

use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, formats, items, scalar, str_at, workload};

pub static PDB: Rule = Rule {
    id: "pdb/budget",
    kinds: "PodDisruptionBudget",
    mirrors: "pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec",
};
pub static PEERS: Rule = Rule {
    id: "networkpolicy/peers",
    kinds: "NetworkPolicy",
    mirrors: "pkg/apis/networking/validation/validation.go ValidateNetworkPolicyPeer, ValidateIPBlock",
};
pub static NP_PORTS: Rule = Rule {
    id: "networkpolicy/ports",
    kinds: "NetworkPolicy",
    mirrors: "pkg/apis/networking/validation/validation.go ValidateNetworkPolicyPort",
};
pub static POLICY_TYPES: Rule = Rule {
    id: "networkpolicy/policy-types",
    kinds: "NetworkPolicy",
    mirrors: "pkg/apis/networking/validation/validation.go ValidateNetworkPolicySpec",
};

pub static RULES: &[&Rule] = &[&PDB, &PEERS, &NP_PORTS, &POLICY_TYPES];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    let Some(spec) = doc.value.field("spec").filter(|s| s.is_object()) else {
        return;
    };
    if doc.is("policy", "PodDisruptionBudget") {
        check_budget(spec, out);
        workload::check_label_selector(spec, "selector", "/spec/selector", out);
    } else if doc.is("networking.k8s.io", "NetworkPolicy") {
        check_network_policy(spec, out);
    }
}

fn check_budget(spec: &Value, out: &mut Out) {
    let min = spec.field("minAvailable").filter(|v| !v.is_null());
    let max = spec.field("maxUnavailable").filter(|v| !v.is_null());
    if min.is_some() && max.is_some() {
        out.push(
            &PDB,
            "/spec/maxUnavailable",
            "`minAvailable` and `maxUnavailable` cannot both be set",
        );
    }
    for (field, value) in [("minAvailable", min), ("maxUnavailable", max)] {
        let Some(value) = value else { continue };
        let problem = match value {
            Value::Number(n) if n.as_i64().is_some_and(|n| n < 0) => {
                Some("must be greater than or equal to 0".to_string())
            }
            Value::String(s) => match s
                .strip_suffix('%')
                .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
            {
                None => Some("must be an integer or a percentage (e.g. `50%`)".to_string()),
                Some(d) if d.parse::<u64>().is_ok_and(|n| n > 100) => {
                    Some("must not be greater than 100%".to_string())
                }
                Some(_) => None,
            },
            _ => None,
        };
        if let Some(problem) = problem {
            out.push(
                &PDB,
                format!("/spec/{field}"),
                format!("{field} `{}` {problem}", scalar(value)),
            );
        }
    }
}

fn check_network_policy(spec: &Value, out: &mut Out) {
    workload::check_label_selector(spec, "podSelector", "/spec/podSelector", out);
    for (direction, peers_key) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in items(spec, direction) {
            // Paths are written only for a finding: most rules have none.
            for (j, peer) in items(rule, peers_key) {
                let at_peer = || format!("/spec/{direction}/{i}/{peers_key}/{j}");
                let selectors = ["podSelector", "namespaceSelector"]
                    .iter()
                    .any(|k| peer.field(k).is_some_and(|v| !v.is_null()));
                let block = peer.field("ipBlock").filter(|v| !v.is_null());
                match (selectors, block) {
                    (false, None) if peer.is_object() => out.push(
                        &PEERS,
                        at_peer(),
                        "a peer must give `podSelector`, `namespaceSelector` or `ipBlock`",
                    ),
                    (true, Some(_)) => out.push(
                        &PEERS,
                        at_peer(),
                        "a peer may not give `ipBlock` with `podSelector` or `namespaceSelector`",
                    ),
                    _ => {}
                }
                for selector in ["podSelector", "namespaceSelector"] {
                    if peer.field(selector).is_some_and(Value::is_object) {
                        workload::check_label_selector(
                            peer,
                            selector,
                            &format!("{}/{selector}", at_peer()),
                            out,
                        );
                    }
                }
                let Some(block) = block else { continue };
                if let Some(cidr) = str_at(block, "cidr")
                    && let Some(problem) = formats::cidr(cidr)
                {
                    out.push(
                        &PEERS,
                        format!("{}/ipBlock/cidr", at_peer()),
                        format!("cidr `{cidr}` {problem}"),
                    );
                }
                for (k, except) in items(block, "except") {
                    if let Some(except) = except.as_str()
                        && let Some(problem) = formats::cidr(except)
                    {
                        out.push(
                            &PEERS,
                            format!("{}/ipBlock/except/{k}", at_peer()),
                            format!("except `{except}` {problem}"),
                        );
                    }
                }
            }
            for (j, port) in items(rule, "ports") {
                let at_port = |field: &str| format!("/spec/{direction}/{i}/ports/{j}/{field}");
                if let Some(protocol) = str_at(port, "protocol")
                    && !["TCP", "UDP", "SCTP"].contains(&protocol)
                {
                    out.push(&NP_PORTS, at_port("protocol"), format!("unsupported protocol `{protocol}`: supported values are `TCP`, `UDP`, `SCTP`"));
                }
                let number = port.field("port").and_then(Value::as_i64);
                if let Some(value) = port.field("port")
                    && let Some(problem) = formats::port_number_or_name(value)
                {
                    out.push(
                        &NP_PORTS,
                        at_port("port"),
                        format!("port `{}` {problem}", scalar(value)),
                    );
                }
                if let Some(end) = port.field("endPort").and_then(Value::as_i64) {
                    match (port.field("port"), number) {
                        (None, _) => out.push(
                            &NP_PORTS,
                            at_port("endPort"),
                            "endPort may not be given when `port` is not",
                        ),
                        (Some(_), None) => out.push(
                            &NP_PORTS,
                            at_port("endPort"),
                            "endPort may not be given when `port` is a name",
                        ),
                        (Some(_), Some(start)) if end < start => out.push(
                            &NP_PORTS,
                            at_port("endPort"),
                            format!(
                                "endPort ({end}) must be greater than or equal to `port` ({start})"
                            ),
                        ),
                        _ => {}
                    }
                }
            }
        }
    }
    let types: Vec<&Value> = items(spec, "policyTypes").map(|(_, t)| t).collect();
    if types.len() > 2 {
        out.push(
            &POLICY_TYPES,
            "/spec/policyTypes",
            "policyTypes may hold at most `Ingress` and `Egress`",
        );
    }
    for (i, kind) in types.iter().enumerate() {
        if let Some(kind) = kind.as_str()
            && !["Ingress", "Egress"].contains(&kind)
        {
            out.push(
                &POLICY_TYPES,
                format!("/spec/policyTypes/{i}"),
                format!(
                    "unsupported policy type `{kind}`: supported values are `Ingress`, `Egress`"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(api: &str, kind: &str, spec: Value) -> Vec<String> {
        let doc =
            json!({"apiVersion": api, "kind": kind, "metadata": {"name": "web"}, "spec": spec});
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    #[test]
    fn budgets() {
        let pdb = |spec| messages("policy/v1", "PodDisruptionBudget", spec);
        assert!(
            pdb(json!({"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}}))
                .is_empty()
        );
        assert_eq!(
            pdb(json!({"minAvailable": 1, "maxUnavailable": 1})),
            vec![
                "pdb/budget /spec/maxUnavailable: `minAvailable` and `maxUnavailable` cannot both be set"
            ]
        );
        assert_eq!(
            pdb(json!({"maxUnavailable": "150%"})),
            vec![
                "pdb/budget /spec/maxUnavailable: maxUnavailable `150%` must not be greater than 100%"
            ]
        );
    }

    #[test]
    fn network_policies() {
        let np = |spec| messages("networking.k8s.io/v1", "NetworkPolicy", spec);
        assert!(np(json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "a"}}, "namespaceSelector": {}}],
                         "ports": [{"port": "http"}, {"port": 8000, "endPort": 9000, "protocol": "TCP"}]}],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}]}]})).is_empty());
        assert_eq!(
            np(json!({"podSelector": {}, "policyTypes": ["ingress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/33"}, "podSelector": {}}],
                        "ports": [{"port": 9000, "endPort": 8000}, {"port": "metrics_port"}]}]})),
            vec![
                "networkpolicy/peers /spec/egress/0/to/0: a peer may not give `ipBlock` with `podSelector` or `namespaceSelector`",
                "networkpolicy/peers /spec/egress/0/to/0/ipBlock/cidr: cidr `10.0.0.0/33` must be a valid CIDR (e.g. `10.0.0.0/16` or `fd00::/64`)",
                "networkpolicy/ports /spec/egress/0/ports/0/endPort: endPort (8000) must be greater than or equal to `port` (9000)",
                "networkpolicy/ports /spec/egress/0/ports/1/port: port `metrics_port` must be an IANA service name: lowercase letters, digits and `-`, with at least one letter, no `-` at either end and no `--`",
                "networkpolicy/policy-types /spec/policyTypes/0: unsupported policy type `ingress`: supported values are `Ingress`, `Egress`",
            ]
        );
    }
}
