//! The JSON pointers of NetworkPolicy peer and port findings and of container probe and
//! resource findings, which the rules write only when they find something: each pointer here
//! is the one the rules wrote when they built every path up front.

use serde_json::{Value, json};

use super::messages;

/// `rule pointer` of each finding, in the order the rules report them.
fn pointers(doc: Value) -> Vec<String> {
    messages(doc)
        .into_iter()
        .map(|m| {
            m.split_once(": ")
                .map_or(m.clone(), |(head, _)| head.to_string())
        })
        .collect()
}

#[test]
fn network_policy_findings_point_at_their_peer_and_port() {
    let policy = json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "np"},
        "spec": {"podSelector": {}, "ingress": [{
            "from": [
                {"podSelector": {"matchLabels": {"bad key": "x"}}},
                {"namespaceSelector": {"matchExpressions": [
                    {"key": "a b", "operator": "In", "values": []}]}},
                {},
                {"podSelector": {}, "ipBlock": {"cidr": "10.0.0.0/8"}},
                {"ipBlock": {"cidr": "10.0.0.0/33", "except": ["10.1.0.0/40"]}}
            ],
            "ports": [
                {"protocol": "tcp", "port": 0},
                {"port": "http", "endPort": 9},
                {"endPort": 9},
                {"port": 90, "endPort": 80}
            ]
        }]}
    });
    assert_eq!(
        pointers(policy),
        [
            "metadata/labels /spec/ingress/0/from/0/podSelector/matchLabels/bad key",
            "workload/label-selector /spec/ingress/0/from/1/namespaceSelector/matchExpressions/0/values",
            "workload/label-selector /spec/ingress/0/from/1/namespaceSelector/matchExpressions/0/key",
            "networkpolicy/peers /spec/ingress/0/from/2",
            "networkpolicy/peers /spec/ingress/0/from/3",
            "networkpolicy/peers /spec/ingress/0/from/4/ipBlock/cidr",
            "networkpolicy/peers /spec/ingress/0/from/4/ipBlock/except/0",
            "networkpolicy/ports /spec/ingress/0/ports/0/protocol",
            "networkpolicy/ports /spec/ingress/0/ports/0/port",
            "networkpolicy/ports /spec/ingress/0/ports/1/endPort",
            "networkpolicy/ports /spec/ingress/0/ports/2/endPort",
            "networkpolicy/ports /spec/ingress/0/ports/3/endPort",
        ]
    );
}

#[test]
fn probe_and_resource_findings_point_into_their_container() {
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "initContainers": [{"name": "init", "image": "x",
                    "readinessProbe": {"exec": {"command": ["x"]}}}],
                "containers": [{"name": "web", "image": "x",
                    "resources": {"limits": {"cpu": "-1", "memory": "lots"},
                                  "requests": {"cpu": "2"}},
                    "livenessProbe": {"periodSeconds": -1, "successThreshold": 2},
                    "readinessProbe": {"exec": {"command": ["x"]}, "httpGet": {"port": 0},
                        "tcpSocket": {"port": "no_such_name_too_long_for_a_port"}},
                    "startupProbe": {"httpGet": {"port": 70000}}}]
            }
        }}
    });
    assert_eq!(
        pointers(deployment),
        [
            "pod/probes /spec/template/spec/initContainers/0/readinessProbe",
            "pod/probes /spec/template/spec/containers/0/livenessProbe",
            "pod/probes /spec/template/spec/containers/0/livenessProbe/successThreshold",
            "pod/probes /spec/template/spec/containers/0/livenessProbe/periodSeconds",
            "pod/probes /spec/template/spec/containers/0/readinessProbe",
            "pod/probes /spec/template/spec/containers/0/readinessProbe/httpGet/port",
            "pod/probes /spec/template/spec/containers/0/readinessProbe/tcpSocket/port",
            "pod/probes /spec/template/spec/containers/0/startupProbe/httpGet/port",
            "pod/resources /spec/template/spec/containers/0/resources/limits/cpu",
            "pod/resources /spec/template/spec/containers/0/resources/limits/memory",
        ]
    );
}
