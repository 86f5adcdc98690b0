//! Ingresses: a default backend or rules, each backend exactly one of a service and a resource
//! with a port by name or by number, hosts, paths and their types, TLS hosts, as
//! `pkg/apis/networking/validation/validation.go` `ValidateIngressSpec` checks them.

use serde_json::Value;

use super::Field;
use super::{Doc, Out, Rule, formats, items, str_at};

pub static BACKEND: Rule = Rule {
    id: "ingress/backend",
    kinds: "Ingress",
    mirrors: "pkg/apis/networking/validation/validation.go ValidateIngressSpec, validateIngressBackend",
};
pub static HOST: Rule = Rule {
    id: "ingress/host",
    kinds: "Ingress",
    mirrors: "pkg/apis/networking/validation/validation.go validateIngressRules, validateIngressTLS",
};
pub static PATH: Rule = Rule {
    id: "ingress/path",
    kinds: "Ingress",
    mirrors: "pkg/apis/networking/validation/validation.go validateHTTPIngressRuleValue, validateHTTPIngressPath",
};

pub static RULES: &[&Rule] = &[&BACKEND, &HOST, &PATH];

const BAD_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const BAD_ENDINGS: &[&str] = &["/..", "/."];

pub(super) fn check(doc: &Doc, out: &mut Out) {
    if !doc.is("networking.k8s.io", "Ingress") || doc.version != "v1" {
        return;
    }
    let Some(spec) = doc.value.field("spec").filter(|s| s.is_object()) else {
        return;
    };
    let rules = spec.field("rules").and_then(Value::as_array);
    if spec.field("defaultBackend").is_none() && rules.is_none_or(Vec::is_empty) {
        out.push(
            &BACKEND,
            "/spec",
            "either `defaultBackend` or `rules` must be given",
        );
    }
    if let Some(backend) = spec.field("defaultBackend") {
        check_backend(backend, "/spec/defaultBackend", out);
    }
    for (i, rule) in items(spec, "rules") {
        let base = format!("/spec/rules/{i}");
        if let Some(host) = str_at(rule, "host")
            && !host.is_empty()
        {
            check_host(host, &format!("{base}/host"), out);
        }
        let Some(http) = rule.field("http").filter(|h| h.is_object()) else {
            continue;
        };
        if http
            .field("paths")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            out.push(
                &PATH,
                format!("{base}/http/paths"),
                "`paths` must hold at least one path",
            );
        }
        for (j, path) in items(http, "paths") {
            let at_path = format!("{base}/http/paths/{j}");
            let text = str_at(path, "path").unwrap_or_default();
            match str_at(path, "pathType") {
                Some("Exact" | "Prefix") => {
                    if !text.starts_with('/') {
                        out.push(&PATH, format!("{at_path}/path"), format!("path `{text}` must be an absolute path (start with `/`)"));
                    } else if let Some(bad) = BAD_SEQUENCES.iter().find(|s| text.contains(**s)) {
                        out.push(&PATH, format!("{at_path}/path"), format!("path `{text}` must not contain `{bad}`"));
                    } else if let Some(bad) = BAD_ENDINGS.iter().find(|s| text.ends_with(**s)) {
                        out.push(&PATH, format!("{at_path}/path"), format!("path `{text}` cannot end with `{bad}`"));
                    }
                }
                Some("ImplementationSpecific") if !text.is_empty() && !text.starts_with('/') => {
                    out.push(&PATH, format!("{at_path}/path"), format!("path `{text}` must be an absolute path (start with `/`)"));
                }
                Some("ImplementationSpecific") => {}
                Some(other) => out.push(&PATH, format!("{at_path}/pathType"), format!("unsupported pathType `{other}`: supported values are `Exact`, `Prefix`, `ImplementationSpecific`")),
                None => {}
            }
            if let Some(backend) = path.field("backend") {
                check_backend(backend, &format!("{at_path}/backend"), out);
            }
        }
    }
    for (i, tls) in items(spec, "tls") {
        for (j, host) in items(tls, "hosts") {
            // TLS hosts are DNS names (or wildcards) but, unlike rule hosts, may be IPs.
            if let Some(host) = host.as_str()
                && let Some(problem) = formats::host(host)
            {
                out.push(
                    &HOST,
                    format!("/spec/tls/{i}/hosts/{j}"),
                    format!("host `{host}` {problem}"),
                );
            }
        }
    }
}

fn check_host(host: &str, pointer: &str, out: &mut Out) {
    if formats::is_ip(host) {
        out.push(
            &HOST,
            pointer,
            format!("host `{host}` must be a DNS name, not an IP address"),
        );
    } else if let Some(problem) = formats::host(host) {
        out.push(&HOST, pointer, format!("host `{host}` {problem}"));
    }
}

fn check_backend(backend: &Value, pointer: &str, out: &mut Out) {
    if !backend.is_object() {
        return;
    }
    let service = backend.field("service").filter(|s| !s.is_null());
    let resource = backend.field("resource").filter(|s| !s.is_null());
    match (service, resource) {
        (Some(_), Some(_)) => out.push(
            &BACKEND,
            pointer,
            "a backend may name a `service` or a `resource`, not both",
        ),
        (None, None) => out.push(
            &BACKEND,
            pointer,
            "a backend must name a `service` or a `resource`",
        ),
        _ => {}
    }
    let Some(port) = service
        .and_then(|s| s.field("port"))
        .filter(|p| p.is_object())
    else {
        return;
    };
    let at_port = format!("{pointer}/service/port");
    let name = str_at(port, "name").filter(|n| !n.is_empty());
    let number = port
        .field("number")
        .and_then(Value::as_i64)
        .filter(|n| *n != 0);
    match (name, number) {
        (Some(_), Some(_)) => out.push(
            &BACKEND,
            at_port,
            "a service port may have a `name` or a `number`, not both",
        ),
        (None, None) => out.push(
            &BACKEND,
            at_port,
            "a service port needs a `name` or a `number`",
        ),
        (Some(name), None) => {
            if let Some(problem) = formats::port_name(name) {
                out.push(
                    &BACKEND,
                    format!("{at_port}/name"),
                    format!("port name `{name}` {problem}"),
                );
            }
        }
        (None, Some(n)) => {
            if let Some(problem) = formats::port_number(n) {
                out.push(
                    &BACKEND,
                    format!("{at_port}/number"),
                    format!("port number {n} {problem}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn messages(spec: Value) -> Vec<String> {
        let doc = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"}, "spec": spec});
        super::super::check(&doc)
            .into_iter()
            .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
            .collect()
    }

    fn rule(host: &str, path: &str, path_type: &str, port: Value) -> Value {
        json!({"rules": [{"host": host, "http": {"paths": [{"path": path, "pathType": path_type,
               "backend": {"service": {"name": "web", "port": port}}}]}}],
               "tls": [{"hosts": [host], "secretName": "tls"}]})
    }

    #[test]
    fn ingresses() {
        assert!(
            messages(rule(
                "*.example.com",
                "/api",
                "Prefix",
                json!({"number": 80})
            ))
            .is_empty()
        );
        assert!(
            messages(rule(
                "example.com",
                "",
                "ImplementationSpecific",
                json!({"name": "http"})
            ))
            .is_empty()
        );
        assert_eq!(
            messages(rule("example.com", "api", "Prefix", json!({"number": 80}))),
            vec![
                "ingress/path /spec/rules/0/http/paths/0/path: path `api` must be an absolute path (start with `/`)"
            ]
        );
        assert_eq!(
            messages(rule(
                "10.0.0.1",
                "/",
                "Exact",
                json!({"name": "http", "number": 80})
            )),
            vec![
                "ingress/host /spec/rules/0/host: host `10.0.0.1` must be a DNS name, not an IP address",
                "ingress/backend /spec/rules/0/http/paths/0/backend/service/port: a service port may have a `name` or a `number`, not both",
            ]
        );
        assert_eq!(
            messages(json!({})),
            vec!["ingress/backend /spec: either `defaultBackend` or `rules` must be given"]
        );
        assert_eq!(
            messages(
                json!({"defaultBackend": {"service": {"name": "a", "port": {"number": 80}}, "resource": {"kind": "B", "name": "b"}}})
            ),
            vec![
                "ingress/backend /spec/defaultBackend: a backend may name a `service` or a `resource`, not both"
            ]
        );
    }
}
